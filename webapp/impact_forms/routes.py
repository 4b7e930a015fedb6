"""Impact forms after networks and visits, and who is strong at what.

The form is one POST form: Save, Add, Remove and Confirm are its submit buttons, so
it works without scripts; with htmx the same POST swaps the form in place, and the
ratio of strengths to areas is redrawn as the lists are typed.
"""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from domain import impact_forms as rules
from domain.leaders import leaders_for, leaders_of
from domain.models import CalendarEvent, ImpactForm, Workbook
from domain.themes import theme_key

from ..extensions import db
from ..hx import fragment, page, wants_fragment
from ..lookups import priority_or_404, shown_year
from ..syncing import request_drain
from .forms import ImpactFormFields

bp = Blueprint("impact_forms", __name__)


@bp.before_request
@login_required
def require_login():
    """Members of the partnership only; each view checks the event."""


def _event_or_abort(event_id):
    event = db.session.get(CalendarEvent, event_id)
    if event is None or event.archived_at is not None:
        abort(404)
    return event


def _form_or_abort(form_id):
    """The form and its event's matched leaders; 404, or 403 for a draft not theirs to see."""
    form = db.session.get(ImpactForm, form_id)
    if form is None:
        abort(404)
    leaders = leaders_for(db.session, form.event)
    if not rules.can_read(current_user, form.event, leaders, form):
        abort(403, description="This impact form is still a draft: it is for the schools of the event.")
    return form, leaders


def _context(form, leaders, fields=None, message=None, problem=None, values=None):
    event = form.event
    may_write = form.state != rules.FINAL and rules.can_complete(current_user, event, leaders)
    strengths, areas = values or (list(form.strengths or []), list(form.areas or []))
    if fields is None:
        fields = ImpactFormFields(formdata=None, summary=form.summary, impact_note=form.impact_note,
                                  version=str(form.version))
    if not fields.errors:  # the lists as text, one per line, as they stand (a New box emptied into them)
        fields.strengths.data, fields.areas.data = "\n".join(strengths), "\n".join(areas)
        fields.new_strength.data = fields.new_area.data = ""
    offered = rules.offered_rows(db.session, event) if may_write or form.state == rules.FINAL else []
    chosen = {int(i) for i in request.form.getlist("rows") if i.isdigit()} if request.method == "POST" and values \
        else set(form.action_row_ids or [])
    return dict(
        form=form, event=event, fields=fields, strengths=strengths, areas=areas,
        ratio=rules.ratio(strengths, areas), may_write=may_write, message=message, problem=problem,
        side=rules.side_of(current_user, event, leaders), sides=rules.sides_needed(event), leaders=leaders,
        network=rules.event_kind(event) == rules.NETWORK,
        confirmed={c.side: c for c in form.confirmations}, side_names=rules.SIDE_NAMES,
        state_name=rules.STATE_NAMES[form.state], missing=rules.missing(db.session, form, event),
        host_problem=rules.host_problem(db.session, event),
        matching=[r for r, score in offered if score], others=[r for r, score in offered if not score],
        chosen=chosen, linked=[r for r, _ in offered if r.id in set(form.action_row_ids or [])],
        why_not=rules.why_not_complete(current_user, event),
        why_not_confirm=rules.why_not_confirm(current_user, event, leaders),
        entry_id=_entry_sheet_id(form),
    )


def _entry_sheet_id(form):
    from domain.models import ImpactEntry

    entry = db.session.get(ImpactEntry, form.impact_entry_id) if form.impact_entry_id else None
    return entry.sheet_id if entry else ""


def _render(context, status=200):
    if wants_fragment("impact-form"):
        return fragment(render_template("impact_forms/_form.html", **context)), status
    return page(render_template("impact_forms/form.html", **context)), status


@bp.app_template_global("finished_impact_forms")
def finished_impact_forms(code, year=None):
    """A school's final impact forms as host, of a school year (the current one unless
    given) (templates/impact_forms/_finished_forms.html)."""
    return rules.finished_for_school(db.session, code, year=year)


