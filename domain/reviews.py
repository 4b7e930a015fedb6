"""Termly reviews of a plan: the snapshot, the two steps of signatures, the comparison
with today's plan. Plain rules, no Flask.

A head (or a partnership coordinator) starts the review of a plan for a term; the hub
snapshots the plan as it stands. Step one: the plan's school's head signs (for the joint
plan, a head of every member school). Step two: the school's chair of governors confirms
(for the joint plan, a chair of every member school). A school's place in a step is
filled by any one of its heads (or chairs): a school with two head accounts needs one
signature, not two. A school that leaves the partnership (archived by the sync) during
the joint plan's review is no longer waited for; a signature it gave stays in the record.
The snapshot is written once, at the start, and never changed.

Terms are the hub's one reckoning (domain/attention.py TERMS): Autumn September to
December, Spring January to March, Summer April to August. (The Due column's "Summer
2027" ends on 31 July, domain/dates.py, for telling a row overdue; a review's term runs
to the end of August so that every day of the year is in a term and a review can be
signed in the summer holiday.)
"""
from dataclasses import dataclass, field
from datetime import date, timezone

from sqlalchemy import event, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer, selectinload

from . import dates, kept, scope
from .access import can_view_plan, visible_school_codes
from .attention import TERMS as TERM_MONTHS
from .attention import term_of
from .contract import ACTION_PLAN, SIP_PRIORITIES
from .dates import uk_day
from .models import (
    JOINT,
    ActionRow,
    OutboxEntry,
    Review,
    ReviewSignature,
    School,
    SipPriority,
    User,
    Workbook,
    utcnow,
)
from .priorities import combined, group_theme, theme_list
from .status import is_worse
from .themes import theme_key

TERMS = tuple(name for name, _, _ in TERM_MONTHS)  # ("Autumn", "Spring", "Summer")
STATE_NAMES = {"open": "open", "heads_signed": "heads signed", "confirmed": "confirmed"}
HEAD, CHAIR = "head", "chair"
TAB_KIND = "review_tab"  # the outbox entry that adds a confirmed review's dated tab
TAB_PREFIX = "Review "  # every review tab's title starts so; the sync reads none of them
COMMENT_MAX = 2000
ARCHIVED = ("Your school is archived (no longer a member of the partnership), so its head teacher and "
            "chair of governors neither start nor sign reviews.")


class ReviewError(Exception):
    """Something a person cannot do with a review; the message says what, in their words."""


class NotAllowed(ReviewError):
    """Their role (or school) does not let them start or sign this review."""


class AlreadyStarted(ReviewError):
    """The plan has a review for that term already."""


class AlreadySigned(ReviewError):
    """They (or another head or chair of their school) signed this step already."""


class ChairsWait(ReviewError):
    """A chair tried to confirm before every head has signed."""


class ReviewClosed(ReviewError):
    """The review is confirmed: it takes no more signatures."""


class NoPlanWorkbook(ReviewError):
    """The plan has no workbook yet, so nothing to snapshot."""


class SnapshotKept(ReviewError):
    """Something tried to change a review's snapshot after it was taken."""


@event.listens_for(Review, "before_update")
def _snapshot_is_kept(mapper, connection, review):
    """A review's snapshot is written once, when it starts: no later change is ever
    flushed, whichever code tries (a route, a command, a script)."""
    if inspect(review).attrs.snapshot.history.has_changes():
        raise SnapshotKept("A review's snapshot is kept as it was taken; it cannot be changed.")


# --- Terms ------------------------------------------------------------------------------


def term_label(term, school_year):
    """"Autumn term, 2026 to 2027"."""
    return f"{term} term, {school_year} to {school_year + 1}"


def short_label(term, school_year):
    """"Autumn 2026-27"."""
    return f"{term} {school_year}-{(school_year + 1) % 100:02d}"


def term_now(today):
    """(term, school year) of the day: 1 December 2026 is ("Autumn", 2026), 5 May 2027
    is ("Summer", 2026), the school year starting in September."""
    term, _, _ = term_of(today)
    return term, today.year if term == TERMS[0] else today.year - 1


def _order(term, school_year):
    return school_year * len(TERMS) + TERMS.index(term)


def _from_order(number):
    return TERMS[number % len(TERMS)], number // len(TERMS)


