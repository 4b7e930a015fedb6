"""The sync as people see it: heads' "Sync now", admins' history of runs."""
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for
from flask_login import current_user, login_required

from domain import syncs
from domain.access import SYNC_HISTORY_REFUSAL, SYNC_REFUSAL, can_see_sync_history, can_sync

from ..extensions import db
from ..hx import fragment, is_htmx, page, wants_fragment
from ..params import page_number, pager
from ..syncing import request_sync
from .panel import panel_context

bp = Blueprint("syncs", __name__, url_prefix="/sync")


@bp.before_request
@login_required
def require_login():
    """Only signed-in people; each view says which roles."""


def _require_sync():
    if not can_sync(current_user):
        abort(403, description=SYNC_REFUSAL)


def _require_history():
    if not can_see_sync_history(current_user):
        abort(403, description=SYNC_HISTORY_REFUSAL)


def _panel(message=None, status=200, focus=False):
    html = render_template("syncs/_sync_now.html", focus=focus, **panel_context(message))
    return fragment(html), status


@bp.get("/status")
def status():
    """The Sync now panel: polled every few seconds while a sync runs."""
    _require_sync()
    return _panel()


@bp.post("/now")
def now():
    _require_sync()
    # Others see who asked by name: an e-mail address is not theirs to see.
    run, wait = request_sync(current_app._get_current_object(), current_user.name or "a head teacher")
    refused = None if run is not None else "A sync started less than a minute ago. You can ask again in about a minute."
    if not is_htmx():
        # A plain form post: answer with a page that shows the result, not a fragment.
        flash(refused or "Sync started. This page shows its result when it is done: reload it in a moment.",
              "error" if refused else "info")
        return redirect(url_for("plans.home", _anchor="sync-now"), 303)
    if refused:
        return _panel(refused, 429, True)
    return _panel(focus=True)  # the button is gone while it runs: keep the keyboard on the panel


@bp.get("/")
def history():
    """Recent runs a page at a time (the edits waiting are on the Schools page)."""
    _require_history()
    runs = syncs.history_page(db.session, page_number())
    return render_template("syncs/history.html", runs=runs, pager=pager(runs, "syncs.history"),
                           duration=syncs.duration, quiet=syncs.quiet_runs(db.session),
                           on_google=current_app.config["SHEETS_BACKEND"] == "google")


@bp.get("/runs/<int:run_id>")
def run(run_id):
    """One run's line per workbook: loaded under its row when asked, or a page of its own."""
    _require_history()
    record = syncs.run(db.session, run_id)
    if record is None:
        abort(404)
    results = syncs.results_seen(db.session, record, g.partnership.slug)
    if wants_fragment(f"run-{run_id}-results"):
        return fragment(render_template("syncs/_run_results.html", run=record, results=results))
    return page(render_template("syncs/run.html", run=record, results=results, duration=syncs.duration))
