"""School years at the turn, on the .xlsx workbooks and on the Sheets stand-in: the next
year started in the same workbooks (the year's own tabs) or in a new one, last year kept
whole and reachable, unfinished rows carried forward, and the current year going on until
a coordinator starts the next."""
import shutil
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import inspect, select

from domain import dates, new_year, years
from domain.models import (
    ActionRow,
    CalendarEvent,
    EventReply,
    ImpactEntry,
    OutboxEntry,
    RowChange,
    SchoolYear,
    SipPriority,
    Workbook,
)
from domain.plans import current_rows, find_plan
from sync.outbox import drain
from sync.run import run_sync

from ..conftest import SUITE_DAY
from .conftest import BR, JOINT, make_google_backend
from .test_review_tabs import confirm_review

# The suite's school year (tests/conftest.py SUITE_DAY), and the next; these tests move the day
# on to that year's summer term, when the next can start.
THIS = years.school_year_of(SUITE_DAY)
NEXT = THIS + 1
JUNE = date(NEXT, 6, 21)
SEPTEMBER = date(NEXT, 9, 6)
AUTUMN = date(THIS, 11, 16)  # a day before June, whatever the suite's day
TABS = f"Action plan {years.short(NEXT)}"
NEW_FILE = f"bank-road-{years.short(NEXT)}.xlsx"  # as schools name next year's copy
ROWS = (ActionRow, ImpactEntry, SipPriority, CalendarEvent, EventReply)


def on(monkeypatch, day):
    monkeypatch.setattr(dates, "uk_today", lambda: day)


def year_of(session, year):
    """Every stored row of the year's workbooks, every column: what "kept whole" is checked against."""
    session.expire_all()
    ids = list(session.scalars(select(Workbook.id).where(Workbook.school_year == year)))
    found = {}
    for model in ROWS:
        columns = [c.key for c in inspect(model).column_attrs]
        found[model.__tablename__] = sorted(
            tuple(str(getattr(r, c)) for c in columns)
            for r in session.scalars(select(model).where(model.workbook_id.in_(ids))))
    return found


def tabs(path):
    book = load_workbook(path, read_only=True)
    try:
        return {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}
    finally:
        book.close()


def test_the_next_year_cannot_start_before_june_and_the_current_year_goes_on_till_it_does(session, sync, monkeypatch):
    on(monkeypatch, AUTUMN)
    sync()
    rows = len(current_rows(session, find_plan(session, "BR")))
    assert years.current_year(session) == THIS and rows
    assert f"from 1 Jun {NEXT}" in new_year.why_not_yet(session)
    with pytest.raises(new_year.YearError, match=f"can be started from 1 Jun {NEXT}"):
        new_year.start_year(session, {}, "Pat Coordinator")
    on(monkeypatch, SEPTEMBER)  # September comes, and nobody has started the next year yet
    results, report = sync()
    assert report.ok and years.current_year(session) == THIS
    assert len(current_rows(session, find_plan(session, "BR"))) == rows  # last September's plan goes on


def test_a_year_started_in_the_same_workbooks_adds_its_tabs_and_keeps_last_year_whole(
        session, sync, backend, workbook_dir, monkeypatch):
    sync()
    review = confirm_review(session)  # a signed review: its dated tab lands in the old year's workbook
    drain(session, backend)
    before = year_of(session, THIS)
    br_rows = [r.sheet_id for r in current_rows(session, find_plan(session, "BR"))]
    history = session.query(RowChange).count()
    files = {name: tabs(workbook_dir / name) for name in ("bank-road.xlsx", "william-lilley.xlsx", "partnership.xlsx")}
    on(monkeypatch, JUNE)
    assert new_year.start_year(session, {}, "Pat Coordinator") == NEXT
    session.commit()
    assert [r.state for r in drain(session, backend)] == ["done"] * 7  # 3 tabs a school, the joint plan's
    for name, before_tabs in files.items():
        after = tabs(workbook_dir / name)
        assert {t: rows for t, rows in after.items() if t in before_tabs} == before_tabs  # nothing else touched
        added = sorted(set(after) - set(before_tabs))
        wanted = [TABS] if name == "partnership.xlsx" else \
            [f"{tab} {years.short(NEXT)}" for tab in ("Action plan", "Impact log", "SIP priorities")]
        assert added == wanted and all(after[t][0][0] == "ID" and len(after[t]) == 1 for t in added)
    results, report = sync()
    assert report.ok and sorted(results) == ["BR", "WL", "joint"]
    assert year_of(session, THIS) == before  # every row of last year, every column, unchanged
    assert session.query(RowChange).count() == history  # and no history written: nothing was archived
    assert session.get(type(review), review.id).workbook.school_year == THIS
    assert years.current_year(session) == NEXT and years.years(session) == [NEXT, THIS]
    this_year, last_year = find_plan(session, "BR"), find_plan(session, "BR", THIS)
    assert this_year.is_current and this_year.year == NEXT and current_rows(session, this_year) == []
    assert not last_year.is_current and [r.sheet_id for r in current_rows(session, last_year)] == br_rows
    assert last_year.workbook.year_tabs is False and this_year.workbook.year_tabs is True
    # The calendar's events of last year stay last year's; this year's calendar has none of them.
    assert not session.scalars(select(CalendarEvent).join(Workbook).where(Workbook.is_current)).all()


