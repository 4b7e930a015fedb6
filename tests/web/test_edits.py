"""Editing through the web: who may, what is valid, and that nothing is lost or overwritten."""
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from domain.models import ActionRow, ImpactEntry, OutboxEntry, RowChange, Workbook
from sync.demo_data import SCHOOL_ACTION_HEADER
from webapp.extensions import db
from webapp.syncing import sync_now

from ..conftest import SUITE_DAY, csrf_token, days_ago, form_fields, in_year, login

SPRING = SUITE_DAY.year + 1 if SUITE_DAY.month >= 9 else SUITE_DAY.year  # the year of the examples a message gives


def row_id(app, sheet_id):
    with app.app_context():
        return db.session.scalar(select(ActionRow.id).where(ActionRow.sheet_id == sheet_id))


def open_form(client, code, rid):
    response = client.get(f"/plans/{code}/rows/{rid}/edit", headers={"HX-Request": "true", "HX-Target": f"row-{rid}"})
    assert response.status_code == 200
    return form_fields(response.get_data(as_text=True))


def save(client, code, rid, fields, **changes):
    data = dict(fields, **changes)
    return client.post(f"/plans/{code}/rows/{rid}", data=data, headers={"HX-Request": "true", "HX-Target": f"row-{rid}"})


def wait_for_outbox(app):
    future = app.extensions.get("outbox_future")
    if future:
        future.result(timeout=30)


def sheet_cell(workbook_dir, name, sheet_id, header):
    book = load_workbook(workbook_dir / name, read_only=True)
    rows = [list(r) for r in book["Action plan"].iter_rows(values_only=True)]
    book.close()
    head = next(r for r in rows if "ID" in r)
    return next(r[head.index(header)] for r in rows if r[head.index("ID")] == sheet_id)


