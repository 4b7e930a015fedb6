"""Fixtures shared by every kind of test: an app on its own database and workbooks."""
import calendar
import os
import re
import shutil
import socket
import threading
import uuid
from concurrent import futures
from contextlib import contextmanager
from datetime import date, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from argon2 import PasswordHasher
from sqlalchemy import DateTime, create_engine, event, select, text
from werkzeug.serving import make_server

from config import TestConfig
from domain import dates, kept, passwords
from domain.models import Base, CalendarEvent, School, User, Workbook, utcnow
from domain.passwords import hash_password
from sheets_emulator import Emulator, EmulatorServer, Store
from sheets_emulator.workbooks import load_partnership
from sync.demo import write_demo_workbooks
from sync.demo_data import Demo
from tests import oidc
from webapp import background, create_app
from webapp.auth import school_accounts as school_account_providers
from webapp.extensions import db
from webapp.syncing import sync_now

PASSWORD = "correct horse battery"
# argon2id at the hub's cost (domain/passwords.py COST) takes some 160 ms a check here, on
# purpose; the suite signs in some thousands of times, which would spend minutes on it. So the
# suite hashes with argon2id at its lowest cost (as Django's tests use a fast hasher), and
# test_passwords_are_stored_as_argon2id checks the hub's own cost. Processes the suite starts
# (gunicorn, the scheduler) keep the hub's cost.
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
passwords._DUMMY_HASH = passwords._hasher.hash("no such user: a password nobody has")
_HASH = hash_password(PASSWORD)  # hashed once

# One user per role and school of the demo partnership.
PEOPLE = {
    "admin": ("admin@test.school", "admin", None),
    "br_head": ("head@br.test.school", "head", "BR"),
    "br_staff": ("staff@br.test.school", "staff", "BR"),
    "br_governor": ("governor@br.test.school", "governor", "BR"),
    "wl_head": ("head@wl.test.school", "head", "WL"),
    "wl_staff": ("staff@wl.test.school", "staff", "WL"),
    "wl_governor": ("governor@wl.test.school", "governor", "WL"),
}


