"""Security as a matrix: every route of the URL map × every role × own school, another
school and the joint plan, against the answer written down here; and CSRF on every
request that changes something, htmx ones included.

The people are BR's (head, staff, governor, chair of governors), a coordinator (admin)
and someone not signed in. "own" is BR, "other" is WL, "joint" the joint plan; the ids
behind each scope (rows, outbox entries, events, impact forms, reviews, priorities,
people) are made in security_matrix_fixture.make_ids. Routes without any of those
arguments have one scope, "any".

Cells, one a role in ROLES order: a status code; "login" (a redirect to sign in);
"3xx" (a redirect elsewhere); "ok" for a POST the role is let through: the request is
empty, so the honest answer is a validation error (422), a redirect after doing it, or
409 when an earlier role did it first. The bodies of POSTs that change data are the
business of each blueprint's own tests, not this one.
"""
import pytest
from sqlalchemy import func, select

from domain.models import ActionRow, CalendarEvent, ImpactEntry, ImpactForm, OutboxEntry, Review, ReviewSignature, User
from webapp.extensions import db

from ..conftest import csrf_token
from .security_matrix_fixture import ROLES, SCOPES, clients, make_ids

SCOPED = {"code", "row_id", "entry_id", "event_id", "form_id", "review_id", "priority_id", "person_id"}
# A sync runs in the background and writes the whole database: sent here only by the
# roles it refuses (tests/web/test_sync_pages.py covers the ones it lets through).
NOT_SENT_WHEN_LET = {"syncs.now"}

