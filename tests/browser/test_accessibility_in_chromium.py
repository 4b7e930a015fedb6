"""WCAG 2.2 AA checks with axe-core (npm, pinned in package-lock.json) on every page type,
for each role that can open it, at a desktop and a phone width; and one journey by
keyboard alone: sign in, filter a plan, edit a row, answer an invitation, sign a review."""
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlalchemy import select

from domain import reviews, scope
from domain.models import (
    ActionRow,
    CalendarEvent,
    DevelopmentVisit,
    ImpactForm,
    Review,
    School,
    SipPriority,
    SyncRun,
    User,
    Workbook,
    utcnow,
)
from domain.plans import find_plan
from webapp.auth.links import password_link
from webapp.extensions import db
from webapp.syncing import sync_now

from ..conftest import PASSWORD, PEOPLE, SUITE_DAY, csrf_token, form_fields, in_year, login, past_visit
from ..partnership_helpers import OFFICER, add_other_partnership, add_supporter
from .conftest import settled, sign_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 360)
ROLES = ("admin", "br_head", "br_staff", "br_governor")
EVERYONE = set(ROLES)
EDITORS = {"admin", "br_head", "br_staff"}
ADMIN = {"admin"}
EHWB = "Embed the emotional health and wellbeing curriculum"  # BR-A003, the one EHWB row

# Rules switched off, each with why (none today: every finding so far was fixed instead).
DISABLED_RULES = {}


def pages(ids):
    """Every page type, with the roles that may open it."""
    return [
        ("home", "/", EVERYONE),
        ("every school of the partnership", "/partnership/schools", EVERYONE),
        ("joint plan", "/plans/joint", ADMIN),
        ("school plan", "/plans/BR", EVERYONE),
        ("filtered plan", "/plans/BR?area=EHWB", EVERYONE),
        ("sheet problems", "/plans/BR/problems", EVERYONE),
        ("row", f"/plans/BR/rows/{ids['row']}", EVERYONE),
        ("row edit form", f"/plans/BR/rows/{ids['row']}/edit", EDITORS),
        ("row history", f"/plans/BR/rows/{ids['row']}/history", EVERYONE),
        ("evidence form of a row", f"/plans/BR/rows/{ids['row']}/evidence", EDITORS),
        ("impact log", "/plans/BR/impact", EVERYONE),
        ("priorities combined", "/priorities", EVERYONE),
        ("priorities of a school", "/plans/BR/priorities", EVERYONE),
        ("who else has a priority", f"/priorities/{ids['priority']}/who-else", EVERYONE),
        ("who could help with a priority", f"/priorities/{ids['priority']}/who-could-help", EVERYONE),
        ("people", "/people", ADMIN),
        ("a person", f"/people/{ids['person']}", ADMIN),
        ("changes to people", "/people/changes", ADMIN),
        ("invite a person", "/people/invite", ADMIN),
        ("schools", "/schools/", ADMIN),
        ("how schools sign in", "/schools/sign-in", ADMIN),
        ("how a school signs in", "/schools/BR/sign-in", ADMIN),
        ("school years", "/years", ADMIN),
        ("carry rows into this year's plan", "/plans/BR/carry-forward", {"admin", "br_head"}),
        ("sync history", "/sync/", ADMIN),
        ("a sync run", f"/sync/runs/{ids['run']}", ADMIN),
        ("summary", "/summary/BR", EVERYONE),
        ("reviews of a plan", "/plans/BR/reviews", EVERYONE),
        ("review", f"/reviews/{ids['review']}", EVERYONE),
        ("review compared with today", f"/reviews/{ids['review']}/compare", EVERYONE),
        ("calendar list", "/calendar", EVERYONE),
        ("calendar month", "/calendar/month", EVERYONE),
        ("event", f"/calendar/events/{ids['event']}", EVERYONE),
        ("new event form", "/calendar/new", {"admin", "br_head"}),
        ("my calendar feed", "/calendar/my-feed", EVERYONE),
        ("impact forms", "/impact-forms", ADMIN),
        ("impact form", f"/impact-forms/{ids['form']}", EVERYONE),
        ("start an event's impact form", f"/impact-forms/event/{ids['event']}", EVERYONE),
        ("strengths", "/strengths", EVERYONE),
        ("partnerships", "/partnerships", EVERYONE),
        ("across partnerships", "/partnerships/directory?theme=attendance", {"admin", "br_head"}),
        ("not found", "/no-such-page", EVERYONE),
    ]


