"""Schools and workbooks: the coordinators' page, the sheets check from the browser, the
edits waiting with their choices."""
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from domain.models import ImpactEntry, OutboxEntry, Workbook
from sync.backends.google import spreadsheet_url
from webapp.background import work_off
from webapp.extensions import db
from webapp.syncing import sync_now

from ..conftest import PEOPLE, csrf_token, login


@pytest.mark.parametrize("who", [who for who in PEOPLE if who != "admin"])
def test_only_coordinators_open_schools_and_workbooks_and_others_are_told_why(synced_app, who):
    client = synced_app.test_client()
    login(client, who)
    for response in (client.get("/schools/"), client.post("/schools/check", data={"csrf_token": csrf_token(client, "/")})):
        assert response.status_code == 403
        assert "Only partnership coordinators see the schools and their workbooks." in response.get_data(as_text=True)
    assert 'href="/schools/"' not in client.get("/").get_data(as_text=True)


def test_a_coordinator_sees_every_school_as_the_schools_tab_lists_it(client):
    login(client, "admin")
    assert 'href="/schools/"' in client.get("/").get_data(as_text=True)
    html = client.get("/schools/").get_data(as_text=True)
    for text in ("Bank Road Infant and Nursery School", "Carole Clemens", "Andy Hitchcock", "<code>bank-road.xlsx</code>",
                 "William Lilley Infant and Nursery School", "Sally Beardsley", "Kevin Snow",
                 "<code>william-lilley.xlsx</code>", "<code>partnership.xlsx</code>"):
        assert text in html, text
    assert "Schools are defined by the <strong>Schools</strong> tab" in html
    assert re.search(r'<a href="/plans/WL/problems">2<', html)  # WL's two sheet problems, linked
    assert "<input" not in html.split('id="workbooks-heading"')[1].split("</table>")[0]  # nothing edits a school


def test_a_workbook_whose_last_read_failed_says_so_and_why(synced_app, client, workbook_dir):
    (workbook_dir / "bank-road.xlsx").rename(workbook_dir / "away.xlsx")
    sync_now(synced_app, "test")
    login(client, "admin")
    row = client.get("/schools/").get_data(as_text=True).split('id="workbook-BR"')[1].split("</tr>")[0]
    assert "Failed" in row and "bank-road.xlsx" in row and "not found" in row


def test_on_google_each_workbook_links_to_its_spreadsheet(synced_app, client):
    url = "https://docs.google.com/spreadsheets/d/demo-bank-road-0000000000/edit#gid=0"
    with synced_app.app_context():
        db.session.scalar(select(Workbook).where(Workbook.code == "BR")).ref = url
        db.session.commit()
    synced_app.config["SHEETS_BACKEND"] = "google"
    login(client, "admin")
    html = client.get("/schools/").get_data(as_text=True)
    assert 'href="https://docs.google.com/spreadsheets/d/demo-bank-road-0000000000/edit"' in html
    assert spreadsheet_url("not a sheet at all") is None


def test_the_sheets_check_never_runs_on_a_get(client, monkeypatch):
    from webapp.schools import checks

    monkeypatch.setattr(checks, "check_partnership", lambda *a: pytest.fail("the check ran on a GET"))
    login(client, "admin")
    assert client.get("/schools/").status_code == 200
    assert client.get("/schools/check").status_code == 200  # where a check has got to: none asked for
    assert work_off(client.application) == 0
    assert client.post("/schools/check").status_code == 400  # no CSRF token


def check(client, htmx=False):
    """Ask for the check, let the job do it (the scheduler's process, in production), and
    return the page, or the part htmx follows, as it then stands."""
    headers = {"HX-Request": "true", "HX-Target": "sheets-check"} if htmx else {}
    asked = client.post("/schools/check", data={"csrf_token": csrf_token(client, "/schools/")}, headers=headers)
    assert asked.status_code == 200 and "Checking every workbook" in asked.get_data(as_text=True)
    assert work_off(client.application) == 1
    return client.get("/schools/check") if htmx else client.get("/schools/")


def test_the_sheets_check_says_every_workbook_is_ready(client):
    login(client, "admin")
    html = check(client).get_data(as_text=True)
    assert "Every workbook is ready" in html and html.count("every tab and required column is there") == 3
    assert "<h1>Schools and workbooks</h1>" in html  # without JavaScript: the page, with the result


def test_asking_for_the_check_again_while_it_waits_is_one_check(client):
    login(client, "admin")
    for _ in range(2):
        client.post("/schools/check", data={"csrf_token": csrf_token(client, "/schools/")})
    assert work_off(client.application) == 1


def test_the_sheets_check_names_a_missing_tab_and_a_missing_file(client, workbook_dir):
    book = load_workbook(workbook_dir / "william-lilley.xlsx")
    del book["Action plan"]
    book.save(workbook_dir / "william-lilley.xlsx")
    (workbook_dir / "bank-road.xlsx").unlink()
    login(client, "admin")
    response = check(client, htmx=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1>" not in html  # htmx: the result alone
    assert "2 of 3 workbooks need attention" in html
    wl = html.split("William Lilley")[1].split("</tr>")[0]
    assert "missing tab &#39;Action plan&#39;" in wl
    br = html.split("Bank Road")[1].split("</tr>")[0]
    assert "<strong class=\"warning\">No</strong>" in br and "bank-road.xlsx" in br


def test_edits_waiting_across_schools_offer_the_choices_a_head_has(synced_app, client):
    with synced_app.app_context():
        workbook = db.session.scalar(select(Workbook).where(Workbook.code == "WL"))
        entry = ImpactEntry(workbook_id=workbook.id, sheet_id="WL-I099", summary="Evidence")
        db.session.add(entry)
        db.session.flush()
        failed = OutboxEntry(workbook_id=workbook.id, kind="add", tab="Impact log", sheet_id="WL-I099", fields={},
                             row_id=entry.id,
                             state="failed", reason="The sheet refused the text.", created_by="wl_staff")
        waiting = OutboxEntry(workbook_id=workbook.id, kind="edit", tab="Action plan", sheet_id="WL-A002",
                              fields={"impact_to_date": {"seen": "", "new": "More"}}, state="waiting",
                              created_by="wl_head")
        db.session.add_all([failed, waiting])
        db.session.commit()
        failed_id, waiting_id = failed.id, waiting.id
    login(client, "admin")
    html = client.get("/schools/").get_data(as_text=True)
    row = html.split(f'id="outbox-{failed_id}"')[1].split("</tr>")[0]
    assert "WL-I099" in row and "the sheet refused it" in row and "The sheet refused the text." in row
    assert "Try again" in row and "Discard this edit" in row
    other = html.split(f'id="outbox-{waiting_id}"')[1].split("</tr>")[0]
    assert "impact to date" in other and "wl_head" in other and "<button" not in other
    response = client.post(f"/outbox/{failed_id}/discard",
                           data={"csrf_token": csrf_token(client, "/schools/"), "next": "/schools/#edits-waiting"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/schools/#edits-waiting")
    assert "WL-I099" not in client.get("/schools/").get_data(as_text=True)
