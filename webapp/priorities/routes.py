"""Combined SIP priorities: who shares which theme, who else works on a priority,
and "Same theme?" answered by heads and coordinators."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from domain import exports, kept, plans, priorities, years
from domain.access import can_answer_themes, can_view_plan, own_school_code, sees_every_school
from domain.status import STATUSES

from ..downloads import FORMATS, download
from ..extensions import db
from ..hx import fragment, page, wants_fragment
from ..lookups import priority_or_404, shown_year
from ..params import bounded_int, page_number, pager
from ..syncing import request_drain

bp = Blueprint("priorities", __name__)


@bp.before_request
@login_required
def require_login():
    """Members of the partnership only."""


def _filters():
    return {name: request.args.get(name, "").strip() for name in ("theme", "status", "school")}


def _suggestions_context(every=None):
    if not can_answer_themes(current_user):
        return dict(suggestions=[])
    return dict(suggestions=priorities.open_suggestions(db.session, every))


def _groups_context(filters, number=1, year=None):
    """What _groups.html draws: the page of priorities under ``filters`` (of the current
    school year, or ``year``), the themes at a glance, and the count; and every theme (for
    the filter and the questions)."""
    shown, groups, every = priorities.combined_page(db.session, number, year=year,
                                                    **{k: v or None for k, v in filters.items()})
    return dict(groups=groups, shown=shown, filters=filters, statuses=STATUSES, count=shown.total, year=year,
                pager=pager(shown, "priorities.combined", **{k: v for k, v in filters.items() if v}, year=year,
                            labels=("← Previous", "Next →"))), every


def _address(filters, number, year=None):
    """The combined page's own address for these filters and page (the first page has none)."""
    return url_for("priorities.combined", **{k: v for k, v in filters.items() if v}, year=year,
                   page=number if number > 1 else None)


@bp.get("/priorities")
def combined():
    """Every shared priority, grouped by theme, a page at a time; filtered with htmx or a plain form.
    The groups read the same for everyone who may open the same plans: drawn once and kept
    under the partnership's versions (a page names some fifty of 1,600 priorities)."""
    filters, year, number = _filters(), shown_year(), page_number()
    partial = wants_fragment("priority-groups")
    opens = "every school" if sees_every_school(current_user) else own_school_code(current_user)

    def draw():
        context, every = _groups_context(filters, number, year)
        return (render_template("priorities/_groups.html", count_oob=partial, **context),
                render_template("priorities/_count.html", **context), context["shown"].number, every)

    groups, count, shown_number, every = kept.for_partnership(
        db.session, ("priorities drawn", tuple(sorted(filters.items())), number, year, opens, partial), draw)
    if partial:
        return fragment(groups, push_url=_address(filters, shown_number, year))
    return page(render_template(
        "priorities/combined.html", groups_html=Markup(groups), count_html=Markup(count), filters=filters,
        statuses=STATUSES, year=year, themes=every, schools=plans.school_choices(db.session),
        **(_suggestions_context(every) if year is None else dict(suggestions=[]))))


@bp.get(f"/priorities/export/<{FORMATS}:fmt>")
def combined_export(fmt):
    """The shared priorities the combined page shows under the same filters: never an unshared one."""
    year = shown_year()
    groups, _ = priorities.combined(db.session, year=year, whole=True, **{k: v or None for k, v in _filters().items()})
    triples = [(p, s, group.theme) for group in groups for p, s in group.priorities]
    # The year in the name: next year's download will not overwrite it.
    return download(exports.priority_records(triples), exports.PRIORITY_NAMES, fmt,
                    f"shared-priorities-{years.short(year or years.current_year(db.session))}", "Shared priorities")


@bp.post("/priorities/same-theme")
def same_theme():
    """A head's or coordinator's answer to one "Same theme?" question."""
    if not can_answer_themes(current_user):
        abort(403, description="Head teachers and partnership coordinators answer “Same theme?” questions.")
    # same_as: the theme asked about (the page's own filters come along as theme, status, school).
    name, theme, reply = (request.form.get(k, "").strip() for k in ("name", "same_as", "answer"))
    asked = priorities.unanswered(priorities.open_suggestions(db.session), name, theme)
    message = "That question has been answered already, or is no longer asked."
    if asked is not None and reply in ("yes", "no"):
        try:
            entry = priorities.answer(db.session, asked.name, asked.theme, reply == "yes", current_user.name)
            db.session.commit()
        except (priorities.AnsweredAlready, IntegrityError):  # someone answered it a moment ago
            db.session.rollback()
        else:
            if entry is not None:
                request_drain(current_app._get_current_object())
            message = (f"“{asked.name}” is now grouped under “{asked.theme}”, and the Themes tab is being told."
                       if reply == "yes"
                       else f"“{asked.name}” and “{asked.theme}” stay apart; you will not be asked again.")
    if wants_fragment("theme-suggestions"):
        # The groups change with a Yes: they come along, under the filters the page has (hx-include).
        filters = {k: request.form.get(k, "").strip() for k in ("theme", "status", "school")}
        number = request.form.get("page", 1, type=lambda text: bounded_int(text, 1, 100_000))
        context, every = _groups_context(filters, number)  # the same page, or the last if a Yes shortened the list
        html = render_template("priorities/_suggestions.html", message=message, focus=True,
                               **_suggestions_context(every))
        html += render_template("priorities/_groups.html", groups_oob=True, count_oob=True, **context)
        html += render_template("priorities/_theme_filter.html", theme_filter_oob=True, themes=every, filters=filters)
        return fragment(html, replace_url=_address(filters, context["shown"].number))
    flash(message, "info")
    return redirect(url_for("priorities.combined"), 303)


def _own_school_plan(code):
    plan = plans.find_plan(db.session, code, shown_year())
    if plan is None or plan.is_joint:
        abort(404)
    if not can_view_plan(current_user, plan.code):
        abort(403, description="A school's own priorities are for its staff, governors and the coordinators; "
                               "the shared ones are on the combined priorities page.")
    return plan


@bp.get("/plans/<code>/priorities")
def school(code):
    """A school's own priorities, shared or not, each with who else works on its theme."""
    plan = _own_school_plan(code)
    return render_template("priorities/school.html", plan=plan,
                           priorities=priorities.school_priorities(db.session, plan.school, plan.past_year))


@bp.get("/priorities/<int:priority_id>/who-else")
def who_else(priority_id):
    """The partner schools that share this priority's theme, with their lead and status."""
    priority, school = priority_or_404(priority_id)
    context = dict(priority=priority, school=school, partners=priorities.who_else(db.session, priority))
    if wants_fragment(f"who-else-{priority.id}"):
        return fragment(render_template("priorities/_who_else.html", **context))
    return page(render_template("priorities/who_else.html", **context))


@bp.get(f"/plans/<code>/priorities/export/<{FORMATS}:fmt>")
def school_export(code, fmt):
    """A school's own priorities, shared or not, for those who may see its page."""
    plan = _own_school_plan(code)
    triples = priorities.school_priorities_with_themes(db.session, plan.school, plan.past_year)
    return download(exports.priority_records(triples), exports.PRIORITY_NAMES, fmt,
                    f"priorities-{plan.code}-{years.short(plan.year)}" if plan.year else f"priorities-{plan.code}",
                    "SIP priorities")
