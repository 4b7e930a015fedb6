"""The termly review's two steps in two browsers: the head signs, the chair of governors
sees it after a reload and confirms, and the plan then shows the confirmed review."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from domain.models import User
from webapp.extensions import db

from ..conftest import PASSWORD, PEOPLE
from .conftest import settled, sign_in

pytestmark = pytest.mark.browser


def test_a_head_signs_and_the_chair_confirms_in_another_browser(page, browser, synced_app):
    with synced_app.app_context():
        governor = db.session.scalar(select(User).where(User.email == PEOPLE["br_governor"][0]))
        governor.chair, governor.name = True, "Andy Hitchcock"
        db.session.commit()

    sign_in(page, PEOPLE["br_head"][0], PASSWORD)
    page.goto(page.base + "/plans/BR")
    expect(page.locator(".review-standing")).to_contain_text("No confirmed review yet")
    page.locator(".review-standing").get_by_role("link", name="Reviews").click()
    page.get_by_role("button", name=re.compile(r"^Start the review of the (Autumn|Spring|Summer) term")).click()
    expect(page.locator("h1")).to_have_text(re.compile("^Review of Bank Road"))
    review_url = page.url

    context = browser.new_context()  # the chair, on their own computer
    chair = context.new_page()
    chair.set_default_timeout(10_000)
    chair.base = page.base
    sign_in(chair, PEOPLE["br_governor"][0], PASSWORD)
    chair.goto(review_url)
    expect(chair.locator("#review-steps")).to_contain_text("Chairs of governors confirm once every head teacher has signed")
    expect(chair.get_by_role("button", name="I confirm this review")).to_have_count(0)

    page.get_by_label("Comment (optional)").fill("Writing is behind; the rest on track.")
    page.get_by_role("button", name="I sign this review as head teacher of Bank Road Infant and Nursery School").click()
    settled(page)
    message = page.locator("#review-steps .flash[role=status]")
    expect(message).to_contain_text("You signed this review")
    expect(message).to_be_focused()
    expect(page.get_by_role("button", name=re.compile("^I sign this review"))).to_have_count(0)

    chair.reload()
    expect(chair.locator("#review-steps")).to_contain_text("Signed by head (Head teacher, Bank Road")
    expect(chair.locator("#review-steps")).to_contain_text("Writing is behind; the rest on track.")
    chair.get_by_label("Comment (optional)").fill("Agreed by the joint committee.")
    chair.get_by_role("button", name="I confirm this review").click()
    settled(chair)
    confirmed = chair.locator("#review-steps .flash[role=status]")
    expect(confirmed).to_contain_text("You confirmed this review")
    expect(confirmed).to_be_focused()
    expect(chair.locator("#review-steps")).to_contain_text("Confirmed on")
    expect(chair.get_by_role("button", name="I confirm this review")).to_have_count(0)

    chair.goto(chair.base + "/plans/BR")
    expect(chair.locator(".review-standing")).to_contain_text(re.compile(r"Last review: (Autumn|Spring|Summer) term"))
    page.goto(page.base + "/plans/BR")
    expect(page.locator(".review-standing")).to_contain_text("confirmed")
    assert page.errors == []
    context.close()


def test_signing_works_without_javascript(browser, live_server, synced_app):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server
    sign_in(page, PEOPLE["br_head"][0], PASSWORD)
    page.goto(page.base + "/plans/BR/reviews")
    page.get_by_role("button", name=re.compile("^Start the review")).click()
    page.get_by_role("button", name=re.compile("^I sign this review as head teacher")).click()
    expect(page.locator("#messages")).to_contain_text("You signed this review")
    expect(page.locator("#review-steps")).to_contain_text("Heads signed")
    context.close()
