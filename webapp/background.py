"""The worker side of the job queue (domain/job_queue.py): what each kind of job does,
and the loop that takes due jobs and does them.

The worker runs in the scheduler's process (`flask --app wsgi scheduler run` in
production; the app's own process in `make run`), never in a web worker: a request only
queues a job, in its own transaction, and answers. Jobs are claimed one at a time, each
in the partnership that asked for it, so a job reads what its partnership holds and no
more.
"""
import logging
import os
import socket
import threading
import time

from domain import job_queue, scope

from .extensions import unit_of_work

log = logging.getLogger(__name__)
# kind: (do(app, job) -> result dict, gave_up(app, job) or None); registered by the modules
# that hold the work (webapp/auth/links.py, calendar/reminders.py, schools/checks.py,
# summaries/packs.py), imported with their blueprints.
HANDLERS = {}
WORKER = f"{socket.gethostname()}:{os.getpid()}"


class GiveUp(Exception):
    """A job that would fail the same way however often it were tried."""


def handles(kind, gave_up=None):
    """``@handles("reminder")``: the function that does jobs of ``kind``; ``gave_up``, if
    given, is called once when a job of that kind fails for good."""
    def register(function):
        HANDLERS[kind] = (function, gave_up)
        return function
    return register


def run_due(app, limit=50, kinds=None):
    """Do the jobs that are due, up to ``limit``; returns how many were done or failed."""
    _prune_now_and_then(app)
    done = 0
    while done < limit:
        with unit_of_work(app) as session:
            job = job_queue.claim(session, f"{WORKER}:{threading.get_ident()}", kinds=kinds)
            if job is None:
                return done
            _do(app, session, job)
        done += 1
    return done


def _do(app, session, job):
    do, gave_up = HANDLERS.get(job.kind, (None, None))
    if do is None:
        job_queue.fail(session, job, f"No handler for jobs of kind {job.kind!r}.", retry=False)
        return
    started = time.perf_counter()
    try:
        with scope.entered(session, job.partnership_id):
            result = do(app, job)
    except GiveUp as error:
        session.rollback()
        job_queue.fail(session, job, str(error), retry=False)
    except Exception as error:  # a job's failure is reported on its page and tried again, never raised here
        log.warning("job %s (%s) failed on attempt %s: %s", job.id, job.kind, job.attempts, error)
        session.rollback()
        job_queue.fail(session, job, str(error) or type(error).__name__)
    else:
        job_queue.finish(session, job, result)
        log.info("job %s (%s) done in %.2f s", job.id, job.kind, time.perf_counter() - started)
        return
    failed = job_queue.find(session, job.id)
    if failed.state == "failed" and gave_up is not None:
        try:
            with scope.entered(session, job.partnership_id):
                gave_up(app, failed)
            session.commit()
        except Exception:
            log.exception("job %s: what follows its failure failed too", job.id)
            session.rollback()


_pruned = [0.0]


def _prune_now_and_then(app, every=3600):
    """Finished jobs are kept a while for their pages, then go (the table does not grow with history)."""
    if time.monotonic() - _pruned[0] < every:
        return
    _pruned[0] = time.monotonic()
    with unit_of_work(app) as session:
        job_queue.prune(session)


def work_off(app, kinds=None):
    """Every due job, until none is due (the tests, and the benches, do what the scheduler's process would)."""
    total = 0
    while True:
        done = run_due(app, kinds=kinds)
        total += done
        if not done:
            return total


class Worker:
    """A thread taking due jobs every ``seconds`` until stopped: the tests' live server
    runs one, as the scheduler's process does in production."""

    def __init__(self, app, seconds=0.2):
        self.app, self.seconds, self.stop = app, seconds, threading.Event()
        self.thread = threading.Thread(target=self._run, name="jobs", daemon=True)

    def _run(self):
        while not self.stop.wait(self.seconds):
            try:
                run_due(self.app)
            except Exception:  # the database away for a moment: the next turn tries again
                log.exception("the job worker's turn failed")

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=60)
