"""Editing in the browser: action-row cells, impact-log entries, and choices in conflicts.

Every save lands in the database with its outbox entry in one transaction and
is then written to the sheet in the background (sync/outbox.py).
"""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from domain import edits, plans
from domain.access import can_edit_plan, can_resolve, can_view_plan
from domain.models import ActionRow, ImpactEntry, OutboxEntry
from domain.status import STATUSES

from ..extensions import db
from ..hx import fragment, page, wants_fragment
from ..plans.rows import rows_context
from ..syncing import request_drain
from .forms import ImpactForm, RowEditForm

bp = Blueprint("edits", __name__)


@bp.before_request
@login_required
def require_login():
    """Signed-in people only; each view checks the plan."""


def _plan(code, edit=True):
    plan = plans.find_plan(db.session, code)
    if plan is None or plan.workbook is None:
        abort(404)
    if not can_view_plan(current_user, plan.code) or (edit and not can_edit_plan(current_user, plan.code)):
        abort(403)
    return plan


def _row(plan, row_id):
    row = db.session.get(ActionRow, row_id)
    if row is None or row.workbook_id != plan.workbook.id or row.archived_at is not None:
        abort(404)
    return row


def _row_fragment(plan, row, focus="edit", status=200):
    html = render_template("plans/_row.html", plan=plan, row=row, expanded=False, focus=focus,
                           **rows_context(plan, [row]))
    return fragment(html), status


def _edit_form(plan, row, form, status=200, clash=None):
    context = dict(plan=plan, row=row, form=form, clash=clash)
    if wants_fragment(f"row-{row.id}"):
        return fragment(render_template("edits/_row_edit.html", **context)), status
    return page(render_template("edits/row_edit.html", **context)), status


def _row_form(row, formdata=None):
    """The edit form; a status the app does not know stays a choice, so saving keeps it."""
    form = RowEditForm(formdata=formdata, data=None if formdata else edits.editable_values(row))
    for status in {row.status, form.seen_status.data or ""} - set(STATUSES) - {""}:
        form.status.choices.append(SelectChoice(status, f"{status} (as the sheet has it)"))
    return form


@bp.get("/plans/<code>/rows/<int:row_id>/edit")
def edit_row(code, row_id):
    plan = _plan(code)
    row = _row(plan, row_id)
    form = _row_form(row)
    form.set_seen(edits.editable_values(row), row.version)
    return _edit_form(plan, row, form)


@bp.post("/plans/<code>/rows/<int:row_id>")
def save_row(code, row_id):
    plan = _plan(code)
    row = _row(plan, row_id)
    form = _row_form(row, request.form)
    if not form.validate_on_submit():
        return _edit_form(plan, row, form, 422)
    try:
        try:
            entry = _save(row, form)
        except StaleDataError:
            # The row moved on under this save: a sync storing it (its row number, say) or
            # another save. Compare again with the row as it is now; only a real clash remains.
            db.session.rollback()
            row = _row(plan, row_id)
            entry = _save(row, form)
    except (edits.EditConflict, StaleDataError) as error:
        db.session.rollback()
        row = _row(plan, row_id)
        current = edits.editable_values(row)
        clash = error if isinstance(error, edits.EditConflict) else edits.EditConflict(current, list(current))
        # Cells they did not touch take what is there now; the ones they changed keep
        # their value: saving again keeps theirs, Cancel keeps the other person's.
        seen = form.seen()
        for name in form.EDITABLE:
            if edits.same(name, getattr(form, name).data, seen.get(name)):
                getattr(form, name).data = current[name]
        form.set_seen(current, row.version)
        return _edit_form(plan, row, form, 409, clash)
    if entry is not None:
        request_drain(current_app._get_current_object())
    if wants_fragment(f"row-{row.id}"):
        return _row_fragment(plan, row)
    flash("Saved. It is on its way to the sheet." if entry else "Nothing had changed.", "info")
    return redirect(url_for("plans.plan", code=plan.code, _anchor=f"row-{row.id}"), 303)


def _save(row, form):
    entry = edits.edit_action_row(db.session, row, current_user.name, form.changes(), form.seen(),
                                  form.version.data, current_user.id)
    db.session.commit()
    return entry


@bp.get("/plans/<code>/rows/<int:row_id>/sync-state")
def sync_state(code, row_id):
    """Where the row's latest edit is on its way to the sheet: polled while it waits."""
    plan = _plan(code, edit=False)
    row = _row(plan, row_id)
    state = edits.latest_for_rows(db.session, "edit", [row.id]).get(row.id)
    if state is None:
        return fragment("")
    return fragment(render_template("edits/_sync_state.html", plan=plan, row=row, state=state, poll=True))


