"""Governors' summaries and board packs: read-only, short, printable.

GET /summary/<CODE> and /summary/joint show the page; /summary/<CODE>.pdf (and
joint.pdf) the board pack, with ``?review=<id>`` the pack of a confirmed review built
from its signed snapshot. Whoever may view the plan may open them; nothing of another
plan is read, so nothing hidden is sent.
"""
from flask import Blueprint, Response, abort, g, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.routing import BaseConverter

from domain import job_queue, kept, summaries
from domain.access import sees_sheet_ids

from ..downloads import attachment
from ..extensions import db
from ..hx import fragment
from ..lookups import plan_or_abort
from ..params import id_arg
from . import packs

bp = Blueprint("summaries", __name__)


class PlanCodeConverter(BaseConverter):
    """A plan code (a school's, or joint): letters, digits and hyphens, no dot, so that
    /summary/BR and /summary/BR.pdf are two routes."""

    regex = r"[A-Za-z0-9-]{1,20}"


@bp.record_once
def register_converter(state):
    state.app.url_map.converters.setdefault("plan_code", PlanCodeConverter)


@bp.before_request
@login_required
def require_login():
    """Every page here is for signed-in people only."""


def _plan_and_review(code, workbook=True):
    """The plan the address names, and the confirmed review ``?review=`` names (None: the live plan)."""
    plan = plan_or_abort(code, workbook=workbook, past=True)
    review_id = id_arg("review")
    if review_id is None:
        return plan, None
    review = summaries.confirmed_review(db.session, review_id, plan.code)
    if review is None:
        abort(404, description="There is no confirmed review with that number for this plan.")
    return plan, review


def _summary(code):
    plan, review = _plan_and_review(code, workbook=False)
    if review is None:  # a year that is over: as it stood at its end
        return plan, summaries.live(db.session, plan, packs.live_day(plan))
    return plan, summaries.of_review(db.session, review)


@bp.get("/summary/<plan_code:code>")
def summary(code):
    plan, found = _summary(code)
    ids = sees_sheet_ids(current_user)
    # The five sections read the same for everyone who sees the same (the joint summary names
    # every shared priority: 1,600 at 200 schools): drawn once, kept as the summary itself is.
    review = found.of_review.id if found.of_review else None
    sections = kept.for_partnership(db.session, ("summary drawn", plan.code, plan.year, review, found.as_at, ids),
                                    lambda: Markup(render_template("summaries/_sections.html", summary=found,
                                                                   link=url_for, ids=ids, chart_prefix="page-",
                                                                   **packs.helpers())))
    return render_template("summaries/summary.html", summary=found, code=plan.code, plan=plan, sections=sections,
                           **packs.helpers())


@bp.get("/summary/<plan_code:code>.pdf")
def pack(code):
    """The board pack: served as kept when it was made from the plan as it is now (or
    from the review asked for); otherwise asked for, and a page that says it is being
    prepared and follows it (webapp/summaries/packs.py). Nobody waits on WeasyPrint."""
    plan, review = _plan_and_review(code)
    kept = packs.current(db.session, plan, g.partnership.id, review)
    if kept is not None:
        response = Response(kept.pdf, mimetype="application/pdf")
        name = f"board-pack-{plan.code}-{kept.as_at.isoformat()}" + (f"-review-{review.id}" if review else "")
        return attachment(response, name, "pdf")
    job = packs.ask_for(db.session, plan.workbook.id, g.partnership.id, review_id=review.id if review else None,
                        requested_by_id=current_user.id)
    db.session.commit()
    return render_template("summaries/preparing.html", plan=plan, code=plan.code, job=job, ready=False,
                           review=review), 202


@bp.get("/summary/<plan_code:code>/pack")
def pack_status(code):
    """Where the pack being prepared has got to: the preparing page follows it with htmx."""
    plan, review = _plan_and_review(code)
    ready = packs.current(db.session, plan, g.partnership.id, review) is not None
    job = job_queue.latest(db.session, packs.job_key(plan.workbook.id, review.id if review else None))
    return fragment(render_template("summaries/_preparing.html", plan=plan, code=plan.code, job=job, ready=ready,
                                    review=review))
