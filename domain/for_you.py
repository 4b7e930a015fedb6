"""What is waiting for one person: the lines of "For you" at the top of their home.

Each line is something this person can act on now, from the local database alone:
an invitation to reply to, a review to sign, an impact form to complete, an edit of
theirs that needs a choice, replies missing for an event they manage, and the events
they host this week. Nothing here touches Flask or a sheet.

The calendar's lines (replies, forms, answers, hosting) read every current event of the
partnership (400 at 200 schools) and its people: they are worked out as plain data and
kept under the partnership's versions for the person and the day (domain/kept.py), and
only the events a home shows are read as rows. The reviews to sign are kept for the person
as well; the edits waiting for a choice are asked afresh (an edit's state moves no version).
"""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import defer, load_only, selectinload

from . import calendar as cal
from . import dates, kept, scope
from .access import can_reply_to_events, can_resolve
from .attention import WAITING_FOR_A_PERSON  # edits a person must decide on
from .contract import ACTION_PLAN, IMPACT_LOG
from .event_cells import CONFIRMED, DECLINED
from .impact_forms import FINAL, HOST, LEADER, VISITOR, event_kind, host_code, is_invited, sides_needed
from .leaders import leaders_of
from .models import JOINT, CalendarEvent, EventReply, ImpactForm, OutboxEntry, Review, Workbook
from .reviews import can_sign, step_of, term_label

# The kinds of line, in the order a home lists them.
REPLY, SIGN, FORM, EDIT, ANSWERS, HOSTING = "reply", "sign", "form", "edit", "answers", "hosting"
KINDS = (REPLY, SIGN, FORM, EDIT, ANSWERS, HOSTING)
# Replies that matter are for events soon: a manager is not asked about next summer's yet.
ANSWERS_AHEAD = timedelta(days=28)
# An event called off or moved asks nothing of anyone until it has a day again.
OFF = ("Cancelled", "Postponed")
# The plan tabs whose edits a person chooses on themselves (a reply or an event waiting on
# the partnership's sheet is the coordinators' to settle, from the Schools page).
PLAN_TABS = (ACTION_PLAN.tab, IMPACT_LOG.tab)


@dataclass(frozen=True)
class Line:
    """One thing for the person to do: ``kind``, what it is about (an event, a review, an
    outbox entry) and, where it helps, a detail (the side of a form, how many are awaited)."""

    kind: str
    subject: object
    detail: object = None
    label: str = ""  # a review's term, in words


# A home shows so many lines of a kind, the soonest; the rest are counted, with where to find
# them (a network for all of 200 schools is 200 invitations, and a home is no place for them).
SHOWN = 5


@dataclass(frozen=True)
class FormBegun:
    """A line's impact form, begun: ``other_side`` has confirmed it (theirs is still to do)."""

    other_side: bool


@dataclass
class ForYou:
    """The lines a home shows (at most ``shown`` of a kind) and, by kind, how many more."""

    lines: list = field(default_factory=list)
    more: dict = field(default_factory=dict)

    @property
    def count(self):
        return len(self.lines) + sum(self.more.values())

    def by_kind(self):
        """[(kind, its lines shown, how many more)], in the order of KINDS, only the kinds there are."""
        groups = {}
        for line in self.lines:
            groups.setdefault(line.kind, []).append(line)
        kinds = [kind for kind in KINDS if kind in groups or self.more.get(kind)]
        return [(kind, groups.get(kind, []), self.more.get(kind, 0)) for kind in kinds]


