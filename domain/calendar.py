"""The partnership's calendar: terms, filters, a month's grid, who an event is for,
invitations and replies, new events, and the private feed's secret. No Flask here.

Events live in the partnership workbook's Calendar tab, replies in its RSVP tab
(domain/contract.py); both are written through the outbox. A school invited to an
event invites all its staff (heads and staff; governors read, they do not reply);
people may also be invited one by one, as a row of the RSVP tab with no reply yet.
"""
import calendar as months
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from . import dates, scope, years
from .access import can_add_events, can_manage_event, can_reply_to_events
from .contract import CALENDAR, RSVP
from .dates import UK_TIME, clock_span, uk, uk_time
from .edits import add_row, edit_row
from .event_cells import ALL_SCHOOLS, CONFIRMED, DECLINED, TYPES, clean_event_row, person_cell, school_list
from .models import JOINT, CalendarEvent, EventReply, RowChange, School, SheetProblem, User, Workbook, lock_row, utcnow
from .paging import Page, clamp
from .scope import HUB_WIDE

REPLYING_ROLES = frozenset({"admin", "head", "staff"})
CANCELLED = "Cancelled"


# -- terms ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """A school term as the hub reckons them (domain/dates.py): autumn September to
    December, spring January to March, summer April to August."""

    name: str
    start: date
    end: date

    @property
    def key(self):
        return f"{self.name.split()[0].lower()}-{self.start.year}"


def term_of(day):
    """The term a day falls in."""
    year = day.year
    if day.month >= 9:
        return Term(f"Autumn {year}", date(year, 9, 1), date(year, 12, 31))
    if day.month <= 3:
        return Term(f"Spring {year}", date(year, 1, 1), date(year, 3, 31))
    return Term(f"Summer {year}", date(year, 4, 1), date(year, 8, 31))


def next_term(term):
    """The term after ``term``."""
    return term_of(term.end + timedelta(days=1))


def term_named(key):
    """A term from its key ('spring-2027'), or None."""
    try:
        season, year = key.split("-")
        start = {"autumn": date(int(year), 9, 1), "spring": date(int(year), 1, 1),
                 "summer": date(int(year), 4, 1)}[season]
    except (ValueError, KeyError, AttributeError):
        return None
    return term_of(start)


# -- schools an event names ---------------------------------------------------------------

def school_key(text):
    """What a school's name is compared by: case, spacing, punctuation and '&' for 'and'
    set aside, and nothing more. Not theme_key: 'Oak Primary' and 'Oaks Primary' are
    two schools, so plurals count."""
    words = re.findall(r"[^\W_]+", str(text or "").casefold().replace("&", " and "))
    return "".join(words)


class Schools:
    """The member schools, found by code or by name as a Calendar cell gives them.

    ``all`` is the current schools (listed, invitable). A host is found among the schools
    that have left the partnership too (archived): a past event keeps its host. A text
    that could be two schools (one's code and another's name, or two schools' names) is
    none of them: ``matches`` says which, for a message."""

    def __init__(self, session):
        everyone = session.scalars(select(School).order_by(School.name)).all()
        self.all = [s for s in everyone if s.archived_at is None]
        self._current, self._ever = _index(self.all), _index(everyone)

    def matches(self, text, left=False):
        """Every school the text could be (by code, by name), current ones unless ``left``."""
        codes, names = self._ever if left else self._current
        key = school_key(text)
        found = [codes.get(str(text or "").strip().upper())] + (names.get(key, []) if key else [])
        return list({s.id: s for s in found if s is not None}.values())

    def find(self, text, left=False):
        """The one school the text is, or None (no school, or more than one)."""
        found = self.matches(text, left)
        return found[0] if len(found) == 1 else None

    def host(self, event):
        """The event's host school, current or left (``archived_at`` says which)."""
        return self.find(event.host_code or event.host_school, left=True)

    def invited(self, event):
        """(schools, names no school answers to). The host is never its own guest, even
        when every school is invited or its name is in the list too."""
        host = self.host(event)
        if ALL_SCHOOLS in (event.invited_codes or []):
            return [s for s in self.all if s is not host], []
        schools, unknown = [], []
        for code in event.invited_codes or []:
            school = self.find(code)
            if school is None:
                unknown.append(code)
            elif school not in schools and school is not host:
                schools.append(school)
        return schools, unknown

    def hosts(self, event, user):
        """Does the person's school host the event?"""
        return user.school is not None and self.host(event) is user.school

    def involves(self, event, school):
        """Is the school the event's host or one of its invited schools?"""
        if school is None:
            return False
        return self.host(event) is school or school in self.invited(event)[0]


def _index(schools):
    """({code: school}, {name key: [schools]}): a name key of two schools is ambiguous."""
    names = {}
    for school in schools:
        names.setdefault(school_key(school.name), []).append(school)
    return {s.code.upper(): s for s in schools}, names


# -- lists and the month ---------------------------------------------------------------------

TYPE_FILTERS = {"network": "Networks", "visit": "Visits", **{name: name for name in TYPES}}


@dataclass
class Filters:
    type: str = ""  # "network", "visit", a type's name, or "" for all
    school: str = ""  # a school code, or ""

    def __bool__(self):
        return bool(self.type or self.school)


def _current(session):
    return select(CalendarEvent).join(Workbook, CalendarEvent.workbook_id == Workbook.id).where(
        Workbook.code == JOINT, Workbook.is_current, CalendarEvent.archived_at.is_(None),
        CalendarEvent.date.is_not(None))


def events_between(session, start, end, filters=None, schools=None):
    """The events from ``start`` to ``end`` (inclusive), in order, filtered."""
    filters = filters or Filters()
    rows = session.scalars(_current(session).where(CalendarEvent.date >= start, CalendarEvent.date <= end)
                           .order_by(CalendarEvent.date, CalendarEvent.start_time, CalendarEvent.id)).all()
    if filters.type in ("network", "visit"):
        rows = [e for e in rows if e.category == filters.type]
    elif filters.type:
        rows = [e for e in rows if e.type == filters.type]
    if filters.school:
        schools = schools or Schools(session)
        school = schools.find(filters.school)
        rows = [e for e in rows if schools.involves(e, school)]
    return rows


PER_PAGE = 25  # events a page of the list


@dataclass
class Listing:
    """A page of the calendar's list, and how many events it holds in all and to come."""

    page: Page  # of CalendarEvent: those to come (soonest first), then those gone by (latest first)
    upcoming: int

    @property
    def gone_by(self):
        return self.page.total - self.upcoming


def listing(session, start, end, today, filters=None, schools=None, number=1, per_page=PER_PAGE):
    """The events from ``start`` to ``end``, filtered, as a person reads a calendar: those to
    come first, soonest first, then those gone by, latest first; a page at a time. Each
    event's day, host and guests are read to filter and order them; only the page's events
    are read whole. Two queries, however many events."""
    filters = filters or Filters()
    query = _current(session).where(CalendarEvent.date >= start, CalendarEvent.date <= end)
    if filters.type in ("network", "visit"):
        query = query.where(CalendarEvent.category == filters.type)
    elif filters.type:
        query = query.where(CalendarEvent.type == filters.type)
    # Who hosts and who is invited is read only to filter by school (a JSON list an event).
    involved = (CalendarEvent.host_code, CalendarEvent.host_school, CalendarEvent.invited_codes) \
        if filters.school else ()
    light = session.execute(query.with_only_columns(
        CalendarEvent.id, CalendarEvent.date, CalendarEvent.start_time, *involved)).all()
    if filters.school:  # by code or name, as the cells give them (Schools): not one column to ask
        schools = schools or Schools(session)
        school = schools.find(filters.school)
        light = [e for e in light if schools.involves(e, school)]

    def when(event):
        return event.date, event.start_time or datetime.min.time(), event.id

    coming = sorted((e for e in light if e.date >= today), key=when)
    gone = sorted((e for e in light if e.date < today), key=when, reverse=True)
    ids = [e.id for e in coming + gone]
    number = clamp(number, len(ids), per_page)
    wanted = ids[(number - 1) * per_page:number * per_page]
    found = {e.id: e for e in session.scalars(select(CalendarEvent).where(scope.among(session, CalendarEvent.id,
                                                                                        wanted)))} if wanted else {}
    return Listing(Page([found[i] for i in wanted if i in found], len(ids), number, per_page), len(coming))


def event_by_id(session, event_id):
    """A current event by its database id, or None."""
    event = session.get(CalendarEvent, event_id)
    return event if event is not None and event.archived_at is None else None


@dataclass
class Day:
    day: date
    in_month: bool
    events: list = field(default_factory=list)


def month_weeks(year, month, events):
    """The month as weeks of days (Monday first), each with its events."""
    by_day = {}
    for event in events:
        by_day.setdefault(event.date, []).append(event)
    grid = months.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[Day(d, d.month == month, by_day.get(d, [])) for d in week] for week in grid]


