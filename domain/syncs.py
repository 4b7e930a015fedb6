"""Sync runs as people see them: history, the one running now, when the next may start."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, not_, select
from sqlalchemy.orm import defer

from .models import JOINT, School, SyncRun, utcnow
from .paging import Page, clamp

RUNS_PER_PAGE = 20

# A run unfinished for longer than this died with its process (the lock's lease).
RUN_LEASE = timedelta(minutes=10)


def history(session, limit=50):
    """The latest sync runs, newest first."""
    return session.scalars(select(SyncRun).order_by(SyncRun.started_at.desc(), SyncRun.id.desc()).limit(limit)).all()


# A scheduled run that found every workbook unchanged read and wrote nothing: the history
# counts such runs in a line rather than listing one every few minutes.
_QUIET = and_(SyncRun.trigger == "scheduler", SyncRun.finished_at.is_not(None), SyncRun.workbooks_read == 0,
              SyncRun.workbooks_failed == 0, SyncRun.sheets_writes == 0)


@dataclass(frozen=True)
class QuietRuns:
    count: int
    last: datetime | None  # when the latest started (UTC)


def history_page(session, page=1, per_page=RUNS_PER_PAGE):
    """A page of the runs that did something (read, wrote, failed, or were asked for by a
    person), newest first, without each run's per-workbook lines (``results`` grows with
    the partnership: one line per workbook per run; see ``run``)."""
    total = session.scalar(select(func.count(SyncRun.id)).where(not_(_QUIET))) or 0
    page = clamp(page, total, per_page)
    runs = session.scalars(
        select(SyncRun).where(not_(_QUIET)).options(defer(SyncRun.results))
        .order_by(SyncRun.started_at.desc(), SyncRun.id.desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return Page(runs, total, page, per_page)


def quiet_runs(session):
    """How many scheduled runs found nothing changed (kept for KEEP_RUNS), and the latest."""
    count, last = session.execute(select(func.count(SyncRun.id), func.max(SyncRun.started_at)).where(_QUIET)).one()
    return QuietRuns(count or 0, last)


def run(session, run_id):
    """One sync run, or None."""
    return session.get(SyncRun, run_id)


def results_seen(session, run, partnership_slug):
    """A run's lines for the workbooks of the partnership the session serves: one run reads
    every partnership's, and another partnership's workbooks are none of this one's business.
    A line from before the hub held several partnerships names none, and is shown."""
    codes = set(session.scalars(select(School.code)))
    return [r for r in run.results
            if (r.get("code") == JOINT and r.get("partnership", partnership_slug) == partnership_slug)
            or (r.get("code") != JOINT and r.get("code") in codes)]


def in_progress():
    """A run is in progress: begun within its lease, and not finished."""
    return SyncRun.finished_at.is_(None), SyncRun.started_at > utcnow() - RUN_LEASE


def sheets_answered():
    """A finished run had the sheets' word: it read a workbook or found it unchanged."""
    return SyncRun.finished_at.is_not(None), SyncRun.workbooks_read + SyncRun.workbooks_skipped > 0


def current_run(session):
    """The run in progress, or None."""
    return session.scalar(select(SyncRun).where(*in_progress()).order_by(SyncRun.started_at.desc()).limit(1))


def panel(session, min_seconds):
    """(the run in progress or None, the latest finished or None, seconds before another
    requested sync may start, when the sheets last had their word: plans.last_success_at)
    for a home's Sync now panel: one statement where each asked apart was four."""
    newest = lambda *where, column=SyncRun.id, order=SyncRun.started_at: (  # noqa: E731
        select(column).where(*where).order_by(order.desc()).limit(1).scalar_subquery())
    running_id = newest(*in_progress())
    last_id = newest(SyncRun.finished_at.is_not(None), order=SyncRun.finished_at)
    started = newest(column=SyncRun.started_at)
    success = newest(*sheets_answered(), column=SyncRun.finished_at, order=SyncRun.finished_at)
    # The two runs shown, each row carrying the four figures. No row: no run in progress and
    # none finished, so none read the sheets, and any begun is past its lease (no wait left).
    rows = session.execute(select(SyncRun, running_id, last_id, started, success)
                           .where(SyncRun.id.in_([running_id, last_id]))
                           .options(defer(SyncRun.results))).all()  # not each workbook's line of the last run
    if not rows:
        return None, None, 0, None
    runs = {row[0].id: row[0] for row in rows}
    _, running, last, started_at, success_at = rows[0]
    return runs.get(running), runs.get(last), _seconds_left(started_at, min_seconds), success_at


def seconds_until_allowed(session, min_seconds):
    """Seconds before another requested sync may start (0: now)."""
    return _seconds_left(session.scalar(select(SyncRun.started_at).order_by(SyncRun.started_at.desc()).limit(1)),
                         min_seconds)


def _seconds_left(started, min_seconds):
    if started is None:
        return 0
    left = min_seconds - (utcnow() - started).total_seconds()
    return max(0, int(left + 0.999))


def duration(run):
    """'2 s', '3 min 5 s': how long a finished run took."""
    if not run.finished_at:
        return ""
    seconds = int((run.finished_at - run.started_at).total_seconds())
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"
