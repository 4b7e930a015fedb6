""""For you" on every home: what is waiting for this person, acting in one click, its
count in the navigation; the line goes when they act."""
import html
import re

from sqlalchemy import select

from domain.models import CalendarEvent, EventReply, OutboxEntry, School, User, Workbook
from tests.conftest import _HASH, add_event, csrf_token, past_visit, signed_in
from webapp.extensions import db


def for_you(client):
    """The For you section of the home, as text."""
    page = client.get("/").get_data(as_text=True)
    section = re.search(r'<section id="for-you".*?</section>', page, re.S).group(0)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section)).split())


def nav_count(client):
    """The figure the navigation shows (fetched after the page), or 0."""
    found = re.search(r'class="nav-count">(\d+)', client.get("/for-you/count").get_data(as_text=True))
    return int(found.group(1)) if found else 0


def test_an_invitation_is_answered_from_the_home_in_one_click_and_the_line_and_count_follow(quiet_calendar):
    event_id = add_event(quiet_calendar, "T-E801", 5, focus="Fractions in Year 4")
    client = signed_in(quiet_calendar, "br_staff")
    assert "Are you coming to Subject network: Fractions in Year 4" in for_you(client)
    before = nav_count(client)
    assert before >= 1

    response = client.post(f"/calendar/events/{event_id}/reply", data={
        "answer": "Confirmed", "back": "home", "csrf_token": csrf_token(client, "/")},
        headers={"HX-Request": "true", "HX-Target": "for-you"})
    answer = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "for-you-changed"
    assert answer.lstrip().startswith('<section id="for-you"')  # the section alone, to swap
    assert "You are coming." in answer and "Fractions in Year 4?" not in answer
    assert nav_count(client) == before - 1
    with quiet_calendar.app_context():
        reply = db.session.scalar(select(EventReply).where(EventReply.event_ref == "T-E801"))
        assert reply.email == "staff@br.test.school" and reply.reply == "Confirmed"


def test_without_scripts_a_reply_from_the_home_comes_back_to_the_home_with_what_was_done(quiet_calendar):
    event_id = add_event(quiet_calendar, "T-E802", 5, focus="Fractions in Year 5")
    client = signed_in(quiet_calendar, "br_staff")
    response = client.post(f"/calendar/events/{event_id}/reply", data={
        "answer": "Declined", "back": "home", "csrf_token": csrf_token(client, "/")})
    assert response.status_code == 303 and response.headers["Location"].endswith("/#for-you")
    home = html.unescape(client.get("/").get_data(as_text=True))
    assert "You have declined." in home and "Fractions in Year 5?" not in home


def test_a_reply_refused_from_the_home_without_scripts_comes_back_to_the_home_with_why(quiet_calendar):
    event_id = add_event(quiet_calendar, "T-E811", -1, focus="Yesterday")  # the home was open since before it
    client = signed_in(quiet_calendar, "br_staff")
    response = client.post(f"/calendar/events/{event_id}/reply", data={
        "answer": "Confirmed", "back": "home", "csrf_token": csrf_token(client, "/")})
    assert response.status_code == 303 and response.headers["Location"].endswith("/#for-you")
    home = html.unescape(client.get("/").get_data(as_text=True))
    assert "This event has taken place: replies are closed." in home


def test_the_host_schools_people_are_not_asked_to_reply_to_their_own_event_they_host_it(quiet_calendar):
    add_event(quiet_calendar, "T-E803", 0, host="WL", invited=("BR",), focus="Hosted today")
    add_event(quiet_calendar, "T-E804", 30, host="WL", invited=("BR",), focus="Hosted next month")
    wl = for_you(signed_in(quiet_calendar, "wl_staff"))
    assert "Are you coming" not in wl
    assert "You host Subject network: Hosted today" in wl and "Hosted next month" not in wl  # this week only
    br = for_you(signed_in(quiet_calendar, "br_staff"))
    assert "Are you coming to Subject network: Hosted today" in br and "You host" not in br


def test_a_past_or_cancelled_event_asks_no_reply(quiet_calendar):
    add_event(quiet_calendar, "T-E805", -2, focus="Two days ago")
    cancelled = add_event(quiet_calendar, "T-E806", 4, focus="Called off")
    with quiet_calendar.app_context():
        db.session.get(CalendarEvent, cancelled).status = "Cancelled"
        db.session.commit()
    text = for_you(signed_in(quiet_calendar, "br_staff"))
    assert "Two days ago" not in text and "Called off" not in text


