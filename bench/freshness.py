"""How soon a person's sheet edit shows in the hub, and what watching costs while quiet.

The app's own scheduler (the watch every WATCH_SECONDS, the full sync every
SYNC_INTERVAL_MINUTES) runs against the Sheets/Drive stand-in holding 30 school
workbooks (50 action rows, 300 impact-log rows, 10 SIP priorities each), on a
SQLite database of its own. First a quiet spell: the calls it costs and the sync
runs it leaves. Then a person edits one cell of a random school's action plan at a
random moment, again and again; each delay is from the edit to the hub's database
holding the new text.

    .venv/bin/python -m bench.freshness [--edits 12] [--quiet-seconds 60] [--watch-seconds 10]
"""
import argparse
import logging
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from config import TestConfig
from domain.models import ActionRow, SyncRun
from sheets_emulator import Emulator, EmulatorServer, Store
from webapp import create_app
from webapp.extensions import db, scheduler
from webapp.syncing import start_scheduler, sync_now

from .edit_latency import percentile
from .sync_cost import build

SCHOOLS = 30


def value_of(app, sheet_id):
    with app.app_context():
        try:
            return db.session.scalar(select(ActionRow.key_objective).where(ActionRow.sheet_id == sheet_id))
        except OperationalError:  # the sync holds SQLite's write lock a moment: ask again
            return None
        finally:
            db.session.remove()


def sync_runs(app):
    with app.app_context():
        count = db.session.scalar(select(func.count(SyncRun.id)))
        db.session.remove()
        return count


def run(edits, quiet_seconds, watch_seconds, workdir):
    emulator = Emulator(Store())
    partnership_url, keys, _ = build(emulator.store, SCHOOLS)
    server = EmulatorServer(emulator).start()
    app = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{workdir / 'freshness.sqlite'}", SHEETS_BACKEND="google",
        GOOGLE_SHEETS_EMULATOR_HOST=server.host, PARTNERSHIP_WORKBOOK=partnership_url,
        WATCH_SECONDS=watch_seconds, SYNC_INTERVAL_MINUTES=TestConfig.SYNC_INTERVAL_MINUTES,
    )
    logging.getLogger().setLevel(logging.WARNING)  # not a line per sync among the figures
    try:
        with app.app_context():
            db.create_all()
        assert sync_now(app, "bench").ok and sync_now(app, "bench").ok  # IDs written, then read back
        start_scheduler(app)
        emulator.reset_counts()
        runs_before = sync_runs(app)
        time.sleep(quiet_seconds)
        quiet = dict(emulator.calls)
        quiet_runs = sync_runs(app) - runs_before

        rng = random.Random(18)
        delays = []
        emulator.reset_counts()
        for n in range(edits):
            time.sleep(rng.uniform(0, watch_seconds))  # any moment of the watch's cycle
            code = rng.choice(list(keys))
            row = rng.randrange(1, 51)
            text = f"Edited by a person, edit {n}"
            emulator.store.edit(keys[code], "Action plan", row + 1, 4, text)  # D: Key objective
            edited = time.monotonic()
            while value_of(app, f"{code}-A{row:03d}") != text:
                if time.monotonic() - edited > 10 * watch_seconds + 60:
                    raise SystemExit(f"edit {n} never reached the hub")
                time.sleep(0.05)
            delays.append(time.monotonic() - edited)
        busy = dict(emulator.calls)
    finally:
        if scheduler.running:
            scheduler.remove_all_jobs()
            scheduler.shutdown(wait=True)
        server.stop()
        with app.app_context():
            db.engine.dispose()
    return delays, quiet, quiet_runs, busy


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=12)
    parser.add_argument("--quiet-seconds", type=int, default=60)
    parser.add_argument("--watch-seconds", type=int, default=TestConfig.WATCH_SECONDS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        delays, quiet, quiet_runs, busy = run(args.edits, args.quiet_seconds, args.watch_seconds, Path(folder))
    per_minute = 60 / args.quiet_seconds
    print(f"Freshness against the stand-in: {SCHOOLS} school workbooks, WATCH_SECONDS={args.watch_seconds}")
    print(f"  quiet for {args.quiet_seconds} s: {quiet.get('drive', 0) * per_minute:.0f} Drive calls a minute, "
          f"{quiet.get('sheets.read', 0)} Sheets reads, {quiet_runs} sync runs recorded")
    print(f"  a person's edit to the hub's database, over {len(delays)} edits: p50 {percentile(delays, 0.5):.1f} s   "
          f"p95 {percentile(delays, 0.95):.1f} s   max {max(delays):.1f} s")
    print(f"  calls for those edits: {busy.get('sheets.read', 0)} Sheets reads, {busy.get('drive', 0)} Drive")


if __name__ == "__main__":
    main()
