"""Termly reviews through the browser's eyes: who may start, sign and see them, and a
signed snapshot that nothing changes."""
import html
import json
import re

import pytest
from sqlalchemy import select

from domain import dates, reviews
from domain.models import ActionRow, Review, School, User, Workbook
from tests.conftest import _HASH, PASSWORD, Statements, csrf_token, login, signed_in
from webapp.background import work_off
from webapp.extensions import db

CHAIRS = {"br_chair": ("chair@br.test.school", "BR"), "wl_chair": ("chair@wl.test.school", "WL")}


@pytest.fixture
def hub(synced_app):
    with synced_app.app_context():
        schools = {s.code: s for s in db.session.scalars(select(School))}
        for email, code in CHAIRS.values():
            db.session.add(User(email=email, role="governor", chair=True, school=schools[code],
                                name=f"Chair {code}", password_hash=_HASH))
        db.session.commit()
    return synced_app


def as_user(app, who):
    client = app.test_client()
    email = CHAIRS[who][0] if who in CHAIRS else who
    response = login(client, email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def post(client, path, data=None, page=None, **headers):
    token = csrf_token(client, page or path)
    return client.post(path, data={"csrf_token": token, **(data or {})}, headers=headers)


def text(response):
    return html.unescape(response.get_data(as_text=True))


def start(app, code="BR", who="br_head"):
    client = as_user(app, who) if who in CHAIRS else signed_in(app, who)
    response = post(client, f"/plans/{code}/reviews")
    assert response.status_code == 303, text(response)
    return int(response.headers["Location"].rsplit("/", 1)[1]), client




def test_a_head_starts_a_review_and_the_page_shows_the_steps(hub):
    review_id, head = start(hub)
    page = text(head.get(f"/reviews/{review_id}"))
    assert "Review of Bank Road" in page and re.search(r"(Autumn|Spring|Summer) term, \d{4} to \d{4}", page)
    assert "Step 1: Head teachers sign" in page and "Step 2: Chairs of governors confirm" in page
    assert "I sign this review as head teacher of Bank Road" in page
    assert "Still to confirm: Chair BR" in page


def test_the_chair_of_governors_name_from_the_schools_tab_is_shown_beside_the_chair_accounts(hub):
    with hub.app_context():
        school = db.session.scalar(select(School).where(School.code == "BR"))
        school.chair_of_governors = "Andy Hitchcock"
        db.session.commit()
    review_id, head = start(hub)
    assert "Chair of governors in the Schools tab: Andy Hitchcock" in text(head.get(f"/reviews/{review_id}"))


def test_staff_cannot_start_or_sign_and_are_told_so(hub):
    staff = signed_in(hub, "br_staff")
    page = text(staff.get("/plans/BR/reviews"))
    assert "Start the review" not in page
    response = post(staff, "/plans/BR/reviews")
    assert response.status_code == 403 and "Staff can read reviews but not start or sign them" in text(response)
    review_id, _ = start(hub)
    page = text(staff.get(f"/reviews/{review_id}"))
    assert "I sign this review" not in page and "I confirm" not in page
    response = post(staff, f"/reviews/{review_id}/sign", page=f"/reviews/{review_id}")
    assert response.status_code == 403 and "Staff can read reviews but not sign them" in text(response)


def test_a_head_of_another_school_cannot_start_or_see_its_review(hub):
    wl_head = signed_in(hub, "wl_head")
    assert post(wl_head, "/plans/BR/reviews", page="/plans/WL/reviews").status_code == 403
    review_id, _ = start(hub)
    response = wl_head.get(f"/reviews/{review_id}")
    assert response.status_code == 403 and "another school's plan" in text(response)


def test_governors_view_reviews_of_plans_they_may_view_and_only_chairs_sign_step_two(hub):
    review_id, head = start(hub)
    governor = signed_in(hub, "br_governor")
    page = text(governor.get(f"/reviews/{review_id}"))
    assert "Step 1" in page and "I confirm" not in page and "I sign" not in page
    assert governor.get("/plans/joint/reviews").status_code == 200
    # Before the heads have signed the chair is offered nothing, and the server refuses.
    chair = as_user(hub, "br_chair")
    assert "I confirm this review" not in text(chair.get(f"/reviews/{review_id}"))
    response = post(chair, f"/reviews/{review_id}/sign", page=f"/reviews/{review_id}")
    assert response.status_code == 403 and "once every head teacher has signed" in text(response)
    assert post(head, f"/reviews/{review_id}/sign", {"comment": "On track overall"},
                page=f"/reviews/{review_id}").status_code == 303
    response = post(governor, f"/reviews/{review_id}/sign", page=f"/reviews/{review_id}")
    assert response.status_code == 403 and "only the chair of governors confirms" in text(response)
    assert "I confirm this review" in text(chair.get(f"/reviews/{review_id}"))
    wl_chair = as_user(hub, "wl_chair")
    assert wl_chair.get(f"/reviews/{review_id}").status_code == 403
    assert post(chair, f"/reviews/{review_id}/sign", {"comment": "Agreed"},
                page=f"/reviews/{review_id}").status_code == 303
    page = text(chair.get(f"/reviews/{review_id}"))
    assert "Confirmed" in page and "Signed by Chair BR" in page and "Agreed" in page and "On track overall" in page
    assert "I confirm this review" not in page


def test_a_head_cannot_sign_twice_and_the_page_does_not_offer_it(hub):
    review_id, head = start(hub, "joint", "br_head")
    assert post(head, f"/reviews/{review_id}/sign", page=f"/reviews/{review_id}").status_code == 303
    page = text(head.get(f"/reviews/{review_id}"))
    assert "I sign this review" not in page and "You have signed this review already" in page
    response = post(head, f"/reviews/{review_id}/sign", page=f"/reviews/{review_id}")
    assert response.status_code == 403 and "You have signed this review already" in text(response)
    with hub.app_context():
        assert db.session.get(Review, review_id).state == "open"  # WL's head is still to sign


def test_signing_with_htmx_answers_the_steps_with_the_focus_on_the_result(hub):
    review_id, head = start(hub)
    response = post(head, f"/reviews/{review_id}/sign", {"comment": "Fine"}, page=f"/reviews/{review_id}",
                    **{"HX-Request": "true", "HX-Target": "review-steps"})
    answer = text(response)
    assert response.status_code == 200
    assert 'id="review-steps"' in answer and 'role="status"' in answer and "autofocus" in answer
    assert "You signed this review" in answer and "<html" not in answer


def test_a_comment_too_long_is_refused_and_kept(hub):
    review_id, head = start(hub)
    response = post(head, f"/reviews/{review_id}/sign", {"comment": "x" * 2001}, page=f"/reviews/{review_id}")
    assert response.status_code == 422 and "a comment holds 2,000" in text(response)
    assert "x" * 2001 in text(response)
    with hub.app_context():
        assert db.session.get(Review, review_id).state == "open"


def test_one_review_per_plan_per_term(hub):
    review_id, head = start(hub)
    response = post(head, "/plans/BR/reviews")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/reviews/{review_id}")
    with hub.app_context():
        assert len(db.session.scalars(select(Review)).all()) == 1


def test_admins_and_member_heads_start_the_joint_review_but_admins_do_not_sign(hub):
    admin = signed_in(hub, "admin")
    assert "Start the review" in text(admin.get("/plans/joint/reviews"))
    review_id, _ = start(hub, "joint", "admin")
    response = post(admin, f"/reviews/{review_id}/sign", page=f"/reviews/{review_id}")
    assert response.status_code == 403 and "do not sign" in text(response)


def confirm(app, code="BR"):
    review_id, head = start(app, code)
    assert post(head, f"/reviews/{review_id}/sign", page=f"/reviews/{review_id}").status_code == 303
    chair = as_user(app, f"{code.lower()}_chair")
    assert post(chair, f"/reviews/{review_id}/sign", page=f"/reviews/{review_id}").status_code == 303
    future = app.extensions.get("outbox_future")  # the dated tab, written in the background
    if future:
        future.result(timeout=30)
    return review_id


def snapshot_bytes(app, review_id):
    with app.app_context():
        db.session.expire_all()
        review = db.session.get(Review, review_id)
        return json.dumps(review.snapshot, sort_keys=True), review.tab_title, review.state


def test_no_review_route_under_any_method_changes_a_signed_snapshot(hub):
    review_id = confirm(hub)
    before = snapshot_bytes(hub, review_id)
    routes = [r for r in hub.url_map.iter_rules() if r.endpoint.startswith("reviews.")]
    assert len(routes) >= 4
    for who in ("admin", "br_head", "br_staff", "br_governor", "br_chair"):
        client = as_user(hub, who) if who in CHAIRS else signed_in(hub, who)
        token = csrf_token(client, f"/reviews/{review_id}")
        for rule in routes:
            path = rule.rule.replace("<int:review_id>", str(review_id)).replace("<code>", "BR")
            for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                client.open(path, method=method, data={"csrf_token": token, "comment": "changed",
                                                       "snapshot": "{}", "rows": "[]"})
    assert snapshot_bytes(hub, review_id) == before


def test_confirming_adds_the_dated_tab_to_the_plans_workbook(hub, workbook_dir):
    from openpyxl import load_workbook

    review_id = confirm(hub)
    _, title, state = snapshot_bytes(hub, review_id)
    assert state == "confirmed" and title.startswith("Review ") and "(signed " in title
    book = load_workbook(workbook_dir / "bank-road.xlsx", read_only=True)
    try:
        assert book.sheetnames[-1].startswith("Review ") and len(book.sheetnames[-1]) <= 31
        assert [c.value for c in next(book[book.sheetnames[-1]].iter_rows(max_row=1))][:2] == ["ID", "Area"]
    finally:
        book.close()


def test_a_sync_that_changes_the_plan_leaves_the_snapshot_as_signed_and_compare_shows_it(hub, workbook_dir):
    from openpyxl import load_workbook

    from webapp.syncing import sync_now

    review_id = confirm(hub)
    before = snapshot_bytes(hub, review_id)
    path = workbook_dir / "bank-road.xlsx"
    book = load_workbook(path)
    sheet = book["Action plan"]
    header_row = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "ID")
    columns = {sheet.cell(header_row, c).value: c for c in range(1, sheet.max_column + 1)}
    first = header_row + 1
    sheet_id = sheet.cell(first, 1).value
    sheet.cell(first, columns["Status"]).value = "Behind"
    sheet.cell(first, columns["Impact to date"]).value = "New evidence from the sheet"
    book.save(path)
    assert sync_now(hub, "test").ok
    assert snapshot_bytes(hub, review_id) == before
    with hub.app_context():
        row = db.session.scalar(select(ActionRow).join(Workbook).where(Workbook.code == "BR",
                                                                       ActionRow.sheet_id == sheet_id))
        assert row.status == "Behind"
    page = text(as_user(hub, "br_chair").get(f"/reviews/{review_id}/compare"))
    assert "Status changed (1)" in page and "→ Behind" in page
    assert "Impact to date changed (1)" in page and "New evidence from the sheet" in page
    assert sheet_id not in page  # a governor reads the objective, not the sheet's ID
    assert sheet_id in text(signed_in(hub, "br_head").get(f"/reviews/{review_id}/compare"))  # a head finds the row by it


