"""Officers of an authority or trust: the partnerships they support (only what each
shares with them, read inside its boundary), their development visits (written to the
supporter's own workbook through the outbox), and the report across partnerships.
Rules are in domain/supporters.py and domain/reports.py."""
from datetime import date

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from domain import dates, reports, scope, supporters
from domain.access import is_officer
from domain.contract import DEVELOPMENT_VISITS
from domain.edits import add_row
from domain.models import (
    CalendarEvent,
    DevelopmentVisit,
    ImpactForm,
    Report,
    Review,
    SipPriority,
    Supporter,
    Workbook,
)
from domain.scope import HUB_WIDE

from ..downloads import attachment
from ..extensions import db
from ..summaries.pdf import render_pdf
from ..syncing import request_drain
from .docx import report_docx
from .forms import DraftForm, TitleForm, VisitForm

bp = Blueprint("support", __name__, url_prefix="/support")
OFFICERS_ONLY = "These pages are for the officers of the authority or trust that supports the partnerships."


@bp.before_request
@login_required
def require_officer():
    """Officers only: a partnership's people have their own pages."""
    if not is_officer(current_user) or current_user.supporter_id is None:
        abort(403, description=OFFICERS_ONLY)


def _supporter():
    return db.session.get(Supporter, current_user.supporter_id)


def _sharing_or_404(slug):
    partnership = supporters.partnership_shared(db.session, _supporter(), slug)
    if partnership is None:
        abort(404)
    return partnership


@bp.get("")
def home():
    """The partnerships supported, what each shares, the latest visits and reports."""
    supporter = _supporter()
    return render_template("support/home.html", supporter=supporter,
                           partnerships=supporters.supported(db.session, supporter),
                           visits=supporters.visits(db.session, supporter)[:5],
                           reports=reports.reports_of(db.session, supporter)[:5],
                           connected=supporters.visits_workbook(db.session, supporter) is not None)


@bp.get("/partnerships/<slug>")
def partnership(slug):
    """What one partnership shares: signed reviews, shared priorities, calendar, strengths."""
    shared = _sharing_or_404(slug)
    with scope.entered(db.session, shared.id):
        s = db.session
        context = dict(
            reviews=s.scalars(select(Review).where(Review.state == "confirmed")
                              .order_by(Review.confirmed_at.desc())).all(),
            priorities=s.scalars(select(SipPriority).where(SipPriority.share.is_(True),
                                                           SipPriority.archived_at.is_(None))
                                 .order_by(SipPriority.theme, SipPriority.priority)).all(),
            events=s.scalars(select(CalendarEvent).where(CalendarEvent.archived_at.is_(None),
                                                         CalendarEvent.date >= dates.uk_today())
                             .order_by(CalendarEvent.date).limit(20)).all(),
            forms=s.scalars(select(ImpactForm).where(ImpactForm.state == "final")
                            .order_by(ImpactForm.finished_at.desc()).limit(20)).all(),
        )
        # Drawn inside its boundary too: what the page reads of each row (a priority's
        # school, a form's event) is loaded as it is drawn.
        return render_template("support/partnership.html", partnership=shared, summary=_plan_by_area(shared),
                               **context)


def _plan_by_area(shared):
    """Its joint plan's progress by area, as its last signed review has it."""
    return reports.plan_section(db.session, [shared], reports.Period("to date", date.min, dates.uk_today()))[
        "groups"][0]


@bp.get("/partnerships/<slug>/reviews/<int:review_id>")
def review(slug, review_id):
    """A signed review as it was signed."""
    shared = _sharing_or_404(slug)
    with scope.entered(db.session, shared.id):
        found = db.session.get(Review, review_id)
        if found is None or found.state != "confirmed":
            abort(404)
        html = render_template("support/review.html", partnership=shared, review=found)
    return html


# -- development visits -------------------------------------------------------------------

@bp.get("/visits")
def visits():
    supporter = _supporter()
    return render_template("support/visits.html", supporter=supporter,
                           visits=supporters.visits(db.session, supporter))


def _visit_form(supporter):
    form = VisitForm()
    form.partnership.choices = [(p.slug, p.name) for p in supporters.supported(db.session, supporter)]
    return form