def month_bounds(year, month):
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, months.monthrange(year, month)[1])


# -- who an event is for ---------------------------------------------------------------------

def can_create_events(user):
    """Heads and partnership coordinators make events and invite (domain/access.py)."""
    return can_add_events(user)


def host_schools_for(user, schools):
    """The schools a person may make an event hosted by: a head their own, a coordinator any."""
    if user.role == "admin":
        return list(schools.all)
    return [user.school] if user.role == "head" and user.school is not None else []


def manages(user, event, schools):
    """May the person see who is coming, remind and invite? The host school's head and
    coordinators (domain/access.py). A host that has left the partnership: coordinators only."""
    host = schools.host(event)
    return can_manage_event(user, host if host is not None and host.archived_at is None else None)


def replies_of(session, event):
    """{e-mail: the RSVP row} of the event (the first row of a person counts). Event cells are
    kept in capitals (domain/event_cells.py): an ID typed in lower case is the same event."""
    return _replies_of_events(session, [event]).get((event.workbook_id, event.sheet_id.upper()), {})


def is_invited(session, user, event, schools=None, replies=None):
    """Is this person invited (their school is, or they are one by one)?"""
    if not can_reply_to_events(user):
        return False
    replies = replies if replies is not None else replies_of(session, event)
    if user.email.lower() in replies:
        return True
    schools = schools or Schools(session)
    return user.school is not None and user.school in schools.invited(event)[0]


