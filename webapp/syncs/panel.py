"""The Sync now panel: what it shows, wherever it is drawn (home page, its own polls)."""
from flask import current_app

from domain import syncs

from ..extensions import db


def panel_context(message=None):
    """The panel's runs, and (for a home's "The partnership") when the sheets last had their word."""
    running, last, wait, last_success = syncs.panel(db.session, current_app.config["SYNC_NOW_MIN_SECONDS"])
    return dict(running=running, last=last, wait=wait, last_success=last_success, message=message)