def officer_pages(ids):
    """The pages of an officer of the authority that supports the partnerships."""
    return [
        ("officer's home", "/support"),
        ("what a partnership shares", "/support/partnerships/oakfield-cluster"),
        ("a signed review, to an officer", f"/support/partnerships/oakfield-cluster/reviews/{ids['signed_review']}"),
        ("development visits", "/support/visits"),
        ("record a development visit", "/support/visits/new"),
        ("a development visit", f"/support/visits/{ids['visit']}"),
        ("reports across partnerships", "/support/reports"),
        ("a draft report", f"/support/reports/{ids['draft']}"),
        ("a published report", f"/support/reports/{ids['published']}"),
    ]


def signed_out_pages(ids):
    """The pages someone not signed in opens, with the answer each gives."""
    return [
        ("sign-in", "/login", 200),
        ("forgot password", "/forgot-password", 200),
        ("choose a password", ids["password_link"], 200),
        ("a link refused", "/password/no-such-token", 404),
    ]


# GET endpoints that are no page of their own, so not scanned; each with why. A new page
# is scanned (added to pages() or signed_out_pages()), not listed here.
NOT_PAGES = {
    "static": "files",
    "health.healthz": "JSON for the monitor",
    "calendar.event_ics": "an .ics download",
    "calendar.feed": "an .ics feed",
    "summaries.pack": "a PDF; the page that says it is being prepared: test_the_page_preparing_a_board_pack_passes_axe",
    "summaries.pack_status": "a fragment polled while a board pack is made",
    "people.mail_status": "a fragment polled while a password link's e-mail is on its way",
    "calendar.reminder_status": "a fragment polled while a reminder is on its way",
    "schools.check_status": "a fragment polled while the sheets check runs",
    "plans.plan_export": "a CSV or XLSX download",
    "plans.problems_export": "a CSV or XLSX download",
    "impact.log_export": "a CSV or XLSX download",
    "priorities.school_export": "a CSV or XLSX download",
    "priorities.combined_export": "a CSV or XLSX download",
    "edits.sync_state": "a fragment polled under a row while its edit waits",
    "syncs.status": "the Sync now panel, a fragment polled while a sync runs",
    "plans.for_you_count": "the navigation's figure, a fragment fetched after each page",
    "support.report_pdf": "a PDF",
    "support.report_word": "a .docx download",
    "school_accounts.begin": "a redirect to the provider's own sign-in page",
    "school_accounts.done": "the provider's answer, a redirect home or a refusal: "
                            "test_signing_in_with_a_school_account_passes_axe",
}

# Words of the machinery, which no page a school person opens may show: settings, commands,
# libraries and mechanisms. Each is matched as a whole word, case and all as listed.
DEVELOPER_WORDS = ("MAIL_SERVER", "HUB_URL", "SHEETS_BACKEND", "DATABASE_URL", "SECRET_KEY", "flask", "outbox",
                   "scheduler", "Scheduler", "APScheduler", "gspread", "SQLAlchemy", "SQLite", "PostgreSQL",
                   "Traceback", "null", "undefined", "NaN", "htmx", "JSON", "CSRF", "endpoint")
WATCHED = re.compile(r"\b(" + "|".join(DEVELOPER_WORDS) + r")\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")  # GOV.UK dates only: "6 December 2026"
# What each page shows at each width: does it scroll sideways, and its visible text.
LOOK = """() => ({sideways: document.documentElement.scrollWidth > window.innerWidth,
                 text: document.body.innerText})"""


def finish_findings(page, label):
    """What a person would stumble on: a page wider than the screen, a developer's word, an ISO date."""
    look = page.evaluate(LOOK)
    found = [f"{label}: scrolls sideways"] if look["sideways"] else []
    found += [f"{label}: says '{word}'" for word in sorted(set(WATCHED.findall(look["text"])))]
    found += [f"{label}: writes the date {day}" for day in sorted(set(ISO_DATE.findall(look["text"])))]
    return found


