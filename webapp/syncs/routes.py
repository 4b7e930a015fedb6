"""The sync as people see it: heads' "Sync now", admins' history of runs."""
from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user, login_required

from sqlalchemy import select

from domain import syncs
from domain.models import OutboxEntry

from ..extensions import db
from ..hx import fragment
from ..syncing import request_sync

bp = Blueprint("syncs", __name__, url_prefix="/sync")

SYNC_ROLES = {"admin", "head"}


@bp.before_request
@login_required
def require_login():
    """Only signed-in people; each view says which roles."""


def _require(roles):
    if current_user.role not in roles:
        abort(403)


def panel_context(message=None):
    """What the Sync now panel shows, wherever it is drawn."""
    return dict(
        running=syncs.current_run(db.session),
        last=syncs.last_finished(db.session),
        wait=syncs.seconds_until_allowed(db.session, current_app.config["SYNC_NOW_MIN_SECONDS"]),
        message=message,
    )


def _panel(message=None, status=200, focus=False):
    html = render_template("syncs/_sync_now.html", focus=focus, **panel_context(message))
    return fragment(html), status


@bp.get("/status")
def status():
    """The Sync now panel: polled every few seconds while a sync runs."""
    _require(SYNC_ROLES)
    return _panel()


@bp.post("/now")
def now():
    _require(SYNC_ROLES)
    run, wait = request_sync(current_app._get_current_object(), current_user.email)
    if run is None:
        return _panel(f"A sync started less than a minute ago. You can ask again in {wait} seconds.", 429, True)
    return _panel(focus=True)  # the button is gone while it runs: keep the keyboard on the panel


@bp.get("/")
def history():
    """Every recent run: what it read, skipped and failed, and what it cost."""
    _require({"admin"})
    waiting = db.session.scalars(
        select(OutboxEntry).where(OutboxEntry.state.in_(OutboxEntry.PENDING)).order_by(OutboxEntry.id)
    ).all()
    return render_template("syncs/history.html", runs=syncs.history(db.session), duration=syncs.duration,
                           waiting=waiting)