def is_past(event, today=None):
    """Has the event's day gone by (UK)? Its replies are closed; its impact form is open."""
    return event.date is not None and event.date < (today or dates.uk_today())


def can_reply(session, user, event, schools=None):
    """May the person confirm or decline? Invited, the event to come, not cancelled nor of a
    year that is over."""
    return (is_invited(session, user, event, schools) and event.status != CANCELLED and not years.is_over(event)
            and not is_past(event))


@dataclass
class Invitee:
    name: str
    email: str
    school: str  # code
    reply: str = ""  # Confirmed, Declined, "" (not answered) or as written
    note: str = ""
    replied: str = ""


@dataclass
class Answers:
    coming: list
    declined: list
    waiting: list  # not answered yet

    @property
    def everyone(self):
        return self.coming + self.declined + self.waiting


def answers(session, event, schools=None):
    """Who is coming, who declined and who has not answered: the invited schools' heads
    and staff, and everyone invited one by one (or who replied)."""
    return answers_of(session, [event], schools)[event.id]


def answers_of(session, events, schools=None):
    """{event id: Answers} of several events, in two queries whatever their number (the
    invited schools' people, then the events' replies): a home lists many."""
    schools = schools or Schools(session)
    invited = {event.id: schools.invited(event)[0] for event in events}
    school_ids = {s.id for found in invited.values() for s in found}
    staff = {}  # school id: [Invitee]
    if school_ids:
        for user in session.scalars(select(User).where(scope.among(session, User.school_id, school_ids),
                                                       User.active.is_(True), User.role.in_(("head", "staff")))
                                    .order_by(User.name)):
            staff.setdefault(user.school_id, []).append(
                (user.email.lower(), user.name or user.email, user.school.code if user.school else ""))
    replies = _replies_of_events(session, events)
    result = {}
    for event in events:
        people = {email: Invitee(name, email, code)
                  for school in invited[event.id] for email, name, code in staff.get(school.id, [])}
        for email, row in replies.get((event.workbook_id, event.sheet_id.upper()), {}).items():
            person = people.get(email) or Invitee(_name_of(row.person) or email, email, row.school)
            person.reply, person.note, person.replied = row.reply, row.note, row.replied
            people[email] = person
        everyone = sorted(people.values(), key=lambda p: (p.school, p.name.lower()))
        result[event.id] = Answers([p for p in everyone if p.reply == CONFIRMED],
                                   [p for p in everyone if p.reply == DECLINED],
                                   [p for p in everyone if p.reply not in (CONFIRMED, DECLINED)])
    return result


