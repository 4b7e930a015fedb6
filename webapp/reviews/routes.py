"""Termly reviews: a plan's reviews, starting one, signing it in two steps, and a signed
snapshot compared with today's plan. Rules in domain/reviews.py; nothing here changes a
snapshot once taken."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from domain import dates, plans, reviews
from domain.access import can_view_plan
from domain.models import Review

from ..extensions import db
from ..hx import fragment, page, wants_fragment
from ..lookups import plan_or_abort
from ..syncing import request_drain
from .forms import SignForm, StartForm

bp = Blueprint("reviews", __name__)


@bp.before_request
@login_required
def require_login():
    """Members of the partnership only."""


def _review_or_abort(review_id):
    """The review, if this person may see its plan."""
    review = db.session.get(Review, review_id)
    if review is None:
        abort(404)
    if not can_view_plan(current_user, review.plan_code):
        abort(403, description="This review is of another school's plan; your own school's reviews are on its plan.")
    return review


def _plan_of(review):
    return plans.find_plan(db.session, review.plan_code)


@bp.get("/plans/<code>/reviews")
def index(code):
    """A plan's reviews, the latest term first, and a button to start this term's."""
    plan = plan_or_abort(code, workbook=False)
    today = dates.uk_today()
    term, year = reviews.term_now(today)
    return render_template("reviews/index.html", plan=plan, reviews=reviews.reviews_of(db.session, plan.code),
                           standing=reviews.standing(db.session, plan.code, today), term=term, year=year,
                           this_term=reviews.for_term(db.session, plan.code, term, year),
                           can_start=reviews.can_start(current_user, plan.code) and plan.workbook is not None,
                           form=StartForm())


@bp.post("/plans/<code>/reviews")
def start(code):
    """Start this term's review of the plan: the hub snapshots it as it stands."""
    plan = plan_or_abort(code, workbook=False)
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    if not reviews.can_start(current_user, plan.code):
        abort(403, description=reviews.why_not_start(current_user, plan.code))
    try:
        review = reviews.start(db.session, plan, current_user)
    except reviews.AlreadyStarted as error:
        db.session.rollback()
        flash(str(error), "info")
        term, year = reviews.term_now(dates.uk_today())
        existing = reviews.for_term(db.session, plan.code, term, year)
        return redirect(url_for("reviews.show", review_id=existing.id) if existing
                        else url_for("reviews.index", code=plan.code), 303)
    except reviews.ReviewError as error:
        abort(409, description=str(error))
    db.session.commit()
    flash(f"The review of the {reviews.term_label(review.term, review.school_year)} is started: "
          "the plan is kept as it stands now. Head teachers sign first, then the chairs of governors.", "info")
    return redirect(url_for("reviews.show", review_id=review.id), 303)


def _steps_context(review, message=None, focus=False, form=None):
    signers = reviews.signers_needed(db.session, review)
    return dict(review=review, signers=signers, message=message, focus=focus, form=form or SignForm(),
                step=reviews.step_of(review),
                can_sign=reviews.can_sign(db.session, review, current_user, signers),
                refusal=reviews.why_not_sign(db.session, review, current_user, signers),
                label=reviews.term_label(review.term, review.school_year), signed_on=reviews.signed_on(review))


@bp.get("/reviews/<int:review_id>")
def show(review_id):
    """The review: its term, who has signed and who is still to, and the rows as kept."""
    review = _review_or_abort(review_id)
    rows = review.snapshot.get("rows", [])
    return page(render_template("reviews/review.html", plan=_plan_of(review), groups=_by_area(rows),
                                priorities=review.snapshot.get("priorities", []), **_steps_context(review)))


def _by_area(rows):
    groups = {}
    for row in rows:
        groups.setdefault(row.get("area") or plans.OTHER_AREA, []).append(row)
    return list(groups.items())


@bp.post("/reviews/<int:review_id>/sign")
def sign(review_id):
    """The signed-in head or chair signs the step the review waits for, as themselves."""
    review = _review_or_abort(review_id)
    form = SignForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _steps_answer(review, None, form, status=422)
    reason = reviews.why_not_sign(db.session, review, current_user)
    if reason:
        abort(403, description=reason)
    try:
        reviews.sign(db.session, review, current_user, form.comment.data)
    except reviews.ReviewError as error:  # someone else signed a moment ago
        db.session.rollback()
        # The steps as they now stand, saying what happened: not an error page titled "Conflict".
        return _steps_answer(db.session.get(Review, review.id), str(error), SignForm(formdata=None), status=409)
    db.session.commit()
    if review.state == "confirmed":
        request_drain(current_app._get_current_object())  # the dated tab goes to the workbook
        message = (f"You confirmed this review. It is kept as signed, and a dated tab, "
                   f"‘{review.tab_title}’, is being added to the plan's workbook.")
    elif review.state == "heads_signed":
        message = "You signed this review. Every head teacher has signed: the chairs of governors confirm it next."
    else:
        waiting = len(reviews.signers_needed(db.session, review).waiting(reviews.HEAD))
        message = f"You signed this review. {waiting} more head teacher{'s' if waiting != 1 else ''} to sign."
    return _steps_answer(review, message, SignForm(formdata=None))


def _steps_answer(review, message, form, status=200):
    if wants_fragment("review-steps"):
        return fragment(render_template("reviews/_steps.html", **_steps_context(review, message, True, form))), status
    if message:
        flash(message, "info")
        return redirect(url_for("reviews.show", review_id=review.id), 303)
    rows = review.snapshot.get("rows", [])
    return page(render_template("reviews/review.html", plan=_plan_of(review), groups=_by_area(rows),
                                priorities=review.snapshot.get("priorities", []),
                                **_steps_context(review, None, False, form))), status


@bp.get("/reviews/<int:review_id>/compare")
def compare(review_id):
    """The review's snapshot against today's plan: what changed since, row by row."""
    review = _review_or_abort(review_id)
    plan = _plan_of(review)
    now_rows = reviews.current_row_dicts(db.session, plan) if plan else []
    return render_template("reviews/compare.html", review=review, plan=plan,
                           label=reviews.term_label(review.term, review.school_year),
                           changes=reviews.compare(review.snapshot.get("rows", []), now_rows))
