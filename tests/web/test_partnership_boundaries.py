"""Two partnerships in one hub: nothing crosses the boundary that a partnership did not
choose to share. Every route with an id, for every role of the demo partnership, asked
with the other partnership's ids; every page its people can open, read for the other's
text; and the other way round."""
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from domain import impact_forms, reviews, scope
from domain.models import ActionRow, CalendarEvent, ImpactEntry, Review, SipPriority, SyncRun, User, Workbook
from domain.plans import find_plan
from webapp.extensions import db

from ..conftest import csrf_token, signed_in
from ..partnership_helpers import MARK, OTHER_PEOPLE, add_other_partnership
from .security_matrix_fixture import ROLES, clients, make_ids
from .test_security_matrix import EXPECTED, SCOPED, _answer, _requests


@pytest.fixture
def hub(synced_app, workbook_dir):
    """The demo partnership with its matrix ids, and the Oakfield Cluster beside it."""
    ids = make_ids(synced_app)
    pid = add_other_partnership(synced_app, workbook_dir)
    with synced_app.app_context(), scope.entered(db.session, pid):
        s = db.session
        coordinator = s.scalar(select(User).where(User.email == OTHER_PEOPLE["ok_admin"][0]))
        joint = s.scalar(select(Workbook).where(Workbook.code == "joint", Workbook.is_current))
        oakfield = s.scalar(select(Workbook).where(Workbook.code == "OK", Workbook.is_current))
        event = next(e for e in s.scalars(select(CalendarEvent).order_by(CalendarEvent.date))
                     if impact_forms.why_not_yet(e) is None)  # one gone by: its form can start
        other = {
            "code": "OK",
            "row_id": s.scalar(select(ActionRow.id).where(ActionRow.workbook_id == oakfield.id).limit(1)),
            "entry_id": s.scalar(select(ImpactEntry.id).where(ImpactEntry.workbook_id == oakfield.id).limit(1)),
            "priority_id": s.scalar(select(SipPriority.id).limit(1)),
            "event_id": event.id, "start_event_id": event.id, "coming_event_id": event.id,
            "form_id": impact_forms.start(s, event, coordinator.name).id,
            "review_id": reviews.start(s, find_plan(s, "OK"), coordinator).id,
            "person_id": s.scalar(select(User.id).where(User.email == OTHER_PEOPLE["ok_staff"][0])),
        }
        assert joint is not None and all(other.values())
        latest = s.scalar(select(SyncRun.id).order_by(SyncRun.id.desc()).limit(1))  # it read both partnerships
        for values in ids.values():
            values["run_id"] = latest
        assert s.scalar(select(Review.id).where(Review.id == other["review_id"]))
        s.commit()
    return synced_app, ids, other


def _other_requests(app, ids, other):
    """Every route with an id, built with the other partnership's ids."""
    for endpoint, method, scope_name, _url in _requests(app, ids):
        if scope_name != "own":
            continue
        rule = next(r for r in app.url_map.iter_rules(endpoint) if method in r.methods)
        if not rule.arguments & SCOPED:
            continue
        values = {**ids["own"], **other}
        url = rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]
        yield endpoint, method, url


def test_every_route_asked_for_another_partnerships_things_finds_nothing(hub):
    app, ids, other = hub
    people = clients(app)
    tokens = {role: csrf_token(client, "/login" if role == "anonymous" else "/") for role, client in people.items()}
    wrong, asked = [], 0
    for endpoint, method, url in _other_requests(app, ids, other):
        # A role refused the route for its own partnership's things is refused it here too,
        # before anything is looked up: that tells nothing either.
        refused_anyway = EXPECTED[endpoint][f"{method} own"].split()
        for role, own_answer in zip(ROLES, refused_anyway, strict=True):
            client = people[role]
            response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": tokens[role]})
            answer = _answer(response)
            asked += 1
            expected = {"login"} if role == "anonymous" else {"404"} | ({"403"} if own_answer == "403" else set())
            if answer not in expected:
                wrong.append(f"{method} {url} ({endpoint}) as {role}: {answer}")
            elif MARK in response.get_data(as_text=True):
                wrong.append(f"{method} {url} as {role} shows the other partnership's text")
    assert asked > 200
    assert not wrong, "\n".join(wrong)


def _text(response):
    """What a page or a download says: the cells of a spreadsheet; a PDF is the page it prints."""
    if response.mimetype.startswith("text/") or response.mimetype == "application/json":
        return response.get_data(as_text=True)
    if response.mimetype.endswith("spreadsheetml.sheet"):
        book = load_workbook(io.BytesIO(response.data), read_only=True)
        return " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v)
    assert response.mimetype == "application/pdf", response.mimetype
    return ""


def test_no_page_of_one_partnership_shows_the_others_text(hub):
    app, ids, _other = hub
    people = clients(app)
    pages = {url for _e, method, scope_name, url in _requests(app, ids) if method == "GET" and scope_name != "joint"}
    pages |= {"/", "/plans/joint", "/priorities", "/calendar", "/summaries/joint"}
    shown = 0
    for role in ROLES[1:]:
        for url in sorted(pages):
            response = people[role].get(url)
            if response.status_code == 200:
                shown += 1
                text = _text(response).lower()
                # its sheets' text, its school's and its own name, its files
                assert MARK.lower() not in text and "oakfield" not in text, (role, url)
    assert shown > 100
    run = people["admin"].get(f"/sync/runs/{ids['own']['run_id']}").get_data(as_text=True)
    assert "<strong>BR</strong>" in run and "<strong>OK</strong>" not in run  # one run read both
    # ...and the other partnership's people see their own, and nothing of the demo's
    for who in OTHER_PEOPLE:
        client = signed_in(app, OTHER_PEOPLE[who][0])
        joint = client.get("/plans/joint").get_data(as_text=True)
        assert MARK in joint and "Bank Road" not in joint
        assert client.get("/plans/BR").status_code == 404
        home = client.get("/").get_data(as_text=True)
        assert "Bank Road" not in home and "William Lilley" not in home