def previous_term(term, school_year):
    """The term before: Autumn 2026-27 follows Summer 2025-26."""
    return _from_order(_order(term, school_year) - 1)


def term_dates(term, school_year):
    """(first day, last day) of a term as the hub reckons it."""
    _, first, last = next(t for t in TERM_MONTHS if t[0] == term)
    year = school_year if term == TERMS[0] else school_year + 1
    _, start, end = term_of(date(year, first, 1))
    return start, end


def next_term(term, school_year):
    """The term after: Summer 2026-27 is followed by Autumn 2027-28."""
    return _from_order(_order(term, school_year) + 1)


# --- Snapshots and comparison -------------------------------------------------------------


ROW_ATTRS = tuple(c.attr for c in ACTION_PLAN.columns)  # sheet_id first: the ID column's attr
PRIORITY_ATTRS = tuple(c.attr for c in SIP_PRIORITIES.columns)


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def row_dict(row):
    """An action row as a snapshot keeps it: every column of the registry's Action plan
    table, as plain strings, its ID under "sheet_id"."""
    return {attr: _plain(getattr(row, attr, "")) for attr in ROW_ATTRS}


def _plan_rows(session, plan):
    if plan.workbook is None:
        return []
    return session.scalars(select(ActionRow).where(ActionRow.workbook_id == plan.workbook.id,
                                                   ActionRow.archived_at.is_(None))
                           .order_by(ActionRow.sheet_row, ActionRow.id)).all()


def current_row_dicts(session, plan):
    """Today's rows of the plan, as a snapshot would hold them (so the two compare)."""
    return [row_dict(r) for r in _plan_rows(session, plan)]


def _priority_dicts(session, plan):
    """The plan's shared SIP priorities (a school's own; for the joint plan every member
    school's), each with the theme it is grouped under and the partner schools sharing it.

    "theme" is the grouped theme's name (domain/priorities.py); the Theme cell as the
    school wrote it is kept under "theme_cell"."""
    themes = theme_list(session)
    _, groups = combined(session, year=plan.past_year)
    # Plain (id, name) pairs: the joint plan asks each of 1,600 priorities for ~200 partners.
    schools_by_theme = {g.key: [(s.id, s.name) for s in g.schools] for g in groups}
    query = (select(SipPriority, School).join(Workbook, Workbook.id == SipPriority.workbook_id)
             .join(School, School.id == Workbook.school_id)
             .where(Workbook.school_year == plan.year, SipPriority.archived_at.is_(None),
                    SipPriority.share.is_(True), *((School.archived_at.is_(None),) if plan.is_current else ()))
             .order_by(School.name, SipPriority.sheet_row, SipPriority.id))
    if not plan.is_joint:
        query = query.where(School.id == plan.school.id)
    found = []
    for priority, school in session.execute(query).all():
        theme = group_theme(themes, priority)
        school_id = school.id
        partners = [name for sid, name in schools_by_theme.get(theme_key(theme), ()) if sid != school_id]
        values = {attr: _plain(getattr(priority, attr, "")) for attr in PRIORITY_ATTRS}
        values["theme_cell"] = values.pop("theme")
        found.append({**values, "school_code": school.code, "school_name": school.name, "theme": theme,
                      "who_else": partners})
    return found


def take_snapshot(session, plan, at=None):
    """The plan as it stands: {"taken_at", "plan_code", "plan_name", "rows", "priorities"}."""
    return {
        "taken_at": (at or utcnow()).isoformat(timespec="seconds"),
        "plan_code": plan.code,
        "plan_name": plan.title,
        "rows": current_row_dicts(session, plan),
        "priorities": _priority_dicts(session, plan),
    }


@dataclass(frozen=True)
class Change:
    """One row's column that is not what it was."""

    sheet_id: str
    key_objective: str
    area: str
    before: str
    after: str


@dataclass
class Comparison:
    """A signed snapshot against today's plan, row by row (matched on the row's ID)."""

    status_changed: list = field(default_factory=list)
    impact_changed: list = field(default_factory=list)
    due_changed: list = field(default_factory=list)
    added: list = field(default_factory=list)  # row dicts now but not then
    gone: list = field(default_factory=list)  # row dicts then but not now
    worse: list = field(default_factory=list)  # the status changes that got worse

    @property
    def empty(self):
        return not (self.status_changed or self.impact_changed or self.due_changed or self.added or self.gone)


