"""What the pages show, read from the database (never from a spreadsheet)."""
from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from . import kept, syncs, years
from .attention import is_overdue
from .models import JOINT, ActionRow, Objective, School, SheetProblem, SyncRun, Workbook
from .paging import Page, clamp
from .status import STATUSES

# Rows with no status, or one the app does not know, are counted under these.
NO_STATUS = "No status"
OTHER_STATUS = "Other"
# Rows with no area are grouped (and filtered) under this, with any area written "Other".
OTHER_AREA = "Other"


@dataclass
class Plan:
    """A plan the pages can show: the joint plan or a school's, of the current school year
    or (``workbook`` of an earlier year) one that is over, kept as it was and read-only."""

    code: str
    title: str
    workbook: Workbook | None
    school: School | None

    @property
    def is_joint(self):
        return self.code == JOINT

    @property
    def is_current(self):
        """Of the current year (a plan with no workbook yet is this year's to come)."""
        return self.workbook is None or self.workbook.is_current

    @property
    def year(self):
        """Its school year, or None for a plan with no workbook yet."""
        return self.workbook.school_year if self.workbook else None

    @property
    def past_year(self):
        """Its year if that is over, else None: what a link to its pages carries (``?year=``)."""
        return None if self.is_current else self.year


def find_plan(session, code, year=None):
    """The plan for ``joint`` or a school code, of the current year or of ``year``; None if
    there is no such plan (or, for a year, no workbook of it: a school that was not yet a
    member). A school that has left the partnership has plans of the years it was in, not
    a current one."""
    code = (code or "").strip()
    current = year is None or year == years.current_year(session)
    if code.lower() == JOINT:
        workbook = session.scalar(select(Workbook).where(
            Workbook.code == JOINT, Workbook.is_current if current else Workbook.school_year == year))
        return Plan(JOINT, "Joint action plan", workbook, None)
    # Its current workbook in the same statement: every plan's page asks for it next.
    school = session.scalar(select(School).where(School.code == code.upper()).options(joinedload(School.workbook)))
    if school is None or (current and school.archived_at is not None):
        return None
    if current:
        return Plan(school.code, school.name, school.workbook, school)
    workbook = session.scalar(select(Workbook).where(Workbook.code == school.code, Workbook.school_year == year))
    return Plan(school.code, school.name, workbook, school) if workbook else None


def current_rows(session, plan, area=None, status=None):
    """The plan's current (not archived) rows in sheet order, optionally filtered."""
    if plan.workbook is None:
        return []
    query = select(ActionRow).where(ActionRow.workbook_id == plan.workbook.id, ActionRow.archived_at.is_(None))
    if area == OTHER_AREA:
        query = query.where(ActionRow.area.in_(("", OTHER_AREA)))
    elif area:
        query = query.where(ActionRow.area == area)
    if status:
        if status == NO_STATUS:
            query = query.where(ActionRow.status == "")
        elif status == OTHER_STATUS:
            query = query.where(ActionRow.status.not_in(STATUSES), ActionRow.status != "")
        else:
            query = query.where(ActionRow.status == status)
    return session.scalars(query.order_by(ActionRow.sheet_row, ActionRow.id)).all()


def filter_rows(rows, area=None, status=None, overdue=False, today=None):
    """The rows ``current_rows`` would give with these filters, picked from rows already
    read; ``overdue``: only rows whose Due has passed and are not Complete."""
    if overdue:
        rows = [r for r in rows if is_overdue(r, today)]
    if area == OTHER_AREA:
        rows = [r for r in rows if r.area in ("", OTHER_AREA)]
    elif area:
        rows = [r for r in rows if r.area == area]
    if status:
        rows = [r for r in rows if status_key(r.status) == status] if status in (NO_STATUS, OTHER_STATUS) \
            else [r for r in rows if r.status == status]
    return rows


def group_by_area(rows):
    """[(area, rows)] in the order areas first appear in the sheet."""
    groups = OrderedDict()
    for row in rows:
        groups.setdefault(row.area or OTHER_AREA, []).append(row)
    return list(groups.items())


def areas(session, plan):
    """The plan's areas, in the order they first appear in the sheet."""
    return [area for area, _ in group_by_area(current_rows(session, plan))]


def status_key(status):
    """The column a status is counted under: the vocabulary, No status or Other."""
    if not status:
        return NO_STATUS
    return status if status in STATUSES else OTHER_STATUS


def status_counts_by_area(rows):
    """[(area, Counter of status)], for the progress summary."""
    return [(area, Counter(status_key(r.status) for r in group)) for area, group in group_by_area(rows)]


def status_columns(rows):
    """The status columns worth showing: the vocabulary, plus No status/Other if used."""
    used = {status_key(r.status) for r in rows}
    return list(STATUSES) + [s for s in (NO_STATUS, OTHER_STATUS) if s in used]


