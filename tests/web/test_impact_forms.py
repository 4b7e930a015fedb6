"""Impact forms in the browser's requests: the lists with and without htmx, the ratio's
note, the two confirmations, the directory, "Who could help?" and who may do what."""
import re
from html import unescape

import pytest
from sqlalchemy import select

from domain.models import ActionRow, CalendarEvent, ImpactForm, OutboxEntry, SipPriority, Workbook
from webapp.extensions import db

from ..conftest import csrf_token, signed_in
from ..sync.impact_form_helpers import EVENT_DAY

HX = {"HX-Request": "true", "HX-Target": "impact-form"}


@pytest.fixture
def visit(synced_app):
    with synced_app.app_context():
        joint = db.session.scalar(select(Workbook).where(Workbook.code == "joint"))
        event = CalendarEvent(workbook_id=joint.id, sheet_id="PS-E901", date=EVENT_DAY,
                              type="Quality assurance visit: safeguarding", category="visit", focus="Safeguarding",
                              host_school="BR", host_code="BR", invited_schools="WL", invited_codes=["WL"],
                              lead="Carole Clemens")
        db.session.add(event)
        db.session.commit()
        return event.id


def start(client, event_id):
    token = csrf_token(client, f"/impact-forms/event/{event_id}")
    response = client.post(f"/impact-forms/event/{event_id}", data={"csrf_token": token})
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


def post(client, form_id, op="save", htmx=True, **fields):
    page = client.get(f"/impact-forms/{form_id}").get_data(as_text=True)
    found = re.search(r'name="version"[^>]*value="(\d+)"', page)  # a final form has none: send the last one
    version = found.group(1) if found else "1"
    data = {"csrf_token": csrf_token(client, f"/impact-forms/{form_id}"), "version": version, "op": op,
            "summary": "Safeguarding QA visit by WL.", **fields}
    return client.post(f"/impact-forms/{form_id}", data=data, headers=HX if htmx else {})


def form_row(app, form_id):
    with app.app_context():
        form = db.session.get(ImpactForm, form_id)
        return form.state, list(form.strengths), list(form.areas), [c.school_code for c in form.confirmations]


def test_points_are_added_and_removed_with_htmx_and_as_lines_without_it(synced_app, visit):
    host = signed_in(synced_app, "br_staff")
    form_id = start(host, visit)
    response = post(host, form_id, op="add-strength", strengths="SCR complete", new_strength="Staff knew the DSLs")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="impact-form"')  # the form alone, swapped
    assert "Remove<span class=\"visually-hidden\"> “Staff knew the DSLs”" in html
    assert 'name="new_strength"' in html and "autofocus" in html  # the keyboard stays in the New box
    # The same points as text, one per line, for the next save; the New box emptied into them.
    assert re.search(r'<textarea[^>]*name="strengths"[^>]*>\s*SCR complete\nStaff knew the DSLs</textarea>', html)
    assert re.search(r'name="new_strength"[^>]*value=""', html)
    assert form_row(synced_app, form_id)[1] == ["SCR complete", "Staff knew the DSLs"]
    post(host, form_id, op="remove-strength:0", strengths="SCR complete\nStaff knew the DSLs")
    assert form_row(synced_app, form_id)[1] == ["Staff knew the DSLs"]
    # Without JavaScript: the lines of the textarea, a redirect back to the form.
    response = post(host, form_id, htmx=False, strengths="• One\n• Two\n\n• Three", areas="Lanyards")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/impact-forms/{form_id}")
    assert form_row(synced_app, form_id)[1:3] == (["One", "Two", "Three"], ["Lanyards"])
    page = host.get(f"/impact-forms/{form_id}").get_data(as_text=True)
    assert "3 strengths to 1 area to develop" in page and "Saved." in page


def test_the_ratio_is_redrawn_as_typed_and_a_far_one_is_a_note_not_an_error(synced_app, visit):
    host = signed_in(synced_app, "br_staff")
    form_id = start(host, visit)
    token = csrf_token(host, f"/impact-forms/{form_id}")
    response = host.post(f"/impact-forms/{form_id}/ratio", headers={"HX-Request": "true"},
                         data={"csrf_token": token, "strengths": "Calm site", "areas": "Lanyards\nPoster"})
    html = response.get_data(as_text=True)
    assert 'role="status"' in html and "1 strength to 2 areas to develop" in html and "Fewer strengths" in html
    assert 'role="alert"' not in html
    assert form_row(synced_app, form_id)[1] == []  # redrawn, not saved
    response = post(host, form_id, op="confirm", strengths="Calm site", areas="Lanyards\nPoster")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Fewer strengths" in html
    assert form_row(synced_app, form_id)[0] == "awaiting"  # confirmed all the same