def waiting_counts(session, events, schools=None):
    """{event id: how many of those asked have not answered}: answers_of's ``waiting`` counted,
    without naming every invitee of every event (For you wants the figure alone, and an
    event for all of 200 schools asks a thousand people). Two queries, however many events."""
    schools = schools or Schools(session)
    every_school = {s.id for s in schools.all}
    invited = {}  # event id: (every school but the host's id, or None; the schools invited by name)
    for event in events:
        host = schools.host(event)
        if ALL_SCHOOLS in (event.invited_codes or []):  # Schools.invited's rule, without a list of them all
            invited[event.id] = (host.id if host else 0, set())
        else:
            invited[event.id] = (None, {s.id for s in schools.invited(event)[0]})
    school_ids = every_school if any(but is not None for but, _ in invited.values()) \
        else set().union(*(ids for _, ids in invited.values()))
    staff, school_of = {}, {}  # school id: how many it asks; e-mail: school id
    if school_ids:
        for email, school_id in session.execute(
                select(User.email, User.school_id).where(scope.among(session, User.school_id, school_ids),
                                                         User.active.is_(True), User.role.in_(("head", "staff")))):
            staff[school_id] = staff.get(school_id, 0) + 1
            school_of[email.lower()] = school_id
    everyone = sum(staff.get(i, 0) for i in every_school)
    replies = _replies_of_events(session, events)
    result = {}
    for event in events:
        but, ids = invited[event.id]
        # Everyone asked, less those who answered.
        waiting = everyone - staff.get(but, 0) if but is not None else sum(staff.get(i, 0) for i in ids)
        for email, row in replies.get((event.workbook_id, event.sheet_id.upper()), {}).items():
            school_id = school_of.get(email)
            asked = school_id in every_school and school_id != but if but is not None else school_id in ids
            answered = row.reply in (CONFIRMED, DECLINED)
            waiting -= asked and answered  # one of the asked who answered
            waiting += not asked and not answered  # someone invited one by one, not answered
        result[event.id] = waiting
    return result


def _replies_of_events(session, events):
    """{(workbook id, event ID): {e-mail: the RSVP row}}, as replies_of gives one event's."""
    refs = {event.sheet_id.upper() for event in events}
    found = {}
    if not refs:
        return found
    for row in session.scalars(select(EventReply).where(EventReply.workbook_id.in_({e.workbook_id for e in events}),
                                                        EventReply.event_ref.in_(refs),
                                                        EventReply.archived_at.is_(None)).order_by(EventReply.id)):
        if row.email:
            found.setdefault((row.workbook_id, row.event_ref), {}).setdefault(row.email, row)
    return found


def _name_of(person):
    return person.split("<")[0].strip() if "<" in person else ("" if "@" in person else person.strip())


def joint_workbook(session):
    """The partnership workbook, which holds the Calendar and RSVP tabs."""
    return session.scalar(select(Workbook).where(Workbook.code == JOINT, Workbook.is_current))


def _now_text():
    return datetime.now(UK_TIME).strftime("%d/%m/%Y %H:%M")


def _commit(session, work):
    """Do ``work`` and commit; an ID taken a moment before by someone else: once more."""
    try:
        result = work()
        session.commit()
    except IntegrityError:
        session.rollback()
        result = work()
        session.commit()
    return result


def reply(session, event, user, answer, note=""):
    """Store the person's reply (Confirmed or Declined) at once and send it to the RSVP
    tab: their row is added the first time and edited in place after, never added twice."""
    if answer not in (CONFIRMED, DECLINED):
        raise ValueError(answer)

    def work():
        mine = replies_of(session, event).get(user.email.lower())
        changes = {"reply": answer, "note": note.strip(), "replied": _now_text()}
        if mine is None:
            values = {"event_ref": event.sheet_id.upper(), "school": user.school.code if user.school else "",
                      "person": person_cell(user.name, user.email.lower()), "email": user.email.lower(), **changes}
            mine, _ = add_row(session, event.workbook, RSVP, values, user.name or user.email, user.id,
                              summary=f"{answer}: {event.sheet_id}")
        else:
            edit_row(session, RSVP, mine, user.name or user.email, changes, user.id)
        return mine

    return _commit(session, work)