class Inbox:
    """A real SMTP server's (aiosmtpd on loopback) handler: every message that arrives, parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def inbox(synced_app):
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    synced_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="hub@test.school")
    yield inbox
    controller.stop()


def board_pack(client, path):
    """A board pack as a person gets it: asked for, made by the job that asking queued (the
    scheduler's process does it in production), then asked for again."""
    response = client.get(path)
    if response.status_code == 202:
        assert "The board pack is being prepared" in response.get_data(as_text=True)
        background.work_off(client.application)
        response = client.get(path)
    return response


@contextmanager
def serving(app):
    """The app on a real threaded server on loopback, for browsers and concurrent clients;
    its address is the hub's own (HUB_URL) while it serves, as a deployment's would be.
    A job worker runs beside it, as the scheduler's process does in production."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    address, app.config["HUB_URL"] = app.config["HUB_URL"], f"http://127.0.0.1:{server.server_port}"
    thread.start()
    try:
        with background.Worker(app):
            yield app.config["HUB_URL"]
    finally:
        server.shutdown()
        thread.join(timeout=5)
        app.config["HUB_URL"] = address


POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"

# The suite's UK day: the real one, held still for the whole run (a run past midnight must
# not change its mind), or the day HUB_TEST_DAY names (HUB_TEST_DAY=2027-08-31 make test), to
# run everything at a day that breaks naive code. The demo's workbooks are written for it
# (sync/demo_data.py places every date from the day), so no test holds a date of its own
# that the real clock will pass: tests ask the demo for its dates (``demo``), or make their
# own. Tests of the rules that depend on the day also run at fixed days (DAYS, below). A
# test that needs another day patches domain.dates.uk_today itself; servers in other
# processes (gunicorn, the scheduler) keep the real day.
REAL_UK_TODAY = dates.uk_today  # for the one test of the real clock
SUITE_DAY = date.fromisoformat(os.environ["HUB_TEST_DAY"]) if os.environ.get("HUB_TEST_DAY") else REAL_UK_TODAY()


def _clocks_change(year, month):
    """The last Sunday of the month: when UK clocks go forward (March) or back (October)."""
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def tricky_days(year):
    """Days of the school year starting in ``year`` that break naive code: the year's turn,
    the clocks changing, the first and last day of each term, the summer holiday; and the
    29 February the next leap year has."""
    leap = next(y for y in range(year + 1, year + 6) if calendar.isleap(y))
    return [date(year, 8, 31), date(year, 9, 1), _clocks_change(year, 10), date(year, 12, 31), date(year + 1, 1, 1),
            _clocks_change(year + 1, 3), date(year + 1, 3, 31), date(year + 1, 4, 1), date(year + 1, 7, 31),
            date(year + 1, 8, 15), date(leap, 2, 29)]


# The fixed days the day-dependent tests also run at, from the school year the suite is in.
SUITE_YEAR = SUITE_DAY.year if SUITE_DAY.month >= 9 else SUITE_DAY.year - 1
DAYS = tricky_days(SUITE_YEAR)


def in_year(month, day):
    """That day of the suite's school year (September to August): for a test's own dates,
    which the sync keeps only in the year it reads."""
    return date(SUITE_YEAR if month >= 9 else SUITE_YEAR + 1, month, day)


def days_ago(n):
    """``n`` days before the suite's day, or its school year's first day if that is later: a
    test's own past event, in the year the sync reads."""
    return max(SUITE_DAY - timedelta(days=n), date(SUITE_YEAR, 9, 1))


def past_visit(app, host="WL", visitor="BR", sheet_id="T-E901", days=21):
    """A QA visit of the suite's school year that has taken place (on the suite's day at the
    latest), as the calendar stores one; its id. Tests use it rather than the demo's past
    visit, which in the first weeks of September is last year's."""
    with app.app_context():
        joint = db.session.scalar(select(Workbook).where(Workbook.code == "joint", Workbook.is_current))
        visit = CalendarEvent(workbook_id=joint.id, sheet_id=sheet_id, date=days_ago(days),
                              type="Quality assurance visit: behaviour", category="visit",
                              focus="Behaviour at lunchtimes", host_school=host, host_code=host,
                              invited_schools=visitor, invited_codes=[visitor])
        db.session.add(visit)
        db.session.commit()
        return visit.id


def add_event(app, sheet_id, days_ahead, host="WL", invited=("BR",), type_="Subject network", focus="Fractions",
              category="network", lead=""):
    """An event of the current calendar ``days_ahead`` of the suite's day (before it, if
    negative), as the calendar stores one; its id."""
    with app.app_context():
        joint = db.session.scalar(select(Workbook).where(Workbook.code == "joint", Workbook.is_current))
        event = CalendarEvent(workbook_id=joint.id, sheet_id=sheet_id, date=SUITE_DAY + timedelta(days=days_ahead),
                              type=type_, category=category, focus=focus, host_school=host, host_code=host,
                              invited_schools=", ".join(invited), invited_codes=list(invited), lead=lead)
        db.session.add(event)
        db.session.commit()
        return event.id


@pytest.fixture
def quiet_calendar(synced_app):
    """The synced demo with its calendar's events called off, so a test's own events
    (add_event) are the only ones asking anything of anyone."""
    with synced_app.app_context():
        for event in db.session.scalars(select(CalendarEvent)):
            event.status = "Cancelled"
        db.session.commit()
    return synced_app


@pytest.fixture(autouse=True, scope="session")
def suite_day():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dates, "uk_today", lambda: SUITE_DAY)
        yield SUITE_DAY