def compare(then_rows, now_rows):
    """What changed between two lists of row dicts (a snapshot's and today's)."""
    then = {r["sheet_id"]: r for r in then_rows if r.get("sheet_id")}
    now = {r["sheet_id"]: r for r in now_rows if r.get("sheet_id")}
    found = Comparison()
    for sheet_id, after in now.items():
        before = then.get(sheet_id)
        if before is None:
            found.added.append(after)
            continue
        for attr, into in (("status", found.status_changed), ("impact_to_date", found.impact_changed),
                           ("due", found.due_changed)):
            if (before.get(attr) or "") != (after.get(attr) or ""):
                into.append(Change(sheet_id, after.get("key_objective", ""), after.get("area", ""),
                                   before.get(attr) or "", after.get(attr) or ""))
    found.added += [r for r in now_rows if not r.get("sheet_id")]
    found.gone = [r for sheet_id, r in then.items() if sheet_id not in now]
    found.gone += [r for r in then_rows if not r.get("sheet_id")]
    found.worse = [c for c in found.status_changed if is_worse(c.before, c.after)]
    return found


# --- Reviews of a plan ----------------------------------------------------------------------


def _plan_code(code):
    code = (code or "").strip()
    return JOINT if code.lower() == JOINT else code.upper()


def reviews_of(session, plan_code):
    """A plan's reviews, the latest term first."""
    # Not the snapshots (every row of the plan, each term): the lists and standings want none.
    found = session.scalars(select(Review).where(Review.plan_code == _plan_code(plan_code))
                            .options(defer(Review.snapshot))).all()
    return sorted(found, key=lambda r: (_order(r.term, r.school_year), r.id), reverse=True)


def last_confirmed(session, plan_code):
    """The plan's latest confirmed review (by term), or None."""
    confirmed = [r for r in reviews_of(session, plan_code) if r.state == "confirmed"]
    return confirmed[0] if confirmed else None


def next_due(session, plan_code, today):
    """(term, school year) of the plan's next review: this term's, unless this term (or a
    later one) is confirmed already, then the term after the last confirmed."""
    return _due_after(last_confirmed(session, plan_code), today)


def _due_after(last, today):
    """next_due, given the plan's latest confirmed review (or None)."""
    current = term_now(today)
    if last is None or _order(last.term, last.school_year) < _order(*current):
        return current
    return next_term(last.term, last.school_year)


def for_term(session, plan_code, term, school_year):
    """The plan's review for that term, or None."""
    return session.scalar(select(Review).where(Review.plan_code == _plan_code(plan_code), Review.term == term,
                                               Review.school_year == school_year).options(defer(Review.snapshot)))


@dataclass
class Place:
    """One school's place in a step: who may fill it, and the signature that did."""

    step: str
    school: School
    candidates: list  # active users who may sign it (its heads, or its chairs)
    signature: ReviewSignature | None = None
    left_on: date | None = None  # the UK day the school left the partnership, during or after the review
    missed: bool = False  # the step closed while the school was out of the partnership (it has come back)

    @property
    def signed(self):
        return self.signature is not None

    @property
    def waiting(self):
        """Still to be signed: a school that left the partnership is no longer waited for, nor
        one that was out when this step closed."""
        return self.signature is None and self.left_on is None and not self.missed


@dataclass
class Signers:
    """Who must sign at each step of a review: one place per school."""

    heads: list  # [Place]
    chairs: list  # [Place]

    def step(self, step):
        return self.heads if step == HEAD else self.chairs

    def waiting(self, step):
        return [p for p in self.step(step) if p.waiting]


def member_schools(session, review):
    """The schools whose heads and chairs sign: the plan's school, or every member school."""
    if review.plan_code == JOINT:
        return list(session.scalars(select(School).where(School.archived_at.is_(None)).order_by(School.name)))
    school = session.scalar(select(School).where(School.code == review.plan_code))
    return [school] if school is not None else []


