"""The calendar in a real browser: a reply by keyboard and a change of mind, the filters
changing the address, and the month on a phone."""
from playwright.sync_api import expect
from sqlalchemy import select

from domain.models import CalendarEvent, EventReply
from webapp.extensions import db

from ..conftest import PASSWORD, PEOPLE
from .conftest import settled, sign_in


def _event_id(app, sheet_id):
    with app.app_context():
        return db.session.scalar(select(CalendarEvent).where(CalendarEvent.sheet_id == sheet_id)).id


def test_reply_to_an_invitation_with_the_keyboard_then_change_the_reply(page, synced_app):
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    page.goto(page.base + f"/calendar/events/{_event_id(synced_app, 'J-E003')}")
    page.get_by_label("Note to the host (optional)").focus()
    page.keyboard.type("Bringing our Year 2 books")
    page.keyboard.press("Tab")  # to "I'm coming"
    expect(page.get_by_role("button", name="I'm coming")).to_be_focused()
    page.keyboard.press("Enter")
    message = page.locator("#reply-box [role=status]")
    expect(message).to_contain_text("You are coming.")
    settled(page)
    expect(message).to_be_focused()  # the keyboard stays with the answer
    expect(page.locator("#my-reply")).to_contain_text("Coming")
    expect(page.locator("#my-reply")).to_contain_text("Bringing our Year 2 books")

    page.keyboard.press("Tab")  # the note, with what was typed kept
    expect(page.get_by_label("Note to the host (optional)")).to_have_value("Bringing our Year 2 books")
    page.keyboard.press("Control+a")
    page.keyboard.type("Sorry: Ofsted call")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past "Still coming" to "I can't come"
    expect(page.get_by_role("button", name="I can't come")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#reply-box [role=status]")).to_contain_text("You have declined.")
    settled(page)
    expect(page.locator("#my-reply")).to_contain_text("Not coming")
    page.reload()
    expect(page.locator("#my-reply")).to_contain_text("Sorry: Ofsted call")
    with synced_app.app_context():
        rows = db.session.scalars(select(EventReply).where(EventReply.email == PEOPLE["br_staff"][0])).all()
        assert [(r.reply, r.note) for r in rows] == [("Declined", "Sorry: Ofsted call")]
    assert page.errors == []


def test_filters_change_the_address_and_back_restores_them(page, demo):
    sign_in(page, PEOPLE["wl_staff"][0], PASSWORD)
    page.goto(page.base + "/calendar")
    results = page.locator("#calendar-results")
    expect(results).to_contain_text("Maths: fractions")
    page.select_option("#filter-type", "visit")
    page.wait_for_url("**/calendar?type=visit")
    settled(page)
    expect(results).not_to_contain_text("Maths: fractions")
    expect(results).to_contain_text("Quality assurance visit: safeguarding")
    page.select_option("#filter-school", "BR")
    page.wait_for_url("**/calendar?type=visit&school=BR")
    settled(page)
    expect(page.locator("#calendar-results [role=status]")).to_contain_text("matching the filters")
    page.go_back()
    page.wait_for_url("**/calendar?type=visit")
    expect(page.locator("#filter-school")).to_have_value("")
    maths = demo.event_day("J-E003")  # the maths network's month
    page.goto(page.base + f"/calendar/month/{maths:%Y-%m}?type=network")
    expect(results).to_contain_text("Maths: fractions")
    page.select_option("#filter-type", "visit")
    page.wait_for_url(f"**/calendar/month/{maths:%Y-%m}?type=visit")
    settled(page)
    expect(results).not_to_contain_text("Maths: fractions")
    expect(page.locator("#calendar-results [role=status]")).to_contain_text(f"in {maths:%B %Y}")
    assert page.errors == []


def test_the_month_reads_as_a_list_of_days_on_a_phone(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.base = live_server
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    maths = demo.event_day("J-E003")
    page.goto(page.base + f"/calendar/month/{maths:%Y-%m}")
    day = page.locator(".month-grid td", has_text="Maths: fractions")
    expect(day).to_contain_text(f"{maths:%A} {maths.day} {maths:%B %Y}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways at 360 px ({width} px)"
    context.close()


def test_an_invitation_answered_from_the_home_leaves_for_you_and_the_count_follows(page, synced_app):
    sign_in(page, PEOPLE["br_staff"][0], PASSWORD)
    count = page.locator("nav .nav-count")
    before = int(count.inner_text().split()[0])
    first = page.locator("#for-you li.for-you-reply").first
    line_id = first.get_attribute("id")
    event = first.get_by_role("link").inner_text()
    first.get_by_role("button", name="I'm coming").click()
    message = page.locator("#for-you [role=status]")
    expect(message).to_contain_text("You are coming.")
    settled(page)
    expect(message).to_be_focused()  # the keyboard stays with the answer
    expect(page.locator(f"#{line_id}")).to_have_count(0)
    expect(count).to_have_text(f"{before - 1} waiting for you")  # the navigation fetched its figure again

    page.goto(page.base + "/calendar")  # another page: the figure arrives after it
    expect(page.locator("nav .nav-count")).to_have_text(f"{before - 1} waiting for you")
    with synced_app.app_context():
        reply = db.session.scalar(select(EventReply).where(EventReply.email == PEOPLE["br_staff"][0]))
        assert reply.reply == "Confirmed", event
    assert page.errors == []