@pytest.fixture(scope="session")
def demo():
    """The demo partnership as the suite's workbooks hold it: its dates, from the suite's day."""
    return Demo(SUITE_DAY)


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL database for one test, dropped after it; skipped (saying why)
    where no server answers on 127.0.0.1:5432, as on a fresh laptop."""
    admin = create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # no server on this machine
        admin.dispose()
        pytest.skip(f"no PostgreSQL on 127.0.0.1:5432 ({error.__class__.__name__})")
    name = f"hub_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"{POSTGRES}/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def _demo_workbooks(tmp_path_factory, suite_day):
    """The demo's workbooks for the suite's day, written once a run (a quarter of a second)."""
    folder = tmp_path_factory.mktemp("demo-workbooks")
    write_demo_workbooks(folder)
    return folder


@pytest.fixture
def workbook_dir(tmp_path, _demo_workbooks):
    """The test's own copy of the demo's workbooks."""
    folder = tmp_path / "workbooks"
    shutil.copytree(_demo_workbooks, folder)
    return folder


@pytest.fixture(scope="session")
def _empty_schema(tmp_path_factory):
    """A SQLite database with the schema and nothing else, made once a run: each test's is a
    copy (creating the tables took a quarter of a second a test)."""
    path = tmp_path_factory.mktemp("schema") / "hub.sqlite"
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return path


@pytest.fixture
def emulator(workbook_dir):
    """The Sheets/Drive stand-in on loopback, holding the demo partnership."""
    emulator = Emulator(Store())
    emulator.partnership_url = load_partnership(emulator.store, workbook_dir)
    server = EmulatorServer(emulator).start()
    emulator.host = server.host
    yield emulator
    server.stop()


@pytest.fixture
def app(request, tmp_path, workbook_dir, database_url):
    if TEST_DATABASE != "postgres":  # database_url names tmp_path's hub.sqlite
        shutil.copyfile(request.getfixturevalue("_empty_schema"), tmp_path / "hub.sqlite")
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        WORKBOOK_DIR=str(workbook_dir),
        PARTNERSHIP_WORKBOOK="partnership.xlsx",
    )
    with app.app_context():
        db.create_all()  # PostgreSQL's emptied database; SQLite's copy has its tables: nothing to do
    yield app
    # A background sync or drain ends with its test (not in the next test's database);
    # what it raised is the test's own business, as before.
    futures.wait([f for f in (app.extensions.get("sync_future"), app.extensions.get("outbox_future")) if f],
                 timeout=60)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def synced_app(request, app, workbook_dir, tmp_path):
    """The app after one sync of the demo workbooks, with a user per role and school.

    On SQLite (some 480 tests), the sync is done once a run (_synced_once) and each test
    gets a copy of its database and of its workbooks (their times kept, so the next sync
    finds them unchanged), the database's times moved on to now: the same state, without
    a second of set-up a test. On PostgreSQL, each test syncs."""
    if TEST_DATABASE == "postgres":
        return sync_with_people(app)
    folder, database, made_at = request.getfixturevalue("_synced_once")
    with app.app_context():
        db.engine.dispose()  # the app's empty database is replaced by the copy
    shutil.copyfile(database, tmp_path / "hub.sqlite")
    for path in folder.iterdir():
        shutil.copy2(path, workbook_dir / path.name)
    seconds = round((utcnow() - made_at).total_seconds())
    with app.app_context():
        for table in Base.metadata.sorted_tables:  # every stored time, as if the sync had just run
            for column in table.columns:
                if isinstance(column.type, DateTime):
                    db.session.execute(text(  # its microseconds kept: some are compared
                        f'UPDATE "{table.name}" SET "{column.name}" = strftime(\'%Y-%m-%d %H:%M:%S\', '
                        f'"{column.name}", \'+{seconds} seconds\') || substr("{column.name}", 20) '
                        f'WHERE "{column.name}" IS NOT NULL'))
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def _synced_once(tmp_path_factory, _demo_workbooks, _empty_schema):
    """(its workbooks, its database, when) of one sync of the demo with its people."""
    root = tmp_path_factory.mktemp("synced-once")
    shutil.copytree(_demo_workbooks, root / "workbooks")
    shutil.copyfile(_empty_schema, root / "hub.sqlite")
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{root / 'hub.sqlite'}",
                     WORKBOOK_DIR=str(root / "workbooks"), PARTNERSHIP_WORKBOOK="partnership.xlsx")
    sync_with_people(app)
    with app.app_context():
        db.engine.dispose()
    return root / "workbooks", root / "hub.sqlite", utcnow()


@pytest.fixture(autouse=True)
def _nothing_kept_from_another_test():
    """Figures are kept per process under versions (domain/kept.py); each test's database
    starts from the same versions, so what one test kept is not another's."""
    kept.clear()


def sync_with_people(app):
    """One sync of the workbooks as they stand, then a user per role and school (PEOPLE)."""
    report = sync_now(app, "test")
    assert report.ok, [r.line() for r in report.results]
    with app.app_context():
        schools = {s.code: s for s in db.session.scalars(select(School))}
        for email, role, code in PEOPLE.values():
            db.session.add(User(email=email, role=role, school=schools.get(code), name=email.split("@")[0],
                                password_hash=_HASH))
        db.session.commit()
    return app


def form_fields(html):
    """The form's fields as a browser would send them (inputs, selected options, textareas)."""
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', html))
    for name, body in re.findall(r'<select[^>]*name="(\w+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', body)
        fields[name] = next(g for g in chosen.groups() if g is not None) if chosen else ""
    for name, body in re.findall(r'<textarea[^>]*name="(\w+)"[^>]*>(.*?)</textarea>', html, re.S):
        fields[name] = body.strip()
    return fields


@pytest.fixture
def client(synced_app):
    return synced_app.test_client()


