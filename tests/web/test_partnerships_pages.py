"""The Partnerships page: a coordinator names their partnership and adds another (in the
browser and with `flask partnership add`); a school's people in two partnerships choose
which one their pages show; nobody chooses one they do not work in."""
import html
import re
from datetime import date
from urllib.parse import urlsplit

from sqlalchemy import select

from domain import dates, years
from domain.models import Partnership, User, Workbook
from webapp.extensions import db
from webapp.syncing import sync_now

from ..conftest import SUITE_DAY, csrf_token, signed_in
from ..partnership_helpers import (
    MARK,
    OAKFIELD,
    OTHER_FILE,
    WILLIAM_LILLEY,
    add_other_partnership,
    write_other_partnership,
)

NEW = {"name": "Oakfield Cluster", "workbook": OTHER_FILE, "coordinator_name": "Olive Coordinator",
       "coordinator_email": "olive@oakfield.test.school"}


def _post(client, path, data):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/partnerships")})


def test_a_coordinator_adds_a_partnership_whose_coordinator_then_sees_only_its_own(synced_app, workbook_dir):
    write_other_partnership(workbook_dir)
    admin = signed_in(synced_app, "admin")
    response = _post(admin, "/partnerships", NEW)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Oakfield Cluster is added, and Olive Coordinator is invited" in page
    link = html.unescape(re.search(r'id="password-link"[^>]*value="([^"]+)"', page).group(1))
    assert link.startswith(synced_app.config["HUB_URL"])
    with synced_app.app_context():
        olive = db.session.scalar(select(User).where(User.email == NEW["coordinator_email"]))
        assert olive.role == "admin" and olive.partnership_id == db.session.scalar(
            select(Partnership.id).where(Partnership.slug == "oakfield-cluster"))
    assert "Olive" not in admin.get("/people").get_data(as_text=True)  # not one of this partnership's people
    assert sync_now(synced_app, "test").ok
    olive_browser = synced_app.test_client()
    path = urlsplit(link).path
    token = csrf_token(olive_browser, path)
    chosen = olive_browser.post(path, data={"password": "a long new password 1", "again": "a long new password 1",
                                            "csrf_token": token})
    assert chosen.status_code == 302
    joint = olive_browser.get("/plans/joint").get_data(as_text=True)
    assert MARK in joint and "Bank Road" not in joint
    assert olive_browser.get("/plans/BR").status_code == 404
    people = olive_browser.get("/people").get_data(as_text=True)
    # its own people only; its audit list says who added the partnership and invited Olive
    assert "Olive Coordinator" in people and "head@br.test.school" not in people


def test_adding_a_partnership_says_what_is_wrong(synced_app):
    admin = signed_in(synced_app, "admin")
    cases = [
        ({**NEW, "name": " "}, "Enter the partnership's name"),
        ({**NEW, "workbook": "partnership.xlsx"}, "That workbook is another plan's"),
        ({**NEW, "workbook": "./bank-road.xlsx"}, "That workbook is another plan's"),  # the same file, written another way
        ({**NEW, "coordinator_email": "admin@test.school"}, "There is already a user admin@test.school"),
        ({**NEW, "coordinator_email": "not an address"}, "is not an e-mail address"),
    ]
    for data, said in cases:
        response = _post(admin, "/partnerships", data)
        assert response.status_code == 422 and said in html.unescape(response.get_data(as_text=True)), said
    _post(admin, "/partnerships/rename", {"name": "Bank Road and William Lilley"})
    taken = _post(admin, "/partnerships", {**NEW, "name": "bank road and william lilley"})
    assert "There is already a partnership called" in html.unescape(taken.get_data(as_text=True))
    with synced_app.app_context():
        assert db.session.scalar(select(Partnership.name)) == "Bank Road and William Lilley"
        assert len(db.session.scalars(select(Partnership)).all()) == 1


def test_a_school_in_two_partnerships_chooses_which_its_pages_show(synced_app, workbook_dir):
    add_other_partnership(synced_app, workbook_dir, schools=(OAKFIELD, WILLIAM_LILLEY))
    head = signed_in(synced_app, "wl_head")
    page = head.get("/partnerships").get_data(as_text=True)
    assert "Our partnership" in page and "Show Oakfield Cluster" in page
    assert MARK not in head.get("/plans/joint").get_data(as_text=True)
    response = _post(head, "/partnerships/choose", {"partnership": "oakfield-cluster"})
    assert response.status_code == 303
    home = head.get("/").get_data(as_text=True)
    assert 'class="partnership-shown">Oakfield Cluster<' in home
    assert MARK in head.get("/plans/joint").get_data(as_text=True)
    assert head.get("/plans/WL").status_code == 200  # its own plan, the same in both
    assert head.get("/plans/BR").status_code == 404  # Bank Road is not in the Oakfield Cluster
    # Bank Road's head works in one partnership: choosing another finds nothing
    br_head = signed_in(synced_app, "br_head")
    assert _post(br_head, "/partnerships/choose", {"partnership": "oakfield-cluster"}).status_code == 404
    assert MARK not in br_head.get("/plans/joint").get_data(as_text=True)
    assert "Partnerships</a>" not in br_head.get("/").get_data(as_text=True)  # nothing to switch


