"""An event and a reply made in the hub land in the partnership workbook, through the
.xlsx workbooks and through the Sheets stand-in with real gspread: the cells that land,
and nothing else touched. A reply changed is edited in its own row, never added twice."""
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from domain import calendar as cal
from domain.edits import choose
from domain.models import CalendarEvent, EventReply, OutboxEntry, School, User
from sync.outbox import drain
from sync.run import run_sync

from .conftest import JOINT


@pytest.fixture(params=["xlsx", "google"])
def kind(request):
    return request.param


class Book:
    """The partnership workbook as it stands, whichever backend holds it, and a sync."""

    def __init__(self, kind, session, request):
        self.kind, self.session = kind, session
        if kind == "xlsx":
            self.backend = request.getfixturevalue("backend")
            self.dir = request.getfixturevalue("workbook_dir")
            self.ref = "partnership.xlsx"
        else:
            self.emulator = request.getfixturevalue("emulator")
            self.backend = request.getfixturevalue("google_backend")
            self.ref = self.emulator.partnership_url

    def sync(self):
        report = run_sync(self.session, self.backend, self.ref, "test")
        assert report.ok
        self.session.expire_all()

    def tabs(self):
        """{tab: rows as lists of cell values} of the whole workbook."""
        if self.kind == "google":
            return {t: [list(r) for r in self.emulator.store.rows(JOINT, t)]
                    for t in ("Schools", "Objectives", "Action plan", "Themes", "Calendar", "RSVP", "Notes")}
        book = load_workbook(self.dir / "partnership.xlsx")
        tabs = {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book}
        book.close()
        return tabs


@pytest.fixture
def book(kind, session, request):
    book = Book(kind, session, request)
    book.sync()
    return book


def drained(session, backend):
    """Drain until nothing is waiting (an edit of a row being added goes at the next drain)."""
    for _ in range(3):
        drain(session, backend)
        if not session.scalars(select(OutboxEntry).where(OutboxEntry.state.in_(OutboxEntry.PENDING))).all():
            return
    raise AssertionError("the outbox did not empty")


def _day(cell):
    """A date cell as the test reads it: openpyxl gives a datetime; Google shows a date in
    the form it was typed in, which for the stand-in's en_GB sheets is 10/03/2027."""
    return cell.date() if isinstance(cell, datetime) else cell


def person(session, email="jo@bank-road.example", name="Jo Teacher"):
    user = User(email=email, name=name, role="staff", password_hash="x",
                school=session.scalar(select(School).where(School.code == "BR")))
    session.add(user)
    session.commit()
    return user


def test_an_event_made_in_the_hub_lands_as_one_row_and_nothing_else_changes(book, session):
    before = book.tabs()
    event = cal.add_event(session, {
        "date": date(2027, 3, 10), "time": "13:30-15:30", "type": "Subject network", "focus": "Science",
        "host_school": "BR", "invited_schools": "All schools", "lead": "A. Lead", "status": "Planned",
        "notes": "Bring books"}, "Carole Clemens")
    assert event.sheet_id == "J-E009" and event.start_time is not None  # shown at once, read as a sheet row is
    drained(session, book.backend)
    after = book.tabs()
    assert {t: rows for t, rows in after.items() if t != "Calendar"} == before_without(before, "Calendar")
    header, *rows = after["Calendar"]
    assert rows[:-1] == before["Calendar"][1:]  # the other events are as they were
    landed = dict(zip(header, rows[-1]))
    assert landed["ID"] == "J-E009" and _day(landed["Date"]) in (date(2027, 3, 10), "10/03/2027")
    assert (landed["Time"], landed["Type"], landed["Focus"], landed["Host school"]) == (
        "13:30-15:30", "Subject network", "Science", "BR")
    assert (landed["Invited schools"], landed["Lead"], landed["Notes"]) == ("All schools", "A. Lead", "Bring books")
    book.sync()  # the sheet and the hub agree: one event, not archived, not added again
    events = session.scalars(select(CalendarEvent).where(CalendarEvent.focus == "Science")).all()
    assert len(events) == 1 and events[0].archived_at is None and events[0].sheet_row == len(rows) + 1


def before_without(tabs, tab):
    return {t: rows for t, rows in tabs.items() if t != tab}


def test_a_reply_lands_in_the_rsvp_tab_and_a_change_of_mind_edits_the_same_row(book, session):
    user = person(session)
    event = session.scalar(select(CalendarEvent).where(CalendarEvent.sheet_id == "J-E006"))
    before = book.tabs()
    cal.reply(session, event, user, "Confirmed", "Bringing the attendance lead")
    drained(session, book.backend)
    header, *rows = book.tabs()["RSVP"]
    assert rows[:-1] == before["RSVP"][1:]
    first = dict(zip(header, rows[-1]))
    assert (first["ID"], first["Event"], first["School"], first["Person"], first["Reply"], first["Note"]) == (
        "J-R006", "J-E006", "BR", "Jo Teacher <jo@bank-road.example>", "Confirmed", "Bringing the attendance lead")

    cal.reply(session, event, user, "Declined", "")
    drained(session, book.backend)
    after = book.tabs()
    header, *rows = after["RSVP"]
    assert len(rows) == len(before["RSVP"])  # changed in place: one row more than before, not two
    changed = dict(zip(header, rows[-1]))
    assert (changed["ID"], changed["Reply"], changed["Note"] or "") == ("J-R006", "Declined", "")
    assert rows[:-1] == before["RSVP"][1:]
    assert before_without(after, "RSVP") == before_without(before, "RSVP")

    book.sync()
    mine = session.scalars(select(EventReply).where(EventReply.email == "jo@bank-road.example")).all()
    assert [(r.sheet_id, r.reply) for r in mine] == [("J-R006", "Declined")]