def test_the_host_head_and_coordinators_see_who_has_not_answered_soon_and_not_months_ahead(quiet_calendar):
    add_event(quiet_calendar, "T-E807", 6, focus="Soon")
    add_event(quiet_calendar, "T-E808", 90, focus="Next term")
    for who in ("wl_head", "admin"):
        text = for_you(signed_in(quiet_calendar, who))
        assert re.search(r"\d+ not answered yet for Subject network: Soon", text), (who, text)
        assert "Next term" not in text
    assert "not answered yet" not in for_you(signed_in(quiet_calendar, "br_head"))  # not BR's event to manage


def test_governors_are_told_nothing_is_waiting(quiet_calendar):
    add_event(quiet_calendar, "T-E809", 5)
    client = signed_in(quiet_calendar, "br_governor")
    assert for_you(client) == "For you Nothing is waiting for you."
    assert nav_count(client) == 0


def test_each_side_of_a_visit_is_asked_for_its_part_of_the_impact_form_until_it_confirms(quiet_calendar):
    event_id = past_visit(quiet_calendar, host="WL", visitor="BR", sheet_id="T-E810", days=3)
    with quiet_calendar.app_context():  # Bank Road's teacher said they would come; nobody else replied
        joint = db.session.scalar(select(Workbook).where(Workbook.code == "joint", Workbook.is_current))
        db.session.add(EventReply(workbook_id=joint.id, sheet_id="T-R810", event_ref="T-E810", school="BR",
                                  person="staff <staff@br.test.school>", email="staff@br.test.school",
                                  reply="Confirmed"))
        db.session.commit()
    asked = "Complete the impact form of Quality assurance visit: behaviour"
    for who in ("wl_head", "br_head", "br_staff"):  # each school's head, and the visitor who came
        assert asked in for_you(signed_in(quiet_calendar, who)), who
    for who in ("wl_staff", "admin", "br_governor"):  # staff who were not there; coordinators may, but need not
        assert "impact form" not in for_you(signed_in(quiet_calendar, who)), who

    host = signed_in(quiet_calendar, "wl_head")
    started = host.post(f"/impact-forms/event/{event_id}",
                        data={"csrf_token": csrf_token(host, f"/impact-forms/event/{event_id}")})
    form_path = started.headers["Location"]
    confirmed = host.post(form_path, data={"csrf_token": csrf_token(host, form_path), "version": "1", "op": "confirm",
                                           "summary": "Calm lunchtimes", "strengths": "Clear routines"},
                          follow_redirects=True)
    assert "Confirmed. Waiting" in confirmed.get_data(as_text=True)
    assert "impact form" not in for_you(host)
    visitor = for_you(signed_in(quiet_calendar, "br_staff"))
    assert "Finish the impact form of Quality assurance visit: behaviour" in visitor
    assert "the other side has confirmed it" in visitor


def test_a_review_waits_on_the_heads_then_on_the_chairs(quiet_calendar):
    with quiet_calendar.app_context():
        br = db.session.scalar(select(School).where(School.code == "BR"))
        db.session.add(User(email="chair@br.test.school", role="governor", chair=True, school=br, name="Chair BR",
                            password_hash=_HASH))
        db.session.commit()
    head = signed_in(quiet_calendar, "br_head")
    token = csrf_token(head, "/plans/BR/reviews")
    review_path = head.post("/plans/BR/reviews", data={"csrf_token": token}).headers["Location"]
    assert "Sign the review of your school’s plan for the" in for_you(head)
    chair = signed_in(quiet_calendar, "chair@br.test.school")
    assert "the review" not in for_you(chair)  # the heads sign first

    head.post(f"{review_path}/sign", data={"csrf_token": csrf_token(head, review_path)})
    assert "the review" not in for_you(head)
    assert "Confirm the review of your school’s plan" in for_you(chair)


