"""The schools as the partnership workbook's Schools tab lists them, with the state of
each one's workbook: for the coordinators' Schools and workbooks page.

Read-only: a school's code, name, head and chair come from the Schools tab and are
changed there, never here. Four queries however many schools there are.
"""
from dataclasses import dataclass

from sqlalchemy import select

from .attention import entries_by_workbook, problems_by_workbook
from .models import JOINT, School, Workbook


@dataclass
class WorkbookLine:
    """One workbook on the page: the partnership's (school None) or a school's."""

    code: str
    school: School | None
    workbook: Workbook | None
    problems: int = 0
    waiting: int = 0  # browser edits not yet in its sheet

    @property
    def failed(self):
        return bool(self.workbook and self.workbook.last_error)


def workbook_lines(session):
    """The partnership workbook first, then every current school by name, each with its
    sheet problems and edits waiting counted (grouped queries, not one per school)."""
    partnership = session.scalar(select(Workbook).where(Workbook.code == JOINT, Workbook.is_current))
    schools = session.execute(
        select(School, Workbook).outerjoin(Workbook, (Workbook.school_id == School.id) & Workbook.is_current)
        .where(School.archived_at.is_(None)).order_by(School.name)
    ).all()
    problems = problems_by_workbook(session)
    waiting = entries_by_workbook(session)

    def line(code, school, workbook):
        key = workbook.id if workbook else None
        return WorkbookLine(code, school, workbook, problems.get(key, 0), waiting.get(key, 0))

    return [line(JOINT, None, partnership)] + [line(school.code, school, workbook) for school, workbook in schools]