def objectives(session):
    """{number: text} of the partnership's current objectives (kept under its versions)."""
    return kept.for_partnership(session, ("objectives",), lambda: dict(
        session.execute(select(Objective.ref, Objective.text).where(Objective.archived_at.is_(None))).all()))


def schools(session):
    """The partnership's current schools, by name."""
    return session.scalars(select(School).where(School.archived_at.is_(None)).order_by(School.name)).all()


class SchoolChoice(NamedTuple):
    """A school by code and name, as plain data: as a filter offers it, as kept figures name it."""

    code: str
    name: str


def school_choices(session):
    """The current schools as a filter's choices, by name: plain pairs, kept under the
    partnership's versions (200 schools read as rows were a tenth of a page)."""
    return kept.for_partnership(session, ("school choices",), lambda: [
        SchoolChoice(code, name) for code, name in session.execute(
            select(School.code, School.name).where(School.archived_at.is_(None)).order_by(School.name))])


def school_count(session):
    """How many current schools the partnership has."""
    return session.scalar(select(func.count(School.id)).where(School.archived_at.is_(None))) or 0


def school_codes(session):
    """The codes of the partnership's current schools (strings: cheap however many)."""
    return session.scalars(select(School.code).where(School.archived_at.is_(None))).all()


def first_schools(session, limit):
    """The first ``limit`` current schools by name: a home names them when they are all."""
    return session.scalars(select(School).where(School.archived_at.is_(None)).order_by(School.name, School.id)
                           .limit(limit)).all()


def schools_page(session, number, per_page):
    """A page of the partnership's current schools, by name (domain.paging.Page)."""
    total = school_count(session)
    number = clamp(number, total, per_page)
    items = session.scalars(select(School).where(School.archived_at.is_(None)).order_by(School.name, School.id)
                            .offset((number - 1) * per_page).limit(per_page)).all()
    return Page(items, total, number, per_page)


class NamedSchool(NamedTuple):
    """A school as a home names it."""

    code: str
    name: str
    head_teacher: str


@dataclass(frozen=True)
class AtAGlance:
    """The partnership at a glance, as every home shows it: plain data, kept under the
    partnership's versions (it was six statements of every home)."""

    objectives: dict  # {number: text}
    progress: list  # the joint plan's [(area, Counter of status)]
    columns: list  # its status columns
    total: int  # its rows
    codes: list  # the current schools' codes
    first_schools: list  # [NamedSchool]: the first ``named`` by name
    problem_counts: dict  # {workbook code: sheet problems}


def at_a_glance(session, named):
    """AtAGlance of the partnership the session serves, naming its first ``named`` schools."""
    def make():
        rows = current_rows(session, find_plan(session, JOINT))
        return AtAGlance(
            objectives=objectives(session), progress=status_counts_by_area(rows), columns=status_columns(rows),
            total=len(rows), codes=list(school_codes(session)),
            first_schools=[NamedSchool(s.code, s.name, s.head_teacher) for s in first_schools(session, named)],
            problem_counts=problem_counts(session))
    return kept.for_partnership(session, ("at a glance", named), make)


def problems(session, workbook):
    """A workbook's sheet problems, by tab and row."""
    if workbook is None:
        return []
    return session.scalars(
        select(SheetProblem).where(SheetProblem.workbook_id == workbook.id).order_by(SheetProblem.tab, SheetProblem.row)
    ).all()


def problem_count(session, workbook):
    """How many sheet problems a workbook has."""
    if workbook is None:
        return 0
    return kept.for_partnership(session, ("problem count", workbook.id), lambda: session.scalar(
        select(func.count(SheetProblem.id)).where(SheetProblem.workbook_id == workbook.id)) or 0)


def problem_counts(session):
    """{workbook code: number of sheet problems}."""
    return dict(
        session.execute(
            select(Workbook.code, func.count(SheetProblem.id)).join(SheetProblem).where(Workbook.is_current)
            .group_by(Workbook.code)
        ).all()
    )


def problem_total(session):
    """How many sheet problems every workbook has together (for monitoring)."""
    return session.scalar(select(func.count(SheetProblem.id))) or 0


def failing_workbook_count(session):
    """Workbooks whose last read failed (of schools still in the partnership, and the joint one)."""
    return session.scalar(
        select(func.count(Workbook.id))
        .outerjoin(School, School.id == Workbook.school_id)
        .where(Workbook.is_current, Workbook.last_error.is_not(None), School.archived_at.is_(None))
    ) or 0


def last_success_at(session):
    """When the app last had the sheets' word: the latest sync that read a workbook or
    found it unchanged. One school's broken sheet fails every run until it is mended;
    that is shown beside this (and on its plan), and must not make every page say the
    whole partnership has not synced since."""
    return session.scalar(select(SyncRun.finished_at).where(*syncs.sheets_answered())
                          .order_by(SyncRun.finished_at.desc()).limit(1))
