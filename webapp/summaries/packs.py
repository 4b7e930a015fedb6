"""Board packs made in the background, and kept.

WeasyPrint takes half a second for a plan of fifty rows and far longer for a big one: no
request waits on it. A pack is made by a job and stored (BoardPack):
- a confirmed review's pack when the review is confirmed, kept for good (the review's
  snapshot never changes, so neither does its pack);
- the live plan's pack when someone first asks for it, then again whenever the plan
  changes (after a quiet minute, so at most once a minute a plan), so that it is ready
  the next time. It is kept with what it was made from: the plan's and the partnership's
  content versions and the day (domain/versions.py). A request serves it only while
  those still hold; otherwise it asks for a new one and says it is being prepared: a
  stale pack is never served as current.
"""
from datetime import timedelta

from flask import render_template
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from domain import dates, job_queue, plans, scope, summaries, versions, years
from domain.dates import parse_date
from domain.models import BoardPack, Review, Workbook, utcnow

from ..background import handles
from ..extensions import db
from ..safe_urls import hub_url
from .pdf import render_pdf

# Moved on when what a pack holds changes in code (its template, its figures): every kept
# live pack is then made again when next asked for.
PACK_FORMAT = 1
QUIET = timedelta(minutes=1)  # a live pack is made again a minute after its plan last changed
LONGEST_WAIT = timedelta(minutes=5)  # ... but a plan that never stops changing still gets one


def helpers():
    """The words a summary and a pack are written with."""
    return dict(long_date=summaries.long_date, due_words=summaries.due_words,
                long_date_iso=lambda text: summaries.long_date(parse_date(text)) if text else "")


def live_day(plan):
    """The day a live summary or pack is as at: today, or a year that is over as it stood at its end."""
    return dates.uk_today() if plan.is_current else years.last_day(plan.year)


def made_from(session, plan, partnership_id, review=None):
    """What a pack of this plan (or of this confirmed review) is made from: the key it is kept under."""
    if review is not None:
        return f"{PACK_FORMAT}.review{review.id}"
    key = versions.plan_key(session, plan.workbook.id, partnership_id)
    return f"{PACK_FORMAT}.{key}.{live_day(plan).isoformat()}"


def _kept_pack(workbook_id, review):
    """The statement for the pack kept of a plan's workbook (live, or of the review)."""
    return select(BoardPack).where(BoardPack.workbook_id == workbook_id, BoardPack.review_id.is_(None)
                                   if review is None else BoardPack.review_id == review.id)


def current(session, plan, partnership_id, review=None):
    """The kept pack made from the plan as it is now (or from the review), or None (none
    yet, or made from something older: never served as current)."""
    key = made_from(session, plan, partnership_id, review)
    return session.scalar(_kept_pack(plan.workbook.id, review).where(BoardPack.made_from == key))


def job_key(workbook_id, review_id=None):
    return f"board-pack:{workbook_id}:{review_id or 'live'}"


def ask_for(session, workbook_id, partnership_id, review_id=None, after=None, requested_by_id=None):
    """Queue the making of a pack (one waits at a time a pack); returns the job. With
    ``after``, a pack waiting already waits that long again, up to LONGEST_WAIT in all."""
    return job_queue.enqueue(session, "board-pack", key=job_key(workbook_id, review_id),
                             partnership_id=partnership_id, requested_by_id=requested_by_id, after=after,
                             longest=LONGEST_WAIT if after else None,
                             payload=dict(workbook_id=workbook_id, review_id=review_id))


@handles("board-pack")
def _made(app, job):
    """The plan as it is now (or the review as signed), as a PDF, kept with what it was made
    from. The key is read before the plan, so a change made meanwhile leaves a key that
    is already old: that pack is never served as current, and the change asks for another."""
    workbook = db.session.get(Workbook, job.payload["workbook_id"])
    plan = plans.find_plan(db.session, workbook.code, None if workbook.is_current else workbook.school_year)
    review = db.session.get(Review, job.payload["review_id"]) if job.payload["review_id"] else None
    key = made_from(db.session, plan, job.partnership_id, review)
    if review is not None:
        found = summaries.of_review(db.session, review)
    else:
        found = summaries.live(db.session, plan, live_day(plan))
    html = render_template("summaries/pack.html", summary=found, code=workbook.code, link=hub_url, ids=False,
                           **helpers())
    started = utcnow()
    pdf = render_pdf(html)
    seconds = (utcnow() - started).total_seconds()
    pack = db.session.scalar(_kept_pack(workbook.id, review))
    if pack is None:
        pack = BoardPack(workbook_id=workbook.id, review_id=review.id if review else None)
        db.session.add(pack)
    pack.made_from, pack.as_at, pack.pdf, pack.made_at, pack.seconds = key, found.as_at, pdf, utcnow(), seconds
    return {"bytes": len(pdf), "seconds": round(seconds, 2)}


# -- kept fresh: a change to a plan whose live pack is kept asks for a new one; a review
# confirmed asks for its own --

CONFIRMED = "packs_confirmed_reviews"


@event.listens_for(Session, "before_flush")
def _note_confirmed(session, flush_context, instances):
    for obj in session.dirty:
        if isinstance(obj, Review) and obj.state == "confirmed" and "confirmed" in (
                inspect(obj).attrs.state.history.added or ()):
            session.info.setdefault(CONFIRMED, set()).add((obj.id, obj.workbook_id))


@event.listens_for(Session, "before_commit")
def _ask_for_packs(session):
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit's own flush comes after this hook: what it changes is needed now
    confirmed = session.info.pop(CONFIRMED, set())
    moved = versions.moved_workbooks(session)
    if not (confirmed or moved):
        return
    partnership_id = scope.current(session)
    for review_id, workbook_id in sorted(confirmed):
        ask_for(session, workbook_id, partnership_id, review_id=review_id)
    if moved:  # only packs someone has asked for are kept fresh
        kept = session.scalars(select(BoardPack.workbook_id).where(
            BoardPack.review_id.is_(None), BoardPack.workbook_id.in_(sorted(moved)))
            .execution_options(**scope.HUB_WIDE)).all()
        for workbook_id in kept:
            # for the partnership that asked for it last (a sync serves the whole hub)
            last = job_queue.latest(session, job_key(workbook_id))
            ask_for(session, workbook_id, last.partnership_id if last else partnership_id, after=QUIET)
