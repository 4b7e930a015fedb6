"""A workbook is read by the cells that hold something, never by the size it claims,
and one past the limits fails on its own (issue 13, part A)."""
import tracemalloc

import pytest
from openpyxl import load_workbook
from openpyxl.styles import PatternFill
from sqlalchemy import select

from domain.models import ActionRow
from sheets_emulator.store import Cell as StoreCell
from sync.backends import limits
from sync.backends.workbook import XlsxBackend
from sync.run import run_sync

from .conftest import BR, actions
from .hostile import memory_cap, set_dimension


def put(path, tab, coordinate, value=None, fill=False):
    book = load_workbook(path)
    cell = book[tab][coordinate]
    cell.value = value
    if fill:
        cell.fill = PatternFill("solid", start_color="FFFF00")
    book.save(path)


def test_a_stray_cell_at_xfd1048576_fails_that_workbook_alone(session, sync, workbook_dir):
    sync()
    path = workbook_dir / "bank-road.xlsx"
    put(path, "Action plan", "XFD1048576", "x")  # a 9 KB file that claims 16,384 columns by 1,048,576 rows
    assert path.stat().st_size < 20_000
    with memory_cap():
        results, report = sync()
    assert not report.ok
    error = results["BR"].error
    assert "'Action plan' tab has something in row 1,048,576" in error and "up to 20,000 rows" in error
    assert "XFD1048576" in error and "Delete the stray cell" in error
    assert results["WL"].ok and results["joint"].ok  # the other workbooks still sync
    assert len(actions(session, "BR")) == 6  # and nothing of the broken one is lost


def test_a_stray_value_far_to_the_right_names_its_column(session, sync, workbook_dir):
    put(workbook_dir / "bank-road.xlsx", "Impact log", "ZZ3", "note to self")
    results, _ = sync()
    assert "'Impact log' tab has something in column ZZ (cell ZZ3)" in results["BR"].error
    assert "up to 200 columns" in results["BR"].error


def test_a_stored_size_too_small_loses_no_rows(session, sync, workbook_dir):
    sync()
    path = workbook_dir / "bank-road.xlsx"
    set_dimension(path, "Action plan", "A1:K3")  # claims three rows; the plan has seven
    results, report = sync()
    assert report.ok and results["BR"].archived == 0
    assert len(actions(session, "BR")) == 6
    assert session.scalar(select(ActionRow).where(ActionRow.sheet_id == "BR-A006")).archived_at is None


@pytest.mark.parametrize("how", ["formatting in XFD1048576", "a stored size of A1:XFD1048576"])
def test_empty_cells_the_file_claims_cost_nothing(session, sync, workbook_dir, how):
    path = workbook_dir / "bank-road.xlsx"
    if how.startswith("formatting"):
        put(path, "Action plan", "XFD1048576", fill=True)  # a yellow cell, holding nothing
    else:
        set_dimension(path, "Action plan", "A1:XFD1048576")
    with memory_cap():
        tracemalloc.start()
        try:
            snapshot = XlsxBackend(workbook_dir).read("bank-road.xlsx")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        results, report = sync()
    assert peak < 20 * 2**20  # a few MB: openpyxl's styles and the cells that hold something
    assert len(snapshot.tabs["Action plan"]) == 7 and max(len(r) for r in snapshot.tabs["Action plan"]) == 11
    assert report.ok and len(actions(session, "BR")) == 6


def test_a_stray_cell_in_a_tab_the_hub_does_not_read_is_no_concern(session, sync, workbook_dir):
    path = workbook_dir / "bank-road.xlsx"
    book = load_workbook(path)
    book.create_sheet("Notes")["XFD1048576"] = "scribble"
    book.save(path)
    with memory_cap():
        results, report = sync()
    assert report.ok and len(actions(session, "BR")) == 6


@pytest.mark.parametrize("limit, value, words", [
    ("MAX_ROWS", 5, "has something in row 6"),
    ("MAX_COLUMNS", 10, "has something in column K"),
    ("MAX_CELLS", 150, "cells a workbook"),
])
def test_a_workbook_past_a_limit_fails_with_what_to_do(session, sync, backend, monkeypatch, limit, value, words):
    sync()
    monkeypatch.setattr(limits, limit, value)  # small limits, so that the demo workbooks go past them
    results = {r.code: r for r in run_sync(session, backend, "partnership.xlsx", "test", full=True).results}
    assert not results["BR"].ok and words in results["BR"].error
    assert len(actions(session, "BR")) == 6


def test_google_answers_past_the_limits_fail_that_workbook_alone(session, gsync, emulator):
    gsync()
    sheet = emulator.store.spreadsheets[BR].sheet("Action plan")
    sheet.rows = 25_000
    sheet.cells[(20_001, 3)] = StoreCell("stray")
    emulator.store.spreadsheets[BR].touch()
    results, report = gsync()
    assert not results["BR"].ok and "'Action plan' tab has something in row 20,001" in results["BR"].error
    assert results["WL"].ok and len(actions(session, "BR")) == 6


def test_google_answers_wider_than_the_limit_fail_that_workbook(session, gsync, emulator):
    sheet = emulator.store.spreadsheets[BR].sheet("SIP priorities")
    sheet.columns = 300
    sheet.cells[(2, 250)] = StoreCell("stray")
    results, _ = gsync()
    assert "'SIP priorities' tab has something in column IP (cell IP2)" in results["BR"].error


def test_google_answers_past_the_cell_budget_fail_that_workbook(session, gsync, emulator, monkeypatch):
    gsync()
    monkeypatch.setattr(limits, "MAX_CELLS", 150)
    results, _ = gsync(full=True)
    assert not results["BR"].ok and "cells a workbook" in results["BR"].error
