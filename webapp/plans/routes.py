"""The landing pages and the action plans: read-only views of the synced sheets."""
from collections import Counter

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from domain import attention, dates, edits, exports, for_you, kept, new_year, paging, plans, priorities, reviews, years
from domain.access import can_carry_forward, can_manage_schools, sees_every_school, visible_school_codes
from domain.models import JOINT
from domain.status import STATUSES

from ..downloads import FORMATS, download
from ..extensions import db
from ..for_you import for_you_context
from ..hx import fragment, page, wants_fragment
from ..lookups import plan_or_abort, row_or_abort
from ..params import page_number, pager
from ..syncs.panel import panel_context
from .rows import rows_context, rows_drawn

bp = Blueprint("plans", __name__)


@bp.before_request
@login_required
def require_login():
    """Every page here is for signed-in people only."""


SCHOOLS_PER_PAGE = 25  # the coordinators' list of plans, and the list of every school
NAMED_SCHOOLS = 12  # a home names the schools of a partnership this small; more are a link away


@bp.get("/")
def home():
    """Each role lands where its work is, above the partnership at a glance: a home as
    long for 200 schools as for 2 (the schools counted, and listed a page at a time)."""
    if can_manage_schools(current_user) and wants_fragment("school-lines"):  # the coordinators' home
        # The list's Previous and Next asked for the list alone; the address keeps the page.
        context = _school_lines(page_number())
        return fragment(render_template("home/_school_lines.html", **context),
                        push_url=url_for("plans.home", page=context["lines"].number if context["lines"].number > 1
                                         else None))
    user = current_user._get_current_object()  # the person, not the proxy: asked of many times
    glance = plans.at_a_glance(db.session, NAMED_SCHOOLS + 1)
    context = dict(
        objectives=glance.objectives,
        progress=glance.progress,
        columns=glance.columns,
        total=glance.total,
        **_partnership_context(user, glance),
        **panel_context(),
        **for_you_context(),
        **LANDINGS[user.role](user),
    )
    return page(render_template(f"home/{user.role}.html", **context))


def _partnership_context(user, glance):
    """What every home's "The partnership" part needs: the schools counted (and named when
    they are few), the sheet problems this person can open, the review record of the plans
    that are theirs. Whether the person may open each plan is asked once, not once a school."""
    codes = glance.codes
    my_codes = set(visible_school_codes(user, codes))
    named = glance.first_schools
    problem_counts = glance.problem_counts
    own = user.school if user.school is not None and user.school.code in my_codes else None
    return dict(
        school_count=len(codes),
        schools=named if len(named) <= NAMED_SCHOOLS else [],
        own_school=own,
        my_codes=my_codes,
        problem_counts=problem_counts,
        # Only the problems this reader can open: their school's and the joint plan's.
        problem_total=sum(n for code, n in problem_counts.items() if code in my_codes or code == JOINT),
        review_standings_html=_review_standings(user, [own] if own and not sees_every_school(user) else []),
    )


def _review_standings(user, schools):
    """The home's termly reviews, drawn once a day for all who read the same plans' (the
    joint plan's, and their own school's): a review or a signature moves the versions.
    A coordinator's list of plans says how each school's reviews stand; here, the joint plan's."""
    return kept.for_partnership(
        db.session, ("review standings drawn", tuple(s.code for s in schools), dates.uk_today()),
        lambda: Markup(render_template("reviews/_standings.html",
                                       review_standings=reviews.home_standings(db.session, user, schools))))


@bp.get("/partnership/schools")
def partnership_schools():
    """Every school of the partnership and its head teacher, a page at a time."""
    shown = plans.schools_page(db.session, page_number(), SCHOOLS_PER_PAGE)
    context = dict(shown=shown, my_codes=set(visible_school_codes(current_user, [s.code for s in shown.items])),
                   problem_counts=plans.problem_counts(db.session),
                   pager=pager(shown, "plans.partnership_schools", labels=("← Previous", "Next →")))
    if wants_fragment("school-list"):
        return fragment(render_template("home/_school_list.html", **context),
                        push_url=url_for("plans.partnership_schools", page=shown.number if shown.number > 1 else None))
    return page(render_template("home/schools.html", **context))


@bp.get("/for-you/count")
def for_you_count():
    """The navigation's figure, fetched after the page so no page waits for it."""
    return fragment(render_template("home/_for_you_count.html",
                                    count=for_you.count(db.session, current_user._get_current_object())))


def _staff(user):
    workbook = user.school.workbook if user.school else None
    code = user.school.code if user.school else None
    # Their school's rows due soon, drawn once a day and kept under the partnership's versions.
    due_html = kept.for_partnership(
        db.session, ("due drawn", code, workbook.id if workbook else None, dates.uk_today()),
        lambda: Markup(render_template("home/_due.html", code=code,
                                       due=attention.due_this_term_and_next(db.session, workbook))))
    return dict(due_html=due_html, mine=attention.my_edits(db.session, user.id))


def _head(user):
    workbook = user.school.workbook if user.school else None
    return dict(attention=attention.needs_attention(db.session, workbook),
                partners=priorities.partners_of_school(db.session, user.school) if user.school else [])


