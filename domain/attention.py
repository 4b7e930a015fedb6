"""What needs a person's attention, for a school and across the partnership.

An action row is **overdue** when the last day its Due covers has passed (a date,
or the end of the month or term written) and it is not Complete. Edits that wait
for a person are conflicts, rows gone from the sheet and edits the sheet refused.
Everything is read from the database, in a bounded number of queries however many
schools there are.
"""
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import func, literal, select, union_all

from . import dates, kept
from .models import JOINT, ActionRow, OutboxEntry, School, SheetProblem, Workbook
from .status import AT_RISK, BEHIND, COMPLETE, STATUSES

WAITING_FOR_A_PERSON = ("conflict", "stuck", "failed")
WORRYING = (BEHIND, AT_RISK)
# School terms as the hub reads them: Autumn is September to December, Spring
# January to March, Summer April to August (the summer holiday counts with it).
TERMS = (("Autumn", 9, 12), ("Spring", 1, 3), ("Summer", 4, 8))


def is_overdue(row, today=None):
    """Has the last day this row's Due covers passed, with the row not Complete?"""
    today = today or dates.uk_today()
    return row.due_by is not None and row.due_by < today and row.status != COMPLETE


def _overdue(today):
    return (ActionRow.due_by < today) & (ActionRow.status != COMPLETE)


@dataclass
class Attention:
    """A plan's rows and edits that need someone, with its sheet problems' count."""

    worrying: list = field(default_factory=list)  # rows Behind or At risk
    overdue: list = field(default_factory=list)
    waiting: list = field(default_factory=list)  # outbox entries waiting for a person
    problems: int = 0

    @property
    def by_status(self):
        """[(status, rows)] of the worrying rows, Behind first, only those there are."""
        return [(s, rows) for s in WORRYING if (rows := [r for r in self.worrying if r.status == s])]

    @property
    def total(self):
        return len(self.worrying) + len(self.overdue) + len(self.waiting) + self.problems


class Worrying(NamedTuple):
    """A row that needs attention, as a home counts it (plain data: kept between requests)."""
    id: int
    status: str
    due_by: date | None


def needs_attention(session, workbook, today=None):
    """What needs attention in one plan's workbook (a school's, or the joint one). Its rows
    and sheet problems are kept under the partnership's versions for the day; the edits
    waiting for a person are asked afresh (an edit's state moves no version)."""
    today = today or dates.uk_today()
    found = Attention()
    if workbook is None:
        return found
    rows, found.problems = kept.for_partnership(session, ("needs attention", workbook.id, today),
                                                lambda: _rows_and_problems(session, workbook.id, today))
    found.worrying = [r for r in rows if r.status in WORRYING]
    found.overdue = [r for r in rows if is_overdue(r, today)]
    found.waiting = session.scalars(
        select(OutboxEntry).where(OutboxEntry.workbook_id == workbook.id,
                                  OutboxEntry.state.in_(WAITING_FOR_A_PERSON)).order_by(OutboxEntry.id)
    ).all()
    return found


def _rows_and_problems(session, workbook_id, today):
    rows = [Worrying(*r) for r in session.execute(
        select(ActionRow.id, ActionRow.status, ActionRow.due_by)
        .where(ActionRow.workbook_id == workbook_id, ActionRow.archived_at.is_(None))
        .where(ActionRow.status.in_(WORRYING) | _overdue(today))
        .order_by(ActionRow.sheet_row, ActionRow.id))]
    problems = session.scalar(select(func.count(SheetProblem.id)).where(SheetProblem.workbook_id == workbook_id)) or 0
    return rows, problems


class LineSchool(NamedTuple):
    """What a line shows of its school: read as columns, not as 200 whole rows a page."""
    id: int
    code: str
    name: str


class LineWorkbook(NamedTuple):
    """What a line shows of its plan's workbook, and how its last read went."""
    id: int
    last_error: str | None
    last_success_at: datetime | None
    last_read_at: datetime | None


