"""Each role lands where its work is: staff their school's due rows and own edits, heads
what needs attention, governors a short read-only page, coordinators every school."""
from datetime import timedelta

from sqlalchemy import select

from domain import attention, dates
from domain.edits import edit_action_row, editable_values
from domain.models import ActionRow, OutboxEntry, User, Workbook
from webapp.extensions import db

from ..conftest import csrf_token, login


def set_row(app, sheet_id, **values):
    """Change a synced row as a sync would have stored it."""
    from domain.dates import due_ends

    with app.app_context():
        row = db.session.scalar(select(ActionRow).where(ActionRow.sheet_id == sheet_id))
        for attr, value in values.items():
            setattr(row, attr, value)
        if "due" in values:
            row.due_date, row.due_by = None, due_ends(values["due"])
        db.session.commit()
        return row.id


def uk(day):
    return day.strftime("%d/%m/%Y")


def test_staff_land_on_their_schools_rows_due_soon_and_their_own_edits(synced_app, client):
    soon = set_row(synced_app, "BR-A002", due=uk(dates.uk_today() + timedelta(days=20)), status="On track")
    set_row(synced_app, "BR-A001", due=uk(dates.uk_today() + timedelta(days=20)), status="Complete")
    login(client, "br_staff")
    with synced_app.app_context():  # an edit of theirs that waits for a choice
        row = db.session.scalar(select(ActionRow).where(ActionRow.sheet_id == "BR-A003"))
        me = db.session.scalar(select(User).where(User.email == "staff@br.test.school"))
        entry = edit_action_row(db.session, row, me.name, {"lead": "Jo"}, editable_values(row), row.version, me.id)
        entry.state = "conflict"
        db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "Due this term and next" in html and f"#row-{soon}" in html
    assert "Annual safeguarding audit" not in html.split("Your edits")[0]  # complete: not listed as due
    assert "BR-A003</a>" in html and "changed in the sheet meanwhile: a person chooses" in html
    assert "Needs attention" not in html and "Sync now" not in html


def test_heads_see_what_needs_attention_with_counts_and_links(synced_app, client):
    overdue = set_row(synced_app, "BR-A002", due=uk(dates.uk_today() - timedelta(days=3)), status="On track")
    login(client, "br_head")
    html = client.get("/").get_data(as_text=True)
    assert "Needs attention" in html and "/plans/BR?overdue=1" in html
    assert "1 row behind" in html and "1 row at risk" in html  # BR-A005 Behind, BR-A003 Amber
    assert "sheet problem" in html
    assert "Your shared priorities" in html and "Also working on it: William Lilley" in html
    plan = client.get("/plans/BR?overdue=1").get_data(as_text=True)
    assert f'id="row-{overdue}"' in plan and "chip-overdue" in plan
    assert "Annual safeguarding audit" not in plan  # complete, and not overdue


def test_an_unshared_priority_is_in_no_head_of_another_schools_landing(synced_app, client, workbook_dir):
    from openpyxl import load_workbook

    from webapp.syncing import sync_now

    # William Lilley shares an Attendance priority: Bank Road's unshared one must still not show.
    path = workbook_dir / "william-lilley.xlsx"
    book = load_workbook(path)
    book["SIP priorities"].append(["WL-S005", "Attendance above 96%", "Attendance", "", "Sally Beardsley", "On track",
                                   "Yes"])
    book.save(path)
    assert sync_now(synced_app, "test").ok
    login(client, "wl_head")
    html = client.get("/").get_data(as_text=True)
    assert "Attendance above 96%" in html  # their own, shared
    assert "Improve attendance of persistent absentees" not in html
    attendance = html.split("Attendance above 96%")[1].split("</li>")[0]
    assert "No partner school shares this theme yet." in attendance  # Bank Road's is not shared


def test_governors_land_on_a_short_read_only_page(client):
    login(client, "br_governor")
    html = client.get("/").get_data(as_text=True)
    assert "Everything here is read-only" in html and "Your school's plan" in html
    assert "Sync now" not in html and "Needs attention" not in html and "Edit" not in html


def test_admins_land_on_every_school_in_one_table(synced_app, client):
    set_row(synced_app, "WL-A002", due=uk(dates.uk_today() - timedelta(days=3)), status="Behind")
    login(client, "admin")
    html = client.get("/").get_data(as_text=True)
    table = html.split('<table class="overview stacked">')[1].split("</table>")[0]
    rows = {name: row for name, row in (
        (row.split("</a>")[0].rsplit(">", 1)[-1], row) for row in table.split("<tr>")[2:])}
    assert set(rows) == {"Joint action plan", "Bank Road Infant and Nursery School",
                         "William Lilley Infant and Nursery School"}
    with synced_app.app_context():  # the row just made overdue, and any the demo has on the day
        overdue = [r.sheet_id for r in db.session.scalars(select(ActionRow).join(Workbook).where(
            Workbook.code == "WL", Workbook.is_current, ActionRow.archived_at.is_(None)))
            if attention.is_overdue(r, dates.uk_today())]
    assert "WL-A002" in overdue
    assert f'/plans/WL?overdue=1">{len(overdue)}</a>' in rows["William Lilley Infant and Nursery School"]
    assert "/plans/WL/problems" in rows["William Lilley Infant and Nursery School"]
    assert csrf_token(client, "/")  # the Sync now panel is there for admins


def test_a_coordinators_line_counts_the_edits_not_yet_in_the_sheet_and_those_waiting_for_a_person(
        synced_app, client):
    with synced_app.app_context():
        wl = db.session.scalar(select(Workbook).where(Workbook.code == "WL", Workbook.is_current))
        rows = db.session.scalars(select(ActionRow).where(ActionRow.workbook_id == wl.id).limit(3)).all()
        for row, state in zip(rows, ("waiting", "waiting", "conflict"), strict=True):
            db.session.add(OutboxEntry(workbook_id=wl.id, kind="edit", tab="Action Plan", sheet_id=row.sheet_id,
                                       row_id=row.id, fields={"lead": {"seen": row.lead, "new": "Someone"}},
                                       state=state))
        db.session.commit()
    login(client, "admin")
    html = client.get("/").get_data(as_text=True)
    table = html.split('<table class="overview stacked">')[1].split("</table>")[0]
    wl_line = next(row for row in table.split("<tr>") if "William Lilley" in row)
    assert '<td data-label="Edits waiting">3 (1 for a person)</td>' in wl_line
    assert "<strong>3</strong> edits not yet in the sheets, in 1 plan: <strong>1</strong> waiting for a person" in html
