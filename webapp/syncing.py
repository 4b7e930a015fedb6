"""The app's side of the sync: which backend, and when to run it."""
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from domain import syncs
from domain.models import SyncRun
from sync import jobs, lock
from sync.backends.google import GoogleBackend, make_client
from sync.backends.workbook import XlsxBackend

from . import background
from .extensions import db, scheduler, unit_of_work

log = logging.getLogger(__name__)
SYNC_NOW_LOCK = 2  # a lease row of sync_lock that paces the "Sync now" button across workers


def backend_for(app):
    """The transport SHEETS_BACKEND names: one per app, so its pacing spans syncs."""
    backend = app.extensions.get("sheets_backend")
    if backend is None:
        backend = app.extensions["sheets_backend"] = _make_backend(app.config)
    return backend


def _make_backend(config):
    if config["SHEETS_BACKEND"] == "workbook":
        return XlsxBackend(config["WORKBOOK_DIR"])
    client, email = make_client(
        config["GOOGLE_SERVICE_ACCOUNT_FILE"], config["GOOGLE_SHEETS_EMULATOR_HOST"],
        timeout=(5, config["GOOGLE_TIMEOUT_SECONDS"]),
    )
    return GoogleBackend(
        client, email,
        reads_per_minute=config["SHEETS_READS_PER_MINUTE"], writes_per_minute=config["SHEETS_WRITES_PER_MINUTE"],
        attempts=config["GOOGLE_RETRY_ATTEMPTS"], max_retry_seconds=config["GOOGLE_RETRY_MAX_SECONDS"],
        retry_base_seconds=config["GOOGLE_RETRY_BASE_SECONDS"],
    )


def sync_now(app, trigger, full=False, run_id=None):
    """Run one sync with the app's database and backend, then the outbox; returns the report."""
    return jobs.sync_then_drain(lambda: unit_of_work(app), backend_for(app), app.config["PARTNERSHIP_WORKBOOK"],
                                trigger, run_id=run_id, full=full)


_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-now")
_outbox_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox")


def drain_now(app, only_due=True):
    """Write waiting browser edits to the sheets; a result per edit (None: the lock is held)."""
    return jobs.drain_now(lambda: unit_of_work(app), backend_for(app), only_due=only_due)


def _drain_after_save(app, tries=3, pause=2.0):
    """A drain that found the lock taken by another drain may have missed this edit:
    try again shortly rather than leave it to the next tick. (A sync that holds the
    lock drains when it ends.)"""
    for attempt in range(tries):
        if attempt:
            time.sleep(pause)
        results = drain_now(app)
        if results is not None:
            return results
    return None


def request_drain(app):
    """Straight after a save: write it to the sheet in the background."""
    if app.config["OUTBOX_DRAIN_ON_SAVE"]:
        app.extensions["outbox_future"] = _outbox_executor.submit(_drain_after_save, app)


def request_sync(app, requested_by):
    """The "Sync now" button: start a sync in the background, at most once a minute.

    Returns (run, seconds to wait): the run now under way (the new one, or one
    already running), and how long until another may be asked for.
    """
    running = syncs.current_run(db.session)
    minimum = app.config["SYNC_NOW_MIN_SECONDS"]
    wait = syncs.seconds_until_allowed(db.session, minimum)
    if running or wait:
        return running, wait
    # Two presses at once in two workers both pass the check above; a lease taken with
    # an atomic UPDATE lets one through, so it stays one sync a minute.
    if not lock.acquire(db.session, lock.new_holder(), lease=timedelta(seconds=minimum), lock_id=SYNC_NOW_LOCK):
        return syncs.current_run(db.session), minimum
    run = SyncRun(trigger="button", requested_by=requested_by)
    db.session.add(run)
    db.session.commit()
    # Recorded first, so every worker's status poll sees it running at once.
    app.extensions["sync_future"] = _executor.submit(sync_now, app, "button", run_id=run.id)
    return run, app.config["SYNC_NOW_MIN_SECONDS"]


def start_scheduler(app, sync_at_start=False):
    """Sync every SYNC_INTERVAL_MINUTES in this process (make run syncs once before),
    between syncs look every WATCH_SECONDS for workbooks that changed, and do the
    background jobs as they come (every JOBS_POLL_SECONDS).

    Run one scheduler per database: `flask --app wsgi scheduler run` in production
    (docs/deploy.md), SCHEDULER_ENABLED in `make run`. The database lock in sync.lock
    still keeps a second one (or `sync run` by hand) from syncing at the same time.
    """
    if scheduler.running:
        return

    def tick():
        jobs.tick(lambda: unit_of_work(app), backend_for(app), app.config["PARTNERSHIP_WORKBOOK"])

    def watch():
        jobs.watch(lambda: unit_of_work(app), backend_for(app), app.config["PARTNERSHIP_WORKBOOK"])

    def background_jobs():
        background.run_due(app)

    first = {"next_run_time": datetime.now(timezone.utc)} if sync_at_start else {}
    # The background jobs (mail, sheets checks, board packs: webapp/background.py): each
    # claimed once across processes, so a second scheduler would share them, not repeat them.
    scheduler.add_job(background_jobs, "interval", seconds=app.config["JOBS_POLL_SECONDS"], id="jobs",
                      replace_existing=True, max_instances=1, coalesce=True)
    scheduler.add_job(
        tick, "interval", minutes=app.config["SYNC_INTERVAL_MINUTES"], id="sync",
        replace_existing=True, max_instances=1, coalesce=True, **first,
    )
    if app.config["WATCH_SECONDS"]:
        # A look that overlaps a sync is skipped (max_instances), not queued.
        scheduler.add_job(
            watch, "interval", seconds=app.config["WATCH_SECONDS"], id="watch",
            replace_existing=True, max_instances=1, coalesce=True,
        )
    scheduler.start()