@dataclass
class SchoolLine:
    """One school's line on the coordinators' landing page."""

    school: LineSchool | None
    workbook: LineWorkbook | None
    statuses: dict = field(default_factory=dict)  # status -> rows
    overdue: int = 0
    problems: int = 0
    waiting: int = 0  # browser edits not yet in the sheet
    needing_a_person: int = 0

    @property
    def rows(self):
        return sum(self.statuses.values())

    @property
    def failed(self):
        """Did the last read of this plan's workbook fail?"""
        return bool(self.workbook and self.workbook.last_error)

    @property
    def read(self):
        """Has this plan's workbook been read well at least once (and not failed since)?"""
        return bool(self.workbook and self.workbook.last_success_at) and not self.failed

    @property
    def needs_someone(self):
        return bool(self.failed or self.needing_a_person or self.problems or self.overdue)


def _counts_by_workbook(session, query):
    return {workbook_id: n for workbook_id, n in session.execute(query).all()}


def _problem_counts():
    return select(SheetProblem.workbook_id, func.count(SheetProblem.id).label("n")).group_by(SheetProblem.workbook_id)


def _entry_counts(states):
    return (select(OutboxEntry.workbook_id, func.count(OutboxEntry.id).label("n"))
            .where(OutboxEntry.state.in_(states)).group_by(OutboxEntry.workbook_id))


def problems_by_workbook(session):
    """{workbook id: its sheet problems}, in one grouped query."""
    return _counts_by_workbook(session, _problem_counts())


def entries_by_workbook(session, states=OutboxEntry.PENDING):
    """{workbook id: its outbox entries in ``states``} (not yet in the sheet, by default)."""
    return _counts_by_workbook(session, _entry_counts(states))


def partnership_overview(session, today=None):
    """Every school (and the joint plan, first) with its progress, overdue rows, sheet
    problems and edits waiting: two statements (the plans, then their problems and edits
    counted) and the rows counted (kept), not statements a school."""
    today = today or dates.uk_today()
    plans = session.execute(
        select(Workbook.id, Workbook.last_error, Workbook.last_success_at, Workbook.last_read_at,
               School.id, School.code, School.name).outerjoin(School, School.id == Workbook.school_id)
        .where(Workbook.is_current, (Workbook.code == JOINT) | School.archived_at.is_(None))).all()
    # Counted apart from the plans and together (a join of grouped counts let a planner
    # that misjudged the outbox count it again for every plan: 20 ms at 400 edits).
    problems, waiting, person = (_problem_counts().subquery(), _entry_counts(OutboxEntry.PENDING).subquery(),
                                 _entry_counts(WAITING_FOR_A_PERSON).subquery())
    none = literal(0)
    tallies = union_all(
        select(problems.c.workbook_id, problems.c.n.label("problems"), none.label("waiting"), none.label("person")),
        select(waiting.c.workbook_id, none, waiting.c.n, none),
        select(person.c.workbook_id, none, none, person.c.n)).subquery()
    counted = session.execute(
        select(tallies.c.workbook_id, func.sum(tallies.c.problems), func.sum(tallies.c.waiting),
               func.sum(tallies.c.person)).group_by(tallies.c.workbook_id)).all()
    # Counting 10,000 rows at 200 schools is the dear part: kept under the workbooks' versions.
    statuses, overdue = kept.for_partnership(session, ("rows counted", today), lambda: _rows_counted(session, today))
    counts = {workbook_id: tuple(int(n) for n in figures) for workbook_id, *figures in counted}
    lines = []
    for r in plans:
        workbook, school = LineWorkbook(*r[:4]), LineSchool(*r[4:7]) if r[4] is not None else None
        lines.append(SchoolLine(school, workbook, statuses.get(workbook.id, {}), overdue.get(workbook.id, 0),
                                *counts.get(workbook.id, (0, 0, 0))))
    return sorted(lines, key=lambda line: (line.school is not None, line.school.name if line.school else ""))