def left_schools(session, review):
    """The joint plan's schools that left the partnership (archived, gone from the Schools
    tab) since its review started, or after signing it: each keeps its place in the
    record, no longer waited for. A school's own plan has none (its school is the plan)."""
    if review.plan_code != JOINT:
        return []
    signed = select(ReviewSignature.school_code).where(ReviewSignature.review_id == review.id)
    return list(session.scalars(select(School).where(School.archived_at.is_not(None),
                                                     (School.archived_at >= review.started_at)
                                                     | School.code.in_(signed)).order_by(School.name)))


def _may_sign_as(user, step, school):
    if not user.active or user.school_id != school.id:
        return False
    return user.role == "head" if step == HEAD else (user.role == "governor" and bool(user.chair))


def signers_needed(session, review):
    """Who must sign at each step: for every school concerned, its heads (step one) and
    its chairs of governors (step two), with the signature that filled each place. The
    joint plan's schools that left the partnership keep their places (and any signature)
    but are no longer waited for."""
    gone = left_schools(session, review)
    left = {s.id: uk_day(s.archived_at) for s in gone}
    schools = sorted(member_schools(session, review) + gone, key=lambda s: (s.name, s.id))
    ids = [s.id for s in schools]
    users = list(session.scalars(select(User).where(scope.among(session, User.school_id, ids), User.active.is_(True),
                                                    User.role.in_(("head", "governor"))).order_by(User.name))) \
        if ids else []
    signatures = list(session.scalars(select(ReviewSignature).where(ReviewSignature.review_id == review.id)
                                      .order_by(ReviewSignature.signed_at, ReviewSignature.id)))

    closed_without = review.closed_without or {}

    def places(step):
        return [Place(step, school, [u for u in users if _may_sign_as(u, step, school)],
                      next((s for s in signatures if s.step == step and s.school_code == school.code), None),
                      left.get(school.id), school.code in closed_without.get(step, ()))
                for school in schools]

    return Signers(places(HEAD), places(CHAIR))


def can_start(user, plan_code):
    """A head of the plan's school (for the joint plan, of any member school), or an admin."""
    if not user.active:
        return False
    if user.role == "admin":
        return True
    if user.role != "head" or user.school is None or user.school.archived_at is not None:
        return False
    return plan_code == JOINT or user.school.code == plan_code


def why_not_start(user, plan_code):
    """What to tell someone who may not start this plan's review, in words of their role."""
    if user.role == "governor" and user.chair:
        return "Governors read and confirm reviews; a head teacher or a partnership coordinator starts one."
    if user.role == "governor":
        return ("Governors read reviews and the chair of governors confirms them; a head teacher or a "
                "partnership coordinator starts one.")
    if user.role == "staff":
        return "Staff can read reviews but not start or sign them; a head teacher starts the review."
    if user.role == "head" and user.school is not None and user.school.archived_at is not None:
        return ARCHIVED
    return "Only this school's head teacher or a partnership coordinator starts its review."


def start(session, plan, user, today=None, term=None, school_year=None, at=None):
    """Start the plan's review for a term (today's, unless given), with its snapshot.
    ``at``: when (UTC, naive), for a record made afterwards (the demo's); now otherwise."""
    if not can_start(user, plan.code):
        raise NotAllowed(why_not_start(user, plan.code))
    if plan.workbook is None:
        raise NoPlanWorkbook(f"{plan.title} has no workbook yet: there is nothing to review.")
    if term is None or school_year is None:
        term, school_year = term_now(today or dates.uk_today())
    if term not in TERMS:
        raise ValueError(f"unknown term {term!r}")
    label = term_label(term, school_year)
    if for_term(session, plan.code, term, school_year) is not None:
        raise AlreadyStarted(f"The review of {plan.title} for the {label} has been started already.")
    review = Review(workbook_id=plan.workbook.id, plan_code=plan.code, term=term, school_year=school_year,
                    state="open", started_by_id=user.id, started_at=at or utcnow(),
                    snapshot=take_snapshot(session, plan, at))
    session.add(review)
    try:
        session.flush()
    except IntegrityError:  # two starts at the same moment: the unique constraint keeps one
        session.rollback()
        raise AlreadyStarted(f"The review of {plan.title} for the {label} has been started already.") from None
    return review


def role_label(user, step, school):
    """The role a signature records, as the hub knows it now."""
    role = "Head teacher" if step == HEAD else "Chair of governors"
    return f"{role}, {school.name}"


def step_of(review):
    """The step a review waits for: head, chair, or None when confirmed."""
    return {"open": HEAD, "heads_signed": CHAIR}.get(review.state)