def invite_people(session, event, people, who, user_id=None):
    """Invite people one by one: a row each in the RSVP tab with no reply yet; someone
    already invited or replied is left as they are. Returns the rows added."""
    def work():
        known = replies_of(session, event)
        added = []
        for person in people:
            email = person.email.lower()
            if email in known or person.role not in REPLYING_ROLES:
                continue
            values = {"event_ref": event.sheet_id.upper(), "school": person.school.code if person.school else "",
                      "person": person_cell(person.name, email), "email": email, "reply": "", "note": "",
                      "replied": ""}
            row, _ = add_row(session, event.workbook, RSVP, values, who, user_id, summary=f"Invited: {event.sheet_id}")
            known[email] = row
            added.append(row)
        return added

    return _commit(session, work)


def invite_schools(session, event, codes, who, user_id=None):
    """Add schools to the event's Invited schools (the Calendar cell, edited in place)."""
    current = list(event.invited_codes or [])
    if ALL_SCHOOLS in current:
        return None
    new = [c for c in codes if c not in current]
    if not new:
        return None
    written = event.invited_schools.strip()
    text = f"{written}, {', '.join(new)}" if written else ", ".join(new)

    def work():
        entry = edit_row(session, CALENDAR, event, who, {"invited_schools": text}, user_id)
        event.invited_codes = school_list(text)
        return entry

    return _commit(session, work)


def why_not_on(session, day):
    """Why an event cannot be added on this day, or None: the calendar takes the current
    school year and after; a year that is over is kept as it was (its events with it)."""
    start = years.first_day(years.current_year(session))
    if day < start:
        return (f"{uk(day)} is in the {years.label(years.school_year_of(day))} school year, which is over: "
                f"events are added from {uk(start)}.")
    return None


def add_event(session, values, who, user_id=None):
    """A new event made in the hub, shown at once and added to the Calendar tab."""
    workbook = joint_workbook(session)
    derived = dict(values)
    clean_event_row(derived, {}, _Quiet(), None)  # the same reading a sheet's row gets
    summary = f"{derived['type']} on {values['date'].strftime('%d/%m/%Y')}"
    return _commit(session, lambda: add_row(session, workbook, CALENDAR, derived, who, user_id, summary=summary)[0])


class _Quiet:
    """A report for a row made in the hub: its form has checked it already."""

    valid = True

    def problem(self, *args, **kwargs):
        pass


def can_be_reminded(session, waiting):
    """Those not answered who can sign in and reply: not a person who has left (deactivated)
    nor an address typed in the RSVP tab with no account here."""
    if not waiting:
        return []
    found = session.scalars(select(func.lower(User.email)).where(
        func.lower(User.email).in_([p.email for p in waiting]), User.active.is_(True),
        User.role.in_(REPLYING_ROLES)))
    able = set(found)
    return [p for p in waiting if p.email in able]


def title(event):
    """"Subject network: Maths: fractions": an event's type and focus, as every page, list,
    file and feed names it."""
    return f"{event.type}: {event.focus}" if event.focus else event.type


def time_words(event):
    """When in the day, as GOV.UK writes it: "9am to 12pm" from the times read; a Time cell
    that gives no clock ("AM", "after school") as written; "all day" when it is blank."""
    if event.start_time is not None:
        return clock_span(event.start_time, event.end_time)
    return " ".join((event.time or "").split()) or "all day"


def when_words(event):
    """"Tuesday 8 December 2026, 9am to 12pm": an event's day and time in running text."""
    return f"{long_day(event.date)}, {time_words(event)}" if event.date else time_words(event)


def long_day(day):
    """Thursday 3 December 2026: a day as UK schools write it in a sentence."""
    return f"{day:%A} {day.day} {day:%B %Y}" if day else ""


