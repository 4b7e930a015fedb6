"""Events as iCalendar (RFC 5545) with the icalendar library: one event's .ics, and a
person's private feed. Times are Europe/London (the file carries the zone, so a
phone in another zone shows them right, either side of the clocks changing); an
event with no time is a whole-day event. An event's UID is stable (its sheet ID),
so a calendar that subscribes updates the event rather than adding a copy; its
SEQUENCE and LAST-MODIFIED move on whenever the row changes, so a calendar that
imported an earlier file takes a later one as the newer revision."""
from datetime import datetime, timedelta, timezone

from icalendar import Calendar, Event

from . import calendar
from .dates import UK_TIME
from .event_cells import ALL_SCHOOLS

PRODID = "-//Partnership Hub//Calendar//EN"
UID_DOMAIN = "partnership-hub"
DEFAULT_LENGTH = timedelta(hours=1)  # a start with no end: an hour, as calendars assume
# SEQUENCE counts seconds from here to the row's last change: it only grows with each
# revision, as RFC 5545 asks, needs no counter kept, and fits 32 bits until 2094.
SEQUENCE_FROM = datetime(2026, 1, 1)


def uid(event):
    """The event's UID: the same in every file and feed, for as long as the event keeps its ID."""
    return f"{event.sheet_id.lower()}@{UID_DOMAIN}"


def _description(event, link):
    lines = []
    if event.start_time is None and (event.time or "").strip():
        lines.append(f"Time: {event.time.strip()}")  # "AM", "after school": a whole-day event that still says when
    if event.lead:
        lines.append(f"Lead: {event.lead}")
    if event.invited_codes:
        lines.append("Invited: " + ("all schools" if ALL_SCHOOLS in event.invited_codes else event.invited_schools))
    if event.notes:
        lines += ["", "Schedule and notes (an approximate guide):", event.notes]
    if link:
        lines += ["", link]
    return "\n".join(lines)


def vevent(event, host_name="", link=""):
    """One event as a VEVENT."""
    item = Event()
    item.add("uid", uid(event))
    item.add("dtstamp", datetime.now(timezone.utc).replace(microsecond=0))
    if event.changed_at:
        item.add("last-modified", event.changed_at.replace(microsecond=0, tzinfo=timezone.utc))
        item.add("sequence", max(0, int((event.changed_at - SEQUENCE_FROM).total_seconds())))
    item.add("summary", calendar.title(event))
    if event.start_time is None:
        item.add("dtstart", event.date)  # a whole-day event: DTSTART;VALUE=DATE
        item.add("dtend", event.date + timedelta(days=1))
    else:
        start = datetime.combine(event.date, event.start_time, tzinfo=UK_TIME)
        end = datetime.combine(event.date, event.end_time, tzinfo=UK_TIME) if event.end_time else start + DEFAULT_LENGTH
        item.add("dtstart", start)
        item.add("dtend", end)
    if host_name:
        item.add("location", host_name)
    description = _description(event, link)
    if description:
        item.add("description", description)
    if link:
        item.add("url", link)  # the event's page, which calendar apps offer to open
    item.add("status", "CANCELLED" if event.status == "Cancelled" else
             "CONFIRMED" if event.status == "Confirmed" else "TENTATIVE")
    return item


def calendar_of(events, name, host_names=None, links=None):
    """A VCALENDAR of events (with the Europe/London zone it uses), as bytes."""
    host_names, links = host_names or {}, links or {}
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    for event in events:
        cal.add_component(vevent(event, host_names.get(event.id, ""), links.get(event.id, "")))
    cal.add_missing_timezones()
    return cal.to_ical()
