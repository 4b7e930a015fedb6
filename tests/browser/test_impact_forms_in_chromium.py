"""An impact form completed in two browsers, host and visitor, with a note about the
ratio of strengths to areas to develop; both confirm, and it is final and in the
directory of who is strong at what."""
import re

import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD, PEOPLE, past_visit
from .conftest import new_page, settled, sign_in

pytestmark = pytest.mark.browser


def test_host_and_visitor_complete_and_confirm_an_impact_form_in_two_browsers(page, browser, synced_app):
    event_id = past_visit(synced_app)  # a behaviour QA visit, past: WL hosts, BR visits
    host = page
    sign_in(host, PEOPLE["wl_head"][0], PASSWORD)
    host.goto(f"{host.base}/impact-forms/event/{event_id}")
    host.get_by_role("button", name="Start the impact form").click()
    expect(host).to_have_url(re.compile(r"/impact-forms/\d+$"))
    form_url = host.url
    host.get_by_label("What happened").fill("Behaviour QA visit: lunchtimes and the quiet area.")
    host.get_by_label("New strength").fill("Calm, well-organised lunchtimes")
    host.locator("#list-strengths").get_by_role("button", name="Add").click()
    settled(host)
    expect(host.locator("#list-strengths li")).to_have_text(
        ["Calm, well-organised lunchtimes Remove “Calm, well-organised lunchtimes”"])
    expect(host.get_by_label("New strength")).to_be_focused()  # ready for the next point
    host.get_by_label("New area to develop").fill("Zone the play equipment")
    host.keyboard.press("Enter")  # Enter saves, adding what is typed
    settled(host)
    expect(host.locator("#list-areas li")).to_have_count(1)
    ratio = host.locator("#form-ratio")
    expect(ratio).to_have_attribute("role", "status")
    expect(ratio).to_contain_text("1 strength to 1 area to develop")
    expect(ratio).to_contain_text("Fewer strengths than the policy's about three")
    # Typed as text, one per line: the ratio is redrawn as it is typed (not saved yet).
    host.locator("#list-areas summary").click()
    areas = host.get_by_label("Areas to develop, one per line")
    areas.press("End")
    areas.type("\nMore midday supervisors on the field")
    expect(ratio).to_contain_text("1 strength to 2 areas to develop")
    settled(host)
    host.get_by_role("button", name="Confirm for the host school").click()
    settled(host)
    expect(host.locator("#impact-form [role=status]").first).to_contain_text("Waiting for the other school")
    expect(host.locator("#impact-form")).to_contain_text("Confirmed for the host school by head (WL)")
    expect(host.locator("#form-ratio")).to_contain_text("Fewer strengths")  # said, never blocking

    visitor = new_page(browser, host.base)
    try:
        sign_in(visitor, PEOPLE["br_staff"][0], PASSWORD)
        visitor.goto(form_url)
        expect(visitor.locator("#list-areas li")).to_have_count(2)
        expect(visitor.locator("#form-ratio")).to_contain_text("1 strength to 2 areas to develop")
        visitor.get_by_role("button", name="Confirm for the visiting school").click()
        settled(visitor)
        expect(visitor.locator("#impact-form")).to_contain_text("Final")
        expect(visitor.locator("#impact-form")).to_contain_text("Confirmed for the visiting school by staff (BR)")
        expect(visitor.get_by_role("button", name=re.compile("Confirm"))).to_have_count(0)
        visitor.goto(visitor.base + "/strengths")
        entry = visitor.locator("#strength-groups li", has_text="Calm, well-organised lunchtimes")
        expect(entry).to_contain_text("William Lilley")
        entry.get_by_role("link", name="the impact form").click()
        expect(visitor).to_have_url(form_url)
        assert visitor.errors == []
    finally:
        visitor.context.close()
    host.reload()
    expect(host.locator("#impact-form")).to_contain_text("In WL's impact log as WL-I005")
    assert host.errors == []
