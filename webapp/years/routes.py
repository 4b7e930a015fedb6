"""School years: the coordinator starts the next one, heads carry last year's unfinished
rows into it, and every plan, summary and priorities page can show a year that is over.
Rules are in domain/new_year.py and domain/years.py."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from domain import new_year, partnerships, plans, years
from domain.access import can_carry_forward, can_manage_schools

from ..extensions import db
from ..lookups import plan_or_abort
from ..syncing import request_drain, request_sync

bp = Blueprint("years", __name__)
START_REFUSAL = "Partnership coordinators start the next school year."


@bp.before_request
@login_required
def require_login():
    """Signed-in people only; each view says whose it is."""


@bp.app_template_global("year_links")
def year_links(shown=None):
    """The year switcher of the page being drawn: [(label, address, is the one shown)], the
    newest year first; nothing while the hub holds one year. ``shown``: the page's year
    (None: the current one). Each address is this page's, for that year."""
    held = years.years(db.session)
    if len(held) < 2:
        return []
    args = dict(request.view_args or {})
    args.pop("year", None)
    return [(years.short(y), url_for(request.endpoint, **args, year=None if y == held[0] else y),
             y == (shown or held[0])) for y in held]


@bp.app_template_global("year_label")
def year_label(year):
    """"2026 to 2027"."""
    return years.label(year)


def _plans_context():
    current = years.current_year(db.session)
    several = partnerships.only(db.session) is None
    return dict(current=current, next_year=current + 1, held=years.years(db.session),
                not_yet=new_year.SEVERAL if several else new_year.why_not_yet(db.session),
                open_work=new_year.still_open(db.session),
                plans=new_year.plans_to_start(db.session), names={s.code: s.name for s in plans.schools(db.session)},
                label=years.label, short=years.short, tabs=new_year.TABS)


@bp.get("/years")
def index():
    """The school years: which is current, starting the next (coordinators)."""
    if not can_manage_schools(current_user):
        abort(403, description=START_REFUSAL)
    return render_template("years/index.html", **_plans_context(), errors={})


@bp.post("/years/start")
def start():
    """Start the next school year with each plan's choice of workbook."""
    if not can_manage_schools(current_user):
        abort(403, description=START_REFUSAL)
    if partnerships.only(db.session) is None:
        abort(409, description=new_year.SEVERAL)
    choices = {}
    for workbook in new_year.plans_to_start(db.session):
        where = request.form.get(f"where-{workbook.code}", new_year.TABS)
        ref = request.form.get(f"ref-{workbook.code}", "").strip()
        choices[workbook.code] = new_year.Choice(workbook.code, new_year.TABS if where == new_year.TABS else ref)
    try:
        year = new_year.start_year(db.session, choices, current_user.name or current_user.email)
    except new_year.YearError as error:
        db.session.rollback()
        return render_template("years/index.html", **_plans_context(), errors={"start": str(error)}), 422
    db.session.commit()
    app = current_app._get_current_object()
    request_drain(app)  # the new tabs and addresses go to the sheets now
    request_sync(app, current_user.name or "a coordinator")
    flash(f"The {years.label(year)} school year has started. Last year's plans are kept as they were; "
          "heads can now carry unfinished rows into their new plans.", "info")
    return redirect(url_for("years.index"), 303)


def _carry_plan(code):
    plan = plan_or_abort(code)
    if not can_carry_forward(current_user, plan.code):
        abort(403, description="A school's head teacher (and, for the joint plan, a coordinator) chooses which "
                               "rows go on into the new year.")
    return plan


@bp.get("/plans/<code>/carry-forward")
def carry(code):
    """Last year's unfinished rows of the plan, to choose which go on into this year's."""
    plan = _carry_plan(code)
    return render_template("years/carry.html", plan=plan, rows=new_year.unfinished_rows(db.session, plan.code),
                           last_year=years.current_year(db.session) - 1, short=years.short)


@bp.post("/plans/<code>/carry-forward")
def carry_rows(code):
    plan = _carry_plan(code)
    chosen = [int(i) for i in request.form.getlist("rows") if i.isdigit()]
    added = new_year.carry_forward(db.session, plan.code, chosen, current_user.name or current_user.email,
                                   current_user.id)
    db.session.commit()
    if added:
        request_drain(current_app._get_current_object())
        flash(f"{len(added)} row{'s' if len(added) != 1 else ''} carried into this year's plan "
              f"({', '.join(r.sheet_id for r in added)}), on their way to the sheet.", "info")
    else:
        flash("No rows were chosen, so none were carried.", "info")
    return redirect(url_for("plans.plan", code=plan.code), 303)
