"""A coordinator runs people in Chromium: invites someone who then signs in with the link
shown on screen, filters the list, and deactivates a person whose session is open elsewhere."""
import pytest
from playwright.sync_api import expect

from ..conftest import PASSWORD, PEOPLE
from .conftest import settled, sign_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a fresh long password"


def test_a_coordinator_invites_a_person_who_chooses_a_password_and_is_signed_in(page, browser):
    sign_in(page, PEOPLE["admin"][0], PASSWORD)
    page.get_by_role("link", name="People").click()
    page.get_by_role("button", name="Invite a person").click()
    page.get_by_label("E-mail").fill("nia@br.test.school")
    page.get_by_label("Name").fill("Nia Newcomer")
    page.get_by_label("Role").select_option(label="Governor")
    page.get_by_label("School").select_option(label="Bank Road Infant and Nursery School")
    page.get_by_label("Chair of governors (governors only)").check()
    page.get_by_role("button", name="Invite").click()
    expect(page.locator("h1")).to_have_text("Nia Newcomer is invited.")
    expect(page.locator("article")).to_contain_text("Mail is not set up for the hub")
    link = page.get_by_label("Their link to choose a password").input_value()
    assert link.startswith(page.base + "/password/")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=page.base)
    page.get_by_role("button", name="Copy link").click()  # shown once: copied in one click
    expect(page.locator(".copy-done")).to_have_text("Copied. Paste it into a message only they read.")
    assert page.evaluate("navigator.clipboard.readText()") == link

    context = browser.new_context()  # the newcomer, on their own computer
    newcomer = context.new_page()
    newcomer.goto(link)
    newcomer.get_by_label("New password (at least 12 characters)").fill(NEW_PASSWORD)
    newcomer.get_by_label("The same password again").fill(NEW_PASSWORD)
    newcomer.keyboard.press("Enter")
    newcomer.wait_for_url(page.base + "/")
    expect(newcomer.locator("#messages")).to_contain_text("Your password is set, Nia Newcomer. You are signed in.")
    expect(newcomer.locator("footer")).to_contain_text("Signed in as Nia Newcomer (governor")
    context.close()

    page.goto(page.base + "/people")
    row = page.locator("tr", has_text="nia@br.test.school")
    expect(row).to_contain_text("Governor")
    expect(row.locator("td[data-label='Chair of governors']")).to_have_text("Yes")
    expect(row.locator("td[data-label='Last sign-in']")).not_to_have_text("Never")
    assert page.errors == []


def test_filters_narrow_the_people_and_change_the_address(page):
    sign_in(page, PEOPLE["admin"][0], PASSWORD)
    page.goto(page.base + "/people")
    page.get_by_label("Role").select_option(label="Head teacher")
    page.wait_for_url("**/people?role=head")
    settled(page)
    expect(page.locator("#people-list tbody tr")).to_have_count(2)
    page.get_by_label("Name or e-mail").fill("@wl.")
    page.wait_for_url("**/people?q=@wl.&role=head")
    settled(page)
    expect(page.locator("#people-list tbody tr")).to_have_count(1)
    expect(page.locator("#result-count")).to_have_text("1 person matches these filters.")
    assert page.errors == []


def test_a_deactivated_persons_next_click_in_their_open_session_lands_on_sign_in(page, browser):
    context = browser.new_context()
    teacher = context.new_page()
    teacher.base = page.base
    sign_in(teacher, PEOPLE["br_staff"][0], PASSWORD)

    sign_in(page, PEOPLE["admin"][0], PASSWORD)
    page.goto(page.base + "/people?q=staff@br")
    page.get_by_role("link", name="staff").first.click()
    page.get_by_role("button", name="Deactivate").click()
    expect(page.locator("#messages")).to_contain_text("is deactivated: they are signed out everywhere")

    teacher.get_by_role("link", name="Joint plan").click()
    teacher.wait_for_url("**/login**")
    expect(teacher.locator("h1")).to_have_text("Sign in")
    context.close()
    assert page.errors == []
