"""Sync fixtures without Flask: a plain SQLAlchemy session and the demo workbooks."""
import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from domain.models import ActionRow, Base, Workbook
from sync.backends.google import GoogleBackend, make_client
from sync.backends.workbook import XlsxBackend
from sync.run import run_sync


@pytest.fixture
def session(database_url):
    engine = create_engine(database_url)
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


BR, WL, JOINT = "demo-bank-road-0000000000", "demo-william-lilley-0000000000", "demo-partnership-0000000000"


def make_google_backend(emulator, timeout=2, **options):
    """Real gspread pointed at the stand-in; no pacing and quick retries unless asked."""
    client, email = make_client(emulator_host=emulator.host, timeout=(2, timeout))
    settings = dict(reads_per_minute=None, writes_per_minute=None, attempts=4, max_retry_seconds=30,
                    retry_base_seconds=0.01)
    settings.update(options)
    return GoogleBackend(client, email, **settings)


@pytest.fixture
def google_backend(emulator):
    return make_google_backend(emulator)


@pytest.fixture
def gsync(session, google_backend, emulator):
    """Run one sync through the Google backend; returns {code: result} and the report."""

    def run(full=False):
        emulator.reset_counts()
        report = run_sync(session, google_backend, emulator.partnership_url, "test", full=full)
        return {r.code: r for r in report.results}, report

    return run
