"""On a 360 px phone no table hides a column without a cue; Sync now's wait counts down."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from domain.models import ActionRow, OutboxEntry, SyncRun, User, utcnow
from webapp.extensions import db

from ..conftest import PASSWORD, PEOPLE
from .conftest import sign_in

pytestmark = pytest.mark.browser

# Each cell with something in it lies inside the phone's width, or its table's box
# scrolls with a visible cue (.scroll-cue). Returns the cells that do neither.
HIDDEN_CELLS = """(selector) => {
  const hidden = [];
  for (const table of document.querySelectorAll(selector)) {
    const box = table.closest('.table-scroll');
    const cue = box && box.querySelector('.scroll-cue');
    const cued = cue && cue.offsetParent !== null && box.scrollWidth > box.clientWidth;
    for (const cell of table.querySelectorAll('td, th')) {
      if (!cell.textContent.trim() || cell.closest('thead')) continue;
      const r = cell.getBoundingClientRect();
      const visible = r.width > 0 && r.left >= 0 && r.right <= window.innerWidth + 0.5;
      if (!visible && !cued) hidden.push(cell.textContent.trim() + ' @' + Math.round(r.left) + '-' + Math.round(r.right));
    }
  }
  return hidden;
}"""


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.base = live_server
    yield page
    context.close()


def test_the_joint_plan_progress_shows_every_column_on_a_phone(phone):
    sign_in(phone, PEOPLE["br_staff"][0], PASSWORD)
    expect(phone.locator("table.progress-table")).to_be_visible()
    assert phone.evaluate(HIDDEN_CELLS, "table.progress-table") == []
    expect(phone.locator("table.progress-table td", has_text="1").first).to_be_visible()


def test_both_versions_of_a_conflict_show_on_a_phone(phone, synced_app):
    with synced_app.app_context():
        row = db.session.scalar(select(ActionRow).where(ActionRow.sheet_id == "BR-A003"))
        staff = db.session.scalar(select(User).where(User.email == PEOPLE["br_staff"][0]))
        db.session.add(OutboxEntry(
            workbook_id=row.workbook_id, kind="edit", tab="Action plan", sheet_id=row.sheet_id, row_id=row.id,
            fields={"impact_to_date": {"seen": "", "new": "Six staff trained: https://docs.example.org/attachment-aware-practice-training-record-2026"},
                    "status": {"seen": "At risk", "new": "Behind"}},
            sheet_values={"impact_to_date": "Four staff trained, as the sheet says", "status": "Complete"},
            state="conflict", created_by="staff", created_by_id=staff.id))
        db.session.commit()
        row_id = row.id
    sign_in(phone, PEOPLE["br_staff"][0], PASSWORD)
    phone.goto(phone.base + f"/plans/BR/rows/{row_id}")
    expect(phone.locator("table.versions")).to_be_visible()
    assert phone.evaluate(HIDDEN_CELLS, "table.versions") == []
    expect(phone.locator("table.versions td", has_text="as the sheet says")).to_be_in_viewport()


def test_available_again_counts_down_and_the_button_comes_back(page, synced_app):
    sign_in(page, PEOPLE["br_head"][0], PASSWORD)  # first: signing in takes seconds on a loaded machine
    with synced_app.app_context():
        started = db.session.scalar(select(SyncRun.started_at).order_by(SyncRun.started_at.desc()).limit(1))
    # Make the once-a-minute rule end about eight seconds from now, then show the home again.
    synced_app.config["SYNC_NOW_MIN_SECONDS"] = int((utcnow() - started).total_seconds()) + 8
    page.reload()
    panel = page.locator("#sync-now")
    button = panel.get_by_role("button", name="Sync now")
    expect(button).to_be_disabled()
    note = panel.locator("#sync-wait")
    expect(note).to_have_text(__import__("re").compile(r"Available again in [1-8] seconds?\."))
    first = note.inner_text()
    page.wait_for_timeout(1500)
    assert note.inner_text() != first  # it counts down while it is read
    expect(note).to_have_text("Available now.", timeout=15_000)
    expect(button).to_be_enabled()
    assert page.errors == []


def test_on_a_phone_the_navigation_is_one_line_and_its_menu_opens_the_links(phone):
    sign_in(phone, PEOPLE["br_head"][0], PASSWORD)
    header = phone.locator("header.site-header")
    menu = phone.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    calendar = phone.locator("#nav-links").get_by_role("link", name="Calendar", exact=True)
    expect(calendar).to_be_hidden()
    assert header.bounding_box()["height"] < 100  # one line before the content (three were 180 px)
    assert phone.locator("h1").bounding_box()["y"] < 160
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    calendar.click()
    phone.wait_for_url(phone.base + "/calendar")
    expect(calendar).to_be_hidden()  # folded again on the next page
