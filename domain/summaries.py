"""Governors' summaries and board packs: a plan's progress against what was agreed, short.

A summary is computed from plain data: the plan's rows and shared priorities as dicts
(the shape a review's snapshot holds, domain/reviews.py), impact-log entries as dicts and
the review record. So the one ``build`` renders today's plan (from a snapshot taken now)
and a signed review (from the snapshot it was signed with): the pack of a signed review
can be made again later, identical in content, whatever the plan has become.

The order is the governors' association's: the exceptions first (rows Behind or At
risk, overdue, or worse since the last signed review), then progress by area, what
changed since the last signed review, the shared priorities, the review record.
"""
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from . import dates, impact_forms, kept, reviews
from .charts import progress_chart
from .dates import due_ends, parse_date, uk_day
from .models import ImpactEntry, Review
from .plans import NO_STATUS, OTHER_AREA, OTHER_STATUS, status_key
from .status import AT_RISK, BEHIND, COMPLETE, NOT_STARTED, ON_TRACK

# Statuses in the order governors read them: what is wrong first.
ORDER = (BEHIND, AT_RISK, ON_TRACK, NOT_STARTED, COMPLETE, NO_STATUS, OTHER_STATUS)


def long_date(day):
    """A date as people in UK schools write it: 1 December 2026."""
    return f"{day.day} {day:%B %Y}" if day else ""


def due_words(due):
    """A row's Due as people read it: a UK date when it is one, else the words written."""
    day = parse_date(due)
    return long_date(day) if day else (due or "")


def is_overdue(row, as_at):
    """A row dict's Due has passed by ``as_at`` and it is not Complete (domain/attention.py's rule)."""
    ends = due_ends(row.get("due") or "")
    return ends is not None and ends < as_at and row.get("status") != COMPLETE


@dataclass
class Signed:
    """A signature as the record shows it."""

    step: str
    name: str
    role_label: str
    school_code: str
    signed_on: date
    comment: str


@dataclass
class ReviewRecord:
    """A confirmed review, as plain data: its term, its snapshot's rows, who signed."""

    id: int
    plan_code: str
    term_label: str
    taken_on: date
    confirmed_on: date | None
    signatures: list
    rows: list = field(default_factory=list)

    @property
    def heads(self):
        return [s for s in self.signatures if s.step == reviews.HEAD]

    @property
    def chairs(self):
        return [s for s in self.signatures if s.step == reviews.CHAIR]


def record_of(review):
    """A Review (its snapshot and signatures) as a ReviewRecord."""
    if review is None:
        return None
    snapshot = review.snapshot or {}
    signatures = [Signed(s.step, s.name, s.role_label, s.school_code, uk_day(s.signed_at), s.comment or "")
                  for s in sorted(review.signatures, key=lambda s: (s.step != reviews.HEAD, s.signed_at, s.id))]
    taken = snapshot.get("taken_at")
    return ReviewRecord(review.id, review.plan_code, reviews.term_label(review.term, review.school_year),
                        uk_day(taken) if taken else uk_day(review.started_at),
                        uk_day(review.confirmed_at) if review.confirmed_at else None,
                        signatures, list(snapshot.get("rows", [])))


@dataclass
class Flagged:
    """A row that needs governors' attention, and why (its reasons in words)."""

    row: dict
    reasons: list
    rank: int  # Behind 0, At risk 1, anything else 2: the order of the list


@dataclass
class Summary:
    """Everything a governors' summary or board pack shows, in its order."""

    plan_code: str
    plan_name: str
    term_label: str
    as_at: date
    exceptions: list  # [Flagged]
    progress: list  # [(area, Counter of status)]
    columns: list  # the statuses counted, in ORDER
    chart: object
    total: int
    since: ReviewRecord | None  # the last signed review, compared against
    changes: object | None  # reviews.Comparison, None with no signed review yet
    evidence: list  # impact-log entries dated after the last signed review: dicts
    evidence_held: bool  # False: a signed snapshot that holds no impact-log entries
    priorities: list  # [(theme, [priority dicts])]
    record: ReviewRecord | None  # the review record shown: the last confirmed, or the one this pack is of
    next_due: str
    of_review: ReviewRecord | None = None  # set when this is the pack of a signed review
    # The host school's finished network and visit impact forms since the last signed
    # review (the latest VISITS_SHOWN): dicts from impact_forms.finished_for_school.
    visits: list = field(default_factory=list)

    @property
    def title(self):
        return f"{self.plan_name}: board pack, {self.term_label}"

    @property
    def totals(self):
        """{status: rows} across every area, for the table's last line."""
        found = Counter()
        for _, counts in self.progress:
            found.update(counts)
        return found


def _group_by_area(rows):
    groups = OrderedDict()
    for row in rows:
        groups.setdefault(row.get("area") or OTHER_AREA, []).append(row)
    return list(groups.items())


def _exceptions(rows, as_at, worse):
    worse_by_id = {c.sheet_id: c for c in worse}
    found = []
    for row in rows:
        reasons, status = [], row.get("status") or ""
        if status in (BEHIND, AT_RISK):
            reasons.append(status)
        if is_overdue(row, as_at):
            reasons.append(f"Overdue: due {due_words(row.get('due'))}")
        change = worse_by_id.get(row.get("sheet_id"))
        if change:
            reasons.append(f"Worse since the last signed review: {change.before or 'no status'} to {change.after}")
        if reasons:
            found.append(Flagged(row, reasons, {BEHIND: 0, AT_RISK: 1}.get(status, 2)))
    return sorted(found, key=lambda f: f.rank)  # stable: sheet order within each rank