@bp.get("/plans/<code>/rows/<int:row_id>/history")
def row_history(code, row_id):
    plan = _plan(code, edit=False)
    row = _row(plan, row_id)
    if request.args.get("hide"):
        return fragment("")
    return fragment(render_template("edits/_history.html", plan=plan, row=row,
                                    changes=edits.history(db.session, "action_row", row.id)))


def _entry(entry_id):
    entry = db.session.get(OutboxEntry, entry_id)
    if entry is None:
        abort(404)
    plan = plans.find_plan(db.session, entry.workbook.code)
    if plan is None or not can_resolve(current_user, entry, plan.code):
        abort(403)
    return entry, plan


@bp.post("/outbox/<int:entry_id>/<choice>")
def resolve(entry_id, choice):
    """A person's choice for an edit that could not land: keep mine, take the sheet's,
    discard it, or try it again."""
    entry, plan = _entry(entry_id)
    if choice not in edits.CHOICES:
        abort(404)
    try:
        edits.choose(db.session, entry, choice, current_user.name)
    except edits.ChoiceTaken:
        abort(409, description="Someone else chose for this edit a moment ago. Reload the page to see what they chose.")
    db.session.commit()
    if choice in ("keep", "retry"):
        request_drain(current_app._get_current_object())
    if entry.kind == "alias":
        return redirect(url_for("priorities.combined"), 303)
    if entry.kind != "edit":
        return redirect(url_for("edits.impact_log", code=plan.code, _anchor=f"impact-{entry.row_id}"), 303)
    row = db.session.get(ActionRow, entry.row_id)
    if wants_fragment(f"row-{entry.row_id}"):
        return _row_fragment(plan, row)
    return redirect(url_for("plans.plan", code=plan.code, _anchor=f"row-{entry.row_id}"), 303)


def _impact_form(plan, action=None):
    form = ImpactForm()
    rows = plans.current_rows(db.session, plan)
    form.action.choices = [SelectChoice("", "— none —")] + [
        SelectChoice(row.sheet_id, f"{row.sheet_id}: {row.key_objective.splitlines()[0][:60]}") for row in rows
    ] + [SelectChoice(area, f"Area: {area}") for area in plans.areas(db.session, plan)]
    if action and request.method == "GET":
        form.action.data = action
    return form


def _impact_page(plan, form, status=200, added=None):
    entries = db.session.scalars(
        select(ImpactEntry)
        .where(ImpactEntry.workbook_id == plan.workbook.id, ImpactEntry.archived_at.is_(None))
        .order_by(ImpactEntry.date.desc(), ImpactEntry.id.desc())
    ).all()
    context = dict(plan=plan, form=form, entries=entries, added=added,
                   can_edit=can_edit_plan(current_user, plan.code),
                   states=edits.latest_for_rows(db.session, "add", [e.id for e in entries]))
    if wants_fragment("impact-log"):
        return fragment(render_template("edits/_impact_log.html", **context)), status
    return page(render_template("edits/impact.html", **context)), status


@bp.get("/plans/<code>/impact")
def impact_log(code):
    plan = _plan(code, edit=False)
    if plan.is_joint:
        abort(404)
    # ?action= comes from a row's "Add evidence" link when JavaScript is off.
    return _impact_page(plan, _impact_form(plan, request.args.get("action")))


@bp.get("/plans/<code>/rows/<int:row_id>/evidence")
def evidence_form(code, row_id):
    """The impact-log form, opened in place under an action row."""
    plan = _plan(code)
    row = _row(plan, row_id)
    if request.args.get("hide"):
        return fragment("")
    return fragment(render_template("edits/_evidence.html", plan=plan, row=row, form=_impact_form(plan, row.sheet_id)))


@bp.post("/plans/<code>/impact")
def add_impact(code):
    plan = _plan(code)
    if plan.is_joint:
        abort(404)
    form = _impact_form(plan)
    row_id = request.args.get("row", type=int)
    if not form.validate_on_submit():
        if row_id:
            row = _row(plan, row_id)
            return fragment(render_template("edits/_evidence.html", plan=plan, row=row, form=form)), 422
        return _impact_page(plan, form, 422)
    try:
        entry, _ = edits.add_impact_entry(db.session, plan.workbook, current_user.name, form.values(), current_user.id)
        db.session.commit()
    except IntegrityError:  # someone took the same new ID a moment before: take the next one
        db.session.rollback()
        entry, _ = edits.add_impact_entry(db.session, plan.workbook, current_user.name, form.values(), current_user.id)
        db.session.commit()
    request_drain(current_app._get_current_object())
    if row_id:
        return fragment(render_template("edits/_evidence_added.html", plan=plan, entry=entry, row_id=row_id))
    if wants_fragment("impact-log"):
        return _impact_page(plan, _impact_form(plan), added=entry)
    flash("Evidence added. It is on its way to the sheet.", "info")
    return redirect(url_for("edits.impact_log", code=plan.code), 303)
