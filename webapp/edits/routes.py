"""Editing action rows in the browser, their history, and choices in conflicts.

Every save lands in the database with its outbox entry in one transaction and
is then written to the sheet in the background (sync/outbox.py).
"""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from domain import edits, plans
from domain.access import can_edit_plan, can_resolve, why_not_edit
from domain.edits import NO_ROW_KINDS
from domain.models import ActionRow, OutboxEntry
from domain.reviews import TAB_KIND
from domain.status import STATUSES

from ..extensions import db
from ..forms import CLEANED_NOTE
from ..hx import fragment, page, wants_fragment
from ..lookups import plan_or_abort, row_or_abort
from ..plans.rows import rows_context
from ..safe_urls import local_path
from ..syncing import request_drain
from .forms import RowEditForm

bp = Blueprint("edits", __name__)


@bp.before_request
@login_required
def require_login():
    """Signed-in people only; each view checks the plan."""


def _row_fragment(plan, row, focus="edit", status=200, notice=None):
    html = render_template("plans/_row.html", plan=plan, row=row, expanded=False, focus=focus, notice=notice,
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
    plan = plan_or_abort(code, edit=True)
    row = row_or_abort(plan, row_id)
    form = _row_form(row)
    form.set_seen(edits.editable_values(row), row.version)
    return _edit_form(plan, row, form)


@bp.post("/plans/<code>/rows/<int:row_id>")
def save_row(code, row_id):
    plan = plan_or_abort(code, edit=True)
    row = row_or_abort(plan, row_id)
    form = _row_form(row, request.form)
    if not form.validate_on_submit():
        return _edit_form(plan, row, form, 422)
    outcome = edits.save_row_edit(db.session, lambda: row_or_abort(plan, row_id), current_user.name,
                                  form.changes(), form.seen(), form.version.data, current_user.id)
    row = outcome.row
    if outcome.clash:
        for name, value in outcome.values.items():
            getattr(form, name).data = value
        form.set_seen(edits.editable_values(row), row.version)
        return _edit_form(plan, row, form, 409, outcome.clash)
    if outcome.entry is not None:
        request_drain(current_app._get_current_object())
    notice = CLEANED_NOTE if form.cleaned() else None
    if wants_fragment(f"row-{row.id}"):
        return _row_fragment(plan, row, notice=notice)
    flash("Saved. It is on its way to the sheet." if outcome.entry else "Nothing had changed.", "info")
    if notice:
        flash(notice, "info")
    return redirect(url_for("plans.plan", code=plan.code, _anchor=f"row-{row.id}"), 303)


@bp.get("/plans/<code>/rows/<int:row_id>/sync-state")
def sync_state(code, row_id):
    """Where the row's latest edit is on its way to the sheet: polled while it waits."""
    plan = plan_or_abort(code)
    row = row_or_abort(plan, row_id)
    state = edits.latest_for_rows(db.session, "edit", [row.id]).get(row.id)
    if state is None:
        return fragment("")
    return fragment(render_template("edits/_sync_state.html", plan=plan, row=row, state=state, poll=True))


@bp.get("/plans/<code>/rows/<int:row_id>/history")
def row_history(code, row_id):
    """A row's history: opened under the row, or (its URL in a tab of its own) a page."""
    plan = plan_or_abort(code, past=True)
    row = row_or_abort(plan, row_id)
    in_place = wants_fragment(f"history-{row.id}")
    if request.args.get("hide") and in_place:
        return fragment("")
    context = dict(plan=plan, row=row, changes=edits.history(db.session, "action_row", row.id))
    if in_place:
        return fragment(render_template("edits/_history.html", **context))
    return page(render_template("edits/history.html", standalone=True, **context))


def _entry(entry_id):
    entry = db.session.get(OutboxEntry, entry_id)
    if entry is None:
        abort(404)
    plan = plans.find_plan(db.session, entry.workbook.code)
    if plan is None:
        abort(404)
    if not can_edit_plan(current_user, plan.code):
        abort(403, description=why_not_edit(current_user, plan.code))
    if not can_resolve(current_user, entry, plan.code):
        abort(403, description=f"{entry.created_by} or a head teacher of the school chooses for this edit.")
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
    back = local_path(request.form.get("next"))
    if back and not wants_fragment(f"row-{entry.row_id}"):
        flash("Done: your choice is saved.", "info")  # the list the choice was made from
        return redirect(back, 303)
    if entry.kind == "alias":
        return redirect(url_for("priorities.combined"), 303)
    if entry.kind == TAB_KIND:  # a confirmed review's dated tab
        return redirect(url_for("reviews.show", review_id=entry.row_id), 303)
    if entry.kind in NO_ROW_KINDS:  # a new year's tab or workbook: where the year was started
        return redirect(url_for("schools.index"), 303)
    if entry.tab in ("Calendar", "RSVP"):  # issue 17: an event, or a reply to one
        return redirect(url_for("calendar.index"), 303)
    if entry.kind != "edit":
        return redirect(url_for("impact.log", code=plan.code, _anchor=f"impact-{entry.row_id}"), 303)
    row = db.session.get(ActionRow, entry.row_id)
    if wants_fragment(f"row-{entry.row_id}"):
        return _row_fragment(plan, row)
    return redirect(url_for("plans.plan", code=plan.code, _anchor=f"row-{entry.row_id}"), 303)
