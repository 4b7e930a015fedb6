"""Payloads planted in sheet cells, in a real browser: no dialog opens, no element is
injected, and the Content Security Policy reports nothing, on the pages that show them."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from domain.models import ActionRow, Workbook
from webapp.extensions import db

from ..conftest import PASSWORD, PEOPLE
from ..web.test_payloads_inert import SCRIPT, payload_hub
from .conftest import settled, sign_in

pytestmark = pytest.mark.browser

WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture
def synced_app(app, workbook_dir):  # the live server serves the hub with payloads in its cells
    return payload_hub(app, workbook_dir)


def test_pages_showing_payloads_run_none_of_them(page, synced_app):
    with synced_app.app_context():
        br = db.session.scalar(select(Workbook.id).where(Workbook.code == "BR"))
        row_id = db.session.scalar(select(ActionRow.id).where(ActionRow.workbook_id == br).order_by(ActionRow.id))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.context.add_init_script(WATCH)
    sign_in(page, PEOPLE["br_head"][0], PASSWORD)
    for path in ("/", "/plans/BR", f"/plans/BR/rows/{row_id}", "/plans/BR/impact", "/priorities", "/calendar",
                 "/summary/BR", "/plans/joint"):
        page.goto(page.base + path)
        settled(page)
        expect(page.locator("main")).to_contain_text("alert(1)")  # the payload is there, as text
        assert page.locator("img[src='x']").count() == 0, path
        assert not page.evaluate("[...document.scripts].some(s => s.textContent.includes('alert(1)'))"), path
        assert not page.evaluate("[...document.querySelectorAll('[href^=\"javascript:\" i]')].length"), path
        assert page.evaluate("window.__violations") == [], path
    # An inline edit puts cell text into inputs: the payload stays their value.
    page.goto(page.base + f"/plans/BR/rows/{row_id}/edit")
    settled(page)
    assert page.locator("img[src='x']").count() == 0
    assert any(SCRIPT in value or "alert(1)" in value for value in
               page.locator("input, textarea").evaluate_all("els => els.map(e => e.value)"))
    assert page.evaluate("window.__violations") == []
    assert dialogs == [] and page.errors == []
