"""The outbox against the Sheets stand-in: faults, timeouts after the write landed, racing edits."""
from datetime import date

import pytest
from sqlalchemy import select

from domain import dates
from domain.edits import add_impact_entry, edit_action_row, editable_values
from domain.models import ImpactEntry, Workbook
from sheets_emulator import Fault
from sync.outbox import drain

from .conftest import BR, actions
from .conftest import make_google_backend as make_backend


@pytest.fixture
def backend(google_backend):
    return google_backend


@pytest.fixture
def synced(gsync):
    gsync()


def edit(session, sheet_id, **changes):
    row = actions(session, "BR")[sheet_id]
    entry = edit_action_row(session, row, "Jo Teacher", changes, editable_values(row), row.version)
    session.commit()
    return entry


def status_in_sheet(emulator, sheet_id):
    rows = emulator.store.rows(BR, "Action plan")
    col = rows[0].index("Status")
    return next(r[col] for r in rows[1:] if r[0] == sheet_id)


def test_edits_to_one_workbook_go_in_one_batched_write(session, backend, synced, emulator):
    edit(session, "BR-A001", status="Behind")
    edit(session, "BR-A002", status="Complete")
    emulator.reset_counts()
    results = drain(session, backend)
    assert [r.state for r in results] == ["done", "done"]
    # A Drive check of the version, one batched read, one batched write; and, this workbook's
    # first write of a date (Last updated), one read of its locale, which is remembered.
    assert dict(emulator.calls) == {"drive": 2, "sheets.read": 2, "sheets.write": 1}
    assert status_in_sheet(emulator, "BR-A001") == "Behind" and status_in_sheet(emulator, "BR-A002") == "Complete"


def test_429_then_success(session, backend, synced, emulator):
    edit(session, "BR-A001", status="Behind")
    emulator.inject(Fault("sheets.write", status=429, times=1))
    [result] = drain(session, backend)
    assert result.state == "done" and status_in_sheet(emulator, "BR-A001") == "Behind"


def test_repeated_500s_keep_the_edit_waiting_with_its_reason(session, backend, synced, emulator):
    entry = edit(session, "BR-A001", status="Behind")
    emulator.inject(Fault("sheets.write", status=500, times=100))
    [result] = drain(session, backend)
    assert result.state == "waiting" and "HTTP 500" in result.reason
    assert entry.attempts == 1 and entry.next_attempt_at > entry.created_at
    emulator.faults.clear()
    [result] = drain(session, backend, only_due=False)
    assert result.state == "done"


def test_a_timeout_after_the_write_landed_does_not_write_twice(session, emulator, synced):
    slow = make_backend(emulator, timeout=2, attempts=1)  # room for every other call on a loaded machine
    workbook = session.scalar(select(Workbook).where(Workbook.code == "BR"))
    add_impact_entry(session, workbook, "Jo Teacher", {"date": date(2026, 11, 20), "summary": "Network on writing"})
    session.commit()
    emulator.inject(Fault("sheets.write", delay=4, after_apply=True, times=1))
    [result] = drain(session, slow)
    assert result.state == "waiting" and "ReadTimeout" in result.reason  # it did land, though
    rows_after_first = emulator.store.rows(BR, "Impact log")
    assert rows_after_first[-1][0] == "BR-I005"
    [result] = drain(session, slow, only_due=False)
    assert result.state == "done" and result.reason == "Already in the sheet."
    assert emulator.store.rows(BR, "Impact log") == rows_after_first


@pytest.mark.parametrize("fault", [Fault("sheets.write", status=500, after_apply=True),
                                   Fault("sheets.write", status=503, after_apply=True),
                                   Fault("sheets.write", delay=4, after_apply=True)], ids=["500", "503", "timeout"])
