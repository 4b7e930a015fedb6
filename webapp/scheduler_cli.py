"""`flask --app wsgi scheduler run`: the one process that runs the timed syncs.

In production the web workers (gunicorn) never run a scheduler; this command
does, as its own service (docs/deploy.md). One process means one tick per
interval and one watch every WATCH_SECONDS, however many workers serve pages.
"""
import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup

from .extensions import scheduler
from .syncing import start_scheduler

scheduler_cli = AppGroup("scheduler", help="The timed syncs, run by one process.")


@scheduler_cli.command("run")
@click.option("--no-sync-at-start", is_flag=True, help="Wait a whole interval before the first sync.")
def scheduler_run(no_sync_at_start):
    """Sync now and every SYNC_INTERVAL_MINUTES, look for changed sheets every
    WATCH_SECONDS, until stopped (SIGTERM or Ctrl-C). Run one per database."""
    app = current_app._get_current_object()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    start_scheduler(app, sync_at_start=not no_sync_at_start)
    watch = app.config["WATCH_SECONDS"]
    click.echo(f"Scheduler running: a sync every {app.config['SYNC_INTERVAL_MINUTES']} minutes"
               + (f", a look for changed sheets every {watch} s." if watch else "; no watch (WATCH_SECONDS=0)."))
    try:
        while not stop.wait(1):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.shutdown(wait=True)  # a sync under way finishes and lets go of the lock
        click.echo("Scheduler stopped.")