def test_partnerships_on_the_command_line(synced_app, workbook_dir):
    write_other_partnership(workbook_dir)
    runner = synced_app.test_cli_runner()
    result = runner.invoke(args=["partnership", "add", "Oakfield Cluster", "--workbook", OTHER_FILE,
                                 "--coordinator-email", "olive@oakfield.test.school", "--coordinator-name", "Olive"])
    assert result.exit_code == 0, result.output
    assert "Added Oakfield Cluster (oakfield-cluster)" in result.output and "Pass this link on" in result.output
    listed = runner.invoke(args=["partnership", "list"]).output
    assert "our-partnership" in listed and "oakfield-cluster" in listed
    again = runner.invoke(args=["partnership", "add", "Elm", "--workbook", OTHER_FILE,
                                "--coordinator-email", "elm@elm.test.school"])
    assert again.exit_code == 1 and "another plan's" in again.output
    assert sync_now(synced_app, "test").ok
    add = ["users", "add", "new@ok.test.school", "--role", "staff", "--school", "OK"]
    unsaid = runner.invoke(args=add, input="a long password 123\n")
    assert unsaid.exit_code == 1 and "--partnership" in unsaid.output
    wrong = runner.invoke(args=[*add, "--partnership", "our-partnership"], input="a long password 123\n")
    assert wrong.exit_code == 1 and "There is no school 'OK'" in wrong.output
    done = runner.invoke(args=[*add, "--partnership", "oakfield-cluster"], input="a long password 123\n")
    assert done.exit_code == 0, done.output


def test_a_shared_schools_people_are_managed_by_the_partnership_that_invited_them(synced_app, workbook_dir):
    add_other_partnership(synced_app, workbook_dir, schools=(OAKFIELD, WILLIAM_LILLEY))
    with synced_app.app_context():
        wl_head = db.session.scalar(select(User.id).where(User.email == "head@wl.test.school"))
    olive = signed_in(synced_app, "coordinator@oakfield.test.school")
    page = olive.get(f"/people/{wl_head}").get_data(as_text=True)
    assert "was invited by another partnership their school is in" in page and "Deactivate" not in page
    token = csrf_token(olive, "/people")
    for action in ("deactivate", "password-link"):
        assert olive.post(f"/people/{wl_head}/{action}", data={"csrf_token": token}).status_code == 403
    assert olive.post(f"/people/{wl_head}", data={"csrf_token": token, "role": "staff", "school": "WL"}).status_code == 403
    with synced_app.app_context():
        assert db.session.get(User, wl_head).active and db.session.get(User, wl_head).role == "head"
    assert "Deactivate" in signed_in(synced_app, "admin").get(f"/people/{wl_head}").get_data(as_text=True)


def test_in_a_hub_of_several_partnerships_the_year_starts_for_all_together(synced_app, workbook_dir, monkeypatch):
    add_other_partnership(synced_app, workbook_dir)
    admin = signed_in(synced_app, "admin")
    page = html.unescape(admin.get("/years").get_data(as_text=True))
    assert "a school year starts for all of them together: the hub's administrator starts it" in page
    assert 'action="/years/start"' not in page  # no form to start it here
    assert _post(admin, "/years/start", {}).status_code == 409
    this = years.school_year_of(SUITE_DAY)
    monkeypatch.setattr(dates, "uk_today", lambda: date(this + 1, 6, 21))  # the summer term: the next may start
    result = synced_app.test_cli_runner().invoke(args=["year", "start"])
    assert result.exit_code == 0, result.output
    with synced_app.app_context():
        current = db.session.scalars(select(Workbook).where(Workbook.is_current)
                                     .execution_options(hub_wide=True)).all()
        assert {(w.code, w.school_year) for w in current} >= {("joint", this + 1), ("BR", this + 1), ("OK", this + 1)}
        assert len([w for w in current if w.code == "joint"]) == 2  # each partnership's joint plan, a year on
