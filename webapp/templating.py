"""Small helpers templates use to show sheet text plainly (all output stays escaped)."""
import re
from datetime import date, datetime

from flask_login import current_user
from markupsafe import Markup

from domain.access import (
    can_answer_themes,
    can_edit_plan,
    can_manage_people,
    can_manage_schools,
    can_see_sync_history,
    can_sync,
    can_use_directory,
    can_view_plan,
    is_officer,
    sees_sheet_ids,
)
from domain.access import can_resolve as resolve_rule
from domain.attention import is_overdue
from domain.dates import clock, uk, uk_time
from domain.edits import EDITABLE, kind_words
from domain.people import ROLE_NAMES
from domain.status import chip
from domain.summaries import due_words

from .safe_urls import hub_url

_BULLET = re.compile(r"^\s*(?:[•·▪◦*\-–]|\d+[.)])\s+")


def bullets(text):
    """Cell text as list items: [(text, is_bullet)]. A line without a bullet stays a line."""
    items = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        is_bullet = bool(_BULLET.match(line))
        items.append((_BULLET.sub("", line).strip(), is_bullet))
    return items


def cell_text(text):
    """A spreadsheet cell's text, readable: bullets become a list, other lines stay lines.
    Python, not a macro: a plan's page draws some hundreds of cells, and a macro imported
    by each row's template was a tenth of the page's time."""
    items = bullets(text)
    if any(is_bullet for _, is_bullet in items):
        return Markup('<ul class="cell-list">{}</ul>').format(Markup("").join(
            Markup("<li>{}</li>" if is_bullet else '<li class="plain">{}</li>').format(item)
            for item, is_bullet in items))
    return Markup('<div class="cell-text">{}</div>').format(
        Markup("").join(Markup("<p>{}</p>").format(item) for item, _ in items))


def uk_date(value):
    """A date, or a stored UTC time on UK clocks (GMT or BST, as the day has it), as people read it."""
    if isinstance(value, datetime):
        local = uk_time(value)
        return f"{uk(local.date())}, {clock(local)}"
    if isinstance(value, date):
        return uk(value)
    return value or ""


def due_text(row):
    """Due as people read it: a UK date when it is one, else the sheet's words."""
    return uk(row.due_date) if row.due_date else row.due


def can_resolve(entry, plan):
    """May the signed-in user choose in this conflict?"""
    return resolve_rule(current_user, entry, plan.code)


def role_name(role):
    """A role as people say it: head teacher, partnership coordinator."""
    return ROLE_NAMES.get(role, role).capitalize()


def shows_ids():
    """Does this page show the sheet's IDs to the person reading it (domain/access.py)?"""
    return current_user.is_authenticated and sees_sheet_ids(current_user)


def register(app):
    app.add_template_global(hub_url)  # a link that leaves the page: from HUB_URL, never the request's Host
    app.add_template_global(role_name)
    app.add_template_global(can_resolve)
    # Roles in one place (domain/access.py): templates ask these, never a list of roles.
    app.add_template_global(can_sync)
    app.add_template_global(can_see_sync_history)
    app.add_template_global(can_manage_schools)
    app.add_template_global(can_edit_plan)
    app.add_template_global(can_answer_themes)
    app.add_template_global(can_manage_people)
    app.add_template_global(can_use_directory)
    app.add_template_global(is_officer)
    app.add_template_global(is_overdue)
    app.add_template_global(can_view_plan)
    app.add_template_global(shows_ids)
    app.add_template_global(EDITABLE, "cell_names")
    app.add_template_global(kind_words)
    app.add_template_filter(bullets)
    app.add_template_global(cell_text)
    app.add_template_filter(uk_date)
    app.add_template_filter(clock)
    app.add_template_filter(chip, "status_chip")
    app.add_template_global(due_text)
    app.add_template_filter(due_words)  # a snapshot's Due (ISO when a date) as people read it