def for_you(session, user, today=None, shown=SHOWN):
    """Everything waiting for ``user`` today (UK): the first ``shown`` lines of each kind,
    the rest counted."""
    today = today or dates.uk_today()
    if not can_reply_to_events(user):  # a governor reads only: a review to sign is all they are asked
        return _shown(_reviews(session, user), shown)  # (no calendar read: 400 events at 200 schools)
    calendar = kept.for_partnership(session, ("for you", user.id, today), lambda: _calendar_lines(session, user, today))
    picked = _shown(calendar, shown)
    events = {e.id: e for e in session.scalars(
        select(CalendarEvent).where(scope.among(session, CalendarEvent.id, {line.subject for line in picked.lines})))
    } if picked.lines else {}
    lines = [Line(line.kind, events[line.subject], line.detail) for line in picked.lines if line.subject in events]
    found = _shown(_reviews(session, user) + _edits(session, user), shown)
    return ForYou(lines + found.lines, {**picked.more, **found.more})


def _shown(lines, shown):
    """ForYou of ``lines``: the first ``shown`` of each kind, the rest counted."""
    picked, taken = [], Counter()
    for line in lines:
        taken[line.kind] += 1
        if taken[line.kind] <= shown:
            picked.append(line)
    return ForYou(picked, {kind: n - shown for kind, n in taken.items() if n > shown})


def count(session, user, today=None):
    """How many lines ``user`` has (the figure in the navigation): no event read as a row."""
    return for_you(session, user, today, shown=0).count


def _calendar_lines(session, user, today):
    """The lines the calendar gives ``user`` today, as plain data (kept): Line(kind, event
    id, detail: a FormBegun, or how many are awaited)."""
    schools = cal.Schools(session)
    events = session.scalars(cal._current(session).order_by(CalendarEvent.date, CalendarEvent.start_time,
                                                            CalendarEvent.id)).all()
    mine = _my_replies(session, user)
    lines = (_replies(user, events, schools, today, mine) + _forms(session, user, events, today, mine)
             + _answers(session, user, events, schools, today) + _hosting(session, user, events, schools, today))
    return [Line(line.kind, line.subject.id, line.detail) for line in lines]


def _my_replies(session, user):
    """{event ID: this person's RSVP row} in the current calendar."""
    rows = session.scalars(select(EventReply).join(Workbook, EventReply.workbook_id == Workbook.id).where(
        Workbook.code == JOINT, Workbook.is_current, EventReply.archived_at.is_(None),
        EventReply.email == user.email.lower()).order_by(EventReply.id))
    found = {}
    for row in rows:
        found.setdefault(row.event_ref.upper(), row)
    return found


def _replies(user, events, schools, today, mine):
    """Invitations still unanswered, for events to come. The host school's own people are
    not its guests (Schools.invited): they are asked nothing."""
    if not can_reply_to_events(user):
        return []
    lines = []
    for event in events:
        if event.date < today or event.status in OFF:
            continue
        reply = mine.get(event.sheet_id.upper())
        if reply is not None and reply.reply in (CONFIRMED, DECLINED):
            continue
        if reply is not None or (user.school is not None and user.school in schools.invited(event)[0]):
            lines.append(Line(REPLY, event))
    return lines


class ReviewToSign(NamedTuple):
    """What a line says of a review to sign (plain: the lines are kept)."""

    id: int
    plan_code: str


def _reviews(session, user):
    """Open reviews of the joint plan and the person's school whose step is theirs to sign:
    kept for the person under the partnership's versions, which a review, a signature, a
    membership or a change to the person (their role, school, chair) moves on."""
    if user.role not in ("head", "governor") or user.school is None:
        return []
    return kept.for_partnership(session, ("for you reviews", user.id), lambda: _reviews_read(session, user))


def _reviews_read(session, user):
    found = session.scalars(select(Review).where(Review.state != "confirmed",
                                                 Review.plan_code.in_((JOINT, user.school.code)))
                            .options(defer(Review.snapshot)).order_by(Review.started_at, Review.id)).all()
    return [Line(SIGN, ReviewToSign(review.id, review.plan_code), step_of(review),
                 term_label(review.term, review.school_year))
            for review in found if can_sign(session, review, user)]


