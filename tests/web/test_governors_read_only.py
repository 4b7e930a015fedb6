"""Governors are read-only everywhere: on every page they can reach from their home by
links there is no edit control, sync panel or conflict choice, and every route that
changes something refuses them."""
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

from sqlalchemy import select

from domain import impact_forms, reviews
from domain.edits import edit_action_row, editable_values
from domain.models import ActionRow, ReviewSignature, SipPriority, SyncRun, User
from domain.plans import find_plan
from webapp.extensions import db

from ..conftest import board_pack, csrf_token, login
from ..sync.impact_form_helpers import make_event

SIGN_IN = {"auth.login", "auth.logout", "auth.forgot_password", "auth.choose_password"}
# A person's own settings, not the partnership's data: a governor may make (or reset)
# the secret address of their own calendar feed.
PERSONAL = {"calendar.reset_feed": "/calendar/my-feed", "partnerships.choose": "/partnerships"}
# Pages that are GET but hand out editing, or belong to coordinators only.
EDITING_GETS = {"edits.edit_row", "impact.evidence_form", "people.index", "people.person", "people.changes",
                "people.invite", "schools.index", "syncs.history", "syncs.run"}
CONTROLS = re.compile(
    r">\s*(Edit|Sync now|Keep the browser’s|Take the sheet’s|Discard|Try again|Add evidence|Save|Check the sheets|"
    r"Invite|Deactivate|Yes, same theme|No, different)\b", re.I)


def _links(html, base):
    for href in re.findall(r'href="([^"]+)"', html):
        url = urljoin(base, href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.netloc in ("", "localhost") and parts.path.startswith("/") and not parts.path.startswith("/static/"):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, start="/", limit=300):
    """Every page reachable from ``start`` by links on this site, by GET: {url: response}."""
    seen, queue, pages = {start}, deque([start]), {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = board_pack(client, url)  # a pack being prepared is made, as it would be meanwhile
        pages[url] = response
        if response.mimetype != "text/html":
            continue
        for link in _links(response.get_data(as_text=True), "http://localhost" + url):
            if link not in seen and link != "/logout":
                seen.add(link)
                queue.append(link)
    return pages


def test_a_governors_pages_carry_no_edit_control_sync_panel_or_conflict_choice(synced_app, client):
    with synced_app.app_context():  # a conflict waiting on their school's plan, for a head to choose
        row = db.session.scalar(select(ActionRow).where(ActionRow.sheet_id == "BR-A003"))
        head = db.session.scalar(select(User).where(User.email == "head@br.test.school"))
        entry = edit_action_row(db.session, row, head.name, {"lead": "Jo"}, editable_values(row), row.version, head.id)
        entry.state = "conflict"
        db.session.commit()
    login(client, "br_governor")
    pages = crawl(client)
    html_pages = {url: r for url, r in pages.items() if r.mimetype == "text/html"}
    # They reach their summaries, the plans, the priorities, the impact log and a row's page.
    for expected in ("/summary/BR", "/summary/joint", "/plans/BR", "/plans/joint", "/priorities",
                     "/plans/BR/impact", "/summary/BR.pdf"):
        assert expected in pages, expected
    assert any(url.startswith("/plans/BR/rows/") for url in pages)
    assert len(html_pages) > 10
    for url, response in pages.items():
        assert response.status_code == 200, url
    for url, response in html_pages.items():
        html = response.get_data(as_text=True)
        for form in re.findall(r"<form\b[^>]*>", html):
            method = re.search(r'method="([^"]+)"', form)
            if method and method.group(1).lower() == "post":
                assert re.search(r'action="(/logout|%s)"' % "|".join(PERSONAL.values()), form), (url, form)
        assert not re.search(r"\bhx-(post|put|patch|delete)=", html), url
        assert not CONTROLS.search(html), (url, CONTROLS.search(html).group(0))
        assert "/edit" not in html and "/evidence" not in html and "/sync/now" not in html, url
        assert 'id="sync-now"' not in html and "sync-conflict" not in html, url


def test_every_editing_route_refuses_a_governor(synced_app, client):
    with synced_app.app_context():
        row = db.session.scalar(select(ActionRow).where(ActionRow.sheet_id == "BR-A003"))
        head = db.session.scalar(select(User).where(User.email == "head@br.test.school"))
        entry = edit_action_row(db.session, row, head.name, {"lead": "Jo"}, editable_values(row), row.version, head.id)
        entry.state = "conflict"
        db.session.commit()
        args = {
            "code": "BR", "row_id": row.id, "entry_id": entry.id, "choice": "keep", "person_id": head.id,
            "priority_id": db.session.scalar(select(SipPriority.id).limit(1)),
            "run_id": db.session.scalar(select(SyncRun.id).limit(1)), "fmt": "csv",
            # A review of their school's plan under way: a governor who is not the chair signs nothing.
            "review_id": reviews.start(db.session, find_plan(db.session, "BR"), head).id,
            # A visit BR hosted, with its impact form under way: a governor writes none.
            "form_id": impact_forms.start(db.session, make_event(db.session), head.name).id,
        }
        db.session.commit()
        before = (row.version, entry.state, row.lead)
    login(client, "br_governor")
    token = csrf_token(client, "/")
    refused = []
    for rule in synced_app.url_map.iter_rules():
        if rule.endpoint in SIGN_IN or rule.endpoint in PERSONAL or rule.endpoint == "static":
            continue
        url = rule.build({name: args.get(name, 1) for name in rule.arguments}, append_unknown=False)[1]
        if "POST" in rule.methods:
            response = client.post(url, data={"csrf_token": token, "lead": "Governor", "status": "Complete",
                                              "summary": "A governor's note"})
            assert response.status_code == 403, (rule.rule, response.status_code)
            refused.append(rule.endpoint)
        if rule.endpoint in EDITING_GETS:
            assert client.get(url).status_code == 403, rule.rule
            refused.append(rule.endpoint)
    assert {"edits.save_row", "edits.resolve", "impact.add", "syncs.now", "priorities.same_theme",
            "edits.edit_row", "schools.check"} <= set(refused)
    with synced_app.app_context():
        row = db.session.get(ActionRow, args["row_id"])
        entry_state = db.session.scalar(select(type(entry).state).where(type(entry).id == args["entry_id"]))
        assert (row.version, entry_state, row.lead) == before
        assert db.session.scalar(select(ReviewSignature)) is None