def _governor(user):
    if user.school is None:
        return dict(school_total=0, school_overdue=0, school_statuses=[])
    # Their school's plan in figures, kept for the day under the partnership's versions.
    return kept.for_partnership(db.session, ("governor's figures", user.school.code, dates.uk_today()),
                                lambda: _school_figures(user.school.code))


def _school_figures(code):
    plan = plans.find_plan(db.session, code)
    rows = plans.current_rows(db.session, plan) if plan else []
    counts = Counter(plans.status_key(r.status) for r in rows)
    return dict(school_total=len(rows), school_overdue=sum(1 for r in rows if attention.is_overdue(r)),
                school_statuses=[(s, counts[s]) for s in plans.status_columns(rows) if counts[s]])


def _admin(user):
    return _school_lines(page_number(), figures=True)


def _school_lines(number, figures=False):
    """The coordinators' list of plans, a page at a time, those needing someone first;
    with ``figures``, the whole partnership's figures above it (and its reviews')."""
    every = attention.partnership_overview(db.session)
    lines = paging.page_of(attention.needing_attention_first(every), number, SCHOOLS_PER_PAGE)
    context = dict(lines=lines, statuses=STATUSES,
                   pager=pager(lines, "plans.home", labels=("← Previous", "Next →")))
    if figures:
        under_way, to_start = reviews.review_figures(
            db.session, [line.school.code if line.school else JOINT for line in every])
        context.update(glance=attention.glance(every), reviews_under_way=under_way, reviews_to_start=to_start)
    return context


LANDINGS = {"staff": _staff, "head": _head, "governor": _governor, "admin": _admin}


def _plan_filters():
    """(area, status, overdue) as the plan's filter form sends them."""
    return (request.args.get("area", "").strip(), request.args.get("status", "").strip(),
            request.args.get("overdue") == "1")


def _filter_args(area, status, overdue):
    """The filters as they go in a URL: empty ones left out."""
    return dict(area=area or None, status=status or None, overdue="1" if overdue else None)


@bp.get("/plans/<code>")
def plan(code):
    plan = plan_or_abort(code, workbook=False, past=True)
    area, status, overdue = _plan_filters()
    every_row = plans.current_rows(db.session, plan)  # one query: the filters pick from it
    rows = plans.filter_rows(every_row, area or None, status or None, overdue)
    context = dict(
        plan=plan,
        groups=plans.group_by_area(rows),
        count=len(rows),
        area=area,
        status=status,
        overdue=overdue,
        filter_args=_filter_args(area, status, overdue),
        **rows_context(plan, rows),
    )
    filters = (area, status, overdue)
    if wants_fragment("plan-rows"):
        # The filters asked for the rows alone; the address bar gets the tidy URL.
        canonical = url_for("plans.plan", code=plan.code, year=plan.past_year, **context["filter_args"])
        return fragment(rows_drawn(plan, current_user, context, filters, count_oob=True), push_url=canonical)
    context.update(
        rows_html=rows_drawn(plan, current_user, context, filters),
        areas=[group for group, _ in plans.group_by_area(every_row)],
        statuses=plans.status_columns(every_row),
        problem_count=plans.problem_count(db.session, plan.workbook),
        paused=edits.paused_writes(db.session, plan.workbook),
        standing=reviews.standing(db.session, plan.code),
        carry=plan.is_current and can_carry_forward(current_user, plan.code)
        and new_year.last_years_plan(db.session, plan.code) is not None,
    )
    return page(render_template("plans/plan.html", **context))


@bp.get(f"/plans/<code>/export/<{FORMATS}:fmt>")
def plan_export(code, fmt):
    """The rows the plan's page shows under the same filters, as a file (of the year asked for)."""
    plan = plan_or_abort(code, workbook=False, past=True)
    area, status, overdue = _plan_filters()
    rows = plans.filter_rows(plans.current_rows(db.session, plan), area or None, status or None, overdue)
    return download(exports.action_plan_records(rows), exports.ACTION_PLAN_NAMES, fmt,
                    f"action-plan-{plan.code}-{years.short(plan.year)}" if plan.year else f"action-plan-{plan.code}",
                    "Action plan")  # the year in the name: next year's download will not overwrite it


@bp.get("/plans/<code>/rows/<int:row_id>")
def row(code, row_id):
    plan = plan_or_abort(code, workbook=False, past=True)
    record = row_or_abort(plan, row_id, archived=True)
    context = dict(plan=plan, row=record, **rows_context(plan, [record]))
    if wants_fragment(f"row-{row_id}"):
        # The row opens (or closes) in place; the keyboard stays on the control used.
        expanded = request.args.get("view") != "summary"
        focus = request.args.get("focus", "toggle")
        return fragment(render_template("plans/_row.html", expanded=expanded, focus=focus, **context))
    return page(render_template("plans/row.html", **context))


@bp.get("/plans/<code>/problems")
def problems(code):
    plan = plan_or_abort(code, workbook=False)
    return render_template("plans/problems.html", plan=plan, problems=plans.problems(db.session, plan.workbook))


@bp.get(f"/plans/<code>/problems/export/<{FORMATS}:fmt>")
def problems_export(code, fmt):
    plan = plan_or_abort(code, workbook=False)
    return download(exports.problem_records(plans.problems(db.session, plan.workbook)), exports.PROBLEM_NAMES, fmt,
                    f"sheet-problems-{plan.code}", "Sheet problems")