@bp.route("/visits/new", methods=["GET", "POST"])
def new_visit():
    """Record a development visit: shown at once, and written to the supporter's workbook."""
    supporter = _supporter()
    workbook = supporters.visits_workbook(db.session, supporter)
    form = _visit_form(supporter)
    if workbook is None:
        return render_template("support/new_visit.html", form=form, connected=False), 409
    if not form.validate_on_submit():
        return render_template("support/new_visit.html", form=form, connected=True), \
            422 if form.is_submitted() else 200
    visited = next(p for p in supporters.supported(db.session, supporter) if p.slug == form.partnership.data)
    values = {attr: getattr(form, attr).data or "" for attr in
              ("present", "vision", "successes", "challenges", "lessons", "next_steps")}
    values.update(date=form.date.data, partnership=visited.name, recorded_by=current_user.name)
    with scope.whole_hub(db.session):  # the supporter's workbook is no partnership's
        record, _ = add_row(db.session, workbook, DEVELOPMENT_VISITS, values, current_user.name, current_user.id,
                            summary=f"Development visit to {visited.name}")
        record.partnership_id = visited.id
    db.session.commit()
    request_drain(current_app._get_current_object())
    flash(f"The visit to {visited.name} is recorded as {record.sheet_id}, and is on its way to your workbook.", "info")
    return redirect(url_for("support.visit", visit_id=record.id), 303)


def _visit_or_404(visit_id):
    found = db.session.scalar(  # another supporter's visit is not found
        select(DevelopmentVisit).join(Workbook, Workbook.id == DevelopmentVisit.workbook_id)
        .where(DevelopmentVisit.id == visit_id, Workbook.supporter_id == current_user.supporter_id)
        .execution_options(**HUB_WIDE))
    if found is None:
        abort(404)
    return found


@bp.get("/visits/<int:visit_id>")
def visit(visit_id):
    return render_template("support/visit.html", visit=_visit_or_404(visit_id), points=supporters.points)


# -- the report across partnerships -----------------------------------------------------------

def _draft_form():
    form = DraftForm()
    form.period.choices = [(p.key, p.label) for p in reports.periods()]
    return form


@bp.get("/reports")
def report_list():
    supporter = _supporter()
    return render_template("support/reports.html", reports=reports.reports_of(db.session, supporter),
                           form=_draft_form())


@bp.post("/reports")
def draft_report():
    """A new draft, from the visits and what the partnerships share."""
    form = _draft_form()
    if not form.validate_on_submit():
        return render_template("support/reports.html", reports=reports.reports_of(db.session, _supporter()),
                               form=form), 422
    report = reports.draft(db.session, _supporter(), reports.period_of(form.period.data), current_user.name)
    db.session.commit()
    flash("The draft is ready: read it through, change what you want to say, then publish it.", "info")
    return redirect(url_for("support.report", report_id=report.id), 303)


def _report_or_404(report_id):
    found = db.session.scalar(select(Report).where(Report.id == report_id,
                                                   Report.supporter_id == current_user.supporter_id)
                              .execution_options(**HUB_WIDE))
    if found is None:
        abort(404)
    return found


@bp.get("/reports/<int:report_id>")
def report(report_id):
    found = _report_or_404(report_id)
    return render_template("support/report.html", report=found, title_form=TitleForm(data={"title": found.title}))


@bp.post("/reports/<int:report_id>")
def save_report(report_id):
    """The officer's edits to a draft: the title, introductions and each point's words."""
    found = _report_or_404(report_id)
    title_form = TitleForm()
    intros, texts = {}, {}
    for name, value in request.form.items():
        kind, _, where = name.partition("-")
        numbers = [int(n) for n in where.split("-") if n.isdigit()]
        if kind == "intro" and len(numbers) == 1:
            intros[numbers[0]] = value[:5000]
        elif kind == "point" and len(numbers) == 3:
            texts[tuple(numbers)] = value[:5000]
    if not title_form.validate_on_submit():
        return render_template("support/report.html", report=found, title_form=title_form), 422
    try:
        reports.edit(found, title_form.title.data, intros, texts)
    except reports.ReportError as error:
        db.session.rollback()
        abort(409, description=str(error))
    db.session.commit()
    flash("Your changes are saved.", "info")
    return redirect(url_for("support.report", report_id=found.id), 303)


@bp.post("/reports/<int:report_id>/publish")
def publish_report(report_id):
    found = _report_or_404(report_id)
    try:
        reports.publish(found, current_user.name)
    except reports.ReportError as error:
        abort(409, description=str(error))
    db.session.commit()
    flash("The report is published. It is kept as it is now; download it as PDF or Word.", "info")
    return redirect(url_for("support.report", report_id=found.id), 303)


def _address(path):
    """A source's full address, at the hub's configured address (never a request's Host)."""
    return current_app.config["HUB_URL"].rstrip("/") + path


def _published_or_404(report_id):
    found = _report_or_404(report_id)
    if found.state != "published":
        abort(404)
    return found


@bp.get("/reports/<int:report_id>.pdf")
def report_pdf(report_id):
    found = _published_or_404(report_id)
    html = render_template("support/report_print.html", report=found, source_url=_address)
    return attachment(Response(render_pdf(html), mimetype="application/pdf"), found.title, "pdf")


@bp.get("/reports/<int:report_id>.docx")
def report_word(report_id):
    found = _published_or_404(report_id)
    body = report_docx(found, _address)
    mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return attachment(Response(body, mimetype=mimetype), found.title, "docx")
