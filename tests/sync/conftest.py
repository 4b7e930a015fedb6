"""Sync fixtures without Flask: a plain SQLAlchemy session and the demo workbooks."""
import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from domain.models import ActionRow, Base, Workbook
from sync.backends.workbook import XlsxBackend
from sync.run import run_sync


@pytest.fixture
def session(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'sync.sqlite'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture
def backend(workbook_dir):
    return XlsxBackend(workbook_dir)


@pytest.fixture
def sync(session, backend):
    """Run one sync; returns {workbook code: result} and the report."""

    def run():
        report = run_sync(session, backend, "partnership.xlsx", "test")
        return {r.code: r for r in report.results}, report

    return run


class Sheet:
    """Edit a demo workbook the way a person would, in a spreadsheet program."""

    def __init__(self, path):
        self.path = path

    def edit(self, tab, change):
        book = load_workbook(self.path)
        change(book[tab])
        book.save(self.path)

    def rows(self, tab):
        book = load_workbook(self.path, read_only=True)
        try:
            return [list(r) for r in book[tab].iter_rows(values_only=True)]
        finally:
            book.close()


@pytest.fixture
def bank_road(workbook_dir):
    return Sheet(workbook_dir / "bank-road.xlsx")


@pytest.fixture
def partnership(workbook_dir):
    return Sheet(workbook_dir / "partnership.xlsx")


def actions(session, code, archived=False):
    """{sheet ID: row} of a plan's action rows (current ones unless archived=True)."""
    workbook = session.scalar(select(Workbook).where(Workbook.code == code))
    query = select(ActionRow).where(ActionRow.workbook_id == workbook.id)
    if not archived:
        query = query.where(ActionRow.archived_at.is_(None))
    session.expire_all()
    return {row.sheet_id: row for row in session.scalars(query)}
