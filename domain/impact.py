"""A school's impact log: adding evidence and reading it a page at a time."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .edits import add_impact_entry
from .models import ImpactEntry
from .paging import Page, clamp

PER_PAGE = 20


@dataclass
class Filters:
    activity: str = ""
    action: str = ""  # an action ID or an area, as the log's Action column holds it
    since: date | None = None
    until: date | None = None

    def __bool__(self):
        return bool(self.activity or self.action or self.since or self.until)


def _where(workbook, filters):
    where = [ImpactEntry.workbook_id == workbook.id, ImpactEntry.archived_at.is_(None)]
    if filters.activity:
        where.append(ImpactEntry.activity == filters.activity)
    if filters.action:
        where.append(ImpactEntry.action == filters.action)
    if filters.since:
        where.append(ImpactEntry.date >= filters.since)
    if filters.until:
        where.append(ImpactEntry.date <= filters.until)
    return where


NEWEST_FIRST = (ImpactEntry.date.is_(None), ImpactEntry.date.desc(), ImpactEntry.id.desc())


def entries(session, workbook, filters=None, page=1, per_page=PER_PAGE):
    """One page of the log, newest first (entries with no date last), filtered."""
    where = _where(workbook, filters or Filters())
    total = session.scalar(select(func.count(ImpactEntry.id)).where(*where)) or 0
    page = clamp(page, total, per_page)
    items = session.scalars(
        select(ImpactEntry).where(*where)
        .order_by(*NEWEST_FIRST)
        .offset((page - 1) * per_page).limit(per_page)
    ).all()
    return Page(items, total, page, per_page)


def every_entry(session, workbook, filters=None):
    """Every entry the filters pick, in the log's order: what a download of the log holds."""
    return session.scalars(select(ImpactEntry).where(*_where(workbook, filters or Filters()))
                           .order_by(*NEWEST_FIRST)).all()


def record(session, workbook, who, values, user_id=None):
    """Add an entry and commit; a new ID taken a moment before by someone else: take the next."""
    try:
        entry, _ = add_impact_entry(session, workbook, who, values, user_id)
        session.commit()
    except IntegrityError:
        session.rollback()
        entry, _ = add_impact_entry(session, workbook, who, values, user_id)
        session.commit()
    return entry
