"""The plan, row and priority a URL names, or the error page that says why not (shared by blueprints)."""
from flask import abort
from flask_login import current_user

from domain import plans, years
from domain.access import can_edit_plan, can_view_plan, can_view_priority, why_not_edit
from domain.models import ActionRow, SipPriority

from .extensions import db
from .params import year_arg


def shown_year():
    """The school year a page is asked for (``?year=``): None for the current one, 404 for
    a year the hub does not hold."""
    year = year_arg()
    if year is None or year == years.current_year(db.session):
        return None
    if year not in years.years(db.session):
        abort(404)
    return year


PAST_YEAR = "This plan is of a school year that is over: it is kept as it was, and cannot be changed."


def plan_or_abort(code, edit=False, workbook=True, past=False):
    """The plan, if this person may see it (and, with ``edit``, change it: a plan of a year
    that is over is read-only); with ``past``, of the year the page is asked for."""
    plan = plans.find_plan(db.session, code, shown_year() if past else None)
    if plan is None or (workbook and plan.workbook is None):
        abort(404)
    if not can_view_plan(current_user, plan.code):
        abort(403)
    if edit and not can_change(plan):
        abort(403, description=why_not_edit(current_user, plan.code) if plan.is_current else PAST_YEAR)
    return plan


def can_change(plan):
    """May the signed-in person change this plan now? Their role lets them, and its year is current."""
    return plan.is_current and can_edit_plan(current_user, plan.code)


def row_or_abort(plan, row_id, archived=False):
    """A row of the plan (a current one unless ``archived``)."""
    row = db.session.get(ActionRow, row_id)
    if row is None or plan.workbook is None or row.workbook_id != plan.workbook.id:
        abort(404)
    if row.archived_at is not None and not archived:
        abort(404)
    return row


def priority_or_404(priority_id):
    """(priority, its school), if this person may see it. Not found, rather than "not
    shared": a priority nobody else may see is not counted either."""
    priority = db.session.get(SipPriority, priority_id)
    school = priority.workbook.school if priority else None
    if (priority is None or school is None or priority.archived_at is not None or school.archived_at is not None
            or not can_view_priority(current_user, priority, school.code)):
        abort(404)
    return priority, school
