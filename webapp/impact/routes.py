"""A school's impact log: read a page at a time with filters; evidence added from the
log or from under an action row. Entries go to the sheet through the outbox."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from domain import dates, edits, exports, impact, plans, years
from domain.dates import parse_date

from ..downloads import FORMATS, download
from ..extensions import db
from ..forms import CLEANED_NOTE
from ..hx import fragment, page, wants_fragment
from ..lookups import can_change, plan_or_abort, row_or_abort
from ..params import id_arg, page_number, pager
from ..syncing import request_drain
from .forms import ImpactForm, LogFilters, action_choices

bp = Blueprint("impact", __name__)


@bp.before_request
@login_required
def require_login():
    """Signed-in people only; each view checks the plan."""


def _school_plan(code, edit=False):
    plan = plan_or_abort(code, edit=edit, past=not edit)
    if plan.is_joint:
        abort(404)  # the joint plan has no impact log
    return plan


class _Choices:
    """The plan's rows and areas, read once, for the forms and for naming linked actions."""

    def __init__(self, plan):
        self.rows = plans.current_rows(db.session, plan)
        self.areas = [area for area, _ in plans.group_by_area(self.rows)]
        self.options = action_choices(self.rows, self.areas)
        self.titles = {row.sheet_id: (row.key_objective.splitlines() or [row.sheet_id])[0] for row in self.rows}


def _impact_form(choices, action=None):
    form = ImpactForm()
    form.action.choices = [SelectChoice("", "— none —")] + choices.options
    if request.method == "GET":
        form.date.data = form.date.data or dates.uk_today().strftime("%d/%m/%Y")  # most evidence is today's
        if action:
            form.action.data = action
    return form


def _filters(choices):
    filters = LogFilters(request.args)
    filters.action.choices = [SelectChoice("", "All actions and areas")] + choices.options
    filters.validate()
    values = impact.Filters(
        activity=filters.activity.data or "", action=filters.action.data or "",
        since=parse_date(filters.since.data) if not filters.since.errors else None,
        until=parse_date(filters.until.data) if not filters.until.errors else None,
    )
    return filters, values


def _log_context(plan, choices, form, added=None, fresh=False):
    """What the log's page and its pieces show. ``fresh``: after adding, the first page, unfiltered."""
    filters, values = (LogFilters(), impact.Filters()) if fresh else _filters(choices)
    if fresh:
        filters.action.choices = [SelectChoice("", "All actions and areas")] + choices.options
    entries = impact.entries(db.session, plan.workbook, values, 1 if fresh else page_number())
    return dict(
        plan=plan, form=form, filters=filters, filtered=bool(values), entries=entries, added=added,
        pager=pager(entries, "impact.log", code=plan.code, year=plan.past_year,
                    **({} if fresh else filters.args())),
        titles=choices.titles, can_edit=can_change(plan),
        states=edits.latest_for_rows(db.session, "add", [e.id for e in entries.items])
        if can_change(plan) else {},  # the way to the sheet: for those who edit
    )


@bp.get("/plans/<code>/impact")
def log(code):
    plan = _school_plan(code)
    choices = _Choices(plan)
    # ?action= comes from a row's "Add evidence" link when JavaScript is off.
    context = _log_context(plan, choices, _impact_form(choices, request.args.get("action")))
    if wants_fragment("impact-entries"):
        # The filters or a page link asked for the entries alone; the address bar gets the tidy URL.
        canonical = url_for("impact.log", code=plan.code, year=plan.past_year, **context["filters"].args(),
                            page=context["entries"].number if context["entries"].number > 1 else None)
        return fragment(render_template("impact/_entries.html", **context), push_url=canonical)
    return page(render_template("impact/log.html", **context))


@bp.get(f"/plans/<code>/impact/export/<{FORMATS}:fmt>")
def log_export(code, fmt):
    """Every entry the log's filters pick (not only the page shown), as a file."""
    plan = _school_plan(code)
    _, values = _filters(_Choices(plan))
    return download(exports.impact_records(impact.every_entry(db.session, plan.workbook, values)),
                    exports.IMPACT_LOG_NAMES, fmt, f"impact-log-{plan.code}-{years.short(plan.year)}", "Impact log")


@bp.get("/plans/<code>/rows/<int:row_id>/evidence")
def evidence_form(code, row_id):
    """The impact-log form under an action row; opened in a tab of its own, a page."""
    plan = _school_plan(code, edit=True)
    row = row_or_abort(plan, row_id)
    if request.args.get("hide") and wants_fragment(f"evidence-{row.id}"):
        return fragment("")
    context = dict(plan=plan, row=row, form=_impact_form(_Choices(plan), row.sheet_id))
    if wants_fragment(f"evidence-{row.id}"):
        return fragment(render_template("impact/_evidence.html", **context))
    return page(render_template("impact/evidence.html", **context))


@bp.post("/plans/<code>/impact")
def add(code):
    plan = _school_plan(code, edit=True)
    row_id = id_arg("row")
    row = row_or_abort(plan, row_id) if row_id is not None else None
    in_place = row is not None and wants_fragment(f"evidence-{row.id}")
    choices = _Choices(plan)
    form = _impact_form(choices)
    if not form.validate_on_submit():
        if in_place:
            return fragment(render_template("impact/_evidence.html", plan=plan, row=row, form=form)), 422
        if row is not None:
            return page(render_template("impact/evidence.html", plan=plan, row=row, form=form)), 422
        if wants_fragment("impact-log"):
            return fragment(render_template("impact/_log.html", **_log_context(plan, choices, form, fresh=True))), 422
        return page(render_template("impact/log.html", **_log_context(plan, choices, form, fresh=True))), 422
    entry = impact.record(db.session, plan.workbook, current_user.name, form.values(), current_user.id)
    request_drain(current_app._get_current_object())
    cleaned = form.cleaned()
    if in_place:
        return fragment(render_template("impact/_evidence_added.html", plan=plan, entry=entry, cleaned=cleaned))
    if wants_fragment("impact-log"):
        context = _log_context(plan, choices, _impact_form(choices), added=entry, fresh=True)
        return fragment(render_template("impact/_log.html", cleaned=cleaned, **context))
    flash(f"Added to the impact log as {entry.sheet_id}; on its way to the sheet.", "info")
    if cleaned:
        flash(CLEANED_NOTE, "info")
    if row is not None:
        return redirect(url_for("plans.plan", code=plan.code, _anchor=f"row-{row.id}"), 303)
    return redirect(url_for("impact.log", code=plan.code), 303)
