"""The .ics of one event and the private feed, parsed back with icalendar."""
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy import select

from domain import calendar as cal
from domain.models import CalendarEvent, User
from webapp.extensions import db
from webapp.syncing import sync_now

from ..conftest import DAYS, csrf_token


def _event(app, sheet_id):
    with app.app_context():
        return db.session.scalar(select(CalendarEvent).where(CalendarEvent.sheet_id == sheet_id)).id


def _vevents(body):
    return {str(e["uid"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_one_events_ics_is_in_london_time_on_any_day_clocks_changing_or_not(login_as, synced_app, day):
    """The maths network (9am to 12pm) moved to each of the days that break naive code:
    the days the clocks change, the turn of the year, 29 February, the summer holiday."""
    event_id = _event(synced_app, "J-E003")
    with synced_app.app_context():
        db.session.get(CalendarEvent, event_id).date = day
        db.session.commit()
    winter = login_as("br_staff").get(f"/calendar/events/{event_id}.ics")
    assert winter.mimetype == "text/calendar" and "attachment" in winter.headers["Content-Disposition"]
    [event] = _vevents(winter.data).values()
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert str(start.tzinfo) == "Europe/London" and (start.hour, end.hour) == (9, 12)
    summer_time = bool(ZoneInfo("Europe/London").utcoffset(datetime(day.year, day.month, day.day, 9)))
    assert start.utcoffset() == timedelta(hours=1 if summer_time else 0)  # BST or GMT, as London had it that morning
    assert start.astimezone(timezone.utc) == datetime(day.year, day.month, day.day, 8 if summer_time else 9,
                                                      tzinfo=timezone.utc)
    assert str(event["summary"]) == "Subject network: Maths: fractions"
    assert "William Lilley" in str(event["location"])
    assert Calendar.from_ical(winter.data).walk("VTIMEZONE")  # the zone travels with the file


def test_an_event_with_no_time_is_a_whole_day_and_uids_are_stable(login_as, synced_app, demo):
    client = login_as("br_staff")
    url = f"/calendar/events/{_event(synced_app, 'J-E004')}.ics"
    first, second = _vevents(client.get(url).data), _vevents(client.get(url).data)
    assert list(first) == list(second) == ["j-e004@partnership-hub"]
    event = first["j-e004@partnership-hub"]
    day = demo.event_day("J-E004")
    assert event.decoded("dtstart") == day and not isinstance(event.decoded("dtstart"), datetime)
    assert event.decoded("dtend") == day + timedelta(days=1)


def test_an_event_changed_in_the_sheet_comes_with_a_higher_sequence(login_as, synced_app, workbook_dir):
    event_id = _event(synced_app, "J-E003")
    with synced_app.app_context():  # read from the sheet yesterday
        event = db.session.get(CalendarEvent, event_id)
        event.changed_at = event.changed_at - timedelta(days=1)
        db.session.commit()
    client = login_as("br_staff")
    [before] = _vevents(client.get(f"/calendar/events/{event_id}.ics").data).values()
    book = load_workbook(workbook_dir / "partnership.xlsx")
    tab = book["Calendar"]
    headers = [cell.value for cell in tab[1]]
    for row in tab.iter_rows(min_row=2):
        if row[headers.index("ID")].value == "J-E003":
            row[headers.index("Time")].value = "13:00-15:00"  # moved to the afternoon
    book.save(workbook_dir / "partnership.xlsx")
    assert sync_now(synced_app, "test").ok
    [after] = _vevents(client.get(f"/calendar/events/{event_id}.ics").data).values()
    assert after.decoded("dtstart").hour == 13
    assert int(after["sequence"]) > int(before["sequence"]) >= 0
    assert after.decoded("last-modified") > before.decoded("last-modified")


def test_the_feed_holds_the_persons_schools_events_and_those_they_are_invited_to(login_as, synced_app):
    with synced_app.app_context():  # the heads' network for Bank Road alone
        heads = db.session.scalar(select(CalendarEvent).where(CalendarEvent.sheet_id == "J-E004"))
        heads.host_code, heads.invited_codes = "BR", ["BR"]
        db.session.commit()
    client = login_as("wl_staff")
    page = client.post("/calendar/my-feed", data={"csrf_token": csrf_token(client, "/calendar/my-feed")})
    path = re.search(r'readonly value="http://localhost([^"]+)"', page.get_data(as_text=True)).group(1)
    anonymous = synced_app.test_client()
    uids = set(_vevents(anonymous.get(path).data))
    assert "j-e003@partnership-hub" in uids and "j-e004@partnership-hub" not in uids
    with synced_app.app_context():
        event = db.session.scalar(select(CalendarEvent).where(CalendarEvent.sheet_id == "J-E004"))
        person = db.session.scalar(select(User).where(User.email == "staff@wl.test.school"))
        cal.invite_people(db.session, event, [person], "Carole Clemens")
    feed = anonymous.get(path)
    assert "j-e004@partnership-hub" in _vevents(feed.data)  # invited one by one
    assert feed.headers["Cache-Control"] == "private, no-store"
    start = _vevents(feed.data)["j-e008@partnership-hub"].decoded("dtstart")  # 13:30, as the sheet has it
    assert (start.hour, start.minute, str(start.tzinfo)) == (13, 30, "Europe/London")  # the feed's times are London's too


def test_a_time_in_words_is_kept_in_the_whole_day_events_description(login_as, synced_app):
    with synced_app.app_context():  # "AM", "after school": a whole-day event, but the phone must still say when
        event = db.session.scalar(select(CalendarEvent).where(CalendarEvent.sheet_id == "J-E004"))
        event.time = "After school"
        db.session.commit()
        event_id = event.id
    [event] = _vevents(login_as("br_staff").get(f"/calendar/events/{event_id}.ics").data).values()
    assert not isinstance(event.decoded("dtstart"), datetime)
    assert str(event["description"]).startswith("Time: After school")