def test_final_after_the_host_and_the_visitor_confirm_then_in_the_directory(synced_app, visit):
    host, visitor = signed_in(synced_app, "br_staff"), signed_in(synced_app, "wl_head")
    form_id = start(host, visit)
    with synced_app.app_context():
        row_id = db.session.scalar(select(ActionRow.id).where(ActionRow.sheet_id == "BR-A001"))
    fields = dict(strengths="SCR complete\nStaff knew the DSLs\nCalm site", areas="Lanyard poster", rows=str(row_id),
                  impact_note="Peer review confirmed the SCR.")
    assert "Confirmed. Waiting" in post(host, form_id, op="confirm", **fields).get_data(as_text=True)
    assert "SCR complete" not in signed_in(synced_app, "admin").get("/strengths").get_data(as_text=True)
    html = post(visitor, form_id, op="confirm", **fields).get_data(as_text=True)
    assert "Final" in html and form_row(synced_app, form_id)[0] == "final"
    assert sorted(form_row(synced_app, form_id)[3]) == ["BR", "WL"]
    with synced_app.app_context():
        kinds = {(e.kind, e.tab, e.sheet_id) for e in db.session.scalars(select(OutboxEntry))}
    assert kinds == {("add", "Impact log", "BR-I005"), ("edit", "Action plan", "BR-A001")}
    directory = signed_in(synced_app, "br_governor").get("/strengths").get_data(as_text=True)
    assert "SCR complete" in directory and f"/impact-forms/{form_id}" in directory
    assert f"{EVENT_DAY.day} {EVENT_DAY:%b %Y}" in directory  # the event's date, as the site writes dates
    # A final form is not changed, by anyone.
    assert post(host, form_id, strengths="Something else").status_code == 409
    log = host.get("/plans/BR/impact").get_data(as_text=True)
    assert f"/impact-forms/{form_id}" in log and "in the log as BR-I005" in log
    # The host school's summary for governors shows the finished form; the visitor's doesn't.
    governor = signed_in(synced_app, "br_governor")
    summary = governor.get("/summary/BR").get_data(as_text=True)
    assert "Networks and visits: impact forms" in summary and "Staff knew the DSLs" in summary
    assert "3 strengths to 1 area to develop" in summary
    assert "Staff knew the DSLs" not in signed_in(synced_app, "wl_governor").get("/summary/WL").get_data(as_text=True)
    # WL looking for support on safeguarding, from its own priority, finds BR.
    with synced_app.app_context():
        wl = db.session.scalar(select(Workbook).where(Workbook.code == "WL"))
        priority = SipPriority(workbook_id=wl.id, sheet_id="WL-S099", priority="Safer recruitment",
                               theme="Safeguarding", share=False)
        db.session.add(priority)
        db.session.commit()
        priority_id = priority.id
    own = visitor.get("/plans/WL/priorities").get_data(as_text=True)
    assert f"/priorities/{priority_id}/who-could-help" in own and "Who could help?" in own
    helped = visitor.get(f"/priorities/{priority_id}/who-could-help",
                         headers={"HX-Request": "true", "HX-Target": f"who-could-help-{priority_id}"})
    assert "Bank Road" in helped.get_data(as_text=True) and "SCR complete" in helped.get_data(as_text=True)
    assert host.get(f"/priorities/{priority_id}/who-could-help").status_code == 404  # WL's own, unshared


def test_who_may_write_and_confirm(synced_app, visit):
    host = signed_in(synced_app, "br_staff")
    form_id = start(host, visit)
    governor = signed_in(synced_app, "br_governor")
    assert "Governors can read" in governor.get(f"/impact-forms/{form_id}").get_data(as_text=True)
    assert post(governor, form_id, strengths="x").status_code == 403
    admin = signed_in(synced_app, "admin")
    page = admin.get(f"/impact-forms/{form_id}").get_data(as_text=True)
    assert 'value="confirm"' not in page and "coordinators can write it but not confirm" in page
    other_host = signed_in(synced_app, "wl_staff")
    assert 'value="confirm"' in other_host.get(f"/impact-forms/{form_id}").get_data(as_text=True)


def test_a_form_is_started_after_the_event_and_never_for_a_cancelled_one(synced_app, demo):
    from domain.dates import uk

    with synced_app.app_context():
        later = db.session.scalar(select(CalendarEvent).where(CalendarEvent.sheet_id == "J-E005"))  # in six weeks
        later_id = later.id
        cancelled = db.session.scalar(select(CalendarEvent).where(CalendarEvent.sheet_id == "J-E004"))
        cancelled.status, cancelled.date = "Cancelled", demo.ago(3)  # past, and cancelled
        cancelled_id = cancelled.id
        db.session.commit()
    host = signed_in(synced_app, "br_head")
    page = host.get(f"/impact-forms/event/{later_id}").get_data(as_text=True)
    assert f"completed after the event, from {uk(demo.event_day('J-E005'))}" in page
    assert "Start the impact form" not in page
    token = csrf_token(host, f"/impact-forms/event/{later_id}")
    assert host.post(f"/impact-forms/event/{later_id}", data={"csrf_token": token}).status_code == 409
    assert "cancelled" in host.get(f"/impact-forms/event/{cancelled_id}").get_data(as_text=True)
    with synced_app.app_context():
        assert db.session.scalar(select(ImpactForm)) is None


