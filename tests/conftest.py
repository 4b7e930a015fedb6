"""Fixtures shared by every kind of test: an app on its own database and workbooks."""
import os
import re
import socket
import threading
import uuid
from concurrent import futures
from contextlib import contextmanager
from datetime import date
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, event, select, text
from werkzeug.serving import make_server

from config import TestConfig
from domain import dates
from domain.models import Base, School, User
from domain.passwords import hash_password
from sheets_emulator import Emulator, EmulatorServer, Store
from sheets_emulator.workbooks import load_partnership
from sync.demo import write_demo_workbooks
from webapp import create_app
from webapp.extensions import db
from webapp.syncing import sync_now

PASSWORD = "correct horse battery"
_HASH = hash_password(PASSWORD)  # hashed once: argon2id is slow on purpose

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


@contextmanager
def serving(app):
    """The app on a real threaded server on loopback, for browsers and concurrent clients;
    its address is the hub's own (HUB_URL) while it serves, as a deployment's would be."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    address, app.config["HUB_URL"] = app.config["HUB_URL"], f"http://127.0.0.1:{server.server_port}"
    thread.start()
    try:
        yield app.config["HUB_URL"]
    finally:
        server.shutdown()
        thread.join(timeout=5)
        app.config["HUB_URL"] = address


POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"

# The demo partnership's dates are fixed (its calendar runs from December 2026 into 2027,
# its actions are due by term), so the suite's UK day is fixed too: run next spring, the
# autumn's events would otherwise be past and its actions overdue, and every test that
# reads them would fail for the calendar's sake, not the code's. A test that needs
# another day patches domain.dates.uk_today itself; servers in other processes (gunicorn,
# the scheduler) keep the real day, and their tests assert no date that depends on it.
SUITE_DAY = date(2026, 12, 2)
REAL_UK_TODAY = dates.uk_today  # for the one test of the real clock


@pytest.fixture(autouse=True, scope="session")
def suite_day():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dates, "uk_today", lambda: SUITE_DAY)
        yield SUITE_DAY


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


@pytest.fixture
def workbook_dir(tmp_path):
    folder = tmp_path / "workbooks"
    write_demo_workbooks(folder)
    return folder


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
def app(tmp_path, workbook_dir, database_url):
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        WORKBOOK_DIR=str(workbook_dir),
        PARTNERSHIP_WORKBOOK="partnership.xlsx",
    )
    with app.app_context():
        db.create_all()
    yield app
    # A background sync or drain ends with its test (not in the next test's database);
    # what it raised is the test's own business, as before.
    futures.wait([f for f in (app.extensions.get("sync_future"), app.extensions.get("outbox_future")) if f],
                 timeout=60)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def synced_app(app):
    """The app after one sync of the demo workbooks, with a user per role and school."""
    return sync_with_people(app)


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


def login(client, who, password=PASSWORD):
    """Sign in as one of PEOPLE (or an e-mail); returns the response to the POST."""
    email = PEOPLE[who][0] if who in PEOPLE else who
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_token(client)})


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
        return [s for s in self.sql if s.lstrip().upper().startswith("SELECT") and re.search(rf"\bFROM {table}\b", s)]