EXPECTED = {
    "auth.choose_password": {"GET any": "404 404 404 404 404 404", "POST any": "404 404 404 404 404 404"},
    "auth.forgot_password": {"GET any": "200 200 200 200 200 200", "POST any": "422 ok ok ok ok ok"},
    "auth.login": {"GET any": "200 3xx 3xx 3xx 3xx 3xx", "POST any": "422 3xx 3xx 3xx 3xx 3xx"},
    "auth.logout": {"POST any": "login login login login login login"},
    # The calendar is the partnership's: everyone signed in sees every event.
    "calendar.event": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 200 200 200 200",
        "GET joint": "login 200 200 200 200 200",
    },
    "calendar.event_ics": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 200 200 200 200",
        "GET joint": "login 200 200 200 200 200",
    },
    # A feed address is its own secret (a wrong one is simply not found; see test_calendar_ics.py).
    "calendar.feed": {"GET any": "404 404 404 404 404 404"},
    "calendar.index": {"GET any": "login 200 200 200 200 200"},
    "calendar.invite": {
        "POST own": "login ok ok 403 403 403",
        "POST other": "login ok 403 403 403 403",
        "POST joint": "login ok 403 403 403 403",
    },
    "calendar.month": {"GET any": "login 200 200 200 200 200"},
    "calendar.my_feed": {"GET any": "login 200 200 200 200 200"},
    "calendar.new": {"GET any": "login 200 200 403 403 403", "POST any": "login ok ok 403 403 403"},
    "calendar.remind": {
        "POST own": "login ok ok 403 403 403",
        "POST other": "login ok 403 403 403 403",
        "POST joint": "login ok 403 403 403 403",
    },
    "calendar.reminder_status": {
        "GET own": "login 200 200 403 403 403",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 200 403 403 403 403",
    },
    "calendar.reply": {
        "POST own": "login 403 403 403 403 403",
        "POST other": "login 403 403 403 403 403",
        "POST joint": "login 403 403 403 403 403",
    },
    "calendar.reset_feed": {"POST any": "login ok ok ok ok ok"},
    "edits.edit_row": {
        "GET own": "login 200 200 200 403 403",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 200 403 403 403 403",
    },
    "edits.resolve": {
        "POST own": "login ok ok 403 403 403",
        "POST other": "login ok 403 403 403 403",
        "POST joint": "login ok 403 403 403 403",
    },
    "edits.row_history": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 200 200 200 200 200",
    },
    "edits.save_row": {
        "POST own": "login ok ok ok 403 403",
        "POST other": "login ok 403 403 403 403",
        "POST joint": "login ok 403 403 403 403",
    },
    "edits.sync_state": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 200 200 200 200 200",
    },
    "health.healthz": {"GET any": "200 200 200 200 200 200"},
    "impact.add": {
        "POST own": "login ok ok ok 403 403",
        "POST other": "login ok 403 403 403 403",
        "POST joint": "login 404 403 403 403 403",
    },
    "impact.evidence_form": {
        "GET own": "login 200 200 200 403 403",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 404 403 403 403 403",
    },
    "impact.log": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 404 404 404 404 404",
    },
    "impact.log_export": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 404 404 404 404 404",
    },
    "impact_forms.directory": {"GET any": "login 200 200 200 200 200"},
    "impact_forms.for_event": {
        "GET own": "login 3xx 3xx 3xx 3xx 3xx",
        "GET other": "login 3xx 3xx 3xx 3xx 3xx",
        "GET joint": "login 3xx 3xx 3xx 3xx 3xx",
    },
    "impact_forms.index": {"GET any": "login 200 200 200 200 200"},
    "impact_forms.ratio": {
        "POST own": "login ok ok ok 403 403",
        "POST other": "login ok 403 403 403 403",
        "POST joint": "login ok 403 403 403 403",
    },
    "impact_forms.save": {
        "POST own": "login ok ok ok 403 403",
        "POST other": "login ok 403 403 403 403",
        "POST joint": "login ok 403 403 403 403",
    },
    "impact_forms.show": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 200 403 403 403 403",
    },
    "impact_forms.start": {
        "POST own": "login ok ok ok 403 403",
        "POST other": "login ok 403 403 403 403",
        "POST joint": "login ok 403 403 403 403",
    },
    "impact_forms.who_could_help": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 404 404 404 404",  # an unshared priority is its school's: not found
        "GET joint": "login 404 404 404 404 404",
    },
    "people.change": {"POST own": "login ok 403 403 403 403", "POST other": "login ok 403 403 403 403"},
    "people.changes": {"GET any": "login 200 403 403 403 403"},
    "people.deactivate": {"POST own": "login ok 403 403 403 403", "POST other": "login ok 403 403 403 403"},
    # Partnerships: everyone sees the ones they work in; choosing one they do not work in
    # (here none is named) is not found; coordinators rename theirs and add others.
    "partnerships.index": {"GET any": "login 200 200 200 200 200"},
    "partnerships.choose": {"POST any": "login 404 404 404 404 404"},
    "partnerships.directory": {"GET any": "login 200 200 403 403 200"},
    "partnerships.support": {"POST any": "login ok 403 403 403 403"},
    "partnerships.rename": {"POST any": "login ok 403 403 403 403"},
    "partnerships.add": {"POST any": "login ok 403 403 403 403"},
    "people.index": {"GET any": "login 200 403 403 403 403"},
    # The officers' pages: a partnership's people are refused them all (tests/web/test_support.py has the officers).
    "support.home": {"GET any": "login 403 403 403 403 403"},
    "support.partnership": {"GET any": "login 403 403 403 403 403"},
    "support.visits": {"GET any": "login 403 403 403 403 403"},
    "support.new_visit": {"GET any": "login 403 403 403 403 403", "POST any": "login 403 403 403 403 403"},
    "support.visit": {"GET any": "login 403 403 403 403 403"},
    "support.report_list": {"GET any": "login 403 403 403 403 403"},
    "support.draft_report": {"POST any": "login 403 403 403 403 403"},
    "support.report": {"GET any": "login 403 403 403 403 403"},
    "support.save_report": {"POST any": "login 403 403 403 403 403"},
    "support.publish_report": {"POST any": "login 403 403 403 403 403"},
    "support.report_pdf": {"GET any": "login 403 403 403 403 403"},
    "support.report_word": {"GET any": "login 403 403 403 403 403"},
    "support.review": {
        "GET own": "login 403 403 403 403 403",
        "GET other": "login 403 403 403 403 403",
        "GET joint": "login 403 403 403 403 403",
    },
    "people.invite": {"GET any": "login 200 403 403 403 403", "POST any": "login ok 403 403 403 403"},
    "people.password_link": {"POST own": "login ok 403 403 403 403", "POST other": "login ok 403 403 403 403"},
    "people.remove_link": {"POST own": "login ok 403 403 403 403", "POST other": "login ok 403 403 403 403"},
    "people.person": {"GET own": "login 200 403 403 403 403", "GET other": "login 200 403 403 403 403"},
    "people.mail_status": {"GET own": "login 200 403 403 403 403", "GET other": "login 200 403 403 403 403"},
    "people.reactivate": {"POST own": "login ok 403 403 403 403", "POST other": "login ok 403 403 403 403"},
    "plans.home": {"GET any": "login 200 200 200 200 200"},
    "plans.partnership_schools": {"GET any": "login 200 200 200 200 200"},
    "plans.for_you_count": {"GET any": "login 200 200 200 200 200"},
    "plans.plan": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 200 200 200 200 200",
    },
    "plans.plan_export": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 200 200 200 200 200",
    },
    "plans.problems": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 200 200 200 200 200",
    },
    "plans.problems_export": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 200 200 200 200 200",
    },
    "plans.row": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 200 200 200 200 200",
    },
    "priorities.combined": {"GET any": "login 200 200 200 200 200"},
    "priorities.combined_export": {"GET any": "login 200 200 200 200 200"},
    "priorities.same_theme": {"POST any": "login ok ok 403 403 403"},
    "priorities.school": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 404 404 404 404 404",
    },
    "priorities.school_export": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 404 404 404 404 404",
    },
    "priorities.who_else": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 404 404 404 404",  # an unshared priority is its school's: not found
        "GET joint": "login 404 404 404 404 404",
    },
    "reviews.compare": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 200 200 200 200 200",
    },
    "reviews.index": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 200 200 200 200 200",
    },
    "reviews.show": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 200 200 200 200 200",
    },
    "reviews.sign": {
        "POST own": "login 403 ok 403 403 ok",
        "POST other": "login 403 403 403 403 403",
        "POST joint": "login 403 ok 403 403 403",
    },
    "reviews.start": {
        "POST own": "login ok ok 403 403 403",
        "POST other": "login ok 403 403 403 403",
        "POST joint": "login ok ok 403 403 403",
    },
    "schools.check": {"POST any": "login ok 403 403 403 403"},
    "schools.sign_in": {"GET any": "login 200 403 403 403 403"},
    "schools.school_sign_in": {
        "GET own": "login 200 403 403 403 403", "GET other": "login 200 403 403 403 403",
        "GET joint": "login 404 403 403 403 403",
        "POST own": "login ok 403 403 403 403", "POST other": "login ok 403 403 403 403",
        "POST joint": "login 404 403 403 403 403",
    },
    # Sign-in with a school account: no provider is configured here (test_school_accounts.py has them).
    "school_accounts.begin": {"GET any": "404 404 404 404 404 404"},
    "school_accounts.done": {"GET any": "404 404 404 404 404 404"},
    "schools.index": {"GET any": "login 200 403 403 403 403"},
    "schools.check_status": {"GET any": "login 200 403 403 403 403"},
    # School years: the coordinator starts the next (an empty form before June is refused, 422);
    # a school's head or a coordinator carries last year's unfinished rows (none here).
    "years.index": {"GET any": "login 200 403 403 403 403"},
    "years.start": {"POST any": "login ok 403 403 403 403"},
    "years.carry": {
        "GET own": "login 200 200 403 403 403",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 200 403 403 403 403",
    },
    "years.carry_rows": {
        "POST own": "login ok ok 403 403 403",
        "POST other": "login ok 403 403 403 403",
        "POST joint": "login ok 403 403 403 403",
    },
    "static": {"GET any": "200 200 200 200 200 200"},
    # The pack is made in the background: asked for here, it is being prepared (202, a page).
    "summaries.pack": {
        "GET own": "login 202 202 202 202 202",
        "GET other": "login 202 403 403 403 403",
        "GET joint": "login 202 202 202 202 202",
    },
    "summaries.pack_status": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 200 200 200 200 200",
    },
    "summaries.summary": {
        "GET own": "login 200 200 200 200 200",
        "GET other": "login 200 403 403 403 403",
        "GET joint": "login 200 200 200 200 200",
    },
    "syncs.history": {"GET any": "login 200 403 403 403 403"},
    "syncs.now": {"POST any": "login ok ok ok ok ok"},
    "syncs.run": {"GET any": "login 200 403 403 403 403"},
    "syncs.status": {"GET any": "login 200 200 403 403 403"},
}