@bp.app_template_global("impact_form_of")
def impact_form_of(event):
    """An event's impact form or None (templates/impact_forms/_event_link.html)."""
    return rules.form_for_event(db.session, event)


@bp.get("/impact-forms")
def index():
    """Past events whose impact form this person can write, and the forms under way; of a
    year that is over, its final forms (nothing is left to write)."""
    year = shown_year()
    events = db.session.scalars(select(CalendarEvent).join(Workbook).where(
        Workbook.school_year == year if year else Workbook.is_current, CalendarEvent.archived_at.is_(None))
        .order_by(CalendarEvent.date.desc())).all()
    forms = {f.event_id: f for f in db.session.scalars(select(ImpactForm).join(CalendarEvent).join(Workbook).where(
        Workbook.school_year == year if year else Workbook.is_current))}
    leaders = leaders_of(db.session, events)
    mine = [(e, forms.get(e.id)) for e in events if rules.can_complete(current_user, e, leaders[e.id])
            and (forms[e.id].state != rules.FINAL if e.id in forms else rules.why_not_yet(e) is None)]
    finished = [(e, forms[e.id]) for e in events if e.id in forms and forms[e.id].state == rules.FINAL]
    return render_template("impact_forms/index.html", mine=mine, finished=finished, year=year,
                           state_names=rules.STATE_NAMES)


@bp.get("/impact-forms/event/<int:event_id>")
def for_event(event_id):
    """The event's impact form, or the button that starts it."""
    event = _event_or_abort(event_id)
    form = rules.form_for_event(db.session, event)
    if form is not None:
        return redirect(url_for("impact_forms.show", form_id=form.id))
    leaders = leaders_for(db.session, event)
    if not rules.can_read(current_user, event, leaders):
        abort(403, description=rules.why_not_complete(current_user, event))
    return render_template("impact_forms/start.html", event=event, leaders=leaders,
                           network=rules.event_kind(event) == rules.NETWORK,
                           may_write=rules.can_complete(current_user, event, leaders),
                           not_yet=rules.why_not_yet(event),
                           why_not=rules.why_not_complete(current_user, event),
                           host_problem=rules.host_problem(db.session, event))


@bp.post("/impact-forms/event/<int:event_id>")
def start(event_id):
    event = _event_or_abort(event_id)
    if not rules.can_complete(current_user, event, leaders_for(db.session, event)):
        abort(403, description=rules.why_not_complete(current_user, event))
    try:
        form = rules.start(db.session, event, current_user.name)
        db.session.commit()
    except rules.NotAllowed as refusal:
        db.session.rollback()
        abort(409, description=str(refusal))
    except IntegrityError:  # the other side started it a moment ago: theirs is the form
        db.session.rollback()
        form = rules.form_for_event(db.session, event)
    return redirect(url_for("impact_forms.show", form_id=form.id), 303)


@bp.get("/impact-forms/<int:form_id>")
def show(form_id):
    return _render(_context(*_form_or_abort(form_id)))


