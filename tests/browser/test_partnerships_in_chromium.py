"""Across partnerships in Chromium: the county's officer records a development visit,
drafts the report, edits it and publishes it; a head of one partnership finds a school
of another working on the same shared theme."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD, PEOPLE, SUITE_DAY, serving
from ..partnership_helpers import OFFICER, add_other_partnership, add_supporter
from .conftest import new_page, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def county_server(synced_app, workbook_dir):
    """Two partnerships, both sharing with the County Council, served on loopback."""
    add_other_partnership(synced_app, workbook_dir)
    add_supporter(synced_app, workbook_dir, sharing=("oakfield-cluster", "our-partnership"))
    with serving(synced_app) as url:
        yield url


def test_an_officer_records_a_visit_then_drafts_edits_and_publishes_the_report(browser, county_server):
    page = new_page(browser, county_server)
    page.goto(page.base + "/login")
    page.fill("#email", OFFICER)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url(page.base + "/support")
    expect(page.locator("h1")).to_have_text("The partnerships County Council supports")
    page.get_by_role("link", name="Record a development visit").click()
    page.get_by_label("Partnership visited").select_option(label="Oakfield Cluster")
    page.get_by_label("Date of the visit").fill(f"{SUITE_DAY - timedelta(days=2):%Y-%m-%d}")
    page.get_by_label("Who was there").fill("Both heads and the chair of governors")
    page.get_by_label("Successes").fill("Increased accountability to each other\nShared expertise")
    page.get_by_label("Challenges").fill("Releasing staff to undertake partnership work")
    page.get_by_role("button", name="Record the visit").click()
    expect(page.locator("#messages")).to_contain_text("is recorded as D-V")
    expect(page.locator("main")).to_contain_text("Increased accountability to each other")

    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("button", name="Draft the report").click()
    expect(page.locator("h1")).to_contain_text("Draft:")
    point = page.locator("textarea[name^='point-0-']").first
    expect(point).to_have_value("Increased accountability to each other")
    point.fill("Schools hold each other to account")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#messages")).to_contain_text("Your changes are saved")
    page.get_by_role("button", name="Publish the report").click()
    expect(page.locator("#messages")).to_contain_text("The report is published")
    expect(page.locator("main")).to_contain_text("Schools hold each other to account")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download for Word (.docx)").click()
    assert download.value.suggested_filename.endswith(".docx")
    assert not page.errors, page.errors


def test_a_head_finds_a_school_of_another_partnership_on_a_shared_theme(browser, county_server):
    page = new_page(browser, county_server)
    sign_in(page, PEOPLE["br_head"][0], PASSWORD)
    page.get_by_role("link", name="Partnerships", exact=True).click()
    page.get_by_role("link", name="Find who works on a theme in the other partnerships").click()
    page.get_by_role("searchbox", name="Theme").fill("attendance")
    page.get_by_role("button", name="Find").click()
    results = page.locator("table")
    expect(results).to_contain_text("Oakfield Primary School")
    expect(results).to_contain_text("Olu Oke")
    expect(page.locator("main")).not_to_contain_text("Bank Road Infant")
    assert not page.errors, page.errors
