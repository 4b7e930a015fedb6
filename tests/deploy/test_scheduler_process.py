"""`flask --app wsgi scheduler run`, the one scheduler process of docs/deploy.md."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from config import TestConfig
from domain.models import ActionRow, SyncRun, Workbook
from webapp import create_app
from webapp.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def wait_for(engine, query, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with Session(engine) as session:
            found = session.scalars(query).all()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {query}")


def test_the_scheduler_process_syncs_at_start_then_on_a_change_and_stops_cleanly(database_url, workbook_dir):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    env = dict(os.environ, HUB_CONFIG="development", DATABASE_URL=database_url, WORKBOOK_DIR=str(workbook_dir),
               PARTNERSHIP_WORKBOOK="partnership.xlsx", WATCH_SECONDS="1", SYNC_INTERVAL_MINUTES="60")
    process = subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "scheduler", "run"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    engine = create_engine(database_url)
    try:
        first = wait_for(engine, select(SyncRun).where(SyncRun.trigger == "scheduler", SyncRun.finished_at.is_not(None)))
        assert first[0].ok
        # A sheet the first sync wrote IDs into is read once more (its version unknown); then quiet.
        wait_for(engine, select(func.count(Workbook.id)).having(func.count(Workbook.version) == func.count(Workbook.id)))
        time.sleep(1.5)
        with Session(engine) as session:
            quiet = session.scalars(select(SyncRun.trigger).order_by(SyncRun.id)).all()
        time.sleep(2.5)  # looks that find nothing leave nothing
        with Session(engine) as session:
            assert session.scalars(select(SyncRun.trigger).order_by(SyncRun.id)).all() == quiet

        book = load_workbook(workbook_dir / "bank-road.xlsx")  # a person edits a school's sheet
        sheet = book["Action plan"]
        header = next(r for r in sheet.iter_rows() if any(c.value == "ID" for c in r))
        column = next(c.column for c in header if c.value == "Lead")
        row = next(r for r in sheet.iter_rows(min_row=header[0].row + 1) if r[0].value == "BR-A001")
        sheet.cell(row[0].row, column).value = "Edited in the sheet"
        book.save(workbook_dir / "bank-road.xlsx")
        wait_for(engine, select(ActionRow).where(ActionRow.sheet_id == "BR-A001", ActionRow.lead == "Edited in the sheet"),
                 seconds=15)
        with Session(engine) as session:
            assert session.scalars(select(SyncRun.trigger).order_by(SyncRun.id)).all() == quiet + ["watch"]
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
        engine.dispose()
    assert process.returncode == 0, output
    assert "Scheduler running: a sync every 60 minutes, a look for changed sheets every 1 s." in output
    assert "Scheduler stopped." in output
