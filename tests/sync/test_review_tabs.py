"""A confirmed review's dated tab: added once to its plan's workbook, through the outbox,
touching no other tab, and never read back by the sync."""
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from domain import reviews
from domain.contract import ACTION_PLAN
from domain.models import OutboxEntry, School, SheetProblem, User, Workbook
from domain.plans import find_plan
from sheets_emulator import Fault
from sync.backends.workbook import xlsx_title
from sync.outbox import drain
from sync.setup_check import check_partnership

from .conftest import BR


def confirm_review(session, code="BR"):
    """A head and a chair of the school sign the plan's Autumn review."""
    school = session.scalar(select(School).where(School.code == code))
    head = User(email=f"head@{code}.t", name="Carole Clemens", role="head", school=school, password_hash="x")
    chair = User(email=f"chair@{code}.t", name="Andy Hitchcock", role="governor", chair=True, school=school,
                 password_hash="x")
    session.add_all([head, chair])
    session.flush()
    review = reviews.start(session, find_plan(session, code), head, today=date(2026, 12, 1))
    reviews.sign(session, review, head, "Reviewed with the staff")
    reviews.sign(session, review, chair, "Agreed by the JCC")
    session.commit()
    return review


def every_tab(path):
    book = load_workbook(path)
    try:
        return {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}
    finally:
        book.close()


def expected_cells(review):
    rows = review.snapshot["rows"]
    assert rows, "the demo plan has rows"
    return [[c.name for c in ACTION_PLAN.columns]] + [[r[c.attr] for c in ACTION_PLAN.columns] for r in rows]


def test_the_dated_tab_lands_in_the_xlsx_holding_the_rows_and_signatures(session, backend, sync, workbook_dir):
    sync()
    review = confirm_review(session)
    path = workbook_dir / "bank-road.xlsx"
    before = every_tab(path)
    [result] = drain(session, backend)
    assert result.state == "done"
    after = every_tab(path)
    title = xlsx_title(review.tab_title)
    assert title == "Review Autumn 26-27 " + review.tab_title[-11:-1]  # Excel's 31 characters
    assert list(after) == list(before) + [title]
    assert {t: after[t] for t in before} == before  # every other tab's cells as they were
    grid = [[v if v is not None else "" for v in row] for row in after[title]]
    header_and_rows = expected_cells(review)
    assert [row[:len(header_and_rows[0])] for row in grid[:len(header_and_rows)]] == header_and_rows
    below = grid[len(header_and_rows):]
    assert ["Signed by", "Role", "School", "Date", "Comment"] in [row[:5] for row in below]
    names = {row[0]: row for row in below if row}
    assert names["Carole Clemens"][4] == "Reviewed with the staff"
    assert names["Andy Hitchcock"][1].startswith("Chair of governors") and names["Andy Hitchcock"][4] == "Agreed by the JCC"


def test_a_second_try_of_a_tab_that_landed_writes_nothing(session, backend, sync, workbook_dir):
    sync()
    review = confirm_review(session)
    drain(session, backend)
    path = workbook_dir / "bank-road.xlsx"
    landed = every_tab(path)
    again = OutboxEntry(workbook_id=review.workbook_id, kind=reviews.TAB_KIND, tab=review.tab_title,
                        sheet_id=f"review-{review.id}", row_id=review.id,
                        fields={"title": review.tab_title, "cells": reviews.tab_cells(review)})
    session.add(again)
    session.commit()
    [result] = drain(session, backend)
    assert (result.state, result.reason) == ("done", "Already in the sheet.")
    assert every_tab(path) == landed


def test_a_tab_of_that_title_holding_something_else_fails_the_entry_for_a_person(session, backend, sync,
                                                                                 workbook_dir):
    sync()
    review = confirm_review(session)
    path = workbook_dir / "bank-road.xlsx"
    book = load_workbook(path)
    book.create_sheet(xlsx_title(review.tab_title))["A1"] = "Someone's notes"
    book.save(path)
    [result] = drain(session, backend)
    assert result.state == "failed" and "already, holding other cells" in result.reason
    assert every_tab(path)[xlsx_title(review.tab_title)] == [["Someone's notes"]]


def test_the_sync_and_sheets_check_ignore_the_dated_tab(session, backend, sync, workbook_dir):
    sync()
    problems_before = session.query(SheetProblem).count()
    confirm_review(session)
    drain(session, backend)
    results, report = sync()
    assert report.ok and results["BR"].added == results["BR"].changed == results["BR"].archived == 0
    assert session.query(SheetProblem).count() == problems_before
    for check in check_partnership(backend, "partnership.xlsx"):
        assert "Review" not in check.line(), check.line()


@pytest.fixture
def gsynced(gsync):
    gsync()


def emulator_tabs(emulator, key):
    book = emulator.store.spreadsheets[key]
    return {sheet.title: emulator.store.rows(key, sheet.title) for sheet in book.sheets}


def test_the_dated_tab_through_the_sheets_stand_in_after_a_5xx_is_added_once(session, google_backend, gsynced,
                                                                            emulator):
    review = confirm_review(session)
    before = emulator_tabs(emulator, BR)
    # The tab is added, then Google answers 503: the entry waits, and its retry finds the tab.
    emulator.inject(Fault("sheets.write", status=503, after_apply=True, times=1))
    [result] = drain(session, google_backend)
    assert result.state == "waiting" and "HTTP 503" in result.reason
    [result] = drain(session, google_backend, only_due=False)
    assert result.state == "done"
    after = emulator_tabs(emulator, BR)
    titles = [s.title for s in emulator.store.spreadsheets[BR].sheets]
    assert titles.count(review.tab_title) == 1 and titles[:-1] == list(before)
    assert {t: after[t] for t in before} == before
    grid = after[review.tab_title]
    header_and_rows = expected_cells(review)
    assert [row + [""] * (len(header_and_rows[0]) - len(row)) for row in grid[:len(header_and_rows)]] == \
        header_and_rows
    assert any(row[:1] == ["Andy Hitchcock"] for row in grid)
    # A sync afterwards reads no review tab and finds nothing new.
    workbook = session.scalar(select(Workbook).where(Workbook.code == "BR"))
    assert review.tab_title not in (workbook.layout or {})


def test_a_retry_whose_cells_had_landed_is_done_without_a_write(session, google_backend, gsynced, emulator):
    review = confirm_review(session)
    emulator.inject(Fault("sheets.write", status=500, after_apply=True, times=1))  # the tab lands, then a 500
    [result] = drain(session, google_backend)
    assert result.state == "waiting"
    emulator.inject(Fault("sheets.write", status=500, after_apply=True, times=100))  # its cells land, every try a 500
    [result] = drain(session, google_backend, only_due=False)
    assert result.state == "waiting"
    emulator.faults.clear()
    emulator.reset_counts()
    [result] = drain(session, google_backend, only_due=False)
    assert (result.state, result.reason) == ("done", "Already in the sheet.")
    assert emulator.calls["sheets.write"] == 0
    assert [s.title for s in emulator.store.spreadsheets[BR].sheets].count(review.tab_title) == 1
