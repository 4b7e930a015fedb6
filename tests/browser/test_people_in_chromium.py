"""A coordinator runs people in Chromium: invites someone who then signs in with the link
shown on screen, filters, searches and pages the list, and deactivates a person whose
session is open elsewhere."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from domain.models import School, User
from webapp.extensions import db

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
    page.get_by_label("Find someone").fill("@wl.")
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


def test_the_people_are_searched_and_paged_in_place_and_the_address_keeps_both(page, synced_app):
    with synced_app.app_context():
        schools = {s.code: s for s in db.session.scalars(select(School))}
        for n in range(110):
            db.session.add(User(email=f"person{n:03}@br.test.school", name=f"Person {n:03}", role="staff",
                                school=schools["BR"], password_hash="!"))
        db.session.add(User(email="zq@wl.test.school", name="Zebedee Quill", role="governor", school=schools["WL"],
                            password_hash="!"))
        db.session.commit()
    sign_in(page, PEOPLE["admin"][0], PASSWORD)
    page.goto(page.base + "/people")
    heading = page.locator("h1")
    heading.evaluate("h => h.dataset.first = 'yes'")  # gone if the whole page were loaded again
    expect(page.locator("#people-list tbody tr")).to_have_count(50)
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url("**/people?page=2")
    settled(page)
    expect(page.locator("#people-list")).to_contain_text("Page 2 of 3")
    expect(page.locator("#people-list-heading")).to_be_focused()  # the keyboard goes to the new page's start
    expect(page.locator("#people-list tbody tr").first).to_contain_text("Person 045")
    assert heading.evaluate("h => h.dataset.first") == "yes"  # htmx swapped the list alone

    page.get_by_label("Find someone").fill("bede")  # part of a name
    page.wait_for_url("**/people?q=bede")
    settled(page)
    expect(page.locator("#people-list tbody tr")).to_have_count(1)
    expect(page.locator("#people-list tbody tr")).to_contain_text("Zebedee Quill")
    expect(page.locator("#result-count")).to_have_text("1 person matches these filters.")

    page.get_by_label("Find someone").fill("person")
    page.wait_for_url("**/people?q=person")
    settled(page)
    expect(page.locator("#result-count")).to_have_text("110 people match these filters: 1 to 50 shown.")
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url("**/people?q=person&page=2")
    settled(page)
    expect(page.locator("#people-list tbody tr").first).to_contain_text("Person 050")
    page.go_back()  # the address was the list's: back is the first page of the search
    page.wait_for_url("**/people?q=person")
    expect(page.locator("#people-list tbody tr").first).to_contain_text("Person 000")
    assert page.errors == []


def test_the_people_search_and_pages_work_without_scripts(browser, live_server, synced_app):
    with synced_app.app_context():
        schools = {s.code: s for s in db.session.scalars(select(School))}
        for n in range(60):
            db.session.add(User(email=f"person{n:03}@wl.test.school", name=f"Person {n:03}", role="staff",
                                school=schools["WL"], password_hash="!"))
        db.session.commit()
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.base = live_server
    sign_in(plain, PEOPLE["admin"][0], PASSWORD)
    plain.goto(live_server + "/people")
    plain.get_by_label("Find someone").fill("william lilley")  # a school's name
    plain.get_by_role("button", name="Apply filters").click()
    plain.wait_for_url("**/people?q=william+lilley**")
    expect(plain.locator("#result-count")).to_contain_text("63 people match these filters: 1 to 50 shown.")
    plain.get_by_role("link", name="Next →").click()
    plain.wait_for_url("**/people?q=william+lilley&page=2")
    expect(plain.locator("#people-list tbody tr")).to_have_count(13)
    context.close()
