"""The turn of the school year in Chromium: the coordinator starts the next year, a head
carries two unfinished rows into the new plan, then opens last year's plan to read it."""
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from domain import dates, years
from webapp.syncing import drain_now, sync_now

from ..conftest import PASSWORD, PEOPLE, SUITE_DAY
from .conftest import new_page, sign_in

pytestmark = pytest.mark.browser


def test_a_coordinator_starts_the_year_and_a_head_carries_two_rows_then_reads_last_years_plan(
        page, browser, synced_app, monkeypatch):
    this = years.school_year_of(SUITE_DAY)
    monkeypatch.setattr(dates, "uk_today", lambda: date(this + 1, 6, 21))  # the summer term: the next may start
    sign_in(page, PEOPLE["admin"][0], PASSWORD)
    page.get_by_role("link", name="Schools").click()
    page.get_by_role("link", name="School years").click()
    expect(page.locator("h1")).to_have_text("School years")
    expect(page.get_by_role("group", name="Bank Road Infant and Nursery School")).to_contain_text(
        f"The same workbook, in tabs named “Action plan {years.short(this + 1)}”")
    page.get_by_role("button", name=f"Start {years.label(this + 1)}").click()
    expect(page.locator("#messages")).to_contain_text(f"The {years.label(this + 1)} school year has started")
    drain_now(synced_app, only_due=False)  # the new tabs to the sheets, then the new year read
    sync_now(synced_app, "test")

    head = new_page(browser, page.base)  # the head, on their own computer
    sign_in(head, PEOPLE["br_head"][0], PASSWORD)
    head.goto(head.base + "/plans/BR")
    expect(head.locator("hgroup")).to_contain_text(years.label(this + 1))
    head.get_by_role("link", name="Carry last year's unfinished rows into this plan").click()
    boxes = head.get_by_role("checkbox")
    expect(boxes.first).to_be_visible()
    boxes.nth(0).check()
    boxes.nth(1).check()
    head.get_by_role("button", name="Carry the chosen rows").click()
    expect(head.locator("#messages")).to_contain_text(re.compile(r"2 rows carried into this year's plan"))
    expect(head.locator(".carry-note")).to_have_count(2)  # shown at once, on their way to the sheet

    switch = head.get_by_role("navigation", name="School year")
    switch.get_by_role("link", name=years.short(this)).click()
    expect(head).to_have_url(head.base + f"/plans/BR?year={this}")
    expect(head.get_by_role("note")).to_contain_text("which is over")
    expect(head.locator(".carry-note")).to_have_count(2)
    expect(head.locator(".carry-note").first).to_contain_text("Carried into")
    expect(head.get_by_role("link", name=re.compile("^Edit"))).to_have_count(0)  # read-only
    assert head.errors == [] and page.errors == []
    head.context.close()
