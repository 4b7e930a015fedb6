"""Editing in a real browser: by keyboard alone, Escape to cancel, evidence, and a conflict choice."""
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from webapp.syncing import drain_now

from ..conftest import PASSWORD, PEOPLE, days_ago, in_year
from .conftest import settled, sign_in

pytestmark = pytest.mark.browser
EHWB = "Embed the emotional health and wellbeing curriculum"
DUE, EVIDENCE, OTHER = in_year(3, 31), days_ago(16), days_ago(9)  # days of the suite's school year


def sheet_status(workbook_dir, sheet_id):
    book = load_workbook(workbook_dir / "bank-road.xlsx", read_only=True)
    rows = [list(r) for r in book["Action plan"].iter_rows(values_only=True)]
    book.close()
    return next(r[rows[0].index("Status")] for r in rows if r[0] == sheet_id)


def editing(page):
    """The row being edited (its labels name its own fields, whatever else is open)."""
    return page.locator("article.action-row.editing")


def test_two_rows_open_at_once_keep_their_labels_to_their_own_fields(page, synced_app):
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/plans/BR")
    rows = page.locator("article.action-row")
    rows.nth(0).get_by_role("button", name="Add evidence").click()
    rows.nth(1).get_by_role("button", name="Add evidence").click()
    second = page.locator(".evidence-form").nth(1)
    second.wait_for()
    settled(page)
    second.locator("label", has_text="Summary").click()
    expect(second.get_by_label("Summary")).to_be_focused()
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []


def test_a_row_is_edited_with_the_keyboard_alone(page, synced_app, workbook_dir):
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/plans/BR?area=EHWB")
    row = page.locator("article.action-row", has_text=EHWB)
    row.get_by_role("button", name="Show details").focus()
    page.keyboard.press("Tab")  # on to Edit
    expect(row.get_by_role("button", name="Edit")).to_be_focused()
    page.keyboard.press("Enter")
    status = editing(page).get_by_label("Status")
    expect(status).to_be_focused()
    settled(page)
    page.keyboard.press("ArrowDown")  # At risk -> Behind
    expect(status).to_have_value("Behind")
    page.keyboard.press("Tab")
    expect(editing(page).get_by_label("Due")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type(f"{DUE:%d/%m/%Y}")
    page.keyboard.press("Enter")  # submits the form
    row = page.locator("article.action-row", has_text=EHWB)
    expect(row.locator(".chip")).to_have_text("Behind")
    expect(row).to_contain_text(f"31 Mar {DUE.year}")
    expect(row.get_by_role("button", name="Edit")).to_be_focused()  # the keyboard is back on the row
    expect(row.locator(".sync-state")).to_contain_text("Saved to the sheet", timeout=15_000)  # it polls
    assert sheet_status(workbook_dir, "BR-A003") == "Behind"
    assert page.errors == []


def test_escape_cancels_an_edit_and_nothing_is_saved(page, synced_app, workbook_dir):
    sign_in(page, PEOPLE["br_head"][0], PASSWORD)
    page.goto(page.base + "/plans/BR?area=EHWB")
    page.get_by_role("button", name="Edit").click()
    editing(page).get_by_label("Status").select_option("Complete")
    settled(page)
    editing(page).get_by_label("Lead").press("Escape")
    row = page.locator("article.action-row", has_text=EHWB)
    expect(row.locator(".chip")).to_have_text("At risk")
    expect(row.get_by_role("button", name="Edit")).to_be_focused()
    assert sheet_status(workbook_dir, "BR-A003") == "Amber"  # as the school typed it: untouched


def test_a_mistake_is_explained_next_to_its_field(page, synced_app):
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/plans/BR?area=EHWB")
    page.get_by_role("button", name="Edit").click()
    editing(page).get_by_label("Due").fill("next week")
    page.get_by_role("button", name="Save").click()
    due = editing(page).get_by_label("Due")
    expect(due).to_have_attribute("aria-invalid", "true")
    hint, error = (page.locator("#" + i) for i in due.get_attribute("aria-describedby").split())  # tied to the field
    expect(hint).to_contain_text(f"a term (Summer {DUE.year}) or TBC")  # how to write it, this year's examples
    expect(error).to_contain_text(f"a term or half-term (Summer {DUE.year}, Autumn 1 {DUE.year - 1})")  # this year's
    expect(due).to_have_accessible_description(re.compile("or TBC.*Give a date"))  # both read out with the field


def test_evidence_is_added_from_a_row_and_appears_in_the_impact_log(page, synced_app):
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/plans/BR?area=EHWB")
    page.get_by_role("button", name="Add evidence").click()
    form = page.locator(".evidence-form")
    expect(form.get_by_label("Date")).to_be_focused()
    form.get_by_label("Date").fill(f"{EVIDENCE:%d/%m/%Y}")
    form.get_by_label("Activity").select_option("CPD")
    expect(form.get_by_label("Action")).to_have_value("BR-A003")
    form.get_by_label("Summary").fill("Second attachment twilight")
    form.get_by_label("Strengths").fill("• Everyone came\n• Good questions")
    page.get_by_role("button", name="Add to the impact log").click()
    expect(page.get_by_role("status").filter(has_text="Added to the impact log as BR-I005")).to_be_focused()
    page.get_by_role("link", name="See the impact log").click()
    entry = page.locator("article.impact-entry", has_text="Second attachment twilight")
    expect(entry).to_contain_text(f"{EVIDENCE.day} {EVIDENCE:%b %Y}")
    expect(entry).to_contain_text("Everyone came")
    expect(entry).to_contain_text("staff")  # recorded by the signed-in user
    assert page.errors == []


def test_a_conflict_with_the_sheet_is_shown_side_by_side_and_the_editor_chooses(page, synced_app, workbook_dir):
    lock = workbook_dir / ".~lock.bank-road.xlsx#"
    lock.write_text("someone has it open")  # so the edit waits in the outbox
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/plans/BR?area=EHWB")
    page.get_by_role("button", name="Edit").click()
    editing(page).get_by_label("Status").select_option("Behind")
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
    conflict.get_by_role("button", name="Take the sheet’s").click()
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
    editing(page).get_by_label("Status").wait_for()
    settled(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_evidence_is_added_on_the_impact_log_page_by_keyboard_and_a_mistake_is_kept_for_correction(page, synced_app):
    sign_in(page, PEOPLE["br_head"][0], PASSWORD)
    page.goto(page.base + "/plans/BR/impact")
    expect(page.locator(".result-count")).to_have_text("4 entries.")
    summary = page.locator("details.add-evidence summary")
    summary.focus()
    page.keyboard.press("Enter")  # opens the form
    form = page.locator("details.add-evidence form")
    form.get_by_label("Date").fill(f"31/02/{DUE.year}")  # no such day
    form.get_by_label("Summary").fill("Phonics network at William Lilley")
    form.get_by_label("Activity").select_option("Network")
    form.get_by_role("button", name="Add to the impact log").click()
    date = page.locator("details.add-evidence form").get_by_label("Date")
    expect(date).to_have_attribute("aria-invalid", "true")
    expect(page.locator("details.add-evidence form").get_by_label("Summary")).to_have_value(
        "Phonics network at William Lilley")  # what was typed is kept
    date.fill(f"{OTHER:%d/%m/%Y}")
    page.keyboard.press("Tab")
    page.locator("details.add-evidence form").get_by_role("button", name="Add to the impact log").press("Enter")
    expect(page.get_by_role("status").filter(has_text="Added BR-I005")).to_be_visible()
    entry = page.locator("article.impact-entry", has_text="Phonics network at William Lilley")
    expect(entry).to_contain_text(f"{OTHER.day} {OTHER:%b %Y}")
    expect(page.locator(".result-count")).to_have_text("5 entries.")
    assert [e for e in page.errors if "422" not in e] == []  # the refused first try is the only error