def test_staff_edit_a_row_in_place_and_it_reaches_the_sheet(synced_app, client, workbook_dir, demo):
    rid = row_id(synced_app, "BR-A003")
    was_due = next(r for r in demo.school("BR")["actions"] if r[0] == "BR-A003")[SCHOOL_ACTION_HEADER.index("Due")]
    due = in_year(3, 31)
    login(client, "br_staff")
    fields = open_form(client, "BR", rid)
    assert fields["status"] == "At risk" and fields["seen_status"] == "At risk"
    response = save(client, "BR", rid, fields, status="Behind", due=f"{due:%d/%m/%Y}", lead="Jo = lead")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith(f'<article id="row-{rid}"')
    assert '<span class="chip chip-red">Behind</span>' in html and f"31 Mar {due.year}" in html
    assert "Waiting to sync" in html or "Saved to the sheet" in html
    assert re.search(r"<(a|button)\b[^>]*\bautofocus\b[^>]*>\s*Edit\s*<", html)  # the keyboard is back on Edit
    wait_for_outbox(synced_app)
    assert sheet_cell(workbook_dir, "bank-road.xlsx", "BR-A003", "Status") == "Behind"
    assert sheet_cell(workbook_dir, "bank-road.xlsx", "BR-A003", "Due") == datetime(due.year, 3, 31)  # a date cell
    assert sheet_cell(workbook_dir, "bank-road.xlsx", "BR-A003", "Lead") == "Jo = lead"
    state = client.get(f"/plans/BR/rows/{rid}/sync-state", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Saved to the sheet" in state and "every 3s" not in state
    with synced_app.app_context():
        trail = {(c.field, c.old, c.new, c.who) for c in db.session.scalars(select(RowChange).where(RowChange.row_id == rid))}
    assert ("status", "At risk", "Behind", "staff") in trail and ("due", was_due, f"{due:%d/%m/%Y}", "staff") in trail


@pytest.mark.parametrize("changes, message", [
    ({"status": "Nearly there"}, "Not a valid choice"),
    ({"due": "next week"}, f"a month (July {SPRING}), a term or half-term (Summer {SPRING}, Autumn 1 {SPRING - 1})"),
    ({"due": "31/02/2027"}, f"Give a date (25/04/{SPRING} or 25 April {SPRING})"),  # examples of the year, never past
    ({"lead": "x" * 50_001}, "This is 50,001 characters; a spreadsheet cell holds 50,000."),
])
def test_invalid_input_is_explained_next_to_the_field_and_nothing_is_saved(synced_app, client, changes, message):
    rid = row_id(synced_app, "BR-A003")
    login(client, "br_staff")
    response = save(client, "BR", rid, open_form(client, "BR", rid), **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and 'aria-invalid="true"' in html and "field-error" in html
    with synced_app.app_context():
        assert db.session.scalar(select(func.count(OutboxEntry.id))) == 0
        assert db.session.get(ActionRow, rid).status == "At risk"


def test_a_term_is_a_valid_due(synced_app, client):
    rid = row_id(synced_app, "BR-A003")
    login(client, "br_staff")
    assert save(client, "BR", rid, open_form(client, "BR", rid), due="Summer 2 2027").status_code == 200


def test_two_people_editing_the_same_row_meet_instead_of_overwriting(synced_app, client):
    rid = row_id(synced_app, "BR-A003")
    first, second = client, synced_app.test_client()
    login(first, "br_staff")
    login(second, "br_head")
    seen_by_first, seen_by_second = open_form(first, "BR", rid), open_form(second, "BR", rid)
    assert save(first, "BR", rid, seen_by_first, status="Behind").status_code == 200
    clash = save(second, "BR", rid, seen_by_second, status="Complete")
    html = clash.get_data(as_text=True)
    assert clash.status_code == 409
    assert "Someone changed this row while you were editing it" in html and "“Behind”" in html
    with synced_app.app_context():
        assert db.session.get(ActionRow, rid).status == "Behind"
    again = save(second, "BR", rid, form_fields(html))  # they chose to keep theirs
    assert again.status_code == 200
    with synced_app.app_context():
        assert db.session.get(ActionRow, rid).status == "Complete"


def test_governors_see_no_edit_control_and_reach_no_editing_route(synced_app, client):
    rid = row_id(synced_app, "BR-A003")
    login(client, "br_governor")
    html = client.get("/plans/BR").get_data(as_text=True)
    assert ">Edit<" not in html and "Add evidence" not in html and "/edit" not in html
    token = csrf_token(client, "/")
    assert client.get(f"/plans/BR/rows/{rid}/edit").status_code == 403
    assert client.post(f"/plans/BR/rows/{rid}", data={"status": "Behind", "csrf_token": token}).status_code == 403
    assert client.get(f"/plans/BR/rows/{rid}/evidence").status_code == 403
    assert client.post("/plans/BR/impact", data={"summary": "x", "csrf_token": token}).status_code == 403
    assert client.get("/plans/BR/impact").status_code == 200  # reading the log is fine


def test_no_one_edits_another_schools_plan_and_only_admins_the_joint_plan(synced_app, client):
    wl_row, joint_row = row_id(synced_app, "WL-A001"), row_id(synced_app, "J-A001")
    login(client, "br_head")
    assert client.get(f"/plans/WL/rows/{wl_row}/edit").status_code == 403
    assert client.get(f"/plans/joint/rows/{joint_row}/edit").status_code == 403
    admin = synced_app.test_client()
    login(admin, "admin")
    assert admin.get(f"/plans/joint/rows/{joint_row}/edit").status_code == 200


def test_saving_needs_the_csrf_token(synced_app, client):
    rid = row_id(synced_app, "BR-A003")
    login(client, "br_staff")
    fields = open_form(client, "BR", rid)
    fields.pop("csrf_token")
    response = client.post(f"/plans/BR/rows/{rid}", data=dict(fields, status="Behind"))
    assert response.status_code == 400 and "This page has expired" in response.get_data(as_text=True)


def test_adding_evidence_records_who_and_reaches_the_sheet(synced_app, client, workbook_dir):
    day = days_ago(16)
    login(client, "br_staff")
    token = csrf_token(client, "/plans/BR/impact")
    response = client.post("/plans/BR/impact", data={
        "csrf_token": token, "date": f"{day:%d/%m/%Y}", "action": "BR-A003", "activity": "CPD",
        "summary": "Attachment twilight, second session", "strengths": "• All staff came", "areas_to_develop": "",
    })
    assert response.status_code == 303
    html = client.get("/plans/BR/impact").get_data(as_text=True)
    assert "Attachment twilight, second session" in html and "BR-I005" in html
    wait_for_outbox(synced_app)
    book = load_workbook(workbook_dir / "bank-road.xlsx", read_only=True)
    last = [list(r) for r in book["Impact log"].iter_rows(values_only=True)][-1]
    book.close()
    assert last[:5] == ["BR-I005", datetime(day.year, day.month, day.day), "BR-A003", "CPD", "Attachment twilight, second session"]
    assert last[7] == "staff"


def test_evidence_is_dated_today_and_no_field_shows_an_example_as_if_it_were_a_value(synced_app, client):
    login(client, "br_staff")
    fields = form_fields(client.get("/plans/BR/impact").get_data(as_text=True))
    assert fields["date"] == f"{SUITE_DAY:%d/%m/%Y}"  # most evidence is of today: typed only when it is not
    with synced_app.app_context():
        row_id = db.session.scalar(select(ActionRow.id).where(ActionRow.sheet_id == "BR-A003"))
    for path in ("/plans/BR/impact", f"/plans/BR/rows/{row_id}/edit", f"/plans/BR/rows/{row_id}/evidence"):
        page = client.get(path).get_data(as_text=True)
        assert "placeholder=" not in page, path
    spring = SUITE_DAY.year + 1 if SUITE_DAY.month >= 9 else SUITE_DAY.year
    edit = client.get(f"/plans/BR/rows/{row_id}/edit").get_data(as_text=True)
    assert f"A date (25/04/{spring}), a month (July {spring}), a term (Summer {spring}) or TBC." in edit


def test_evidence_with_a_bad_date_is_refused_with_a_reason(synced_app, client):
    login(client, "br_staff")
    token = csrf_token(client, "/plans/BR/impact")
    response = client.post("/plans/BR/impact", data={"csrf_token": token, "date": "tomorrow-ish", "summary": "x",
                                                     "activity": "CPD", "action": ""})
    assert response.status_code == 422
    assert "Write the date as day/month/year" in response.get_data(as_text=True)
    with synced_app.app_context():
        assert db.session.scalar(select(func.count(ImpactEntry.id)).where(ImpactEntry.recorded_by == "staff")) == 0


def test_a_sheet_conflict_is_shown_with_both_versions_and_the_editor_chooses(synced_app, client, workbook_dir):
    rid = row_id(synced_app, "BR-A003")
    login(client, "br_staff")
    # The sheet is locked while the edit is saved, so it waits; then someone edits the sheet.
    (workbook_dir / ".~lock.bank-road.xlsx#").write_text("x")
    save(client, "BR", rid, open_form(client, "BR", rid), status="Behind")
    wait_for_outbox(synced_app)
    (workbook_dir / ".~lock.bank-road.xlsx#").unlink()
    book = load_workbook(workbook_dir / "bank-road.xlsx")
    book["Action plan"]["J4"] = "Complete"
    book.save(workbook_dir / "bank-road.xlsx")
    runner = synced_app.test_cli_runner()
    result = runner.invoke(args=["outbox", "drain"])
    assert result.exit_code == 1 and "conflict" in result.output
    assert "BR-A003\tstatus\tconflict" in runner.invoke(args=["outbox", "list"]).output

    html = client.get("/plans/BR").get_data(as_text=True)
    assert "Changed in the sheet by someone else" in html and "Keep the browser’s" in html
    other = synced_app.test_client()
    login(other, "wl_head")
    with synced_app.app_context():
        entry_id = db.session.scalar(select(OutboxEntry.id))
    assert other.post(f"/outbox/{entry_id}/keep", headers={"X-CSRFToken": csrf_token(other, "/")}).status_code == 403
    response = client.post(f"/outbox/{entry_id}/keep", headers={
        "HX-Request": "true", "HX-Target": f"row-{rid}", "X-CSRFToken": csrf_token(client, "/")})
    assert response.status_code == 200
    wait_for_outbox(synced_app)
    assert sheet_cell(workbook_dir, "bank-road.xlsx", "BR-A003", "Status") == "Behind"
    assert client.get("/healthz").get_json()["outbox_waiting"] == 0


def test_healthz_counts_edits_not_yet_in_the_sheet(synced_app, client, workbook_dir):
    rid = row_id(synced_app, "BR-A003")
    login(client, "br_staff")
    (workbook_dir / "bank-road.xlsx").rename(workbook_dir / "away.xlsx")
    save(client, "BR", rid, open_form(client, "BR", rid), status="Behind")
    wait_for_outbox(synced_app)
    assert client.get("/healthz").get_json()["outbox_waiting"] == 1
    html = client.get("/plans/BR").get_data(as_text=True)
    assert "Waiting to sync to the sheet. Tried 1 time: The workbook file &#39;bank-road.xlsx&#39; was not found" in html
    with synced_app.app_context():
        assert db.session.scalar(select(Workbook.code).join(OutboxEntry)) == "BR"


def test_add_evidence_without_javascript_keeps_the_rows_action_chosen(synced_app, client):
    login(client, "br_staff")
    html = client.get("/plans/BR/impact?action=BR-A003").get_data(as_text=True)
    assert form_fields(html)["action"] == "BR-A003"


def test_times_are_shown_on_uk_clocks_in_summer_and_winter():
    from datetime import datetime

    from webapp.templating import uk_date

    assert uk_date(datetime(2026, 7, 1, 9, 30)) == "1 Jul 2026, 10:30am"  # BST
    assert uk_date(datetime(2026, 12, 1, 9, 30)) == "1 Dec 2026, 9:30am"  # GMT


def test_a_renamed_column_puts_a_warning_across_the_schools_plan(synced_app, client, workbook_dir):
    rid = row_id(synced_app, "BR-A003")
    path = workbook_dir / "bank-road.xlsx"
    book = load_workbook(path)
    book["Action plan"]["J1"] = "Progress notes"  # the Status header, renamed in the sheet
    book.save(path)
    login(client, "br_staff")
    save(client, "BR", rid, open_form(client, "BR", rid), status="Behind")
    wait_for_outbox(synced_app)
    html = client.get("/plans/BR").get_data(as_text=True)
    assert "Edits made here are not being written to this sheet" in html
    assert "has no &#39;Status&#39; column" in html and "Nothing typed here is lost" in html
    other = synced_app.test_client()
    login(other, "wl_head")
    assert "not being written" not in other.get("/plans/WL").get_data(as_text=True)


def test_an_edit_the_sheet_refuses_shows_its_reason_and_the_editor_can_discard_it(synced_app, client):
    from domain.edits import edit_action_row, editable_values
    from domain.models import User
    from webapp.syncing import drain_now

    rid = row_id(synced_app, "BR-A003")
    with synced_app.app_context():  # text from before input was cleaned where it enters
        row = db.session.get(ActionRow, rid)
        staff = db.session.scalar(select(User).where(User.email == "staff@br.test.school"))
        entry = edit_action_row(db.session, row, staff.name, {"lead": "Jo\x0bSmith"}, editable_values(row),
                                row.version, staff.id)
        db.session.commit()
        entry_id = entry.id
    [result] = drain_now(synced_app)
    assert result.state == "failed"
    login(client, "br_staff")
    html = client.get("/plans/BR").get_data(as_text=True)
    assert "The sheet would not take this edit" in html and "Try again" in html and "Discard this edit" in html
    for who in ("wl_head", "br_governor"):
        other = synced_app.test_client()
        login(other, who)
        answer = other.post(f"/outbox/{entry_id}/discard", headers={"X-CSRFToken": csrf_token(other, "/")})
        assert answer.status_code == 403, who
    response = client.post(f"/outbox/{entry_id}/discard", data={"csrf_token": csrf_token(client, "/plans/BR")})
    assert response.status_code == 303
    with synced_app.app_context():
        assert db.session.get(OutboxEntry, entry_id).state == "dropped"
    assert client.get("/healthz").get_json()["outbox_waiting"] == 0


def test_an_impact_entry_the_sheet_refuses_shows_why_and_can_be_discarded(synced_app, client):
    from datetime import date

    from domain.edits import add_impact_entry
    from domain.models import Workbook
    from webapp.syncing import drain_now

    with synced_app.app_context():  # text from before input was cleaned where it enters
        workbook = db.session.scalar(select(Workbook).where(Workbook.code == "BR"))
        entry, outbox = add_impact_entry(db.session, workbook, "staff", {
            "date": date(2026, 11, 20), "action": "", "activity": "CPD", "summary": "Pasted\x07from Word",
            "strengths": "", "areas_to_develop": ""})
        db.session.commit()
        outbox_id = outbox.id
    [result] = drain_now(synced_app)
    assert result.state == "failed"
    login(client, "br_head")
    html = client.get("/plans/BR/impact").get_data(as_text=True)
    assert "The sheet would not take this edit" in html and "Discard this entry" in html
    response = client.post(f"/outbox/{outbox_id}/discard", data={"csrf_token": csrf_token(client, "/plans/BR/impact")})
    assert response.status_code == 303 and response.headers["Location"].startswith("/plans/BR/impact")
    assert sync_now(synced_app, "test").ok  # the next sync reads the sheet afresh: the entry is not there
    assert "Pasted" not in client.get("/plans/BR/impact").get_data(as_text=True)