def test_an_edit_that_clashed_with_the_sheet_waits_for_its_author_alone(quiet_calendar):
    with quiet_calendar.app_context():
        staff = db.session.scalar(select(User).where(User.email == "staff@br.test.school"))
        workbook = db.session.scalar(select(Workbook).where(Workbook.code == "BR", Workbook.is_current))
        db.session.add(OutboxEntry(workbook_id=workbook.id, kind="edit", tab="Action plan", sheet_id="BR-A001",
                                   row_id=1, fields={}, state="conflict", created_by_id=staff.id, created_by="staff"))
        db.session.add(OutboxEntry(workbook_id=workbook.id, kind="edit", tab="Action plan", sheet_id="BR-A002",
                                   row_id=2, fields={}, state="waiting", created_by_id=staff.id, created_by="staff"))
        joint = db.session.scalar(select(Workbook).where(Workbook.code == "joint", Workbook.is_current))
        db.session.add(OutboxEntry(workbook_id=joint.id, kind="edit", tab="RSVP", sheet_id="J-R050", row_id=3,
                                   fields={}, state="conflict", created_by_id=staff.id, created_by="staff"))
        db.session.commit()
    text = for_you(signed_in(quiet_calendar, "br_staff"))
    assert "Your edit to BR-A001 : the sheet was changed meanwhile; choose which to keep" in text
    assert "BR-A002" not in text  # on its way: nothing for them to do
    assert "J-R050" not in text  # a reply waiting on the partnership's sheet is the coordinators' to settle
    assert "BR-A001" not in for_you(signed_in(quiet_calendar, "br_head"))


def test_a_home_shows_five_invitations_the_soonest_and_counts_the_rest(quiet_calendar):
    for n in range(8):
        add_event(quiet_calendar, f"T-E7{n:02d}", 3 + n, focus=f"Topic {n}")
    client = signed_in(quiet_calendar, "br_staff")
    text = for_you(client)
    assert [f"Topic {n}" in text for n in range(8)] == [True] * 5 + [False] * 3
    assert "And 3 more invitations to answer: the calendar" in text and nav_count(client) == 8


def test_the_replies_missing_are_counted_as_the_events_page_counts_them(quiet_calendar):
    from domain import calendar as cal

    event_id = add_event(quiet_calendar, "T-E811", 3, host="WL", invited=("BR",))
    everyone_id = add_event(quiet_calendar, "T-E812", 4, host="WL", invited=("*",))
    with quiet_calendar.app_context():
        joint = db.session.scalar(select(Workbook).where(Workbook.code == "joint", Workbook.is_current))
        db.session.add_all([  # one of BR's answers, one asked by name answers, one asked by name does not
            EventReply(workbook_id=joint.id, sheet_id="T-R1", event_ref="T-E811", email="staff@br.test.school",
                       person="staff", school="BR", reply="Confirmed"),
            EventReply(workbook_id=joint.id, sheet_id="T-R2", event_ref="T-E811", email="guest@elsewhere.school",
                       person="A guest", school="", reply="Declined"),
            EventReply(workbook_id=joint.id, sheet_id="T-R3", event_ref="T-E811", email="later@elsewhere.school",
                       person="Not yet", school="", reply=""),
            EventReply(workbook_id=joint.id, sheet_id="T-R4", event_ref="T-E812", email="head@br.test.school",
                       person="head", school="BR", reply="Declined")])
        db.session.commit()
        event = db.session.get(CalendarEvent, event_id)
        waiting = len(cal.answers(db.session, event).waiting)
        assert cal.waiting_counts(db.session, [event]) == {event_id: waiting} and waiting == 2  # BR's head; Not yet
        everyone = db.session.get(CalendarEvent, everyone_id)  # every school but the host's: BR
        counts = cal.waiting_counts(db.session, [event, everyone])
        assert counts == {event_id: 2, everyone_id: len(cal.answers(db.session, everyone).waiting)}
        assert counts[everyone_id] == 1  # BR's staff (its head has answered)
    assert "2 not answered yet for Subject network: Fractions" in for_you(signed_in(quiet_calendar, "wl_head"))


def test_a_head_s_count_of_missing_replies_follows_a_person_deactivated_after_it_was_kept(quiet_calendar):
    """For you's calendar lines are kept per person and day (domain/kept.py): a change to
    the partnership's people (a coordinator deactivates one) moves the versions they are
    kept under, so the next home counts afresh."""
    add_event(quiet_calendar, "T-E821", 3, host="WL", invited=("BR",))
    head = signed_in(quiet_calendar, "wl_head")
    waiting = re.search(r"(\d+) not answered yet for Subject network", for_you(head))
    assert waiting and for_you(head) == for_you(head)  # kept: the same again
    with quiet_calendar.app_context():
        br_head = db.session.scalar(select(User).where(User.email == "head@br.test.school"))
    admin = signed_in(quiet_calendar, "admin")
    answer = admin.post(f"/people/{br_head.id}/deactivate",
                        data={"csrf_token": csrf_token(admin, f"/people/{br_head.id}")})
    assert answer.status_code in (200, 303)
    assert f"{int(waiting.group(1)) - 1} not answered yet for Subject network" in for_you(head)