def start_axe(page):
    """Start axe on the page as it stands without waiting for it, so that the roles' pages
    (each its own renderer process) are checked at the same time."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    page.evaluate(
        """(rules) => { window.axeFindings = axe.run(document, {rules, resultTypes: ['violations']}).then(result =>
            result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`)); }""",
        {rule: {"enabled": False} for rule in DISABLED_RULES},
    )


def axe_findings(page):
    """The serious and critical violations axe found on the page as it stood."""
    start_axe(page)
    return finished_axe(page)


def finished_axe(page):
    return page.evaluate("() => window.axeFindings")


def at_every_width(page, label):
    """The page as it stands at each width: axe's serious findings and the finish's."""
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        found += [f"{label} at {width}px: {v}" for v in axe_findings(page)]
        found += finish_findings(page, f"{label} at {width}px")
    return found


def a_context(browser, base):
    # bypass_csp lets the test add axe's script; the app's own CSP forbids inline scripts.
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = base
    return context, page


@pytest.fixture
def ids(synced_app, workbook_dir):
    """A review, an impact form and a change to a person made (through the app, as people
    do), the plan's sheet changed since the review, a password link, and the ids."""
    head = synced_app.test_client()
    login(head, "br_head")
    assert head.post("/plans/BR/reviews", data={"csrf_token": csrf_token(head, "/plans/BR/reviews")}).status_code == 303
    _change_the_plan_after_its_review(synced_app, workbook_dir)
    with synced_app.app_context():
        invitation = db.session.scalar(select(CalendarEvent.id).where(CalendarEvent.sheet_id == "J-E003"))
        row = db.session.scalar(select(ActionRow.id).join(Workbook).join(School)
                                .where(School.code == "BR", ActionRow.sheet_id == "BR-A003"))
        priority = db.session.scalar(select(SipPriority.id).join(Workbook).where(Workbook.code == "BR")
                                     .order_by(SipPriority.id))
        staff = db.session.scalar(select(User).where(User.email == PEOPLE["br_staff"][0]))
        with synced_app.test_request_context():
            link = urlsplit(password_link(staff)).path  # HUB_URL is the live server's, if one is serving
        db.session.commit()  # the link's number: uncommitted, the link would count as replaced
        person, run = staff.id, db.session.scalar(select(SyncRun.id))
    host = synced_app.test_client()
    login(host, "wl_head")
    start = f"/impact-forms/event/{past_visit(synced_app)}"
    assert host.post(start, data={"csrf_token": csrf_token(host, start)}).status_code == 303
    admin = synced_app.test_client()  # a change, so that the person's page and the changes list show one
    login(admin, "admin")
    fields = form_fields(admin.get(f"/people/{person}").get_data(as_text=True))
    del fields["chair"]  # a checkbox, unticked: a browser does not send it
    assert admin.post(f"/people/{person}", data={**fields, "role": "head"}).status_code == 303
    assert admin.post(f"/people/{person}", data={**fields, "role": "staff"}).status_code == 303
    with synced_app.app_context():
        return {"row": row, "event": invitation, "review": db.session.scalar(select(Review.id)),
                "form": db.session.scalar(select(ImpactForm.id)), "priority": priority, "person": person,
                "run": run, "password_link": link}


def _change_the_plan_after_its_review(app, workbook_dir):
    """BR's sheet edited and synced, so that the review's comparison shows each kind of change."""
    path = workbook_dir / "bank-road.xlsx"
    book = load_workbook(path)
    sheet = book["Action plan"]
    columns = {cell.value: cell.column for cell in sheet[1]}
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    for column, value in (("Status", "Behind"), ("Impact to date", "Fewer pupils on track"), ("Due", in_year(3, 31))):
        sheet.cell(rows["BR-A002"], columns[column]).value = value
    sheet.cell(rows["BR-A006"], 1).value = "BR-A099"  # one row gone since, one added
    sheet.cell(rows["BR-A005"], 1).value = "BR-A002"  # a duplicate ID: a problem on the problems page
    book.save(path)
    assert sync_now(app, "test").ok


def test_every_html_page_is_scanned_or_listed_as_no_page(app):
    """A new page without a scan fails here: each GET endpoint is one a scanned path
    reaches, or in NOT_PAGES with why."""
    urls = app.url_map.bind("localhost")
    some_ids = {"row": 1, "event": 1, "review": 1, "form": 1, "priority": 1, "person": 1, "run": 1,
                "password_link": "/password/a-token", "signed_review": 1, "visit": 1, "draft": 1, "published": 2}
    paths = [path for name, path, _ in pages(some_ids) if name != "not found"]
    paths += [path for _, path in officer_pages(some_ids)]
    paths += [path for _, path, _ in signed_out_pages(some_ids)]
    scanned = {urls.match(path.partition("?")[0], method="GET")[0] for path in paths}
    gets = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    unscanned = sorted(gets - scanned - set(NOT_PAGES))
    assert not unscanned, f"scan these in pages(), or say in NOT_PAGES why not: {', '.join(unscanned)}"
    assert not set(NOT_PAGES) - gets, f"NOT_PAGES names endpoints that are gone: {set(NOT_PAGES) - gets}"
    assert not set(NOT_PAGES) & scanned, f"NOT_PAGES names endpoints that are scanned: {set(NOT_PAGES) & scanned}"


def test_every_page_a_role_opens_passes_axe_fits_the_screen_and_speaks_plainly(browser, live_server, ids):
    """At a desktop's and a phone's width: no serious or critical axe finding, nothing off to
    the side, no developer's word and no ISO date in what the page says."""
    assert AXE.exists(), "axe-core is missing: run `make setup` (npm ci)"
    contexts, pages_of = [], {}
    for who in ROLES:  # one browser context per role, its page reused
        context, page = a_context(browser, live_server)
        sign_in(page, PEOPLE[who][0], PASSWORD)
        contexts.append(context)
        pages_of[who] = page
    found, finish = [], []
    for name, path, roles in pages(ids):
        opening = {who: page for who, page in pages_of.items() if who in roles}
        for who, page in opening.items():
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            response = page.goto(page.base + path)
            assert response.status == (404 if name == "not found" else 200), (who, name, path)
            settled(page)
        for width in WIDTHS:  # the same page narrowed: media queries apply as on a phone
            for page in opening.values():
                page.set_viewport_size({"width": width, "height": 900})
                start_axe(page)
            for who, page in opening.items():
                found += [f"{name} as {who} at {width}px: {v}" for v in finished_axe(page)]
                finish += finish_findings(page, f"{name} as {who} at {width}px")
    for context in contexts:
        context.close()
    assert found == []
    assert finish == [], "\n".join(finish)


def test_no_serious_or_critical_violations_signed_out_or_refused(browser, live_server, ids):
    context, page = a_context(browser, live_server)
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path, status in signed_out_pages(ids):
            assert page.goto(page.base + path).status == status
            found += [f"{name} at {width}px: {v}" for v in axe_findings(page)]
    sign_in(page, PEOPLE["br_governor"][0], PASSWORD)
    for width in WIDTHS:  # a governor asking for the edit form: the refusal page
        page.set_viewport_size({"width": width, "height": 900})
        assert page.goto(page.base + f"/plans/BR/rows/{ids['row']}/edit").status == 403
        found += [f"refused at {width}px: {v}" for v in axe_findings(page)]
    context.close()
    assert found == []


def test_signing_in_with_a_school_account_passes_axe(browser, school_accounts_hub, live_server, google_stand_in):
    """The sign-in page with its providers' buttons, and a refusal (an address nobody has)."""
    google_stand_in.set_accounts({"nobody@br.test.school": {
        "sub": "g-404", "email": "nobody@br.test.school", "email_verified": True, "hd": "br.test.school"}})
    context, page = a_context(browser, live_server)
    page.goto(page.base + "/login")
    found = at_every_width(page, "sign-in")
    page.get_by_role("button", name="Sign in with Google").click()
    page.get_by_label("Email").fill("nobody@br.test.school")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="The hub cannot sign you in with this Google account")).to_be_visible()
    found += at_every_width(page, "refused")
    context.close()
    assert found == []


def test_the_page_preparing_a_board_pack_passes_axe(browser, live_server):
    context, page = a_context(browser, live_server)
    sign_in(page, PEOPLE["br_governor"][0], PASSWORD)
    assert page.goto(page.base + "/summary/BR.pdf").status == 202
    found = at_every_width(page, "preparing")  # as it is made, and once ready (the worker beside the server makes it)
    context.close()
    assert found == []


def test_a_journey_by_keyboard_alone(page, synced_app, ids):
    """Sign in, filter the plan, edit a row, reply to an invitation, sign the review."""
    page.goto(page.base + "/login")
    for _ in range(12):  # Tab through the page to the e-mail field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "email":
            break
    expect(page.locator("#email")).to_be_focused()
    page.keyboard.type(PEOPLE["br_head"][0])
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(page.base + "/")

    # Filter the plan by area with the keyboard.
    page.goto(page.base + "/plans/BR")
    area = page.get_by_label("Area")
    area.focus()
    expect(area).to_be_focused()
    ehwb = area.locator("option", has_text="EHWB").first.get_attribute("value")
    for _ in range(20):  # down the list to EHWB; each change filters
        if area.input_value() == ehwb:
            break
        page.keyboard.press("ArrowDown")
        settled(page)  # each step filters; wait for it before the next key
    expect(area).to_have_value(ehwb)
    settled(page)
    page.wait_for_url(re.compile(r"area=EHWB"))
    settled(page)
    expect(page.locator("article.action-row")).to_have_count(1)
    expect(page.locator("article.action-row")).to_contain_text(EHWB)

    # An inline edit: Edit, change the status, save with Enter; focus returns to the row.
    row = page.locator("article.action-row", has_text=EHWB)
    row.get_by_role("button", name="Show details").focus()
    page.keyboard.press("Tab")  # on to Edit
    expect(row.get_by_role("button", name="Edit")).to_be_focused()
    page.keyboard.press("Enter")
    status = page.locator("article.action-row.editing").get_by_label("Status")
    expect(status).to_be_focused()
    settled(page)
    page.keyboard.press("ArrowDown")  # At risk -> Behind
    expect(status).to_have_value("Behind")
    page.keyboard.press("Tab")
    expect(page.locator("article.action-row.editing").get_by_label("Due")).to_be_focused()
    page.keyboard.press("Enter")  # submits the form
    settled(page)
    row = page.locator("article.action-row", has_text=EHWB)
    expect(row.locator(".chip")).to_have_text("Behind")
    expect(row.get_by_role("button", name="Edit")).to_be_focused()  # the keyboard is back on the row

    # Answer an invitation: Tab from the note to "I'm coming", Enter; focus on the answer.
    page.goto(page.base + f"/calendar/events/{ids['event']}")
    page.get_by_label("Note to the host (optional)").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="I'm coming")).to_be_focused()
    page.keyboard.press("Enter")
    settled(page)
    message = page.locator("#reply-box [role=status]")
    expect(message).to_contain_text("You are coming.")
    expect(message).to_be_focused()

    # Sign the review: Tab from the comment to the sign button, Space; focus on the message.
    page.goto(page.base + f"/reviews/{ids['review']}")
    page.get_by_label("Comment (optional)").focus()
    page.keyboard.type("On track.")
    page.keyboard.press("Tab")
    sign = page.get_by_role("button", name=re.compile("^I sign this review as head teacher"))
    expect(sign).to_be_focused()
    page.keyboard.press("Space")
    settled(page)
    signed = page.locator("#review-steps .flash[role=status]")
    expect(signed).to_contain_text("You signed this review")
    expect(signed).to_be_focused()
    assert page.errors == []


def test_an_officers_pages_pass_axe_fit_the_screen_and_speak_plainly(browser, live_server, synced_app, workbook_dir):
    """The county's officer: what a partnership shares, visits, a draft and a published report."""
    add_other_partnership(synced_app, workbook_dir)
    add_supporter(synced_app, workbook_dir, rows=[["", f"{SUITE_DAY:%d/%m/%Y}", "Oakfield Cluster", "Both heads",
                                                   "", "Shared expertise", "Releasing staff", "", "", "Olwen"]])
    officer = synced_app.test_client()
    login(officer, OFFICER)
    with synced_app.app_context(), scope.entered(db.session, 2):
        coordinator = db.session.scalar(select(User).where(User.role == "admin"))
        review = reviews.start(db.session, find_plan(db.session, "joint"), coordinator)
        review.state, review.confirmed_at = "confirmed", utcnow()  # signed by all, as far as this page cares
        db.session.commit()
        signed = review.id
    period = re.search(r'<option[^>]*value="([^"]+)"', officer.get("/support/reports").get_data(as_text=True))[1]
    made = []
    for _ in range(2):
        response = officer.post("/support/reports", data={"period": period,
                                                          "csrf_token": csrf_token(officer, "/support/reports")})
        made.append(int(response.headers["Location"].rsplit("/", 1)[1]))
    officer.post(f"/support/reports/{made[1]}/publish", data={"csrf_token": csrf_token(officer, "/support/reports")})
    with synced_app.app_context():
        visit = db.session.scalar(select(DevelopmentVisit.id).execution_options(hub_wide=True))
    ids = {"signed_review": signed, "visit": visit, "draft": made[0], "published": made[1]}
    context, page = a_context(browser, live_server)
    page.goto(page.base + "/login")
    page.fill("#email", OFFICER)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url(page.base + "/support")
    found, finish = [], []
    for name, path in officer_pages(ids):
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        assert page.goto(page.base + path).status == 200, (name, path)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            found += [f"{name} at {width}px: {v}" for v in axe_findings(page)]
            finish += finish_findings(page, f"{name} at {width}px")
    context.close()
    assert found == []
    assert finish == [], "\n".join(finish)
