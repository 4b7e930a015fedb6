"""Governors' summaries and board packs: read-only, short, printable.

GET /summary/<CODE> and /summary/joint show the page; /summary/<CODE>.pdf (and
joint.pdf) the board pack, with ``?review=<id>`` the pack of a confirmed review built
from its signed snapshot. Whoever may view the plan may open them; nothing of another
plan is read, so nothing hidden is sent.
"""
from flask import Blueprint, Response, abort, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.routing import BaseConverter

from domain import dates, summaries, years
from domain.access import sees_sheet_ids
from domain.dates import parse_date

from ..downloads import attachment
from ..extensions import db
from ..lookups import plan_or_abort
from ..params import id_arg
from ..safe_urls import hub_url
from .pdf import render_pdf

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


def _helpers():
    return dict(long_date=summaries.long_date, due_words=summaries.due_words,
                long_date_iso=lambda text: summaries.long_date(parse_date(text)) if text else "")


def _summary(code):
    plan = plan_or_abort(code, workbook=False, past=True)
    review_id = id_arg("review")
    if review_id is None:  # a year that is over: as it stood at its end
        day = dates.uk_today() if plan.is_current else years.last_day(plan.year)
        return plan, summaries.live(db.session, plan, day)
    review = summaries.confirmed_review(db.session, review_id, plan.code)
    if review is None:
        abort(404, description="There is no confirmed review with that number for this plan.")
    return plan, summaries.of_review(db.session, review)


@bp.get("/summary/<plan_code:code>")
def summary(code):
    plan, found = _summary(code)
    return render_template("summaries/summary.html", summary=found, code=plan.code, plan=plan, link=url_for,
                           ids=sees_sheet_ids(current_user), **_helpers())


@bp.get("/summary/<plan_code:code>.pdf")
def pack(code):
    plan, found = _summary(code)
    # A board pack is the governors' paper: the objectives in words, no sheet IDs.
    html = render_template("summaries/pack.html", summary=found, code=plan.code, link=hub_url, ids=False,
                           **_helpers())
    response = Response(render_pdf(html), mimetype="application/pdf")
    name = f"board-pack-{plan.code}-{found.as_at.isoformat()}"
    if found.of_review:
        name += f"-review-{found.of_review.id}"
    return attachment(response, name, "pdf")
