"""The job queue, in the database: work done once, in the background, surviving a restart.

A job is queued by the request that asks for it, in the request's own transaction (so a
request that fails queues nothing). A worker (webapp/background.py, in the scheduler's
process) claims the oldest due job with a conditional UPDATE, the same atomic step on
SQLite and PostgreSQL that the sync's lock uses: of two workers that pick the same job,
one changes its row and the other changes nothing and looks for another. A claim is a
lease: a job whose worker died (a restart, a killed process) is queued again once its
lease runs out, and counts that attempt. A job that fails is tried again later, each
wait four times the last, until its attempts run out; then it is failed, with its error.

No Flask here: the handlers that do the work are the web app's.
"""
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from .models import Job, utcnow
from .scope import HUB_WIDE  # a worker serves every partnership

LEASE = timedelta(minutes=5)  # longer than any job runs (a mail's timeouts, a 2,000-row pack)
FIRST_RETRY = timedelta(seconds=30)
KEEP_FINISHED = timedelta(days=30)


def enqueue(session, kind, payload=None, key="", partnership_id=None, requested_by_id=None, after=None,
            longest=None, max_attempts=5):
    """Queue a job, due now or ``after`` a while; returns it (flushed, so it has an id).

    With a ``key``, one job a key waits at a time: if one is queued already, that one is
    returned, made due no later than this one would be. With ``longest``, it waits
    ``after`` again from now instead (work done after a quiet while: each new ask
    restarts the while), but never longer than ``longest`` from when it was first asked."""
    run_at = utcnow() + (after or timedelta(0))
    if key:
        waiting = _queued(session, key)
        if waiting is not None:
            if not waiting.attempts:  # a job waiting after a failure keeps its backoff
                waiting.run_at = (min(max(waiting.run_at, run_at), waiting.created_at + longest)
                                  if longest is not None else min(waiting.run_at, run_at))
            return waiting
    job = Job(kind=kind, key=key, payload=payload or {}, partnership_id=partnership_id,
              requested_by_id=requested_by_id, run_at=run_at, max_attempts=max_attempts)
    if not key:
        session.add(job)
        session.flush()
        return job
    try:  # two requests queueing the same key at once: the unique index lets one in
        with session.begin_nested():
            session.add(job)
        return job
    except IntegrityError:
        return _queued(session, key)


def _queued(session, key):
    return session.scalars(select(Job).where(Job.key == key, Job.state == "queued")
                           .execution_options(**HUB_WIDE)).first()


def claim(session, worker, lease=LEASE, kinds=None):
    """The next due job, now ``worker``'s for the lease; None when nothing is due.
    Committed: another worker sees it taken at once."""
    now = utcnow()
    _requeue_abandoned(session, now)
    for _ in range(5):  # another worker may take the one picked: pick again
        due = select(Job.id).where(Job.state == "queued", Job.run_at <= now)
        if kinds:
            due = due.where(Job.kind.in_(kinds))
        job_id = session.execute(due.order_by(Job.run_at, Job.id).limit(1).execution_options(**HUB_WIDE)).scalar()
        if job_id is None:
            session.commit()
            return None
        taken = session.execute(
            update(Job).where(Job.id == job_id, Job.state == "queued")
            .values(state="running", worker=worker, lease_until=now + lease, started_at=now,
                    attempts=Job.attempts + 1)
            .execution_options(synchronize_session=False, **HUB_WIDE)).rowcount
        session.commit()
        if taken == 1:
            job = session.get(Job, job_id, populate_existing=True, execution_options=HUB_WIDE)
            return job
    return None


def _requeue_abandoned(session, now):
    """Jobs whose worker stopped holding them (it died mid-job): queued again, or failed if
    that was their last attempt. A queued job of the same key already waiting stands for
    it, so the abandoned one is closed instead."""
    abandoned = session.scalars(select(Job).where(Job.state == "running", Job.lease_until < now)
                                .execution_options(**HUB_WIDE)).all()
    for job in abandoned:
        reason = "The worker doing this stopped before it finished (a restart?)."
        if job.attempts >= job.max_attempts:
            _close(session, job, "failed", error=reason)
        elif job.key and _queued(session, job.key) is not None:
            _close(session, job, "failed", error=reason + " A newer request stands for it.")
        else:
            session.execute(update(Job).where(Job.id == job.id, Job.state == "running", Job.lease_until < now)
                            .values(state="queued", run_at=now, worker=None, lease_until=None, error=reason)
                            .execution_options(synchronize_session=False, **HUB_WIDE))
    if abandoned:
        session.commit()


def finish(session, job, result=None):
    """The job is done; ``result`` is what its page shows."""
    _close(session, job, "done", result=result)
    session.commit()


def fail(session, job, error, retry=True, result=None):
    """The job failed this time: queued again after a wait that grows fourfold with each
    attempt (30 s, 2 min, 8 min, …), or failed for good once its attempts are spent (or
    when ``retry`` is False: trying again would fail the same way)."""
    if retry and job.attempts < job.max_attempts:
        wait = FIRST_RETRY * 4 ** (job.attempts - 1)
        session.execute(update(Job).where(Job.id == job.id, Job.worker == job.worker, Job.state == "running")
                        .values(state="queued", run_at=utcnow() + wait, worker=None, lease_until=None,
                                error=str(error)[:2000], result=result)
                        .execution_options(synchronize_session=False, **HUB_WIDE))
    else:
        _close(session, job, "failed", error=str(error)[:2000], result=result)
    session.commit()


def _close(session, job, state, error=None, result=None):
    """Done or failed, if the job is still this worker's (a lease that ran out and was
    taken by another worker is the other's to close)."""
    values = dict(state=state, finished_at=utcnow(), lease_until=None, result=result)
    if error is not None:
        values["error"] = error
    session.execute(update(Job).where(Job.id == job.id, Job.state == "running", Job.worker == job.worker)
                    .values(**values).execution_options(synchronize_session=False, **HUB_WIDE))


def find(session, job_id):
    """A job by id (its page follows it), whichever partnership asked."""
    return session.get(Job, job_id, populate_existing=True, execution_options=HUB_WIDE)


def latest(session, key):
    """The newest job of ``key`` (its page shows how it went), or None."""
    return session.scalars(select(Job).where(Job.key == key).order_by(Job.id.desc()).limit(1)
                           .execution_options(**HUB_WIDE)).first()


def cancel(session, key, reason):
    """The waiting job of ``key``, if any, will not be done: something replaced it."""
    session.execute(update(Job).where(Job.key == key, Job.state == "queued")
                    .values(state="failed", finished_at=utcnow(), error=reason)
                    .execution_options(synchronize_session=False, **HUB_WIDE))


def prune(session, keep=KEEP_FINISHED):
    """Finished jobs older than ``keep`` go; committed."""
    session.execute(delete(Job).where(Job.state.in_(("done", "failed")), Job.finished_at < utcnow() - keep)
                    .execution_options(**HUB_WIDE))
    session.commit()