@bp.post("/impact-forms/<int:form_id>")
def save(form_id):
    """Save, Add, Remove or Confirm: each saves what the person sent first."""
    form, leaders = _form_or_abort(form_id)
    event = form.event
    if form.state == rules.FINAL:
        return _render(_context(form, leaders,
                                problem="This form is final: it is in the impact log and is not changed."), 409)
    if not rules.can_complete(current_user, event, leaders):
        abort(403, description=rules.why_not_complete(current_user, event))
    fields = ImpactFormFields()
    op = request.form.get("op", "save")
    if not fields.validate_on_submit():
        return _render(_context(form, leaders, fields, problem="Check the fields marked below.",
                                values=fields.lists(op)), 422)
    strengths, areas = fields.lists(op)
    changes = rules.Changes(fields.summary.data or "", strengths, areas,
                            [int(i) for i in request.form.getlist("rows") if i.isdigit()],
                            fields.impact_note.data or "")
    seen = int(fields.version.data) if (fields.version.data or "").isdigit() else None
    message = None
    try:
        form, changed = rules.submit(db.session, form_id, current_user, current_user.name, changes, seen,
                                     confirming=op == "confirm")
    except rules.FormChanged as clash:
        form = db.session.get(ImpactForm, form_id)
        fields = ImpactFormFields(formdata=None, summary=changes.summary, impact_note=changes.impact_note,
                                  version=str(form.version))
        return _render(_context(form, leaders, fields, values=(strengths, areas), problem=(
            f"{clash.form.updated_by or 'Someone'} saved this form a moment ago. What you wrote is kept here; "
            "save again to keep yours, or open the form afresh to see theirs.")), 409)
    except rules.NotAllowed as refusal:
        form = db.session.get(ImpactForm, form_id)
        return _render(_context(form, leaders, problem=str(refusal)), 422)
    except rules.FormFinal:
        form = db.session.get(ImpactForm, form_id)
        return _render(_context(form, leaders,
                                problem="This form became final a moment ago: it is in the impact log."), 409)
    if form.state == rules.FINAL:
        request_drain(current_app._get_current_object())
        message = "Final: confirmed by both sides and on its way to the host school's impact log."
        if form.kind == rules.NETWORK:
            message = "Final: on its way to the host school's impact log."
    elif op == "confirm":
        message = "Confirmed. Waiting for the other school's confirmation."
    elif changed:
        message = "Saved." + (" The earlier confirmation was taken back: each side confirms the form as it is now."
                              if request.form.get("had_confirmations") == "1" else "")
    if not wants_fragment("impact-form"):
        if message:
            flash(message, "info")
        return redirect(url_for("impact_forms.show", form_id=form.id), 303)
    # The keyboard goes back to the New box after Add or Remove, else to what the save did.
    focus = op.partition(":")[0] if op.startswith(("add-", "remove-")) else "message"
    context = _context(form, leaders, message=message)
    return _render(dict(context, focus=focus))


@bp.post("/impact-forms/<int:form_id>/ratio")
def ratio(form_id):
    """The ratio as the lists stand in the browser, not saved: redrawn as they are typed."""
    form, leaders = _form_or_abort(form_id)
    if not rules.can_complete(current_user, form.event, leaders):  # only those who write the form see it redrawn
        abort(403, description=rules.why_not_complete(current_user, form.event))
    fields = ImpactFormFields()
    strengths, areas = fields.lists()
    return fragment(render_template("impact_forms/_ratio.html", ratio=rules.ratio(strengths, areas), form=form))


@bp.get("/strengths")
def directory():
    """Who is strong at what: strengths on confirmed forms, by theme and area."""
    filters = {name: request.args.get(name, "").strip() for name in ("theme", "area", "school")}
    year = shown_year()
    shown, every = rules.strength_directory(db.session, **{k: v or None for k, v in filters.items()}, year=year)
    context = dict(groups=shown, filters=filters, count=sum(len(g.strengths) for g in shown), year=year)
    if wants_fragment("strength-groups"):
        canonical = url_for("impact_forms.directory", year=year, **{k: v for k, v in filters.items() if v})
        return fragment(render_template("impact_forms/_directory.html", **context), push_url=canonical)
    if filters["school"]:  # the forms read were that school's: the filters offer the whole directory's
        choices = rules.directory_choices(db.session, year)
        themes, areas, schools = choices.themes, choices.areas, choices.schools
    else:
        themes, areas = every, rules.directory_areas(every)
        schools = sorted({s.school.code: s.school for g in every for s in g.strengths}.values(), key=lambda s: s.name)
    return page(render_template("impact_forms/directory.html", themes=themes, areas=areas, schools=schools,
                                **context))


@bp.get("/priorities/<int:priority_id>/who-could-help")
def who_could_help(priority_id):
    """Partner schools that showed strength in this priority's theme on confirmed forms."""
    priority, school = priority_or_404(priority_id)
    helpers = rules.who_could_help(db.session, priority)
    theme = priority.theme or priority.priority
    context = dict(priority=priority, school=school, helpers=helpers, theme=theme, theme_key=theme_key(theme))
    if wants_fragment(f"who-could-help-{priority.id}"):
        return fragment(render_template("impact_forms/_who_could_help_result.html", **context))
    return page(render_template("impact_forms/who_could_help.html", **context))