def test_a_change_of_mind_before_the_first_reply_landed_still_ends_as_one_row(book, session):
    user = person(session)
    event = session.scalar(select(CalendarEvent).where(CalendarEvent.sheet_id == "J-E003"))
    before = len(book.tabs()["RSVP"])
    cal.reply(session, event, user, "Confirmed", "")
    cal.reply(session, event, user, "Declined", "Ofsted call")  # nothing has reached the sheet yet
    book.sync()  # a sync in between keeps the hub's reply: its row is the hub's until it lands
    assert session.scalar(select(EventReply).where(EventReply.email == "jo@bank-road.example")).reply == "Declined"
    drained(session, book.backend)
    header, *rows = book.tabs()["RSVP"]
    mine = [dict(zip(header, r)) for r in rows if "jo@bank-road.example" in str(r)]
    assert len(rows) == before and [(m["Reply"], m["Note"]) for m in mine] == [("Declined", "Ofsted call")]
    book.sync()
    assert [r.reply for r in session.scalars(select(EventReply).where(
        EventReply.email == "jo@bank-road.example"))] == ["Declined"]


def test_inviting_a_school_edits_the_events_invited_schools_cell_only(book, session):
    event = session.scalar(select(CalendarEvent).where(CalendarEvent.sheet_id == "J-E007"))  # WL hosts, BR invited
    before = book.tabs()
    cal.invite_schools(session, event, ["WL"], "Sally Beardsley")
    assert event.invited_codes == ["BR", "WL"]
    drained(session, book.backend)
    after = book.tabs()
    header = after["Calendar"][0]
    changed = [(i, j) for i, (old, new) in enumerate(zip(before["Calendar"], after["Calendar"]))
               for j, (a, b) in enumerate(zip(old, new)) if a != b]
    assert changed == [(7, header.index("Invited schools"))]
    assert after["Calendar"][7][header.index("Invited schools")] == "BR, WL"


def test_a_reply_changed_in_the_sheet_meanwhile_is_a_conflict_and_taking_the_sheets_sets_the_reply(
        session, sync, partnership, backend):
    sync()
    user = person(session)
    event = session.scalar(select(CalendarEvent).where(CalendarEvent.sheet_id == "J-E006"))
    cal.reply(session, event, user, "Confirmed", "")
    drained(session, backend)

    def changed_by_hand(sheet):
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            if row[0].value == "J-R006":
                row[header.index("Reply")].value = "Maybe"
    partnership.edit("RSVP", changed_by_hand)
    cal.reply(session, event, user, "Declined", "Running late")  # the hub saw Confirmed
    drain(session, backend)
    entry = session.scalars(select(OutboxEntry).where(OutboxEntry.tab == "RSVP").order_by(OutboxEntry.id.desc())).first()
    assert entry.state == "conflict" and "Reply" in entry.reason
    choose(session, entry, "take", "Pat Coordinator")
    session.commit()
    mine = session.scalar(select(EventReply).where(EventReply.email == "jo@bank-road.example"))
    assert mine.reply == "Maybe"  # the sheet's, as the person chose; the note still goes
    drained(session, backend)
    row = next(r for r in partnership.rows("RSVP") if r[0] == "J-R006")
    assert "Maybe" in row and "Running late" in row and "Declined" not in row


def test_a_change_of_mind_on_a_new_rsvp_tab_waits_for_its_row_without_pausing_the_sheet(book, session):
    if book.kind != "xlsx":
        pytest.skip("the RSVP tab is emptied with openpyxl")
    path = book.dir / "partnership.xlsx"
    workbook = load_workbook(path)
    workbook["RSVP"].delete_rows(2, workbook["RSVP"].max_row)  # a tab just made: its header and no rows
    workbook.save(path)
    book.sync()
    user = person(session)
    event = session.scalar(select(CalendarEvent).where(CalendarEvent.sheet_id == "J-E003"))
    cal.reply(session, event, user, "Confirmed", "")
    cal.reply(session, event, user, "Declined", "")
    drain(session, book.backend)
    edit = session.scalar(select(OutboxEntry).where(OutboxEntry.kind == "edit", OutboxEntry.tab == "RSVP"))
    # Not "the ID column is empty, writes to this sheet wait", nor a backoff: its row has just landed.
    assert not edit.paused and edit.attempts == 0 and "ID column" not in (edit.reason or "")
    drained(session, book.backend)
    header, *rows = book.tabs()["RSVP"]
    assert [dict(zip(header, r))["Reply"] for r in rows] == ["Declined"]
