"""The scheduled work, with no Flask: a sync, then the edits that waited for it.

``sessions`` is a callable that opens a unit of work: a context manager giving
a SQLAlchemy session, closed (and its transaction ended) on leaving. The web
app hands in one built on its own database session; a script can hand in
``sqlalchemy.orm.sessionmaker(engine).begin``-like factories of its own.
"""
import logging

from domain.models import SyncRun, utcnow

from .outbox import drain
from .run import run_sync
from .watch import changed_workbooks

log = logging.getLogger(__name__)


def sync_then_drain(sessions, backend, partnership_ref, trigger, run_id=None, full=False):
    """One sync; then the outbox, since edits saved while it ran waited for its lock.

    Returns the sync's report. A sync that dies closes its requested run, so that it
    never shows as running for ever; a failing outbox never fails the sync.
    """
    with sessions() as session:
        try:
            report = run_sync(session, backend, partnership_ref, trigger, run_id=run_id, full=full)
        except Exception:
            log.exception("sync failed")
            session.rollback()
            close_run(session, run_id, "The sync stopped on an unexpected error; see the server log.")
            raise
    if not report.busy:
        drain_quietly(sessions, backend)
    return report


def drain_now(sessions, backend, only_due=True):
    """Write waiting browser edits to the sheets; a result per edit (None: the lock is held)."""
    with sessions() as session:
        try:
            return drain(session, backend, only_due=only_due)
        except Exception:
            log.exception("outbox drain failed")  # the edits stay waiting; the next tick tries again
            session.rollback()
            raise


def drain_quietly(sessions, backend):
    """A drain whose failure is logged and left to the next tick."""
    try:
        return drain_now(sessions, backend)
    except Exception:  # logged by drain_now
        return None


def tick(sessions, backend, partnership_ref):
    """What the scheduler does every SYNC_INTERVAL_MINUTES: waiting edits first, so
    that the sync reads the sheets with them in, then the sync (which drains again,
    for edits made meanwhile)."""
    drain_quietly(sessions, backend)
    report = sync_then_drain(sessions, backend, partnership_ref, "scheduler")
    if report.busy:
        log.info("sync skipped: another sync is running")
    for result in report.results:
        log.info("sync %s", result.line())
    return report


def close_run(session, run_id, note):
    """A requested run that died must not show as running for ever."""
    run = session.get(SyncRun, run_id) if run_id else None
    if run is not None and run.finished_at is None:
        run.finished_at, run.ok, run.note = utcnow(), False, note
        session.commit()


def watch(sessions, backend, partnership_ref):
    """What the scheduler does every WATCH_SECONDS: ask which workbooks changed (one
    Drive call on Google, no Sheets read) and sync only if one did; that sync reads
    just the changed ones. Returns the sync's report, or None when nothing changed
    (then nothing is written: no sync run, no lock taken)."""
    try:
        versions = backend.versions()
    except Exception as error:  # an outage: the scheduled sync retries and reports it
        log.warning("watch: asking which workbooks changed failed (%s)", getattr(error, "message", error))
        return None
    with sessions() as session:
        changed = changed_workbooks(session, versions)
    if not changed:
        return None
    log.info("watch: %s changed; syncing", ", ".join(changed))
    report = sync_then_drain(sessions, backend, partnership_ref, "watch")
    if report.busy:
        log.info("watch: another sync is running; the next look tries again")
    return report