def test_a_failed_answer_to_an_append_that_landed_never_appends_the_row_twice(session, emulator, synced, fault):
    """Google appends, then answers 5xx or not in time. Other calls are retried on such an
    answer (the backend here would try four times); an append never is, for it may have
    landed: the next drain finds the row by its ID instead."""
    backend = make_backend(emulator, timeout=2, attempts=4)
    workbook = session.scalar(select(Workbook).where(Workbook.code == "BR"))
    add_impact_entry(session, workbook, "Jo Teacher", {"date": date(2026, 11, 20), "summary": "Network on writing"})
    session.commit()
    before = len(emulator.store.rows(BR, "Impact log"))
    emulator.inject(fault)
    emulator.reset_counts()
    [result] = drain(session, backend)
    appends = [path for _, path, _ in emulator.log if path.endswith(":append")]
    assert result.state == "waiting" and len(appends) == 1  # asked once, not again on the 5xx or timeout
    assert len(emulator.store.rows(BR, "Impact log")) == before + 1
    [result] = drain(session, backend, only_due=False)
    assert result.state == "done" and result.reason == "Already in the sheet."
    rows = emulator.store.rows(BR, "Impact log")
    assert len(rows) == before + 1 and [r[0] for r in rows].count("BR-I005") == 1


def test_a_sheet_edit_racing_a_browser_edit_is_a_conflict(session, backend, synced, emulator):
    entry = edit(session, "BR-A001", status="Behind")
    emulator.store.edit(BR, "Action plan", 2, 10, "At risk")  # someone in the sheet, meanwhile
    [result] = drain(session, backend)
    assert result.state == "conflict" and entry.sheet_values["status"] == "At risk"
    assert status_in_sheet(emulator, "BR-A001") == "At risk"


def test_a_new_row_beyond_the_grid_grows_it(session, backend, synced, emulator):
    sheet = emulator.store.spreadsheets[BR].sheet("Impact log")
    sheet.rows = 5  # header and four entries fill the grid
    workbook = session.scalar(select(Workbook).where(Workbook.code == "BR"))
    add_impact_entry(session, workbook, "Jo Teacher", {"date": date(2026, 11, 21), "summary": "QA visit"})
    session.commit()
    [result] = drain(session, backend)
    assert result.state == "done" and sheet.rows == 6
    # The date is typed as the sheet's locale (en_GB) writes it, the form Google then shows.
    assert emulator.store.rows(BR, "Impact log")[5][:2] == ["BR-I005", "21/11/2026"]


def test_after_the_write_a_sync_reads_the_workbook_once_and_changes_nothing(session, backend, synced, emulator, gsync):
    gsync()
    edit(session, "BR-A001", status="Behind")
    drain(session, backend)
    results, report = gsync()
    assert results["BR"].changed == 0 and report.calls.get("sheets.read") == 1
    assert actions(session, "BR")["BR-A001"].status == "Behind"


def test_a_row_deleted_from_the_sheet_waits_for_a_person(session, backend, synced, emulator):
    entry = edit(session, "BR-A002", status="Behind")
    emulator.store.delete_row(BR, "Action plan", 3)
    emulator.reset_counts()
    [result] = drain(session, backend)
    assert result.state == "stuck" and "no longer in the sheet" in result.reason
    assert emulator.calls.get("sheets.write", 0) == 0
    assert drain(session, backend) == []  # looked at again only after a backoff
    emulator.store.insert_row(BR, "Action plan", 3, ["BR-A002", "Teaching and Learning", "3, 8", "Put back", "",
                                                     "", "", "English lead", "16/07/2027", "On track"])
    [result] = drain(session, backend, only_due=False)  # the row is back: the edit lands
    assert result.state == "done" and entry.state == "done"


def test_a_new_row_never_lands_on_a_row_a_person_added_after_the_read(emulator, backend):
    ref = f"https://docs.google.com/spreadsheets/d/{BR}/edit"
    snapshot = backend.read(ref)
    emulator.store.insert_row(BR, "Impact log", 6, ["", "22/11/2026", "", "Network", "Typed by a person just now"])
    first = backend.append_rows(snapshot, "Impact log", [["BR-I009", "23/11/2026", "", "CPD", "From the browser"]])
    rows = emulator.store.rows(BR, "Impact log")
    assert rows[5][4] == "Typed by a person just now"
    assert first == 7 and rows[6][0] == "BR-I009" and rows[6][4] == "From the browser"