def _priorities_by_theme(priorities):
    groups = OrderedDict()
    for priority in priorities:
        groups.setdefault(priority.get("theme") or priority.get("priority", ""), []).append(priority)
    return list(groups.items())


def build(plan_code, plan_name, rows, priorities, as_at, term_label, next_due, since=None, evidence=(),
          evidence_held=True, record=None, of_review=None, visits=()):
    """The summary of a plan from plain data: ``rows`` and ``priorities`` as a snapshot
    holds them, ``since`` the last signed review (a ReviewRecord, or None), ``evidence``
    the impact-log entries (dicts) dated after it."""
    progress = [(area, Counter(status_key(r.get("status")) for r in group)) for area, group in _group_by_area(rows)]
    used = {status_key(r.get("status")) for r in rows}
    columns = [s for s in ORDER if s in used or s in (BEHIND, AT_RISK, ON_TRACK, COMPLETE)]
    changes = reviews.compare(since.rows, rows) if since else None
    return Summary(
        plan_code=plan_code, plan_name=plan_name, term_label=term_label, as_at=as_at,
        exceptions=_exceptions(rows, as_at, changes.worse if changes else []),
        progress=progress, columns=columns, chart=progress_chart(progress, columns), total=len(rows),
        since=since, changes=changes, evidence=list(evidence) if since else [], evidence_held=evidence_held,
        priorities=_priorities_by_theme(priorities), record=record, next_due=next_due, of_review=of_review,
        visits=list(visits),
    )


# --- From the database ----------------------------------------------------------------------


def entry_dict(entry):
    """An impact-log entry as plain data."""
    return {"sheet_id": entry.sheet_id, "date": entry.date.isoformat() if entry.date else "",
            "action": entry.action, "activity": entry.activity, "summary": entry.summary,
            "recorded_by": entry.recorded_by}


def evidence_after(session, plan, day):
    """The plan's impact-log entries dated after ``day``, oldest first (a school's log;
    the partnership workbook keeps none)."""
    if plan.workbook is None:
        return []
    found = session.scalars(select(ImpactEntry).where(
        ImpactEntry.workbook_id == plan.workbook.id, ImpactEntry.archived_at.is_(None), ImpactEntry.date > day)
        .order_by(ImpactEntry.date, ImpactEntry.id)).all()
    return [entry_dict(e) for e in found]


def live(session, plan, today=None):
    """Today's summary of a plan: a snapshot taken now, against the last signed review.
    Kept for the day under the partnership's versions (domain/kept.py): it reads the whole
    partnership's priorities to say who else shares each, so any change to the
    partnership makes it afresh."""
    today = today or dates.uk_today()  # the UK day, not the server's: "as at" and overdue are the reader's
    return kept.for_partnership(session, ("summary", plan.code, plan.year, today),
                                lambda: _live(session, plan, today))


def _live(session, plan, today):
    snapshot = reviews.take_snapshot(session, plan)
    since = record_of(reviews.last_confirmed(session, plan.code))
    return build(plan.code, plan.title if plan.is_joint else plan.school.name, snapshot["rows"],
                 snapshot["priorities"], today, reviews.term_label(*reviews.term_now(today)),
                 reviews.term_label(*reviews.next_due(session, plan.code, today)), since=since,
                 evidence=evidence_after(session, plan, since.taken_on) if since else [],
                 record=since, visits=visits_since(session, plan, since))


VISITS_SHOWN = 10  # a board paper stays short: the latest forms, the rest on the hub


def visits_since(session, plan, since):
    """The school's finished impact forms (networks it led, visits it hosted) since the
    last signed review, or all of them with none yet: newest first, the latest few."""
    if plan.is_joint:
        return []
    return impact_forms.finished_for_school(session, plan.code, since=since.taken_on if since else None,
                                            year=plan.year)[:VISITS_SHOWN]


def previous_confirmed(session, review):
    """The plan's confirmed review of the term before this one's (the latest before it), or None."""
    earlier = [r for r in reviews.reviews_of(session, review.plan_code)
               if r.state == "confirmed" and (r.school_year, reviews.TERMS.index(r.term))
               < (review.school_year, reviews.TERMS.index(review.term))]
    return earlier[0] if earlier else None


def of_review(session, review):
    """The pack of a confirmed review, from its snapshot alone (and the review signed
    before it): the same content however the plan changes after."""
    snapshot = review.snapshot or {}
    record = record_of(review)
    since = record_of(previous_confirmed(session, review))
    held = "impact" in snapshot  # a snapshot may keep its impact-log entries; then they are used
    evidence = [e for e in snapshot.get("impact", []) if since and (e.get("date") or "") > since.taken_on.isoformat()]
    return build(review.plan_code, snapshot.get("plan_name", review.plan_code), snapshot.get("rows", []),
                 snapshot.get("priorities", []), record.taken_on, record.term_label,
                 reviews.term_label(*reviews.next_term(review.term, review.school_year)), since=since,
                 evidence=evidence, evidence_held=held, record=record, of_review=record)


def confirmed_review(session, review_id, plan_code):
    """A confirmed review of this plan, or None (an open review's pack would change as people sign)."""
    review = session.get(Review, review_id)
    if review is None or review.state != "confirmed" or review.plan_code != plan_code:
        return None
    return review
