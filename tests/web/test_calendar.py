"""The calendar's pages: lists, month, event page, replies, new events, access."""
import re
import socket

from openpyxl import load_workbook
from sqlalchemy import select, update

from domain.calendar import long_day
from domain.models import CalendarEvent, EventReply, Job, OutboxEntry, RowChange, School, User, utcnow
from webapp.background import work_off
from webapp.extensions import db
from webapp.syncing import sync_now

from ..conftest import add_event, csrf_token, in_year, login


def _event(app, sheet_id):
    with app.app_context():
        return db.session.scalar(select(CalendarEvent).where(CalendarEvent.sheet_id == sheet_id)).id


def long(day):
    """Thursday 3 December 2026, say: as the calendar writes a day."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def test_the_list_shows_this_term_and_next_with_dates_as_uk_schools_write_them(login_as, demo):
    from domain.calendar import next_term, term_of

    html = login_as("br_staff").get("/calendar").get_data(as_text=True)
    this_term, following = term_of(demo.today), next_term(term_of(demo.today))
    assert this_term.name in html and following.name in html
    shown = [sheet_id for sheet_id, *_ in demo.calendar
             if this_term.start <= demo.event_day(sheet_id) <= following.end]
    assert "J-E003" in shown  # the maths network is tomorrow (or on the next school day)
    for sheet_id in shown:  # each with its day as UK schools write it
        assert long(demo.event_day(sheet_id)) in html, sheet_id
    assert "Maths: fractions" in html
    later = [s for s, *_ in demo.calendar if demo.event_day(s) > following.end]
    assert all(long(demo.event_day(s)) not in html for s in later)


def test_filters_by_type_and_school_with_htmx_push_the_url_and_work_without_it(login_as, synced_app):
    with synced_app.app_context():  # the heads' network for Bank Road alone: William Lilley is not in it
        heads = db.session.scalar(select(CalendarEvent).where(CalendarEvent.sheet_id == "J-E004"))
        heads.host_code, heads.invited_codes = "BR", ["BR"]
        db.session.commit()
    client = login_as("br_staff")
    plain = client.get("/calendar?type=visit").get_data(as_text=True)
    assert "Quality assurance visit: safeguarding" in plain and "Maths: fractions" not in plain
    response = client.get("/calendar?type=network&school=WL", headers={"HX-Request": "true",
                                                                        "HX-Target": "calendar-results"})
    html = response.get_data(as_text=True)
    assert response.headers["HX-Push-Url"] == "/calendar?type=network&school=WL"
    assert "<h1>" not in html and 'id="calendar-results"' in html
    assert "Maths: fractions" in html and "Headteachers network" not in html and "Writing" not in html
    assert "Headteachers network" in client.get("/calendar?type=network&school=BR").get_data(as_text=True)


def test_the_month_view_puts_events_on_their_days(login_as, demo):
    client = login_as("br_staff")
    maths, heads = demo.event_day("J-E003"), demo.event_day("J-E004")
    html = client.get(f"/calendar/month/{maths:%Y-%m}").get_data(as_text=True)
    assert f"{maths:%B %Y}" in html
    assert "9am Subject network: Maths: fractions" in html  # GOV.UK's times
    assert "Safeguarding records" not in html  # the visit six weeks on, in a later month
    html = client.get(f"/calendar/month/{heads:%Y-%m}").get_data(as_text=True)
    assert "Headteachers network" in html  # an all-day event, no time before it
    assert "00:00 Headteachers network" not in html
    assert client.get(f"/calendar/month/{maths.year}-13").status_code == 404


def test_a_visit_page_shows_the_schedule_as_a_guide_and_the_visitor_checklist(login_as, synced_app):
    client = login_as("wl_staff")
    html = client.get(f"/calendar/events/{_event(synced_app, 'J-E005')}").get_data(as_text=True)
    assert "Bank Road Infant and Nursery School" in html and "Safeguarding records" in html
    assert "An approximate guide" in html and "single central record" in html
    for item in ("Sign in at the host", "photo identification", "visitor lanyard"):
        assert item in html
    assert 'href="https://bankroad.demo.school/policies/safeguarding.pdf"' in html
    # William Lilley has no links in its Schools row: visitors are told to ask, never given a dead link
    visitor = synced_app.test_client()
    login(visitor, "br_staff")
    html = visitor.get(f"/calendar/events/{_event(synced_app, 'J-E003')}").get_data(as_text=True)
    assert html.count("ask the host school") == 2
    # William Lilley's own staff host it: what to prepare, not the visitor's checklist
    host = synced_app.test_client()
    login(host, "wl_staff")
    html = host.get(f"/calendar/events/{_event(synced_app, 'J-E003')}").get_data(as_text=True)
    assert "Hosting: what to prepare" in html and "ask the host school" not in html


def test_a_reply_is_shown_at_once_stored_and_sent_to_the_rsvp_tab_and_a_change_edits_it(login_as, synced_app):
    client = login_as("br_staff")
    event_id = _event(synced_app, "J-E003")
    token = csrf_token(client, f"/calendar/events/{event_id}")
    response = client.post(f"/calendar/events/{event_id}/reply", data={"answer": "Confirmed", "note": "Bringing Y2",
                                                                       "csrf_token": token},
                           headers={"HX-Request": "true", "HX-Target": "reply-box"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "You are coming." in html and 'autofocus' in html
    assert "You replied: <strong>Coming</strong>" in html
    response = client.post(f"/calendar/events/{event_id}/reply", data={"answer": "Declined", "csrf_token": token})
    assert response.status_code == 303  # the plain form: back to the page
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You replied: <strong>Not coming</strong>" in html
    with synced_app.app_context():
        rows = db.session.scalars(select(EventReply).where(EventReply.email == "staff@br.test.school")).all()
        assert [(r.event_ref, r.reply) for r in rows] == [("J-E003", "Declined")]
        entries = db.session.scalars(select(OutboxEntry).where(OutboxEntry.tab == "RSVP")
                                     .order_by(OutboxEntry.id)).all()
        assert [e.kind for e in entries] == ["add", "edit"]
        assert entries[0].sheet_id == entries[1].sheet_id == rows[0].sheet_id
        assert entries[1].fields["reply"] == {"seen": "Confirmed", "new": "Declined"}


def test_governors_read_the_calendar_but_cannot_reply_or_add(login_as, synced_app):
    client = login_as("br_governor")
    event_id = _event(synced_app, "J-E003")
    html = client.get(f"/calendar/events/{event_id}").get_data(as_text=True)
    assert "Governors can read the calendar but not reply." in html and 'name="answer"' not in html
    token = csrf_token(client, f"/calendar/events/{event_id}")
    assert client.post(f"/calendar/events/{event_id}/reply",
                       data={"answer": "Confirmed", "csrf_token": token}).status_code == 403
    assert client.get("/calendar/new").status_code == 403
    with synced_app.app_context():
        assert db.session.scalar(select(EventReply).where(EventReply.email == "governor@br.test.school")) is None


def test_someone_not_invited_cannot_reply_nor_the_host_to_its_own_event(login_as, synced_app):
    client = login_as("wl_staff")
    uninvited = add_event(synced_app, "T-E601", 9, host="BR", invited=(), focus="Bank Road's own")
    hosted = _event(synced_app, "J-E007")  # the writing review at WL invites BR only
    for event_id, why in ((uninvited, "You are not invited to this event"),
                          (hosted, "Your school hosts this event: the invited schools reply to it.")):
        html = client.get(f"/calendar/events/{event_id}").get_data(as_text=True)
        assert why in html and 'name="answer"' not in html
        token = csrf_token(client, f"/calendar/events/{event_id}")
        assert client.post(f"/calendar/events/{event_id}/reply",
                           data={"answer": "Confirmed", "csrf_token": token}).status_code == 403


def test_the_host_sees_who_is_coming_and_a_reminder_says_mail_is_off(login_as, synced_app):
    event_id = _event(synced_app, "J-E003")  # hosted by WL, all schools invited
    staff = login_as("br_staff")
    staff.post(f"/calendar/events/{event_id}/reply",
               data={"answer": "Confirmed", "csrf_token": csrf_token(staff, f"/calendar/events/{event_id}")})
    staff.post("/logout", data={"csrf_token": csrf_token(staff, "/calendar")})
    assert "Who is coming" not in login_as("br_head").get(f"/calendar/events/{event_id}").get_data(as_text=True)
    login_as("br_head").post("/logout", data={"csrf_token": csrf_token(staff, "/calendar")})
    host = login_as("wl_head")
    html = host.get(f"/calendar/events/{event_id}").get_data(as_text=True)
    coming = html[html.index("<h3>Coming"):html.index("<h3>Declined")]
    assert "staff" in coming and "Carole Clemens" in coming  # the demo's reply from Bank Road's head
    waiting = html[html.index("<h3>Not answered yet"):html.index('id="invite-heading"')]
    assert 'head <span class="muted">(BR' in waiting and "(WL" not in waiting  # the host is not its own guest
    response = host.post(f"/calendar/events/{event_id}/remind",
                         data={"csrf_token": csrf_token(host, f"/calendar/events/{event_id}")})
    text = response.get_data(as_text=True)
    assert "Mail is not set up for the hub" in text and "MAIL_SERVER" not in text
    assert "head@br.test.school" in text and "staff@br.test.school" not in text


def test_a_head_adds_an_event_hosted_by_their_school_and_it_goes_to_the_outbox(login_as, synced_app):
    client = login_as("br_head")
    html = client.get("/calendar/new").get_data(as_text=True)
    assert 'value="WL"' not in html.split('id="host"')[1].split("</select>")[0]  # their own school only
    token = csrf_token(client, "/calendar/new")
    bad = client.post("/calendar/new", data={"date": "31/02/2027", "time": "9ish-10ish", "type": "Subject network",
                                             "host": "BR", "focus": "Science", "csrf_token": token})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "day/month/year" in text and 'value="Science"' in text
    day = in_year(3, 10)  # in the spring, whenever the suite runs
    response = client.post("/calendar/new", data={
        "date": f"{day:%d/%m/%Y}", "time": "13:30-15:30", "type": "Subject network", "focus": "Science",
        "host": "BR", "invited": ["BR", "WL"], "lead": "A. Lead", "notes": "Bring books", "csrf_token": token})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Subject network: Science" in page and long(day) in page and "All schools" in page
    with synced_app.app_context():
        event = db.session.scalar(select(CalendarEvent).where(CalendarEvent.focus == "Science"))
        assert event.sheet_id == "J-E009" and event.invited_codes == ["*"] and event.category == "network"
        entry = db.session.scalar(select(OutboxEntry).where(OutboxEntry.tab == "Calendar"))
        assert entry.kind == "add" and entry.fields["date"] == f"{day:%d/%m/%Y}"
        assert entry.fields["invited_schools"] == "All schools" and "invited_codes" not in entry.fields


def test_staff_cannot_add_events(login_as):
    assert login_as("br_staff").get("/calendar/new").status_code == 403


def test_the_feed_needs_its_secret_not_a_session_and_a_reset_kills_the_old_url(login_as, synced_app):
    client = login_as("br_staff")
    page = client.post("/calendar/my-feed", data={"csrf_token": csrf_token(client, "/calendar/my-feed")})
    old = re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', page.get_data(as_text=True)).group(1)
    path = old.split("localhost", 1)[1]
    anonymous = synced_app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert anonymous.get("/calendar").status_code in (302, 401)  # nothing else opens without a session
    page = client.post("/calendar/my-feed", data={"csrf_token": csrf_token(client, "/calendar/my-feed")})
    assert "the old one no longer works" in page.get_data(as_text=True)
    assert anonymous.get(path).status_code == 404
    assert anonymous.get("/calendar/feed/guess.ics").status_code == 404
    with synced_app.app_context():
        user = db.session.scalar(select(User).where(User.email == "staff@br.test.school"))
        assert user.calendar_feed_hash and user.calendar_feed_hash not in old  # only a hash is kept


def test_a_deactivated_persons_feed_stops(login_as, synced_app):
    client = login_as("wl_staff")
    page = client.post("/calendar/my-feed", data={"csrf_token": csrf_token(client, "/calendar/my-feed")})
    url = re.search(r'readonly value="([^"]+)"', page.get_data(as_text=True)).group(1)
    with synced_app.app_context():
        db.session.scalar(select(User).where(User.email == "staff@wl.test.school")).active = False
        db.session.commit()
    assert synced_app.test_client().get(url.split("localhost", 1)[1]).status_code == 404


def test_a_feed_address_dies_with_deactivation_and_is_not_back_on_reactivation(login_as, synced_app):
    from domain.users import activate, deactivate
    client = login_as("wl_staff")
    page = client.post("/calendar/my-feed", data={"csrf_token": csrf_token(client, "/calendar/my-feed")})
    path = re.search(r'readonly value="([^"]+)"', page.get_data(as_text=True)).group(1).split("localhost", 1)[1]
    with synced_app.app_context():  # they left; months later they are back: the address they had may be anywhere
        user = db.session.scalar(select(User).where(User.email == "staff@wl.test.school"))
        deactivate(user)
        db.session.commit()
        activate(user)
        db.session.commit()
    assert synced_app.test_client().get(path).status_code == 404


def test_schools_links_come_from_the_schools_tab(synced_app):
    with synced_app.app_context():
        schools = {s.code: s for s in db.session.scalars(select(School))}
        assert schools["BR"].code_of_conduct.endswith("staff-code-of-conduct.pdf")
        assert schools["WL"].code_of_conduct == ""


def test_the_host_invites_a_person_who_then_may_reply(login_as, synced_app):
    with synced_app.app_context():  # the writing review at WL, for Bank Road only
        person_id = db.session.scalar(select(User).where(User.email == "staff@wl.test.school")).id
    event_id = _event(synced_app, "J-E007")
    host = login_as("wl_head")
    token = csrf_token(host, f"/calendar/events/{event_id}")
    assert host.post(f"/calendar/events/{event_id}/invite", data={"csrf_token": token}).status_code == 422
    response = host.post(f"/calendar/events/{event_id}/invite", data={"people": [str(person_id)], "csrf_token": token})
    assert response.status_code == 303
    html = host.get(response.headers["Location"]).get_data(as_text=True)
    waiting = html[html.index("<h3>Not answered yet"):html.index('id="invite-heading"')]
    assert "staff" in waiting and "(WL)" in waiting
    with synced_app.app_context():
        row = db.session.scalar(select(EventReply).where(EventReply.email == "staff@wl.test.school"))
        assert (row.event_ref, row.reply) == ("J-E007", "")
    host.post("/logout", data={"csrf_token": token})
    staff = login_as("wl_staff")
    assert 'name="answer" value="Confirmed"' in staff.get(f"/calendar/events/{event_id}").get_data(as_text=True)
    assert login_as("br_head").post(f"/calendar/events/{event_id}/invite",
                                    data={"people": [str(person_id)],
                                          "csrf_token": csrf_token(staff, "/calendar")}).status_code == 403


def remind(client, event_id):
    return client.post(f"/calendar/events/{event_id}/remind", follow_redirects=True,
                       data={"csrf_token": csrf_token(client, f"/calendar/events/{event_id}")}).get_data(as_text=True)


def test_a_reminder_goes_by_mail_to_those_who_have_not_answered(synced_app, login_as, inbox, demo):
    event_id = _event(synced_app, "J-E005")  # hosted by BR, WL invited
    host = login_as("br_head")
    page = remind(host, event_id)
    assert "A reminder is on its way to 2 people" in page and inbox.messages == []  # the page did not wait
    assert work_off(synced_app) == 1
    assert "Reminder sent to 2 people," in host.get(f"/calendar/events/{event_id}").get_data(as_text=True)
    sent = sorted(to[0] for to, _ in inbox.messages)
    assert sent == ["head@wl.test.school", "staff@wl.test.school"]  # the governor is not asked to reply
    message = inbox.messages[0][1]
    assert message["Subject"].startswith(
        f"Please reply: Quality assurance visit: safeguarding on {long_day(demo.event_day('J-E005'))}, 9am to 3pm")
    again = remind(host, event_id)  # a second press, or another manager's
    assert "less than a day ago" in again and len(inbox.messages) == 2


def test_a_reminder_for_a_time_cell_of_two_lines_has_its_subject_on_one(synced_app, login_as, inbox, demo):
    event_id = _event(synced_app, "J-E005")
    with synced_app.app_context():  # as a person types it in the sheet: a line break, then a note (no clock read)
        event = db.session.get(CalendarEvent, event_id)
        event.time, event.start_time, event.end_time = "09:00-12:00\narrive 08:45", None, None
        db.session.commit()
    assert "A reminder is on its way to 2 people" in remind(login_as("br_head"), event_id)
    work_off(synced_app)
    assert inbox.messages[0][1]["Subject"].endswith(f"{long_day(demo.event_day('J-E005'))}, 09:00-12:00 arrive 08:45")


def test_a_reminder_the_mail_server_refused_to_everyone_is_retried_then_can_be_sent_again_at_once(
        synced_app, login_as):
    with socket.socket() as probe:  # a port nothing listens on: every send is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    synced_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="hub@test.school")
    event_id = _event(synced_app, "J-E005")
    host = login_as("br_head")
    remind(host, event_id)
    work_off(synced_app)
    page = host.get(f"/calendar/events/{event_id}").get_data(as_text=True)
    assert "The reminder has not gone yet: the mail server refused the connection. It will be tried again at" in page
    assert "less than a day ago" in remind(host, event_id)  # it is still being tried: not a second one
    for _ in range(4):  # every attempt left, each made due at once
        with synced_app.app_context():
            db.session.execute(update(Job).where(Job.state == "queued").values(run_at=utcnow()))
            db.session.commit()
        work_off(synced_app)
    page = host.get(f"/calendar/events/{event_id}").get_data(as_text=True)
    assert "The reminder could not be sent: the mail server refused the connection." in page
    with synced_app.app_context():  # it reached nobody: no reminder in the event's history, so another may go
        assert not db.session.scalars(select(RowChange).where(RowChange.field == "reminder")).all()
    page = remind(host, event_id)
    assert "less than a day ago" not in page and "A reminder is on its way to 2 people" in page


def test_a_reply_on_its_way_is_listed_on_the_persons_home_with_a_link_to_the_calendar(login_as, synced_app):
    # On its way: no drain after the save, which on a fast run reached the sheet before the home was asked for.
    synced_app.config["OUTBOX_DRAIN_ON_SAVE"] = False
    client = login_as("br_staff")
    event_id = _event(synced_app, "J-E003")
    client.post(f"/calendar/events/{event_id}/reply",
                data={"answer": "Confirmed", "csrf_token": csrf_token(client, f"/calendar/events/{event_id}")})
    home = client.get("/").get_data(as_text=True)
    assert '<a href="/calendar">J-R006</a> (a reply to an event)' in home and "impact-log" not in home


def test_the_new_event_page_warns_when_the_workbook_has_no_calendar_tab(login_as, synced_app, workbook_dir):
    html = login_as("admin").get("/calendar/new").get_data(as_text=True)
    assert "has no Calendar tab yet" not in html
    book = load_workbook(workbook_dir / "partnership.xlsx")
    del book["Calendar"]
    book.save(workbook_dir / "partnership.xlsx")
    assert sync_now(synced_app, "test").ok
    html = login_as("admin").get("/calendar/new").get_data(as_text=True)
    assert "has no Calendar tab yet" in html


def test_a_policy_cell_that_is_no_web_address_is_not_made_a_link(login_as, synced_app):
    with synced_app.app_context():  # the Schools tab's cell is typed by people: words, or worse
        school = db.session.scalar(select(School).where(School.code == "BR"))
        school.safeguarding_policy, school.code_of_conduct = "javascript:alert(1)", "On the staff noticeboard"
        db.session.commit()
    html = login_as("wl_staff").get(f"/calendar/events/{_event(synced_app, 'J-E005')}").get_data(as_text=True)
    assert "javascript:" not in html and 'href="On the staff' not in html
    assert html.count("the Schools tab gives no web address") == 2


def test_a_reminder_goes_only_to_people_who_can_sign_in_and_reply(login_as, synced_app):
    event_id = _event(synced_app, "J-E005")  # hosted by BR, WL invited
    with synced_app.app_context():  # WL's staff member has left (deactivated); an address typed in the RSVP tab
        left = db.session.scalar(select(User).where(User.email == "staff@wl.test.school"))
        left.active = False
        event = db.session.get(CalendarEvent, event_id)
        for sheet_id, email in (("J-R090", "staff@wl.test.school"), ("J-R091", "someone@elsewhere.example")):
            db.session.add(EventReply(workbook_id=event.workbook_id, sheet_id=sheet_id, sheet_row=0, event_ref="J-E005",
                                      person=email, email=email, reply=""))
        db.session.commit()
    host = login_as("br_head")
    text = host.post(f"/calendar/events/{event_id}/remind",
                     data={"csrf_token": csrf_token(host, f"/calendar/events/{event_id}")}).get_data(as_text=True)
    assert "head@wl.test.school" in text
    assert "staff@wl.test.school" not in text and "someone@elsewhere.example" not in text


def test_people_of_a_school_that_has_left_the_partnership_are_not_offered_to_invite(login_as, synced_app):
    from domain.models import utcnow
    with synced_app.app_context():
        db.session.scalar(select(School).where(School.code == "WL")).archived_at = utcnow()
        staff_id = db.session.scalar(select(User).where(User.email == "staff@wl.test.school")).id
        head_id = db.session.scalar(select(User).where(User.email == "staff@br.test.school")).id
        db.session.commit()
    host = login_as("br_head")
    event_id = _event(synced_app, "J-E005")
    html = host.get(f"/calendar/events/{event_id}").get_data(as_text=True)
    assert f'name="people" type="checkbox" value="{head_id}"' in html
    assert f'value="{staff_id}"' not in html
    response = host.post(f"/calendar/events/{event_id}/invite",
                         data={"people": [str(staff_id)], "csrf_token": csrf_token(host, f"/calendar/events/{event_id}")})
    assert response.status_code == 422


def test_an_event_hosted_by_a_school_that_has_left_says_so(login_as, synced_app, demo):
    from domain.calendar import term_of
    from domain.models import utcnow
    with synced_app.app_context():
        db.session.scalar(select(School).where(School.code == "WL")).archived_at = utcnow()
        db.session.commit()
    client = login_as("br_staff")
    html = client.get(f"/calendar/events/{_event(synced_app, 'J-E003')}").get_data(as_text=True)
    assert "William Lilley Infant and Nursery School (has left the partnership)" in html
    assert "not a school of the partnership" not in html
    listed = client.get(f"/calendar?term={term_of(demo.event_day('J-E003')).key}").get_data(as_text=True)
    assert "hosted by William Lilley Infant and Nursery School (has left the partnership)" in listed