def _answer(response):
    status = response.status_code
    if status in (301, 302, 303) and "/login" in response.headers.get("Location", ""):
        return "login"
    return "3xx" if status in (301, 302, 303) else str(status)


def _matches(expected, answer, method):
    if expected == "ok":  # let through: anything but a refusal, a sign-in or a crash
        return method == "POST" and answer in ("200", "3xx", "409", "422")
    return expected == answer


def _requests(app, ids):
    """(endpoint, method, scope, url) for every rule, GETs first and signing out last."""
    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "auth.logout", r.endpoint))
    for method in ("GET", "POST"):
        for rule in rules:
            if method not in rule.methods:
                continue
            for scope in SCOPES if rule.arguments & SCOPED else ("any",):
                if scope == "joint" and "person_id" in rule.arguments:
                    continue  # people belong to a school or to none: there is no joint person
                values = dict(ids[scope])
                if rule.endpoint == "impact_forms.start":
                    values["event_id"] = values["start_event_id"]  # an event with no form yet
                if rule.endpoint in ("calendar.invite", "calendar.remind", "calendar.reply"):
                    values["event_id"] = values["coming_event_id"]  # an event still to come
                url = rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]
                yield rule.endpoint, method, scope, url


@pytest.fixture
def matrix(synced_app):
    ids = make_ids(synced_app)
    return synced_app, ids, clients(synced_app)