def _side_for(user, event, leaders, went):
    """The side of the event's form that is this person's own to complete, or None. A
    coordinator may write any form but owns none: theirs are the ones they lead. A visit's
    side is its school's head's, its leader's, and (visiting) of those who said they came
    (``went``: the event IDs this person confirmed); the rest of a school are not asked."""
    code = user.school.code if user.school is not None else ""
    named = leaders.get(event.id)
    leads = named is not None and named.includes(user)
    if event_kind(event) == "network":
        if leads:
            return LEADER
        # Nobody the Lead names can lead: the host school's head completes the form.
        if user.role == "head" and code and code == host_code(event) and not (named and named.people):
            return LEADER
        return None
    if user.role not in ("head", "staff") or not code:
        return None
    if code == host_code(event):
        return HOST if user.role == "head" or leads else None
    if is_invited(code, event) and (user.role == "head" or leads or event.sheet_id.upper() in went):
        return VISITOR
    return None


def _forms(session, user, events, today, mine):
    """Impact forms of events that have happened this year with this person's side to do."""
    if user.role == "governor":
        return []
    past = [e for e in events if e.date <= today and e.status not in OFF and e.category in ("network", "visit")]
    if not past:
        return []
    leaders = leaders_of(session, past)
    went = {ref for ref, row in mine.items() if row.reply == CONFIRMED}
    theirs = [(event, side) for event in reversed(past)  # the latest first
              if (side := _side_for(user, event, leaders, went)) is not None and side in sides_needed(event)]
    if not theirs:
        return []
    # Only the forms of the events with a side of theirs, and of each only what is asked here.
    forms = {f.event_id: f for f in session.scalars(
        select(ImpactForm).where(scope.among(session, ImpactForm.event_id, [e.id for e, _ in theirs]))
        .options(load_only(ImpactForm.id, ImpactForm.event_id, ImpactForm.state),
                 selectinload(ImpactForm.confirmations)))}
    lines = []
    for event, side in theirs:
        form = forms.get(event.id)
        if form is not None and form.state == FINAL:
            continue
        if form is not None and any(c.side == side for c in form.confirmations):
            continue  # their side has confirmed: the other side's turn
        lines.append(Line(FORM, event, FormBegun(other_side=bool(form.confirmations)) if form is not None else None))
    return lines


def _edits(session, user):
    """The person's own edits that wait for their choice."""
    entries = session.scalars(
        select(OutboxEntry).where(OutboxEntry.created_by_id == user.id, OutboxEntry.state.in_(WAITING_FOR_A_PERSON),
                                  OutboxEntry.tab.in_(PLAN_TABS)).order_by(OutboxEntry.id))
    # Only those they may still settle: not a plan of a school they have since left.
    return [Line(EDIT, entry) for entry in entries if can_resolve(user, entry, entry.workbook.code)]


def _answers(session, user, events, schools, today):
    """Events soon that this head's school hosts (any, for a coordinator) with people who
    have not answered. The figure is the waiting count."""
    if user.role not in ("head", "admin"):
        return []
    soon = [e for e in events if today <= e.date <= today + ANSWERS_AHEAD and e.status not in OFF
            and cal.manages(user, e, schools)]  # a host that has left: coordinators only
    waiting = cal.waiting_counts(session, soon, schools)  # two queries, however many events
    return [Line(ANSWERS, e, waiting[e.id]) for e in soon if waiting[e.id]]


def _hosting(session, user, events, schools, today):
    """Events this week (today to Sunday) that the person's school hosts or that they lead."""
    if user.role not in ("head", "staff", "admin"):
        return []
    soon = [e for e in events if today <= e.date <= week_end(today) and e.status not in OFF]
    leaders = leaders_of(session, soon) if soon else {}
    return [Line(HOSTING, e) for e in soon if schools.hosts(e, user) or leaders[e.id].includes(user)]


def week_end(today: date):
    """The Sunday that ends ``today``'s week."""
    return today + timedelta(days=6 - today.weekday())