def _rows_counted(session, today):
    """({workbook id: {status: rows}}, {workbook id: overdue rows}) of the current rows."""
    current = ActionRow.archived_at.is_(None)
    statuses = {}
    for workbook_id, status, n in session.execute(
            select(ActionRow.workbook_id, ActionRow.status, func.count(ActionRow.id)).where(current)
            .group_by(ActionRow.workbook_id, ActionRow.status)):
        statuses.setdefault(workbook_id, {})[status if status in STATUSES else "Other"] = n
    overdue = _counts_by_workbook(session, select(ActionRow.workbook_id, func.count(ActionRow.id))
                                  .where(current, _overdue(today)).group_by(ActionRow.workbook_id))
    return statuses, overdue


def term_of(day):
    """(name, first day, last day) of the school term a day falls in."""
    for name, first, last in TERMS:
        if first <= day.month <= last:
            start = date(day.year, first, 1)
            end = date(day.year, last + 1, 1) if last < 12 else date(day.year + 1, 1, 1)
            return name, start, date.fromordinal(end.toordinal() - 1)
    raise ValueError(day)  # every month is in a term


def due_this_term_and_next(session, workbook, today=None):
    """A plan's rows, not Complete, whose Due falls in this term or the next (or has
    passed): what a member of staff is working towards. [(row, overdue)]"""
    today = today or dates.uk_today()
    _, _, this_end = term_of(today)
    _, _, next_end = term_of(date.fromordinal(this_end.toordinal() + 1))
    if workbook is None:
        return []
    rows = session.scalars(
        select(ActionRow).where(ActionRow.workbook_id == workbook.id, ActionRow.archived_at.is_(None),
                                ActionRow.status != COMPLETE, ActionRow.due_by <= next_end)
        .order_by(ActionRow.due_by, ActionRow.sheet_row)
    ).all()
    return [(row, is_overdue(row, today)) for row in rows]


def my_edits(session, user_id, limit=20):
    """A person's own edits still on their way to the sheet, or waiting for a choice."""
    return session.scalars(
        select(OutboxEntry).where(OutboxEntry.created_by_id == user_id, OutboxEntry.state.in_(OutboxEntry.PENDING))
        .order_by(OutboxEntry.id.desc()).limit(limit)
    ).all()


def needing_attention_first(lines):
    """The overview's lines in the order a coordinator works through them: the joint plan,
    then the schools whose workbook could not be read, whose edits wait for a person, whose
    sheets have problems, whose rows are overdue, then the rest; by name within each."""
    def order(line):
        name = line.school.name.lower() if line.school else ""
        return (line.school is not None, not line.failed, not line.needing_a_person, not line.problems,
                not line.overdue, name)
    return sorted(lines, key=order)


@dataclass
class Glance:
    """The partnership's plans in figures: what the coordinators' home says above its list."""

    schools: int = 0
    read: int = 0  # plans whose workbook was last read well
    failed: int = 0  # whose last read failed
    unread: int = 0  # never read yet
    statuses: dict = field(default_factory=dict)  # status -> rows, every plan together
    rows: int = 0
    overdue: int = 0
    overdue_plans: int = 0
    problems: int = 0
    problem_plans: int = 0
    waiting: int = 0  # browser edits not yet in the sheets
    needing_a_person: int = 0
    waiting_plans: int = 0

    @property
    def plans(self):
        return self.read + self.failed + self.unread


def glance(lines):
    """The figures of partnership_overview's lines (the joint plan's among them)."""
    found = Glance()
    for line in lines:
        found.schools += line.school is not None
        found.failed += line.failed
        found.read += line.read
        found.unread += not line.failed and not line.read
        for status, n in line.statuses.items():
            found.statuses[status] = found.statuses.get(status, 0) + n
        found.rows += line.rows
        found.overdue += line.overdue
        found.overdue_plans += bool(line.overdue)
        found.problems += line.problems
        found.problem_plans += bool(line.problems)
        found.waiting += line.waiting
        found.needing_a_person += line.needing_a_person
        found.waiting_plans += bool(line.waiting)
    return found
