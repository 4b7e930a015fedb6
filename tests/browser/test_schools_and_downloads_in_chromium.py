"""The sheets check button and a download from a filtered page, in a real browser."""
import csv
import io
import threading

import pytest
from playwright.sync_api import expect

from domain import dates, years

from ..conftest import PASSWORD, PEOPLE
from .conftest import settled, sign_in

pytestmark = pytest.mark.browser


def test_the_sheets_check_button_shows_progress_then_each_workbook_in_place(page, workbook_dir, monkeypatch):
    from webapp.schools import checks

    real_check = checks.check_partnership
    looked, calls = threading.Event(), []

    def slow_check(*args):  # as a real spreadsheet service is: it answers once the progress was seen
        calls.append(args)
        looked.wait(10)
        return real_check(*args)

    monkeypatch.setattr(checks, "check_partnership", slow_check)
    (workbook_dir / "bank-road.xlsx").unlink()  # the check names it unreachable
    sign_in(page, PEOPLE["admin"][0], PASSWORD)
    page.get_by_role("link", name="Schools").click()
    expect(page.get_by_role("heading", name="Schools and workbooks")).to_be_visible()
    page.evaluate("window.stillHere = true")
    page.get_by_role("button", name="Check the sheets").focus()
    page.keyboard.press("Enter")
    result = page.locator("#sheets-check")
    # The page answered at once; the check runs in the background, and the page follows it.
    expect(result.get_by_role("status")).to_contain_text("Checking every workbook")
    page.get_by_role("button", name="Check the sheets").click()  # pressed again meanwhile: the same check
    looked.set()
    expect(result.get_by_role("heading", name="1 of 3 workbooks need attention")).to_be_visible(timeout=20_000)
    settled(page)
    expect(result.get_by_role("heading")).to_be_focused()  # the keyboard lands on the result
    expect(result.locator("tr.check-missing")).to_contain_text("Bank Road")
    expect(result.locator("tr.check-ok")).to_have_count(2)
    assert page.evaluate("window.stillHere") is True  # swapped in place, not a new page
    assert len(calls) == 1
    assert page.errors == []


def test_a_download_from_a_filtered_plan_holds_the_rows_the_page_shows(page):
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/plans/BR")
    page.select_option("#filter-status", "Complete")
    page.wait_for_url("**/plans/BR?status=Complete")
    settled(page)
    shown = page.locator("#plan-rows h3.row-title").all_inner_texts()
    with page.expect_download() as info:
        page.locator("#plan-rows").get_by_role("link", name="CSV").click()
    download = info.value
    this_year = years.short(years.school_year_of(dates.uk_today()))
    assert download.suggested_filename == f"action-plan-BR-{this_year}.csv"  # next year's will not overwrite it
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert shown and [r["Key objective"].splitlines()[0] for r in rows] == shown
    assert {r["Status"] for r in rows} == {"Complete"}
