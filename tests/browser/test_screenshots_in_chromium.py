"""The demo as a newcomer sees it after `make run`, photographed in Chromium: every role's
home at a desktop's and a phone's width, and a governors' summary. The README shows two
of them (docs/screenshots/), made here on each run so that they stay true; the rest go to
test-artifacts/screenshots/ to be looked at. Each home must start with "For you" and fit
its screen."""
from pathlib import Path

import pytest
from playwright.sync_api import expect

from config import TestConfig
from webapp import create_app
from webapp.commands import DEMO_PASSWORD, DEMO_USERS
from webapp.extensions import db

from ..conftest import serving
from .conftest import settled, sign_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
README_SHOTS = ROOT / "docs" / "screenshots"
LOOKED_AT = ROOT / "test-artifacts" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 360}
# One account of each kind: the coordinator, Bank Road's head, teacher and governor (its chair).
ACCOUNTS = [user for user in DEMO_USERS if user[2] in (None, "BR")]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """`make run`'s demo (demo init: the workbooks written for today, synced, the demo's
    people), served on loopback."""
    folder = tmp_path_factory.mktemp("demo")
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'demo.sqlite'}",
                     WORKBOOK_DIR=str(folder / "workbooks"), PARTNERSHIP_WORKBOOK="partnership.xlsx")
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["demo", "init"])
    assert result.exit_code == 0, result.output
    with serving(app) as url:
        yield url


def test_every_home_starts_with_what_is_yours_to_do_and_the_readme_shows_it(browser, demo_server):
    README_SHOTS.mkdir(parents=True, exist_ok=True)
    LOOKED_AT.mkdir(parents=True, exist_ok=True)
    for email, role, _, name in ACCOUNTS:
        for kind, width in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()
            page.base = demo_server
            sign_in(page, email, DEMO_PASSWORD)
            settled(page)
            first = page.locator("main section").first
            expect(first).to_have_id("for-you")  # what is theirs to do comes first
            expect(first.locator("h2")).to_contain_text("For you")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (role, kind)
            page.screenshot(path=LOOKED_AT / f"home-{role}-{kind}.png", full_page=True)
            if role == "head" and kind == "desktop":
                page.screenshot(path=README_SHOTS / "home-head.png")
            if role == "governor" and kind == "phone":
                page.goto(page.base + "/summary/BR")
                expect(page.locator("h1")).to_contain_text("Bank Road")
                page.screenshot(path=README_SHOTS / "summary-governor-phone.png")
            context.close()
