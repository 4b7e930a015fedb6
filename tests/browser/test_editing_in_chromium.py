"""Editing in a real browser: by keyboard alone, Escape to cancel, evidence, and a conflict choice."""
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from webapp.syncing import drain_now

from ..conftest import PASSWORD, PEOPLE
from .conftest import settled, sign_in

pytestmark = pytest.mark.browser
EHWB = "Embed the emotional health and wellbeing curriculum"


def sheet_status(workbook_dir, sheet_id):
    book = load_workbook(workbook_dir / "bank-road.xlsx", read_only=True)
    rows = [list(r) for r in book["Action plan"].iter_rows(values_only=True)]
    book.close()
    return next(r[rows[0].index("Status")] for r in rows if r[0] == sheet_id)


def test_a_row_is_edited_with_the_keyboard_alone(page, synced_app, workbook_dir):
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/plans/BR?area=EHWB")
    row = page.locator("article.action-row", has_text=EHWB)
    row.get_by_role("button", name="Show details").focus()
    page.keyboard.press("Tab")  # on to Edit
    expect(row.get_by_role("button", name="Edit")).to_be_focused()
    page.keyboard.press("Enter")
    status = page.locator("#status")
    expect(status).to_be_focused()
    settled(page)
    page.keyboard.press("ArrowDown")  # At risk -> Behind
    expect(status).to_have_value("Behind")
    page.keyboard.press("Tab")
    expect(page.locator("#due")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("31/03/2027")
    page.keyboard.press("Enter")  # submits the form
    row = page.locator("article.action-row", has_text=EHWB)
    expect(row.locator(".chip")).to_have_text("Behind")
    expect(row).to_contain_text("31 Mar 2027")
    expect(row.get_by_role("button", name="Edit")).to_be_focused()  # the keyboard is back on the row
    expect(row.locator(".sync-state")).to_contain_text("Saved to the sheet", timeout=15_000)  # it polls
    assert sheet_status(workbook_dir, "BR-A003") == "Behind"
    assert page.errors == []


def test_escape_cancels_an_edit_and_nothing_is_saved(page, synced_app, workbook_dir):
    sign_in(page, PEOPLE["br_head"][0], PASSWORD)
    page.goto(page.base + "/plans/BR?area=EHWB")
    page.get_by_role("button", name="Edit").click()
    page.select_option("#status", "Complete")
    settled(page)
    page.locator("#lead").press("Escape")
    row = page.locator("article.action-row", has_text=EHWB)
    expect(row.locator(".chip")).to_have_text("At risk")
    expect(row.get_by_role("button", name="Edit")).to_be_focused()
    assert sheet_status(workbook_dir, "BR-A003") == "Amber"  # as the school typed it: untouched


def test_a_mistake_is_explained_next_to_its_field(page, synced_app):
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/plans/BR?area=EHWB")
    page.get_by_role("button", name="Edit").click()
    page.fill("#due", "next week")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#due-error")).to_contain_text("Give a date as day/month/year")
    expect(page.locator("#due")).to_have_attribute("aria-invalid", "true")


def test_evidence_is_added_from_a_row_and_appears_in_the_impact_log(page, synced_app):
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/plans/BR?area=EHWB")
    page.get_by_role("button", name="Add evidence").click()
    expect(page.locator("#date")).to_be_focused()
    page.fill("#date", "20/11/2026")
    page.select_option("#activity", "CPD")
    expect(page.locator("#action")).to_have_value("BR-A003")
    page.fill("#summary", "Second attachment twilight")
    page.fill("#strengths", "• Everyone came\n• Good questions")
    page.get_by_role("button", name="Add to the impact log").click()
    expect(page.get_by_role("status").filter(has_text="Added to the impact log as BR-I005")).to_be_focused()
    page.get_by_role("link", name="See the impact log").click()
    entry = page.locator("article.impact-entry", has_text="Second attachment twilight")
    expect(entry).to_contain_text("20 Nov 2026")
    expect(entry).to_contain_text("Everyone came")
    expect(entry).to_contain_text("staff")  # recorded by the signed-in user
    assert page.errors == []


def test_a_conflict_with_the_sheet_is_shown_side_by_side_and_the_editor_chooses(page, synced_app, workbook_dir):
    lock = workbook_dir / ".~lock.bank-road.xlsx#"
    lock.write_text("someone has it open")  # so the edit waits in the outbox
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/plans/BR?area=EHWB")
    page.get_by_role("button", name="Edit").click()
    page.select_option("#status", "Behind")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("article.action-row .chip")).to_have_text("Behind")
    synced_app.extensions["outbox_future"].result(timeout=30)
    lock.unlink()
    book = load_workbook(workbook_dir / "bank-road.xlsx")
    book["Action plan"]["J4"] = "Complete"  # someone in the sheet, meanwhile
    book.save(workbook_dir / "bank-road.xlsx")
    drain_now(synced_app, only_due=False)

    page.reload()
    conflict = page.locator(".sync-conflict")
    expect(conflict).to_contain_text("Changed in the sheet by someone else")
    expect(conflict.locator("table.versions tbody tr")).to_have_text("Status Behind Complete", use_inner_text=True)
    conflict.get_by_role("button", name="Take the sheet's").click()
    row = page.locator("article.action-row", has_text=EHWB)
    expect(row.locator(".chip")).to_have_text("Complete")
    expect(page.locator(".sync-conflict")).to_have_count(0)
    row.get_by_role("button", name="History").click()
    expect(row.locator(".history")).to_contain_text("took the sheet's value")
    assert sheet_status(workbook_dir, "BR-A003") == "Complete"


def test_the_edit_form_fits_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.base = live_server
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(live_server + "/plans/BR?area=EHWB")
    page.get_by_role("button", name="Edit").click()
    page.locator("#status").wait_for()
    settled(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
