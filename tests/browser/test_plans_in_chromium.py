"""Sign in, filter a plan, go back, open a row: in a real browser, by mouse and by keyboard."""
import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD, PEOPLE
from .conftest import settled, sign_in

pytestmark = pytest.mark.browser

EHWB_ROW = "Embed the emotional health and wellbeing curriculum"
SAFEGUARDING_ROW = "Annual safeguarding audit completed with the link governor"


def test_sign_in_with_the_form_lands_a_head_on_their_schools_work(page):
    sign_in(page, PEOPLE["br_head"][0], PASSWORD)
    assert page.locator("h1").inner_text() == "Bank Road Infant and Nursery School"
    assert page.get_by_role("heading", name="Needs attention").is_visible()
    assert page.errors == []


def test_wrong_password_shows_the_generic_message(page):
    page.goto(page.base + "/login")
    page.fill("#email", PEOPLE["br_head"][0])
    page.fill("#password", "not my password")
    page.click("#submit")
    assert "do not match an account" in page.locator(".form-errors").inner_text()


def test_filtering_by_area_updates_the_list_and_the_url_and_back_restores_it(page):
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/plans/BR")
    page.evaluate("window.stillHere = true")  # gone if the page fully reloads
    page.select_option("#filter-area", "EHWB")
    page.wait_for_url("**/plans/BR?area=EHWB")
    assert page.locator("#plan-rows").get_by_text(EHWB_ROW).is_visible()
    assert page.locator("#plan-rows").get_by_text(SAFEGUARDING_ROW).count() == 0
    assert page.evaluate("window.stillHere") is True  # swapped by htmx, not reloaded
    assert page.evaluate("localStorage.getItem('htmx-history-cache')") is None

    page.go_back()
    page.wait_for_url(page.base + "/plans/BR")
    page.locator("#plan-rows").get_by_text(SAFEGUARDING_ROW).wait_for()
    assert page.locator("#filter-area").input_value() == ""

    page.go_forward()  # the bookmarked, filtered view reloads as it was
    page.wait_for_url("**/plans/BR?area=EHWB")
    # The EHWB row is on the unfiltered page too: wait for the filtered one itself.
    expect(page.locator("#filter-area")).to_have_value("EHWB")
    expect(page.locator("#plan-rows").get_by_text(SAFEGUARDING_ROW)).to_have_count(0)
    page.locator("#plan-rows").get_by_text(EHWB_ROW).wait_for()
    assert page.locator("#plan-rows").get_by_text(SAFEGUARDING_ROW).count() == 0
    assert page.errors == []


def test_a_rows_detail_opens_in_place_and_keeps_the_keyboard_on_it(page):
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/plans/BR?area=EHWB")
    row = page.locator("article.action-row", has_text=EHWB_ROW)
    assert row.get_by_text("Intended outcome").count() == 0
    row.get_by_role("button", name="Show details").click()
    row = page.locator("article.action-row", has_text=EHWB_ROW)
    row.get_by_text("Pupils can name a trusted adult").wait_for()
    hide = row.get_by_role("button", name="Hide details")
    assert hide.get_attribute("aria-expanded") == "true"
    expect(hide).to_be_focused()
    assert page.url.endswith("/plans/BR?area=EHWB")  # opened in place, no navigation

    settled(page)
    page.keyboard.press("Enter")  # the focused toggle closes it again
    expect(page.locator("article.action-row", has_text=EHWB_ROW).get_by_role("button", name="Show details")).to_be_focused()
    assert page.errors == []


def test_space_on_a_rows_show_details_button_opens_it_as_a_button_does(page):
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/plans/BR?area=EHWB")
    row = page.locator("article.action-row", has_text=EHWB_ROW)
    row.get_by_role("button", name="Show details").focus()
    page.keyboard.press("Space")
    row.get_by_text("Pupils can name a trusted adult").wait_for()
    expect(row.get_by_role("button", name="Hide details")).to_be_focused()
    settled(page)
    page.keyboard.press("Space")  # and closes it again
    expect(row.get_by_role("button", name="Show details")).to_be_focused()
    assert row.get_by_text("Pupils can name a trusted adult").count() == 0
    row.get_by_role("button", name="History").focus()
    page.keyboard.press("Space")
    expect(page.locator(f"#history-{row.get_attribute('id').split('-')[1]}")).not_to_be_empty()
    assert page.url.endswith("/plans/BR?area=EHWB")  # in place, no navigation
    assert page.errors == []


def test_the_filter_count_is_announced_from_one_live_region_that_stays_in_the_page(page):
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/plans/BR")
    page.evaluate("window.countRegion = document.querySelector('[role=status].result-count')")
    assert page.evaluate("window.countRegion.getAttribute('aria-live')") == "polite"
    page.select_option("#filter-area", "EHWB")
    page.wait_for_url("**/plans/BR?area=EHWB")
    expect(page.locator(".result-count")).to_have_text("1 row matching area “EHWB”.")
    # The same element, updated in place: a region replaced with the rows may never be read out.
    assert page.evaluate("window.countRegion.isConnected && window.countRegion.textContent.includes('EHWB')")
    assert page.locator("#plan-rows [role=status]").count() == 0
    page.select_option("#filter-area", "")
    expect(page.locator(".result-count")).to_have_text("6 rows.")
    assert page.evaluate("window.countRegion.isConnected") is True
    assert page.errors == []


def test_a_plan_can_be_filtered_and_read_with_the_keyboard_alone(page):
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + "/plans/BR")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.locator("#filter-status").focus()
    page.keyboard.press("ArrowDown")  # All statuses -> Not started
    page.wait_for_url("**/plans/BR?status=Not+started")
    page.locator("#result-count").get_by_text("1 row matching status").wait_for()
    settled(page)
    page.keyboard.press("Tab")  # Only overdue rows
    assert page.evaluate("document.activeElement.id") == "filter-overdue"
    page.keyboard.press("Tab")  # Apply filters
    page.keyboard.press("Tab")  # Clear filters
    page.keyboard.press("Tab")  # Download these rows: CSV
    page.keyboard.press("Tab")  # and Excel
    page.keyboard.press("Tab")  # the row's Show details
    expect(page.get_by_role("button", name="Show details")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Hide details")).to_be_focused()


def test_pages_fit_a_360_pixel_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.base = live_server
    sign_in(page, PEOPLE["wl_head"][0], PASSWORD)
    for path in ("/", "/plans/joint", "/plans/WL", "/plans/WL/problems"):
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide"
    context.close()
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.base = live_server
    sign_in(page, PEOPLE["admin"][0], PASSWORD)
    page.goto(live_server + "/schools/")
    page.get_by_role("button", name="Check the sheets").click()
    page.get_by_role("heading", name="Every workbook is ready").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"/schools/ is {width}px wide"
    context.close()