def test_the_plan_and_the_home_show_the_last_review_and_the_next_due(hub):
    head = signed_in(hub, "br_head")
    assert "No confirmed review yet" in text(head.get("/plans/BR"))
    review_id = confirm(hub)
    label = reviews.term_label(*snapshot_label(hub, review_id))
    plan_page = text(head.get("/plans/BR"))
    assert f"Last review: <a href=\"/reviews/{review_id}\">{label}</a>" in plan_page
    assert "Next review due: <strong>" in plan_page and label not in plan_page.split("Next review due:")[1][:80]
    home = text(head.get("/"))
    assert "Termly reviews" in home and f"/reviews/{review_id}" in home
    governor_home = text(signed_in(hub, "wl_governor").get("/"))
    assert f"/reviews/{review_id}" not in governor_home  # not a plan they may open


def snapshot_label(app, review_id):
    with app.app_context():
        review = db.session.get(Review, review_id)
        return review.term, review.school_year


def test_cli_chairs_and_the_reviews_export(hub):
    runner = hub.test_cli_runner()
    result = runner.invoke(args=["users", "add", "newchair@wl.test.school", "--role", "governor", "--school", "WL",
                                 "--name", "Kevin Snow", "--chair"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    refused = runner.invoke(args=["users", "set-chair", "staff@wl.test.school"])
    assert refused.exit_code != 0 and "Only a governor can be chair" in refused.output
    assert runner.invoke(args=["users", "set-chair", "governor@wl.test.school"]).exit_code == 0
    assert runner.invoke(args=["users", "set-chair", "newchair@wl.test.school", "--no"]).exit_code == 0
    with hub.app_context():
        people = {u.email: u for u in db.session.scalars(select(User))}
        assert people["governor@wl.test.school"].chair and not people["newchair@wl.test.school"].chair
    review_id = confirm(hub)
    result = runner.invoke(args=["export", "reviews", "--format", "json"])
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.output)
    assert record["plan"] == "BR" and record["state"] == "confirmed" and record["rows"] > 0
    assert [s["name"] for s in record["signatures"]] == ["head", "Chair BR"]
    assert record["signatures"][1]["role"].startswith("Chair of governors") and record["signatures"][1]["school"] == "BR"
    assert re.fullmatch(r"(Autumn|Spring|Summer) term, \d{4} to \d{4}", record["term"])
    csv_out = runner.invoke(args=["export", "reviews", "--format", "csv"]).output
    assert csv_out.splitlines()[0].startswith("Plan,Term,State") and "Chair BR" in csv_out
    assert review_id


def test_the_demo_has_one_confirmed_review_of_last_term_and_this_terms_is_due(synced_app):
    runner = synced_app.test_cli_runner()
    result = runner.invoke(args=["demo", "init"])
    assert result.exit_code == 0 and "Demo review: Bank Road" in result.output, result.output
    assert "Demo review" not in runner.invoke(args=["demo", "init"]).output  # once
    client = synced_app.test_client()
    assert login(client, "head@bankroad.demo.school", "partnership-demo").status_code == 302
    home = text(client.get("/"))
    last = reviews.term_label(*reviews.previous_term(*reviews.term_now(dates.uk_today())))
    assert f">{last}</a>, confirmed" in home
    assert f"Next review due: <strong>{reviews.term_label(*reviews.term_now(dates.uk_today()))}</strong>" in home


def test_the_term_is_the_uk_days_at_midnight_in_summer_time(hub, monkeypatch):
    # 23:30 UTC on 31 March 2027 is 00:30 on 1 April in the UK (BST): the Summer term has begun.
    from datetime import datetime
    monkeypatch.setattr(dates, "uk_today", lambda: dates.uk_day(datetime(2027, 3, 31, 23, 30)))
    head = signed_in(hub, "br_head")
    assert "Start the review of the Summer term, 2026 to 2027" in text(head.get("/plans/BR/reviews"))
    review_id, _ = start(hub)
    assert snapshot_label(hub, review_id) == ("Summer", 2026)
    assert "Next review due: <strong>Summer term, 2026 to 2027</strong>" in text(head.get("/plans/BR"))


def test_a_head_of_an_archived_school_is_told_so_not_that_the_joint_plan_is_another_schools(hub):
    review_id, _ = start(hub, "joint", "admin")
    with hub.app_context():
        from domain.models import utcnow
        db.session.scalar(select(School).where(School.code == "WL")).archived_at = utcnow()
        db.session.commit()
    head = signed_in(hub, "wl_head")
    for page in (text(head.get(f"/reviews/{review_id}")), text(head.get("/plans/joint/reviews"))):
        assert "another school's plan" not in page
    response = post(head, f"/reviews/{review_id}/sign", page=f"/reviews/{review_id}")
    assert response.status_code == 403 and "archived" in text(response)
    assert "archived" in text(head.get(f"/reviews/{review_id}"))
    refused = post(head, "/plans/joint/reviews", page="/plans/joint/reviews")
    assert refused.status_code == 403 and "archived" in text(refused)


def test_the_home_the_plan_and_its_reviews_list_load_no_snapshot(hub):
    # A snapshot holds every row of the plan; a plan gathers three a year, and these pages
    # are opened all day: they read the reviews' states, never the rows as signed.
    confirm(hub)
    head = signed_in(hub, "br_head")
    with Statements(hub) as seen:
        for path in ("/", "/plans/BR", "/plans/BR/reviews"):
            assert head.get(path).status_code == 200
    assert any("FROM review" in s for s in seen.sql)
    assert not [s for s in seen.sql if "review.snapshot" in s]


def test_a_comment_too_long_sent_with_htmx_puts_the_focus_on_the_comment_and_its_error(hub):
    review_id, head = start(hub)
    response = post(head, f"/reviews/{review_id}/sign", {"comment": "x" * 2001}, page=f"/reviews/{review_id}",
                    **{"HX-Request": "true", "HX-Target": "review-steps"})
    answer = text(response)
    assert response.status_code == 422 and 'id="review-steps"' in answer and "<html" not in answer
    textarea = re.search(r"<textarea[^>]*>", answer).group(0)
    assert "autofocus" in textarea and 'aria-invalid="true"' in textarea and "x" * 2001 in answer
    # Without an error there is nothing to point at: the page as first drawn takes no focus.
    assert "autofocus" not in re.search(r"<textarea[^>]*>", text(head.get(f"/reviews/{review_id}"))).group(0)


def test_a_governor_who_is_not_chair_is_not_told_they_confirm_reviews(hub):
    governor = signed_in(hub, "br_governor")
    response = post(governor, "/plans/BR/reviews", page="/plans/BR/reviews")
    refusal = text(response)
    assert response.status_code == 403 and "chair of governors confirms them" in refusal
    assert "read and confirm" not in refusal


def test_the_reviews_export_reads_the_signatures_in_one_query_not_one_a_review(hub):
    for code, who in (("BR", "br_head"), ("WL", "wl_head"), ("joint", "admin")):
        review_id, _ = start(hub, code, who)
        head = signed_in(hub, "br_head" if code != "WL" else "wl_head")
        assert post(head, f"/reviews/{review_id}/sign", page=f"/reviews/{review_id}").status_code == 303
    with Statements(hub) as seen:
        result = hub.test_cli_runner().invoke(args=["export", "reviews", "--format", "json"])
    assert result.exit_code == 0 and len(json.loads(result.output)) == 3
    assert sum(1 for s in seen.sql if "FROM review_signature" in s) == 1


def test_a_confirmed_review_links_to_its_board_pack_as_signed(hub):
    review_id = confirm(hub)
    work_off(hub)  # its pack, made in the background when it was confirmed
    governor = signed_in(hub, "br_governor")
    page_html = governor.get(f"/reviews/{review_id}").get_data(as_text=True)
    link = re.search(r'href="([^"]+)"[^>]*>The board pack as signed \(PDF\)', page_html)
    assert link, "no link to the pack as signed"
    pack = governor.get(html.unescape(link.group(1)))
    assert pack.status_code == 200 and pack.mimetype == "application/pdf"


def refused_review_tab(hub, workbook_dir):
    """A confirmed review whose dated tab the sheet refused: a tab of that name holds
    someone's notes. (review id, the tab's title in the .xlsx, the workbook's path, the drain's result)."""
    from openpyxl import load_workbook

    from sync.backends.workbook import xlsx_title
    from webapp.syncing import drain_now

    hub.config["OUTBOX_DRAIN_ON_SAVE"] = False  # the drains are the test's own
    review_id = confirm(hub)
    _, title, _ = snapshot_bytes(hub, review_id)
    path = workbook_dir / "bank-road.xlsx"
    book = load_workbook(path)
    book.create_sheet(xlsx_title(title))["A1"] = "Someone's notes"
    book.save(path)
    [result] = drain_now(hub)
    assert result.state == "failed" and "holding other cells" in result.reason
    return review_id, xlsx_title(title), path, result


def test_a_dated_tab_the_sheet_refused_is_retried_from_the_schools_page_once_the_sheet_is_put_right(
        hub, workbook_dir):
    from openpyxl import load_workbook

    from domain.models import OutboxEntry
    from webapp.syncing import drain_now

    review_id, tab, path, result = refused_review_tab(hub, workbook_dir)

    admin = signed_in(hub, "admin")
    page = text(admin.get("/schools/"))
    assert "a review's dated tab" in page and "the sheet refused it" in page and "Try again" in page
    entry_id = result.entry_id
    assert f"/outbox/{entry_id}/retry" in page

    book = load_workbook(path)  # the school renames its notes' tab
    book[tab].title = "Notes"
    book.save(path)
    response = post(admin, f"/outbox/{entry_id}/retry", {"next": "/schools/#edits-waiting"}, page="/schools/")
    assert response.status_code == 303 and response.headers["Location"].startswith("/schools")
    assert "Done: your choice is saved." in text(admin.get(response.headers["Location"]))

    [result] = drain_now(hub)
    assert result.state == "done"
    with hub.app_context():
        assert db.session.get(OutboxEntry, entry_id).state == "done"
    book = load_workbook(path, read_only=True)
    try:
        assert [c.value for c in next(book[tab].iter_rows(max_row=1))][:2] == ["ID", "Area"]
        assert next(book["Notes"].iter_rows(max_row=1))[0].value == "Someone's notes"
    finally:
        book.close()
    assert "None: every browser edit is in the sheets." in text(admin.get("/schools/"))


def test_a_dated_tab_the_sheet_refused_can_be_discarded_and_the_review_stays_confirmed(hub, workbook_dir):
    from domain.models import OutboxEntry

    review_id, _, _, result = refused_review_tab(hub, workbook_dir)
    head = signed_in(hub, "br_head")
    response = post(head, f"/outbox/{result.entry_id}/discard", page="/schools/")  # no page to go back to
    assert response.status_code == 303 and response.headers["Location"] == f"/reviews/{review_id}"
    with hub.app_context():
        assert db.session.get(OutboxEntry, result.entry_id).state == "dropped"
    assert snapshot_bytes(hub, review_id)[2] == "confirmed"
    assert "None: every browser edit is in the sheets." in text(signed_in(hub, "admin").get("/schools/"))


def test_a_review_waiting_on_the_old_chair_is_confirmed_by_the_new_chair(hub):
    review_id, head = start(hub)
    assert post(head, f"/reviews/{review_id}/sign", page=f"/reviews/{review_id}").status_code == 303
    old_chair = as_user(hub, "br_chair")
    assert "Still to confirm: Chair BR" in text(old_chair.get(f"/reviews/{review_id}"))
    with hub.app_context():
        governor = db.session.scalar(select(User.id).where(User.email == "governor@br.test.school"))
    admin = signed_in(hub, "admin")
    response = post(admin, f"/people/{governor}", {"role": "governor", "school": "BR", "chair": "y"},
                    page=f"/people/{governor}")
    assert response.status_code == 303
    assert "Chair BR is no longer chair of governors" in text(admin.get(response.headers["Location"]))

    page = text(old_chair.get(f"/reviews/{review_id}"))
    assert "I confirm this review" not in page and "Still to confirm: governor" in page
    refused = post(old_chair, f"/reviews/{review_id}/sign", page=f"/reviews/{review_id}")
    assert refused.status_code == 403 and "only the chair of governors confirms" in text(refused)
    new_chair = signed_in(hub, "br_governor")
    assert "I confirm this review" in text(new_chair.get(f"/reviews/{review_id}"))
    assert post(new_chair, f"/reviews/{review_id}/sign", page=f"/reviews/{review_id}").status_code == 303
    assert snapshot_bytes(hub, review_id)[2] == "confirmed"
    assert "Signed by governor (Chair of governors" in text(new_chair.get(f"/reviews/{review_id}"))


BROOK_LANE = ["BL", "Brook Lane Primary School", "brook-lane.xlsx", "Primary", "Ann Brook", "Ben Lane"]


def join_brook_lane(app, workbook_dir):
    """A third member school (its workbook an empty plan), synced, with a head and a chair."""
    from openpyxl import Workbook as Book
    from openpyxl import load_workbook

    from sync.demo_data import SCHOOL_ACTION_HEADER
    from webapp.syncing import sync_now

    book = Book()
    book.active.title = "Action plan"
    book.active.append(SCHOOL_ACTION_HEADER)
    book.save(workbook_dir / "brook-lane.xlsx")
    path = workbook_dir / "partnership.xlsx"
    partnership = load_workbook(path)
    partnership["Schools"].append(BROOK_LANE)
    partnership.save(path)
    assert sync_now(app, "test").ok
    with app.app_context():
        school = db.session.scalar(select(School).where(School.code == "BL"))
        db.session.add_all([User(email="head@bl.test.school", role="head", school=school, name="Head BL",
                                 password_hash=_HASH),
                            User(email="chair@bl.test.school", role="governor", chair=True, school=school,
                                 name="Chair BL", password_hash=_HASH)])
        db.session.commit()


def brook_lane_leaves(app, workbook_dir):
    """Brook Lane's row is taken out of the Schools tab and the sync archives the school."""
    from openpyxl import load_workbook

    from webapp.syncing import sync_now

    path = workbook_dir / "partnership.xlsx"
    partnership = load_workbook(path)
    schools = partnership["Schools"]
    schools.delete_rows(next(r for r in range(1, schools.max_row + 1) if schools.cell(r, 1).value == "BL"))
    partnership.save(path)
    assert sync_now(app, "test").ok
    with app.app_context():
        left = db.session.scalar(select(School).where(School.code == "BL")).archived_at
        assert left is not None
        return reviews.uk_day(left)


def sign_as(app, who, review_id):
    client = app.test_client()
    assert login(client, who).status_code == 302
    return post(client, f"/reviews/{review_id}/sign", page=f"/reviews/{review_id}")


def test_a_school_that_leaves_mid_review_is_no_longer_waited_for_and_the_page_says_so(hub, workbook_dir):
    from domain.dates import uk

    join_brook_lane(hub, workbook_dir)
    review_id, admin = start(hub, "joint", "admin")
    assert "Still to sign: Head BL" in text(admin.get(f"/reviews/{review_id}"))
    before = snapshot_bytes(hub, review_id)
    left_on = brook_lane_leaves(hub, workbook_dir)

    page = text(admin.get(f"/reviews/{review_id}"))
    assert (f"Brook Lane Primary School left the partnership on {uk(left_on)}: its signature is no longer needed."
            in page)
    assert "Still to sign: Head BL" not in page
    head = signed_in(hub, "br_head")
    assert post(head, f"/reviews/{review_id}/sign", page=f"/reviews/{review_id}").status_code == 303
    assert snapshot_bytes(hub, review_id)[2] == "open"
    assert "You signed this review. 1 more head teacher to sign." in text(head.get(f"/reviews/{review_id}"))
    assert sign_as(hub, "head@wl.test.school", review_id).status_code == 303
    assert snapshot_bytes(hub, review_id)[2] == "heads_signed"  # the chairs' step, not waiting for Brook Lane
    refused = sign_as(hub, "head@bl.test.school", review_id)
    assert refused.status_code == 403 and "archived" in text(refused)
    assert snapshot_bytes(hub, review_id)[0] == before[0]  # the snapshot is as it was taken


def test_a_review_waiting_only_on_a_school_that_leaves_moves_on_at_the_sync(hub, workbook_dir):
    join_brook_lane(hub, workbook_dir)
    review_id, admin = start(hub, "joint", "admin")
    before = snapshot_bytes(hub, review_id)
    for head in ("head@br.test.school", "head@wl.test.school"):
        assert sign_as(hub, head, review_id).status_code == 303
    assert snapshot_bytes(hub, review_id)[2] == "open"  # Brook Lane's head has not signed
    brook_lane_leaves(hub, workbook_dir)
    assert snapshot_bytes(hub, review_id)[2] == "heads_signed"
    assert "waiting for the chairs of governors to confirm" in text(admin.get(f"/reviews/{review_id}"))
    assert snapshot_bytes(hub, review_id)[0] == before[0]


def test_a_signature_given_before_the_school_left_stays_in_the_record(hub, workbook_dir):
    join_brook_lane(hub, workbook_dir)
    review_id, admin = start(hub, "joint", "admin")
    assert sign_as(hub, "head@bl.test.school", review_id).status_code == 303
    brook_lane_leaves(hub, workbook_dir)
    page = text(admin.get(f"/reviews/{review_id}"))
    assert "Signed by Head BL (Head teacher, Brook Lane Primary School)" in page
    assert "Brook Lane Primary School has since left the partnership" in page
    for who in ("head@br.test.school", "head@wl.test.school", "chair@br.test.school", "chair@wl.test.school"):
        assert sign_as(hub, who, review_id).status_code == 303
    assert snapshot_bytes(hub, review_id)[2] == "confirmed"
    with hub.app_context():
        cells = db.session.get(Review, review_id)
        assert ["Head BL", "Head teacher, Brook Lane Primary School", "BL"] in [row[:3] for row in
                                                                              reviews.tab_cells(cells)]


def test_a_school_back_after_the_heads_step_closed_is_told_so_not_that_its_place_is_signed(hub, workbook_dir):
    from openpyxl import load_workbook

    from webapp.syncing import sync_now

    join_brook_lane(hub, workbook_dir)
    review_id, _ = start(hub, "joint", "admin")
    for head in ("head@br.test.school", "head@wl.test.school"):
        assert sign_as(hub, head, review_id).status_code == 303
    brook_lane_leaves(hub, workbook_dir)  # the heads' step closes without Brook Lane
    path = workbook_dir / "partnership.xlsx"
    partnership = load_workbook(path)
    partnership["Schools"].append(BROOK_LANE)  # and Brook Lane comes back
    partnership.save(path)
    assert sync_now(hub, "test").ok
    answer = text(sign_as(hub, "head@bl.test.school", review_id))
    assert "The head teachers' step closed while your school was out of the partnership" in answer
    assert "Every head teacher's place is signed already" not in answer


def test_a_school_back_after_the_heads_step_closed_is_not_awaited_in_it_and_the_chairs_go_on(hub, workbook_dir):
    from openpyxl import load_workbook

    from webapp.syncing import sync_now

    join_brook_lane(hub, workbook_dir)
    review_id, admin = start(hub, "joint", "admin")
    for head in ("head@br.test.school", "head@wl.test.school"):
        assert sign_as(hub, head, review_id).status_code == 303
    brook_lane_leaves(hub, workbook_dir)  # the heads' step closes without Brook Lane
    path = workbook_dir / "partnership.xlsx"
    partnership = load_workbook(path)
    partnership["Schools"].append(BROOK_LANE)  # Brook Lane comes back during the chairs' step
    partnership.save(path)
    assert sync_now(hub, "test").ok
    page = text(admin.get(f"/reviews/{review_id}"))
    heads_step = page[page.index("Step 1: Head teachers sign"):page.index("Step 2:")]
    assert "(done)" in heads_step and "Still to sign: Head BL" not in heads_step
    assert "Brook Lane Primary School was out of the partnership when this step closed" in heads_step
    for chair in ("chair@br.test.school", "chair@wl.test.school"):  # not held up by a head's place
        assert sign_as(hub, chair, review_id).status_code == 303
    assert snapshot_bytes(hub, review_id)[2] == "heads_signed"  # Brook Lane is back: its chair confirms too
    assert sign_as(hub, "chair@bl.test.school", review_id).status_code == 303
    assert snapshot_bytes(hub, review_id)[2] == "confirmed"
