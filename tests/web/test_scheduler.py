"""The scheduled sync: on when SCHEDULER_ENABLED, every SYNC_INTERVAL_MINUTES."""
from datetime import timedelta

from sqlalchemy import select

from config import TestConfig
from domain.models import SyncRun
from webapp import create_app
from webapp.extensions import db, scheduler


def test_the_scheduler_is_off_in_tests(app):
    assert not scheduler.running and scheduler.get_job("sync") is None


def test_the_scheduler_syncs_every_interval_when_enabled(tmp_path, workbook_dir):
    app = create_app(
        TestConfig, SCHEDULER_ENABLED=True, SYNC_INTERVAL_MINUTES=7,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'hub.sqlite'}", WORKBOOK_DIR=str(workbook_dir),
    )
    try:
        job = scheduler.get_job("sync")
        assert scheduler.running and job.trigger.interval == timedelta(minutes=7)
        with app.app_context():
            db.create_all()
        job.func()  # what the scheduler does at each tick
        with app.app_context():
            run = db.session.scalar(select(SyncRun))
        assert run.trigger == "scheduler" and run.ok
    finally:
        scheduler.remove_all_jobs()
        scheduler.shutdown(wait=False)