def test_a_new_entry_lands_below_the_header_when_title_rows_sit_above_it(session, backend, emulator, gsync):
    emulator.store.insert_row(BR, "Impact log", 1, ["Bank Road impact log 2026-27"])
    emulator.store.insert_row(BR, "Impact log", 2, [])  # a blank row between the title and the header
    gsync()
    workbook = session.scalar(select(Workbook).where(Workbook.code == "BR"))
    add_impact_entry(session, workbook, "Jo Teacher", {"date": date(2026, 11, 20), "summary": "Writing network"})
    session.commit()
    [result] = drain(session, backend)
    assert result.state == "done"
    rows = emulator.store.rows(BR, "Impact log")
    assert rows[0] == ["Bank Road impact log 2026-27"] and rows[2][0] == "ID"
    assert rows[-1][0] == "BR-I005" and rows[-1][4] == "Writing network"  # after the last entry, not above the header
    gsync()
    assert session.scalar(select(ImpactEntry).where(ImpactEntry.sheet_id == "BR-I005")).archived_at is None


def test_dates_the_hub_writes_land_as_date_values_and_text_as_text(session, backend, synced, emulator):
    edit(session, "BR-A001", due="25/04/2027", lead="=1+1", impact_to_date="'quoted")
    [result] = drain(session, backend)
    assert result.state == "done"
    sheet = emulator.store.spreadsheets[BR].sheet("Action plan")
    header = {cell.value: c for (r, c), cell in sheet.cells.items() if r == 1}
    row = next(r for (r, c), cell in sheet.cells.items() if c == header["ID"] and cell.value == "BR-A001")
    due, updated = sheet.cells[(row, header["Due"])], sheet.cells[(row, header["Last updated"])]
    assert due.is_date and due.value == (date(2027, 4, 25) - date(1899, 12, 30)).days  # a date value, not text
    assert updated.is_date and updated.value == (dates.uk_today() - date(1899, 12, 30)).days
    lead, impact = sheet.cells[(row, header["Lead"])], sheet.cells[(row, header["Impact to date"])]
    assert lead.formula is None and lead.value == "=1+1"  # typed text stays text
    assert impact.value == "'quoted"


def test_a_value_the_sheet_refuses_fails_that_edit_alone(session, backend, synced, emulator):
    edit(session, "BR-A001", status="Behind")
    edit(session, "BR-A002", lead="x" * 50_001)  # over a Sheets cell's limit: Google answers 400
    results = {r.sheet_id: r for r in drain(session, backend)}
    assert results["BR-A001"].state == "done" and status_in_sheet(emulator, "BR-A001") == "Behind"
    # Written alone after one landed, it waits for a fresh read rather than trust a version asked
    # for after our own write (a person's edit in between would be taken for ours).
    assert results["BR-A002"].state == "waiting"
    [result] = drain(session, backend, only_due=False)
    assert result.state == "failed" and "would not take this edit" in result.reason


def test_a_new_row_lands_below_a_table_whose_header_starts_in_column_b(session, backend, emulator, gsync):
    # A margin column: the Impact log's header begins in B, A1 is blank. Google finds no
    # table from a blank cell, so an append from A would put the row above the header.
    book = emulator.store.spreadsheets[BR]
    book.shift(book.sheet("Impact log"), "COLUMNS", 0, 1, insert=True)
    gsync()
    workbook = session.scalar(select(Workbook).where(Workbook.code == "BR"))
    add_impact_entry(session, workbook, "Jo Teacher", {"date": date(2026, 11, 21), "summary": "Margin network"})
    session.commit()
    [result] = drain(session, backend)
    assert result.state == "done"
    rows = emulator.store.rows(BR, "Impact log")
    assert rows[0][:2] == ["", "ID"]  # the header stays first
    assert rows[-1][1:3] == ["BR-I005", "21/11/2026"] and rows[-1][0] == ""
    assert "Margin network" in rows[-1]
    assert len(rows) == 6