def _refusal(session, review, user, signers=None):
    """(ReviewError class, message) saying why this user cannot sign now, or None."""
    if review.state == "confirmed":
        return ReviewClosed, "This review is confirmed: it takes no more signatures."
    if not user.active:
        return NotAllowed, "Your account is deactivated."
    if user.role == "admin":
        return NotAllowed, ("Partnership coordinators start reviews but do not sign them: "
                            "head teachers and chairs of governors do.")
    if user.role == "staff":
        return NotAllowed, "Staff can read reviews but not sign them."
    if user.role == "governor" and not user.chair:
        return NotAllowed, "Governors can read reviews; only the chair of governors confirms one."
    signers = signers or signers_needed(session, review)
    step = step_of(review)
    wanted = HEAD if user.role == "head" else CHAIR
    place = next((p for p in signers.step(wanted) if p.school.id == user.school_id), None)
    if (place is None or place.left_on) and user.school is not None and user.school.archived_at is not None:
        return NotAllowed, ARCHIVED
    if place is None:
        return NotAllowed, ("This review is of another school's plan: you sign your own school's reviews "
                            "and the joint plan's.")
    if wanted == CHAIR and step == HEAD:
        waiting = len(signers.waiting(HEAD))
        return ChairsWait, (f"Chairs of governors confirm once every head teacher has signed; "
                            f"{waiting} head teacher{'s are' if waiting != 1 else ' is'} still to sign.")
    if wanted == HEAD and step == CHAIR:
        mine = any(p.signature and p.signature.user_id == user.id for p in signers.heads)
        if mine:
            return AlreadySigned, "You have signed this review already."
        if not place.signed:  # the school left the partnership while the heads signed, and came back
            return NotAllowed, ("The head teachers' step closed while your school was out of the partnership; "
                                "the chairs of governors confirm the review now.")
        return NotAllowed, "Every head teacher's place is signed already; the chairs of governors confirm it now."
    if place.signed:
        if place.signature.user_id == user.id:
            return AlreadySigned, "You have signed this review already."
        return AlreadySigned, f"{place.signature.name} has signed this review for {place.school.name} already."
    return None


def why_not_sign(session, review, user, signers=None):
    """Why this user cannot sign the review now, in words of their role; None if they can."""
    refusal = _refusal(session, review, user, signers)
    return refusal[1] if refusal else None


def can_sign(session, review, user, signers=None):
    """May this user sign the step the review waits for, now?"""
    return _refusal(session, review, user, signers) is None


def _lock(session, review):
    """Take the review's row for this transaction before reading who has signed: a
    write first, so two signers at the same moment go one after the other (PostgreSQL
    locks the row; SQLite takes its one write lock), and each sees the other's signature."""
    session.execute(update(Review).where(Review.id == review.id).values(state=Review.state)
                    .execution_options(synchronize_session=False))
    session.refresh(review)


def sign(session, review, user, comment="", at=None):
    """The user signs the step the review waits for; moves it on when the step is full.
    Returns the signature; raises a ReviewError saying what they cannot do. ``at``: when
    (UTC, naive), for a record made afterwards (the demo's): a signature is never changed."""
    _lock(session, review)
    signers = signers_needed(session, review)
    refusal = _refusal(session, review, user, signers)
    if refusal:
        error, message = refusal
        raise error(message)
    step = step_of(review)
    place = next(p for p in signers.step(step) if p.school.id == user.school_id)
    signature = ReviewSignature(review=review, user_id=user.id, step=step, name=user.name or user.email,
                                role_label=role_label(user, step, place.school), school_code=place.school.code,
                                signed_at=at or utcnow(), comment=(comment or "").strip()[:COMMENT_MAX])
    session.add(signature)
    try:
        session.flush()
    except IntegrityError:  # a backstop: the lock above has them sign one after the other
        session.rollback()
        raise AlreadySigned("You have signed this review already.") from None
    place.signature = signature
    if not signers.waiting(step):
        _move_on(session, review, step, signers, at)
    session.flush()
    return signature


