"""The production shape: four gunicorn workers (gunicorn.conf.py) on one PostgreSQL
database, writing to the Sheets stand-in. Sync now pressed in several sessions at
once starts one sync; edits saved through every worker reach the sheet once each.

Skipped, saying why, where no PostgreSQL answers on 127.0.0.1:5432.
"""
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from flask_migrate import upgrade
from sqlalchemy import func, select, update

from config import TestConfig
from domain.contract import ACTION_PLAN, header_key
from domain.models import ActionRow, OutboxEntry, School, SyncRun, User, Workbook
from sync.backends.google import spreadsheet_key
from webapp import create_app
from webapp.extensions import db
from webapp.syncing import drain_now, sync_now

from ..conftest import _HASH, PASSWORD, PEOPLE, form_fields

ROOT = Path(__file__).resolve().parents[2]
BR = "demo-bank-road-0000000000"
WORKERS = 4
# Who edits which plan's rows: two people on each school's plan, the coordinator on the
# joint plan, each on rows of their own (two people on one row is a conflict, tested elsewhere).
EDITORS = {"br_staff": "BR", "br_head": "BR", "wl_staff": "WL", "wl_head": "WL", "admin": "joint"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def hub(pg_url, emulator, tmp_path):
    """The database migrated and synced once, its people added, then gunicorn serving it."""
    settings = dict(
        SQLALCHEMY_DATABASE_URI=pg_url, SHEETS_BACKEND="google", GOOGLE_SHEETS_EMULATOR_HOST=emulator.host,
        PARTNERSHIP_WORKBOOK=emulator.partnership_url, GOOGLE_RETRY_BASE_SECONDS=0.01,
        SHEETS_READS_PER_MINUTE=0, SHEETS_WRITES_PER_MINUTE=0,
    )
    app = create_app(TestConfig, **settings)
    with app.app_context():
        upgrade()
    assert sync_now(app, "test").ok and sync_now(app, "test").ok  # IDs written, then read back
    with app.app_context():
        schools = {s.code: s for s in db.session.scalars(select(School))}
        for email, role, code in PEOPLE.values():
            db.session.add(User(email=email, role=role, school=schools.get(code), name=email.split("@")[0],
                                password_hash=_HASH))
        # The set-up's syncs as if minutes ago, so that Sync now may be pressed at once.
        db.session.execute(update(SyncRun).values(started_at=SyncRun.started_at - timedelta(minutes=5)))
        db.session.commit()

    port = free_port()
    access_log = tmp_path / "access.log"
    env = dict(
        os.environ, HUB_CONFIG="development", SECRET_KEY="gunicorn-test-key", DATABASE_URL=pg_url,
        SHEETS_BACKEND="google", GOOGLE_SHEETS_EMULATOR_HOST=emulator.host,
        PARTNERSHIP_WORKBOOK=emulator.partnership_url, GOOGLE_RETRY_BASE_SECONDS="0.01",
        SHEETS_READS_PER_MINUTE="0", SHEETS_WRITES_PER_MINUTE="0",
        # Set as a careless settings file might: gunicorn.conf.py keeps every worker's
        # scheduler off (their watches would list Drive files, counted at the end).
        SCHEDULER_ENABLED="1", WATCH_SECONDS="1",
        GUNICORN_WORKERS=str(WORKERS), GUNICORN_BIND=f"127.0.0.1:{port}",
    )
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "--access-logfile",
         str(access_log), "--access-logformat", "%(p)s %(m)s %(U)s %(s)s", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "gunicorn.log", "w"),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:  # gunicorn is stopped however the test ends, a slow start included
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or workers still booting
                pass
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.2)
        yield app, base, access_log
    finally:
        server.terminate()
        server.wait(timeout=30)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def page_token(session, url):
    """The CSRF token a page carries for its htmx requests (or its forms)."""
    html = session.get(url).text
    return (re.search(r'"X-CSRFToken": "([^"]+)"', html) or re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html))[1]


def sign_in(base, who):
    """A browser's session; every request on a new connection, so the workers share them out."""
    session = requests.Session()
    session.headers["Connection"] = "close"
    html = session.get(f"{base}/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    answer = session.post(f"{base}/login", data={"email": PEOPLE[who][0], "password": PASSWORD, "csrf_token": token},
                          allow_redirects=False)
    assert answer.status_code == 302, answer.text
    return session


def save(session, base, code, row_id, **changes):
    """Open the row's edit form and save it with the changes, as htmx does."""
    headers = {"HX-Request": "true", "HX-Target": f"row-{row_id}"}
    form = session.get(f"{base}/plans/{code}/rows/{row_id}/edit", headers=headers)
    assert form.status_code == 200, form.text
    answer = session.post(f"{base}/plans/{code}/rows/{row_id}", data=dict(form_fields(form.text), **changes),
                          headers=headers)
    assert answer.status_code == 200, answer.text


