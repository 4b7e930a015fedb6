"""The scheduler's watch, running for real against the Sheets stand-in: a person's sheet
edit reaches the hub's database at the next look; a quiet spell costs Drive calls only."""
import time

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select

from config import TestConfig
from domain.models import ActionRow, SyncRun, Workbook
from webapp import create_app, syncing
from webapp.extensions import db
from webapp.syncing import start_scheduler, sync_now

BR = "demo-bank-road-0000000000"


def status_of(app, sheet_id):
    with app.app_context():
        return db.session.scalar(select(ActionRow.status).where(ActionRow.sheet_id == sheet_id))


def sync_runs(app):
    with app.app_context():
        return db.session.scalar(select(func.count(SyncRun.id)))


@pytest.fixture
def scheduler(monkeypatch):
    """A scheduler of this test's own: the app's one cannot start again once another
    test has shut it down (APScheduler's thread pool stays shut)."""
    own = BackgroundScheduler(timezone="UTC")
    monkeypatch.setattr(syncing, "scheduler", own)
    return own


def test_a_sheet_edit_shows_within_the_next_look_and_quiet_looks_cost_drive_calls_only(database_url, emulator,
                                                                                       scheduler):
    app = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=database_url, SHEETS_BACKEND="google",
        GOOGLE_SHEETS_EMULATOR_HOST=emulator.host, PARTNERSHIP_WORKBOOK=emulator.partnership_url,
        GOOGLE_RETRY_BASE_SECONDS=0.01, SHEETS_READS_PER_MINUTE=0, SHEETS_WRITES_PER_MINUTE=0,
        SCHEDULER_ENABLED=False, WATCH_SECONDS=1, SYNC_INTERVAL_MINUTES=60,
    )
    with app.app_context():
        db.create_all()
    assert sync_now(app, "test").ok and sync_now(app, "test").ok  # the IDs written, then read back
    try:
        start_scheduler(app)
        assert scheduler.get_job("watch").trigger.interval.total_seconds() == 1
        emulator.reset_counts()
        before = sync_runs(app)
        deadline = time.monotonic() + 15  # three looks, with nothing changed (a loaded machine runs late)
        while emulator.calls.get("drive", 0) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        quiet = dict(emulator.calls)
        assert quiet.get("sheets.read", 0) == 0 and 3 <= quiet.get("drive", 0) <= 4, quiet  # a Drive call a look
        assert sync_runs(app) == before  # a look that found nothing leaves no history

        emulator.store.edit(BR, "Action plan", 2, 10, "Red")  # a person sets BR-A001 to Red
        edited = time.monotonic()
        while status_of(app, "BR-A001") != "Behind" and time.monotonic() - edited < 10:
            time.sleep(0.1)
        assert status_of(app, "BR-A001") == "Behind"
        assert time.monotonic() - edited < 8  # by the next look (1 s) and its sync, not the hourly sync
        assert sync_runs(app) == before + 1
        with app.app_context():
            assert db.session.scalar(select(Workbook.version).where(Workbook.code == "BR")) is not None
    finally:
        scheduler.remove_all_jobs()
        scheduler.shutdown(wait=True)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