def _move_on(session, review, step, signers, at=None):
    """The step is full: the chairs' turn, or the review is confirmed (and its dated tab goes out).
    The schools it closes without (out of the partnership, unsigned) are kept with it: if
    they come back, they are not awaited in a step that closed while they were out."""
    without = sorted(p.school.code for p in signers.step(step) if p.left_on and not p.signed)
    if without:
        review.closed_without = {**(review.closed_without or {}), step: without}
    now = at or utcnow()
    if step == HEAD:
        review.state, review.heads_signed_at = "heads_signed", now
    else:
        review.state, review.confirmed_at = "confirmed", now
        review.tab_title = tab_title(review)
        session.add(tab_entry(review))


def settle(session, review):
    """Move the review on if the only places its step still waited for were of schools
    that have since left the partnership (so no one is left to sign them). A step no one
    signed at all waits still: a review is never confirmed by nobody. True if it moved."""
    _lock(session, review)  # a head signing at the same moment goes before or after, not alongside
    step = step_of(review)
    if step is None:
        return False
    signers = signers_needed(session, review)
    if signers.waiting(step) or not any(p.signed for p in signers.step(step)):
        return False
    _move_on(session, review, step, signers)
    session.flush()
    return True


def settle_after_leaving(session):
    """After schools left the partnership: each joint review under way that waited only
    for them moves on. Returns the reviews that moved."""
    open_reviews = session.scalars(select(Review).where(Review.plan_code == JOINT, Review.state != "confirmed")
                                   .options(defer(Review.snapshot))).all()
    return [r for r in open_reviews if settle(session, r)]


# --- The dated tab in the plan's workbook ------------------------------------------------


def tab_title(review):
    """"Review Autumn 2026-27 (signed 01-12-2026)": the confirmed review's tab."""
    signed = uk_day(review.confirmed_at or utcnow())
    return f"{TAB_PREFIX}{short_label(review.term, review.school_year)} (signed {signed:%d-%m-%Y})"


def is_review_tab(title):
    """A tab the hub added for a confirmed review (never read by the sync)."""
    return str(title or "").startswith(TAB_PREFIX) and "(signed " in str(title)


def _uk_text(moment):
    day = uk_day(moment)
    return f"{day.day} {day:%B %Y}"


def tab_cells(review):
    """The dated tab's cells: a header of the registry's column names, the rows as signed,
    a blank line, then the signatures and comments."""
    columns = ACTION_PLAN.columns
    grid = [[c.name for c in columns]]
    grid += [[row.get(c.attr, "") for c in columns] for row in review.snapshot.get("rows", [])]
    grid += [[], [f"{review.snapshot.get('plan_name', review.plan_code)}: review of the "
                  f"{term_label(review.term, review.school_year)}"],
             ["Signed by", "Role", "School", "Date", "Comment"]]
    for signature in sorted(review.signatures, key=lambda s: (s.step != HEAD, s.signed_at, s.id)):
        grid.append([signature.name, signature.role_label, signature.school_code, _uk_text(signature.signed_at),
                     signature.comment])
    return grid


def tab_entry(review):
    """The outbox entry that adds the dated tab (written once: the drain checks the title)."""
    return OutboxEntry(workbook_id=review.workbook_id, kind=TAB_KIND, tab=review.tab_title,
                       sheet_id=f"review-{review.id}", row_id=review.id,
                       fields={"title": review.tab_title, "cells": tab_cells(review)},
                       created_by=", ".join(s.name for s in review.signatures if s.step == CHAIR)[:200])


# --- For the pages ------------------------------------------------------------------------


@dataclass
class ReviewStanding:
    """What a plan's page (and the home) say of its reviews."""

    plan_code: str
    last: Review | None
    due: tuple  # (term, school year)
    open: Review | None  # a review started and not yet confirmed

    @property
    def last_label(self):
        return term_label(self.last.term, self.last.school_year) if self.last else ""

    @property
    def due_label(self):
        return term_label(*self.due)


def standing(session, plan_code, today=None):
    """The plan's last confirmed review, the next one due, and one under way."""
    today = today or dates.uk_today()
    code = _plan_code(plan_code)
    every = reviews_of(session, code)
    last = next((r for r in every if r.state == "confirmed"), None)
    under_way = next((r for r in every if r.state != "confirmed"), None)
    return ReviewStanding(code, last, _due_after(last, today), under_way)


def visible_reviews(user, reviews):
    """The reviews of plans this user may view."""
    return [r for r in reviews if can_view_plan(user, r.plan_code)]