def test_a_save_that_meets_another_keeps_what_was_typed(synced_app, visit):
    host, visitor = signed_in(synced_app, "br_staff"), signed_in(synced_app, "wl_head")
    form_id = start(host, visit)
    page = visitor.get(f"/impact-forms/{form_id}").get_data(as_text=True)
    stale = re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)
    post(host, form_id, strengths="The host's strength")
    response = visitor.post(f"/impact-forms/{form_id}", headers=HX, data={
        "csrf_token": csrf_token(visitor, f"/impact-forms/{form_id}"), "version": stale, "op": "save",
        "summary": "The visitor's summary", "strengths": "The visitor's strength"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "saved this form a moment ago" in html
    assert "The visitor&#39;s strength" in html and "The visitor&#39;s summary" in html  # nothing typed lost
    assert form_row(synced_app, form_id)[1] == ["The host's strength"]


def test_the_list_offers_past_events_this_person_completes(synced_app, demo):
    from domain.dates import uk

    with synced_app.app_context():  # the demo's two past events, today (this school year's, whatever the day)
        joint = db.session.scalar(select(Workbook).where(Workbook.code == "joint", Workbook.is_current))
        for row in demo.calendar[:2]:  # early in September the weeks before are last year's: made here
            event = db.session.scalar(select(CalendarEvent).where(CalendarEvent.workbook_id == joint.id,
                                                                  CalendarEvent.sheet_id == row[0]))
            if event is None:
                event = CalendarEvent(workbook_id=joint.id, sheet_id=row[0], sheet_row=0, type=row[3], focus=row[4],
                                      host_school=row[5], invited_schools=row[6], lead=row[7], status=row[8])
                db.session.add(event)
            event.date = demo.today
            event.host_code, event.invited_codes = row[5], ["*"] if row[6] == "All schools" else [row[6]]
            event.category = "network" if row[0] == "J-E001" else "visit"
            event.type = "Subject network" if row[0] == "J-E001" else "Quality assurance visit: behaviour"
        db.session.commit()
    head = signed_in(synced_app, "br_head").get("/impact-forms").get_data(as_text=True)
    to_do = head.split("<h2>To complete</h2>")[1].split("<h2>Final</h2>")[0]
    assert f"Subject network: Phonics, {uk(demo.today)}" in to_do  # hosted by BR: its head may complete it
    assert "Quality assurance visit: behaviour: Behaviour at lunchtimes" in to_do  # WL hosts, BR visits
    assert "Budgets and staffing" not in to_do  # next week: not yet
    governor = signed_in(synced_app, "br_governor").get("/impact-forms").get_data(as_text=True)
    assert "No event is waiting for an impact form from you." in governor


def test_an_unknown_host_school_is_said_where_the_form_is_shown_and_on_confirming(synced_app):
    with synced_app.app_context():
        joint = db.session.scalar(select(Workbook).where(Workbook.code == "joint"))
        event = CalendarEvent(workbook_id=joint.id, sheet_id="PS-E902", date=EVENT_DAY,
                              type="Quality assurance visit: safeguarding", category="visit", focus="Safeguarding",
                              host_school="Bank Rd Juniors", host_code="Bank Rd Juniors", invited_schools="WL",
                              invited_codes=["WL"], lead="Carole Clemens")  # as the sync keeps a host it cannot find
        db.session.add(event)
        db.session.commit()
        event_id = event.id
    said = "The event's Host school cell says ‘Bank Rd Juniors’, which is neither the code nor the name of a school"
    visitor = signed_in(synced_app, "wl_head")
    assert said in unescape(visitor.get(f"/impact-forms/event/{event_id}").get_data(as_text=True))
    form_id = start(visitor, event_id)
    page = unescape(visitor.get(f"/impact-forms/{form_id}").get_data(as_text=True))
    assert said in page and "a host school the partnership knows (the event" in page
    answer = unescape(post(visitor, form_id, op="confirm", strengths="Calm site").get_data(as_text=True))
    assert "a host school the partnership knows" in answer and "has no workbook" not in answer
    assert form_row(synced_app, form_id)[0] == "draft"


def test_a_namesake_of_the_networks_leader_at_another_school_is_refused_and_the_page_says_why(synced_app):
    """The Lead cell names "Jo Teacher"; a Jo Teacher at each school. Neither is the leader
    by a name two people answer to: the one at another school cannot write the form (or
    the host's impact log through it), and the page shows whom the cell matched."""
    from domain.models import School, User

    with synced_app.app_context():
        schools = {s.code: s for s in db.session.scalars(select(School))}
        for code in ("BR", "WL"):
            db.session.add(User(email=f"jo@{code.lower()}.test.school", name="Jo Teacher", role="staff",
                                school=schools[code], password_hash=db.session.scalar(
                                    select(User.password_hash).where(User.email == "staff@br.test.school"))))
        joint = db.session.scalar(select(Workbook).where(Workbook.code == "joint"))
        event = CalendarEvent(workbook_id=joint.id, sheet_id="PS-E920", date=EVENT_DAY, type="Subject network",
                              category="network", focus="Writing", host_school="BR", host_code="BR",
                              invited_schools="All schools", invited_codes=["*"], lead="Jo Teacher")
        db.session.add(event)
        db.session.commit()
        event_id = event.id
    namesake = signed_in(synced_app, "jo@wl.test.school")
    page = namesake.get(f"/calendar/events/{event_id}").get_data(as_text=True)
    assert "‘Jo Teacher’ could be any of 2 people here." in unescape(page)
    assert "the host school's head completes the impact form" in unescape(page)
    token = csrf_token(namesake, f"/impact-forms/event/{event_id}")
    assert namesake.post(f"/impact-forms/event/{event_id}", data={"csrf_token": token}).status_code == 403

    with synced_app.app_context():  # the leader's address in the Lead cell names the one at BR
        db.session.get(CalendarEvent, event_id).lead = "Jo Teacher <JO@br.test.school>"
        db.session.commit()
    assert namesake.post(f"/impact-forms/event/{event_id}", data={"csrf_token": token}).status_code == 403
    leader = signed_in(synced_app, "jo@br.test.school")
    page = unescape(leader.get(f"/calendar/events/{event_id}").get_data(as_text=True))
    assert "Jo Teacher (Bank Road Infant and Nursery School)" in page
    form_id = start(leader, event_id)
    assert "The network's leader completes the network impact form: Jo Teacher (Bank Road" in unescape(
        leader.get(f"/impact-forms/{form_id}").get_data(as_text=True))
    assert namesake.get(f"/impact-forms/{form_id}").status_code == 200  # a draft of an event for all schools: readable
    refused = post(namesake, form_id, op="confirm", strengths="Lively", htmx=False)
    assert refused.status_code == 403
    assert form_row(synced_app, form_id)[0] == "draft"


def _finished(app, event_id, strengths):
    with app.app_context():
        event = db.session.get(CalendarEvent, event_id)
        db.session.add(ImpactForm(event_id=event_id, kind=event.category, state="final", strengths=strengths,
                                  areas=["An area to develop"]))
        db.session.commit()


def test_the_directory_shows_a_few_strengths_a_theme_and_all_of_a_school_its_filters_still_every_school(synced_app):
    from ..conftest import past_visit

    _finished(synced_app, past_visit(synced_app, host="BR", visitor="WL", sheet_id="T-E901"),
              [f"Bank Road strength {n}" for n in range(1, 8)])
    _finished(synced_app, past_visit(synced_app, host="WL", visitor="BR", sheet_id="T-E902", days=14),
              ["William Lilley strength"])
    client = signed_in(synced_app, "br_head")
    overview = client.get("/strengths").get_data(as_text=True)
    assert "8 strengths on confirmed forms." in overview and "William Lilley strength" in overview
    shown = re.findall(r"Bank Road strength \d", overview)
    assert len(shown) == 5, shown  # a theme's latest six (WL's visit the newer), and the way to all of them
    link = re.search(r'<a href="(/strengths\?theme=[^"]+)">All 8 strengths in Behaviour at lunchtimes</a>', overview)
    assert link, overview
    assert len(re.findall(r"Bank Road strength \d", client.get(unescape(link.group(1))).get_data(as_text=True))) == 7
    wl = client.get("/strengths?school=WL").get_data(as_text=True)
    assert "William Lilley strength" in wl and "Bank Road strength" not in wl
    assert "1 strength on confirmed forms matching the filters." in wl
    choices = re.search(r'<select id="filter-school".*?</select>', wl, re.S).group(0)
    assert "Bank Road Infant and Nursery School" in choices and "William Lilley" in choices  # every school still
    fragment = client.get("/strengths?school=BR", headers={"HX-Request": "true", "HX-Target": "strength-groups"})
    assert fragment.headers["HX-Push-Url"] == "/strengths?school=BR"
    assert len(re.findall(r"Bank Road strength \d", fragment.get_data(as_text=True))) == 7  # a filter shows all