@pytest.fixture
def runner(synced_app):
    return synced_app.test_cli_runner()


def csrf_token(client, path="/login"):
    """The CSRF token a page carries, as a browser would read it."""
    html = client.get(path, follow_redirects=True).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'"X-CSRFToken": "([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def without_csrf_tokens(html):
    """A page less its CSRF tokens: each carries the second it was signed, so two
    answers a second apart differ there and nowhere else."""
    html = re.sub(r'("X-CSRFToken": ")[^"]+', r"\1TOKEN", html)
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1TOKEN", html)


def login(client, who, password=PASSWORD):
    """Sign in as one of PEOPLE (or an e-mail); returns the response to the POST."""
    email = PEOPLE[who][0] if who in PEOPLE else who
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)})


def signed_in(app, who, password=PASSWORD):
    """A browser of its own (a new test client), signed in as one of PEOPLE or an e-mail."""
    client = app.test_client()
    assert login(client, who, password).status_code == 302
    return client


@pytest.fixture
def login_as(client):
    def sign_in(who):
        response = login(client, who)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in


# HUB_TEST_DATABASE=postgres runs every test that takes `database_url` (through `app`,
# or the sync suite's `session`) on a fresh PostgreSQL database of its own instead of
# SQLite: `make test` does so for tests/web and tests/sync where a server answers.
TEST_DATABASE = os.environ.get("HUB_TEST_DATABASE", "sqlite")


def pytest_report_header(config):
    return f"test database: {'PostgreSQL on 127.0.0.1:5432' if TEST_DATABASE == 'postgres' else 'SQLite'}"


@pytest.fixture(scope="session")
def _pg_database():
    """One PostgreSQL database for the run, its schema built once. Creating and dropping
    a database costs one to two seconds on this machine; emptying the tables, a hundredth."""
    admin = create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # asked for PostgreSQL: not finding it is a failure, not a skip
        pytest.exit(f"HUB_TEST_DATABASE=postgres but no PostgreSQL answers on 127.0.0.1:5432 ({error})", 2)
    name = f"hub_suite_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(f"{POSTGRES}/{name}")
    Base.metadata.create_all(engine)
    yield f"{POSTGRES}/{name}", engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty(engine):
    """Every row gone and every id counting from 1 again, as in a new database; any
    connection the test left open is ended first, as DROP DATABASE would."""
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
        for table in Base.metadata.sorted_tables:
            if "id" in table.c and table.c.id.autoincrement in (True, "auto") and table.c.id.primary_key:
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), 1, false)"))


@pytest.fixture
def database_url(request, tmp_path):
    """The test's own empty database with the schema: SQLite in tmp_path, or, under
    HUB_TEST_DATABASE=postgres, the run's PostgreSQL database, emptied after the test."""
    if TEST_DATABASE != "postgres":
        yield f"sqlite:///{tmp_path / 'hub.sqlite'}"
        return
    url, engine = request.getfixturevalue("_pg_database")
    yield url
    _empty(engine)


class Statements:
    """The SQL a request runs, to count what it reads."""

    def __init__(self, app):
        self.app, self.sql = app, []

    def __enter__(self):
        with self.app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def _record(self, conn, cursor, statement, *args):
        self.sql.append(statement)

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._record)

    def reading(self, table):
        """The statements that read ``table`` itself (not the partnership's bounds that every
        statement carries, domain/scope.py: FROM workbook AS partnership_workbook)."""
        return [s for s in self.sql if s.lstrip().upper().startswith("SELECT")
                and re.search(rf"\bFROM {table}\b(?! AS partnership_)", s)]


# --- Sign-in with school accounts: real OpenID providers on loopback (tests/oidc) ---------

@pytest.fixture(scope="session")
def google_stand_in():
    with oidc.running("google") as provider:
        yield provider


@pytest.fixture(scope="session")
def microsoft_stand_in():
    with oidc.running("microsoft") as provider:
        yield provider


@pytest.fixture
def school_accounts_hub(synced_app, google_stand_in, microsoft_stand_in):
    """The synced demo with Google and Microsoft sign-in configured (as a deployment's
    settings would), each provider's accounts emptied and its tokens honest."""
    synced_app.config.update(google_stand_in.settings(), **microsoft_stand_in.settings())
    school_account_providers.init_app(synced_app)
    for provider in (google_stand_in, microsoft_stand_in):
        provider.set_accounts({})
        provider.spoil_id_tokens(None)
    return synced_app