def reminder(event, host_name, waiting, link):
    """(subject, body, recipients) of a reminder to those who have not answered; ``link``
    is the event's page, where they reply."""
    when = when_words(event)
    # A mail header is one line; a sheet's cell may hold several ("09:00" above "arrive 08:45").
    subject = " ".join(f"Please reply: {event.type} on {when}".split())
    body = (f"You are invited to {event.type}{f' ({event.focus})' if event.focus else ''} on {when}, "
            f"hosted by {host_name}.\n\nPlease confirm or decline on the event's page in the Partnership Hub:\n"
            f"{link}\n")
    return subject, body, [p.email for p in waiting]


REMINDER_GAP = timedelta(hours=24)  # each reminder goes to everyone not answered: once a day at most


def last_reminder(session, event):
    """The latest reminder mailed for the event (a line of its history), or None."""
    return session.scalar(select(RowChange).where(RowChange.table == CALENDAR.history_name,
                                                  RowChange.row_id == event.id, RowChange.field == "reminder")
                          .order_by(RowChange.at.desc(), RowChange.id.desc()).limit(1))


def reminder_too_soon(session, event, now=None):
    """When the next reminder may go (UK clocks), if one was mailed under REMINDER_GAP ago; else None."""
    last = last_reminder(session, event)
    if last is None or (now or utcnow()) - last.at >= REMINDER_GAP:
        return None
    return uk_time(last.at) + REMINDER_GAP


def claim_reminder(session, event, who, count, now=None):
    """Today's reminder for the event, claimed before any mail goes: (the claim, None), or
    (None, when the next may go) if one went under REMINDER_GAP ago. The caller commits.

    The event's row is locked first, so two managers pressing Remind at the
    same moment go one after the other, and the second finds the first's claim instead of
    mailing everyone again."""
    lock_row(session, CalendarEvent, event.id)
    next_at = reminder_too_soon(session, event, now)
    if next_at is not None:
        return None, next_at
    claim = RowChange(table=CALENDAR.history_name, row_id=event.id, field="reminder", old="",
                      new=f"sending to {count}", source="browser", who=who)
    session.add(claim)
    session.flush()
    return claim, None


def settle_reminder(session, claim, sent):
    """What the claimed reminder came to: the event's history keeps "sent to N"; a reminder
    that reached nobody (the mail server refused them all) is no reminder and leaves no line."""
    if sent:
        claim.new = f"sent to {sent}"
    else:
        session.delete(claim)
    session.commit()


# -- the private feed ---------------------------------------------------------------------------

def new_feed_secret(user):
    """A new secret for the person's feed URL: only its hash is kept, so the old URL dies."""
    secret = secrets.token_urlsafe(32)
    user.calendar_feed_hash = feed_hash(secret)
    return secret


def feed_hash(secret):
    """What is stored of a feed secret: its SHA-256."""
    return hashlib.sha256(secret.encode()).hexdigest()


def user_for_feed(session, secret):
    """The active person whose feed this secret opens, or None."""
    if not secret or len(secret) > 100:
        return None
    user = session.scalar(select(User).where(User.calendar_feed_hash == feed_hash(secret))  # before any partnership
                          .execution_options(**HUB_WIDE))
    return user if user is not None and user.active else None


def events_for_person(session, user, schools=None):
    """Their school's events (hosted or invited) and those they are invited to one by one."""
    schools = schools or Schools(session)
    mine = {r.event_ref for r in session.scalars(select(EventReply).join(Workbook).where(
        Workbook.is_current, EventReply.email == user.email.lower(), EventReply.archived_at.is_(None)))}
    rows = session.scalars(_current(session).order_by(CalendarEvent.date, CalendarEvent.start_time)).all()
    if user.role == "admin":
        return rows
    return [e for e in rows if e.sheet_id.upper() in mine or schools.involves(e, user.school)]


def missing_tabs(session):
    """The calendar's tabs the partnership workbook lacks at its last read (events and
    replies made here wait for them: `flask sheets init` adds them)."""
    workbook = joint_workbook(session)
    if workbook is None:
        return []
    found = session.scalars(select(SheetProblem.tab).where(
        SheetProblem.workbook_id == workbook.id, SheetProblem.row.is_(None),
        SheetProblem.tab.in_((CALENDAR.tab, RSVP.tab)), SheetProblem.message.like("There is no %"))).all()
    return sorted(set(found))
