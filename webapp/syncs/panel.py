"""The Sync now panel: what it shows, wherever it is drawn (home page, its own polls)."""
from flask import current_app

from domain import syncs

from ..extensions import db


def panel_context(message=None):
    return dict(
        running=syncs.current_run(db.session),
        last=syncs.last_finished(db.session),
        wait=syncs.seconds_until_allowed(db.session, current_app.config["SYNC_NOW_MIN_SECONDS"]),
        message=message,
    )