def test_heads_carry_unfinished_rows_into_the_new_plan_with_new_ids_and_where_they_came_from(
        session, sync, backend, workbook_dir, monkeypatch):
    sync()
    on(monkeypatch, JUNE)
    new_year.start_year(session, {}, "Pat Coordinator")
    session.commit()
    drain(session, backend)
    sync()
    offered = new_year.unfinished_rows(session, "BR")
    assert [row.sheet_id for row, _ in offered][:2] == ["BR-A002", "BR-A003"]  # BR-A001 is Complete
    assert all(row.status != "Complete" and into is None for row, into in offered)
    chosen = [row for row, _ in offered if row.sheet_id in ("BR-A003", "BR-A005")]
    highest = max(int(i[-3:]) for i in session.scalars(select(ActionRow.sheet_id).where(
        ActionRow.sheet_id.like("BR-A%"))))  # of every year's BR plan
    added = new_year.carry_forward(session, "BR", [r.id for r in chosen], "Carole Clemens")
    session.commit()
    assert [a.sheet_id for a in added] == [f"BR-A{highest + 1:03d}", f"BR-A{highest + 2:03d}"]  # never reused
    assert [r.state for r in drain(session, backend)] == ["done", "done"]
    sheet = tabs(workbook_dir / "bank-road.xlsx")[TABS]
    header = sheet[0]
    landed = {row[0]: dict(zip(header, row)) for row in sheet[1:]}
    assert sorted(landed) == [a.sheet_id for a in added]
    assert landed[added[0].sheet_id]["Impact to date"] == f"Carried from BR-A003, {years.short(THIS)}."
    assert landed[added[0].sheet_id]["Key objective"] == chosen[0].key_objective
    assert landed[added[0].sheet_id]["Due"] in (None, "")  # the head sets this year's
    sync()
    this_year = current_rows(session, find_plan(session, "BR"))
    assert [(r.sheet_id, r.carried_from_id) for r in this_year] == [(a.sheet_id, c.id) for a, c in zip(added, chosen)]
    again = new_year.unfinished_rows(session, "BR")
    assert {row.sheet_id: into.sheet_id for row, into in again if into} == {
        c.sheet_id: a.sheet_id for a, c in zip(added, chosen)}
    assert new_year.carry_forward(session, "BR", [c.id for c in chosen], "Carole Clemens") == []  # never twice
    complete = session.scalar(select(ActionRow).where(ActionRow.sheet_id == "BR-A001"))
    assert new_year.carry_forward(session, "BR", [complete.id], "Carole Clemens") == []  # nor a Complete row


def test_a_school_with_a_new_workbook_for_the_year_is_read_from_it_and_the_schools_tab_names_it(
        session, sync, backend, workbook_dir, monkeypatch):
    sync()
    before = year_of(session, THIS)
    copy = workbook_dir / NEW_FILE  # as schools do: last year's file, copied and cleared
    shutil.copy(workbook_dir / "bank-road.xlsx", copy)
    book = load_workbook(copy)
    for sheet in book.worksheets:
        sheet.delete_rows(2, sheet.max_row)
    book.save(copy)
    on(monkeypatch, JUNE)
    new_year.start_year(session, {"BR": new_year.Choice("BR", NEW_FILE)}, "Pat Coordinator")
    session.commit()
    entries = {e.kind: e for e in session.scalars(select(OutboxEntry).where(OutboxEntry.sheet_id == "BR"))}
    assert entries["school_ref"].fields == {"code": "BR", "seen": "bank-road.xlsx", "new": NEW_FILE}
    results, report = sync()  # before the Schools tab says so: the new year is not pointed back at last year's
    assert find_plan(session, "BR").workbook.ref == NEW_FILE
    drain(session, backend)
    schools = tabs(workbook_dir / "partnership.xlsx")["Schools"]
    assert [row[2] for row in schools if row[0] == "BR"] == [NEW_FILE]
    assert TABS not in tabs(copy)  # its own file: its tabs as they are
    results, report = sync()
    assert report.ok and results["BR"].ok
    workbook = find_plan(session, "BR").workbook
    assert workbook.ref == NEW_FILE and workbook.identity and not workbook.year_tabs
    assert current_rows(session, find_plan(session, "BR")) == []
    assert year_of(session, THIS) == before
    assert TABS in tabs(workbook_dir / "william-lilley.xlsx")  # the other school: its year's tabs


def test_the_joint_plan_keeps_the_partnership_workbook(session, sync, monkeypatch):
    sync()
    on(monkeypatch, JUNE)
    with pytest.raises(new_year.YearError, match="joint plan's new year is a tab"):
        new_year.start_year(session, {"joint": new_year.Choice("joint", "elsewhere.xlsx")}, "Pat Coordinator")
    assert session.scalar(select(SchoolYear.year).where(SchoolYear.year == NEXT)) is None


def test_a_year_started_on_the_sheets_stand_in_keeps_last_year_whole(session, emulator, monkeypatch):
    backend = make_google_backend(emulator)

    def sync():
        report = run_sync(session, backend, emulator.partnership_url, "test")
        return {r.code: r for r in report.results}, report

    sync()
    sync()  # IDs written, then read back
    before = year_of(session, THIS)
    on(monkeypatch, JUNE)
    new_year.start_year(session, {}, "Pat Coordinator")
    session.commit()
    assert all(r.state == "done" for r in drain(session, backend))
    for key in (BR, JOINT):
        titles = [s.title for s in emulator.store.spreadsheets[key].sheets]
        assert TABS in titles and "Action plan" in titles
    assert emulator.store.rows(BR, TABS)[0][0] == "ID"
    emulator.store.edit(BR, TABS, 2, 4, "A new objective typed in the sheet")
    results, report = sync()
    assert report.ok
    assert year_of(session, THIS) == before
    [row] = current_rows(session, find_plan(session, "BR"))
    assert row.key_objective == "A new objective typed in the sheet"
    assert int(row.sheet_id[-3:]) > max(int(r[0][-3:]) for r in emulator.store.rows(BR, "Action plan")[1:])