def all_at_once(tasks):
    """Run the callables together, released by one barrier; re-raise the first failure."""
    barrier, failures = threading.Barrier(len(tasks)), []

    def run(task):
        barrier.wait()
        try:
            task()
        except Exception as error:  # noqa: BLE001 - handed to the test
            failures.append(error)

    threads = [threading.Thread(target=run, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if failures:
        raise failures[0]


def recorded_writes(emulator):
    """Every cell value the stand-in is asked to write, as (spreadsheet, range, value)."""
    cells, original = [], emulator.batch_update_values

    def recording(request, key):
        for data in (request.get_json(force=True, silent=True) or {}).get("data", []):
            for row in data.get("values", []):
                cells.extend((key, data["range"], str(value).removeprefix("'")) for value in row)
        return original(request, key)

    emulator.batch_update_values = recording
    return cells


def sheet_value(emulator, key, sheet_id, attr):
    """A cell of the stand-in's Action plan tab, found by row ID and by the column's
    header under any of its names (the joint plan's headers are spelt otherwise)."""
    rows = emulator.store.rows(key, "Action plan")
    head = [header_key(str(h or "")) for h in next(r for r in rows if "ID" in r)]
    id_at = head.index(header_key("ID"))
    at = next(i for i, h in enumerate(head) if h in ACTION_PLAN.by_attr[attr].keys)
    return next(r for r in rows if len(r) > id_at and r[id_at] == sheet_id)[at]


def test_four_workers_one_sync_per_interval_and_every_edit_written_once(hub, emulator):
    app, base, access_log = hub
    with app.app_context():
        rows = db.session.execute(
            select(ActionRow.sheet_id, ActionRow.id, Workbook.code, Workbook.ref).join(Workbook)
            .where(ActionRow.archived_at.is_(None))).all()
        runs_before = db.session.scalar(select(func.count(SyncRun.id)))
    sessions = {who: sign_in(base, who) for who in EDITORS}

    # Sync now, pressed by the two heads and the coordinator at the same moment, twice over.
    emulator.store.edit(BR, "Action plan", 2, 10, "Red")  # a person's edit, for the sync to read
    emulator.reset_counts()
    pressers = [sessions["br_head"], sessions["wl_head"], sessions["admin"]] * 2
    answers = []
    tokens = [page_token(s, f"{base}/") for s in pressers]
    all_at_once([lambda s=s, t=t: answers.append(s.post(
        f"{base}/sync/now", headers={"HX-Request": "true", "HX-Target": "sync-now", "X-CSRFToken": t}
    ).status_code) for s, t in zip(pressers, tokens)])
    assert sorted(set(answers)) <= [200, 429] and 200 in answers, answers
    deadline = time.monotonic() + 30
    with app.app_context():
        while db.session.scalar(select(func.count(SyncRun.id)).where(SyncRun.finished_at.is_(None))):
            assert time.monotonic() < deadline
            time.sleep(0.2)
            db.session.expire_all()
        runs = db.session.scalars(select(SyncRun).order_by(SyncRun.id).offset(runs_before)).all()
        assert [(r.trigger, r.ok) for r in runs] == [("button", True)]  # one sync, however many presses
        assert db.session.scalar(select(ActionRow.status).where(ActionRow.sheet_id == "BR-A001")) == "Behind"
    batch_gets = Counter(path.split("/")[3] for _, path, _ in emulator.log if "values:batchGet" in path)
    assert batch_gets == {BR: 1}  # the changed sheet, read once
    assert sum(1 for _, path, _ in emulator.log if path == "/drive/v3/files") == 1  # one listing: one sync

    # Edits: each person on their own rows, everyone at once; two rounds, two fields.
    cells = recorded_writes(emulator)
    plans = {}
    for who, code in EDITORS.items():
        plans.setdefault(code, []).append(who)
    work, expected = {who: [] for who in EDITORS}, {}
    for sheet_id, row_id, code, ref in sorted(rows):
        editors = plans[code]
        who = editors[int(re.search(r"(\d+)$", sheet_id)[1]) % len(editors)]
        for field in ("lead", "impact_to_date"):
            value = f"{field} from {who} for {sheet_id}"
            work[who].append((code, row_id, field, value))
            expected[(ref, sheet_id, field)] = value

    def edits_of(who):
        for code, row_id, field, value in sorted(work[who], key=lambda w: w[2] != "lead"):
            save(sessions[who], base, code, row_id, **{field: value})

    all_at_once([lambda w=w: edits_of(w) for w in EDITORS])

    # Waiting edits are written by each worker's drain after a save; whatever found the
    # lock taken by another worker's drain waits for the next tick: that tick, here.
    with app.app_context():
        for _ in range(10):
            waiting = db.session.scalar(select(func.count(OutboxEntry.id)).where(OutboxEntry.state != "done"))
            if not waiting:
                break
            drain_now(app, only_due=False)
            db.session.expire_all()
        assert waiting == 0
        assert db.session.scalar(select(func.count(OutboxEntry.id))) == len(expected)

    written = Counter(value for _, _, value in cells)
    for (ref, sheet_id, field), value in expected.items():
        assert sheet_value(emulator, spreadsheet_key(ref), sheet_id, field) == value  # in the sheet, none lost
        assert written[value] == 1, (value, written[value])  # and written exactly once

    def saves_logged():  # gunicorn writes a request's line after its answer has gone
        return Counter(match[1] for match in re.finditer(r"^<(\d+)> POST /plans/\w+/rows/\d+ 200$",
                                                         access_log.read_text(), re.M))

    deadline = time.monotonic() + 10
    while sum((saves := saves_logged()).values()) < len(expected) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sum(saves.values()) == len(expected), access_log.read_text()[-600:]
    assert len(saves) == WORKERS, saves  # every worker saved some

    # The one Drive listing all along was the one sync's: no worker ran a scheduler.
    assert sum(1 for _, path, _ in emulator.log if path == "/drive/v3/files") == 1

    # And a press now, within the interval, starts no second sync.
    again = sessions["br_head"].post(f"{base}/sync/now", headers={
        "HX-Request": "true", "HX-Target": "sync-now", "X-CSRFToken": page_token(sessions["br_head"], f"{base}/")})
    assert again.status_code == 429
    with app.app_context():
        assert db.session.scalar(select(func.count(SyncRun.id))) == runs_before + 1