def all_reviews(session):
    """Every review of every plan, by plan then latest term first (for exports)."""
    found = session.scalars(select(Review).options(selectinload(Review.signatures))).all()  # not one query a review
    return sorted(found, key=lambda r: (r.plan_code != JOINT, r.plan_code, -_order(r.term, r.school_year)))


def signed_on(review):
    """The UK day a review was confirmed, e.g. 1 December 2026."""
    return _uk_text(review.confirmed_at) if review.confirmed_at else ""




def standings(session, plan_codes, today=None):
    """{plan code: ReviewStanding} of several plans, from one query of their reviews."""
    today = today or dates.uk_today()
    codes = [_plan_code(c) for c in plan_codes]
    found = {code: [] for code in codes}
    for review in session.scalars(select(Review).where(scope.among(session, Review.plan_code, codes))
                                  .options(defer(Review.snapshot))):
        found[review.plan_code].append(review)
    current = term_now(today)
    result = {}
    for code, every in found.items():
        every.sort(key=lambda r: (_order(r.term, r.school_year), r.id), reverse=True)
        last = next((r for r in every if r.state == "confirmed"), None)
        due = current if last is None or _order(last.term, last.school_year) < _order(*current) \
            else next_term(last.term, last.school_year)
        result[code] = ReviewStanding(code, last, due, next((r for r in every if r.state != "confirmed"), None))
    return result


def home_standings(session, user, schools, today=None):
    """[(plan title, ReviewStanding)] for the home: the joint plan, then each of ``schools``
    whose plan this user may open (the person asked about once, not once a school)."""
    codes = set(visible_school_codes(user, [s.code for s in schools]))
    mine = [s for s in schools if s.code in codes]
    found = standings(session, [JOINT] + [s.code for s in mine], today)
    return [("Joint action plan", found[JOINT])] + [(s.name, found[s.code]) for s in mine]


def review_figures(session, plan_codes, today=None):
    """(under way, this term's not yet started) among the plans' termly reviews: what a
    home of hundreds of plans says instead of a line a plan."""
    today = today or dates.uk_today()
    codes = tuple(sorted(set(plan_codes)))

    def count():
        now = term_now(today)
        found = standings(session, codes, today).values()
        return (sum(1 for s in found if s.open is not None),
                sum(1 for s in found if s.open is None and tuple(s.due) == now))
    # Every review of 200 plans read to count two figures: kept (a review moves the versions).
    return kept.for_partnership(session, ("review figures", codes, today), count)


# --- Exports --------------------------------------------------------------------------------


REVIEW_CSV_NAMES = ["Plan", "Term", "State", "Rows", "Started", "Confirmed", "Signatures"]


def _iso(moment):
    return moment.replace(tzinfo=timezone.utc).isoformat(timespec="seconds") if moment else None


def review_records(session):
    """Every review as plain data: plan, term, state in words, each signature (name, role,
    school, date, comment) and how many rows its snapshot holds."""
    found = []
    for review in all_reviews(session):
        found.append({
            "plan": review.plan_code,
            "plan_name": review.snapshot.get("plan_name", review.plan_code),
            "term": term_label(review.term, review.school_year),
            "state": STATE_NAMES[review.state],
            "rows": len(review.snapshot.get("rows", [])),
            "started_at": _iso(review.started_at),
            "confirmed_at": _iso(review.confirmed_at),
            "tab": review.tab_title,
            "signatures": [{"step": s.step, "name": s.name, "role": s.role_label, "school": s.school_code,
                            "date": uk_day(s.signed_at).isoformat(), "comment": s.comment}
                           for s in sorted(review.signatures, key=lambda s: (s.step != HEAD, s.signed_at, s.id))],
        })
    return found


def review_csv_records(records):
    """The review records flattened for CSV: one line a review, signatures in one cell."""
    return [{"Plan": r["plan"], "Term": r["term"], "State": r["state"], "Rows": r["rows"],
             "Started": r["started_at"] or "", "Confirmed": r["confirmed_at"] or "",
             "Signatures": "; ".join(f"{s['name']} ({s['role']}, {s['date']})"
                                     + (f": {s['comment']}" if s["comment"] else "") for s in r["signatures"])}
            for r in records]