def test_every_route_has_a_row_and_each_role_gets_the_answer_written_there(matrix):
    app, ids, people = matrix
    missing = sorted({endpoint for endpoint, *_ in _requests(app, ids)} - set(EXPECTED))
    assert not missing, "add a row to EXPECTED for: " + ", ".join(missing)
    tokens = {role: csrf_token(client, "/login" if role == "anonymous" else "/") for role, client in people.items()}
    wrong, asked = [], set()
    for endpoint, method, scope, url in list(_requests(app, ids)):
        cell = f"{method} {scope}"
        asked.add((endpoint, cell))
        assert cell in EXPECTED[endpoint], f"add {cell!r} to EXPECTED[{endpoint!r}] ({url})"
        for role, expected in zip(ROLES, EXPECTED[endpoint][cell].split(), strict=True):
            if method == "POST" and expected == "ok" and endpoint in NOT_SENT_WHEN_LET:
                continue
            client = people[role]
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": tokens[role]})
            answer = _answer(response)
            if not _matches(expected, answer, method):
                wrong.append(f"{method} {url} as {role} ({scope}): expected {expected}, got {answer}")
    assert not wrong, "\n".join(wrong)
    stale = sorted(f"{endpoint} {cell}" for endpoint, cells in EXPECTED.items() for cell in cells
                   if (endpoint, cell) not in asked)
    assert not stale, "rows in EXPECTED for no route: " + ", ".join(stale)


def _counts():
    """What a state-changing request would change: rows, the impact log, the outbox,
    reviews and their signatures, impact forms, events, people."""
    return (tuple(db.session.execute(select(ActionRow.id, ActionRow.version, ActionRow.lead)).all()),
            db.session.scalar(select(func.count(ImpactEntry.id))),
            tuple(db.session.execute(select(OutboxEntry.id, OutboxEntry.state)).all()),
            tuple(db.session.execute(select(Review.id, Review.state)).all()),
            db.session.scalar(select(func.count(ReviewSignature.id))),
            db.session.scalar(select(func.count(ImpactForm.id))),
            db.session.scalar(select(func.count(CalendarEvent.id))),
            tuple(db.session.execute(select(User.id, User.active, User.role)).all()))


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_every_state_changing_request_without_a_csrf_token_is_refused_and_changes_nothing(matrix, htmx):
    app, ids, people = matrix
    admin = people["admin"]
    with app.app_context():
        before = _counts()
    headers = {"HX-Request": "true"} if htmx else {}
    sent = []
    for endpoint, method, _scope, url in _requests(app, ids):
        if method == "GET":
            continue
        for verb in ("POST", "PUT", "PATCH", "DELETE"):
            rule_methods = next(r.methods for r in app.url_map.iter_rules(endpoint))
            if verb not in rule_methods:
                continue
            response = admin.open(url, method=verb, data={"lead": "No token", "summary": "No token"},
                                  headers=headers)
            assert response.status_code == 400, (verb, url, response.status_code)
            sent.append(endpoint)
    assert {"edits.save_row", "impact.add", "people.deactivate", "syncs.now", "auth.logout",
            "reviews.sign"} <= set(sent)
    with app.app_context():
        assert _counts() == before
    assert admin.get("/").status_code == 200  # still signed in: logout without a token did nothing
