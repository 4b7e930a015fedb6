"""The job queue (domain/job_queue.py) and its worker (webapp/background.py): each job done
once however many workers take jobs at the same moment, a job whose worker died done after
a restart, a failing job tried again after growing waits and then reported."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from domain import job_queue
from domain.models import Job, utcnow
from webapp import background
from webapp.extensions import db

done, given_up = [], []


def _give_up(app, job):
    given_up.append(job.id)


@background.handles("test-count", gave_up=_give_up)
def _count(app, job):
    done.append(job.payload["n"])
    if job.payload.get("fail_times", 0) >= job.attempts:
        raise RuntimeError(f"failing on attempt {job.attempts}")
    return {"n": job.payload["n"]}


@pytest.fixture(autouse=True)
def _fresh():
    done.clear()
    given_up.clear()


def queue(app, count=1, **payload):
    with app.app_context():
        ids = [job_queue.enqueue(db.session, "test-count", payload={"n": n, **payload}).id for n in range(count)]
        db.session.commit()
    return ids


def jobs(app):
    with app.app_context():
        return {job.id: (job.state, job.attempts) for job in db.session.scalars(select(Job))}


def test_each_job_is_done_once_by_four_workers_taking_jobs_at_once(app):
    queue(app, 60)
    start = threading.Barrier(4)
    errors = []

    def worker():
        start.wait()
        try:
            background.work_off(app, kinds=["test-count"])
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(done) == list(range(60))  # every job, none twice
    assert set(jobs(app).values()) == {("done", 1)}


def test_a_job_whose_worker_died_is_done_after_its_lease_runs_out(app):
    [job_id] = queue(app)
    with app.app_context():
        job = job_queue.claim(db.session, "a worker that is about to be killed")
        assert job.id == job_id
    assert background.run_due(app) == 0  # its lease holds: nobody else takes it meanwhile
    assert done == []
    with app.app_context():  # the lease runs out (the process was restarted and never came back to it)
        db.session.execute(update(Job).values(lease_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert background.run_due(app) == 1
    assert done == [0] and jobs(app) == {job_id: ("done", 2)}


def test_a_failing_job_is_tried_again_after_growing_waits_then_reported_once(app):
    [job_id] = queue(app, fail_times=99)
    waits = []
    for attempt in range(1, 6):
        assert background.run_due(app) == 1
        with app.app_context():
            job = db.session.get(Job, job_id)
            assert job.attempts == attempt and job.error == f"failing on attempt {attempt}"
            if attempt < 5:
                assert job.state == "queued"
                waits.append(round((job.run_at - utcnow()).total_seconds()))
                assert background.run_due(app) == 0  # not due yet
                db.session.execute(update(Job).values(run_at=utcnow()))
                db.session.commit()
    assert [w // 10 for w in waits] == [3, 12, 48, 192]  # 30 s, 2 min, 8 min, 32 min (to the second)
    assert jobs(app) == {job_id: ("failed", 5)} and given_up == [job_id]


def test_a_job_that_fails_once_is_done_on_its_second_attempt(app):
    [job_id] = queue(app, fail_times=1)
    background.run_due(app)
    with app.app_context():
        db.session.execute(update(Job).values(run_at=utcnow()))
        db.session.commit()
    background.run_due(app)
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert (job.state, job.attempts, job.result) == ("done", 2, {"n": 0})
    assert given_up == []


def test_asking_again_for_work_that_waits_is_the_same_job(app):
    with app.app_context():
        first = job_queue.enqueue(db.session, "test-count", key="pack:1", payload={"n": 1}).id
        again = job_queue.enqueue(db.session, "test-count", key="pack:1", payload={"n": 2}).id
        other = job_queue.enqueue(db.session, "test-count", key="pack:2", payload={"n": 3}).id
        db.session.commit()
    assert first == again != other
    background.work_off(app)
    assert sorted(done) == [1, 3]
    with app.app_context():  # done: asking again is new work
        assert job_queue.enqueue(db.session, "test-count", key="pack:1", payload={"n": 4}).id not in (first, other)


def test_a_job_of_no_known_kind_fails_at_once_and_says_so(app):
    with app.app_context():
        job_queue.enqueue(db.session, "no-such-kind")
        db.session.commit()
    background.run_due(app)
    with app.app_context():
        job = db.session.scalar(select(Job))
        assert job.state == "failed" and "No handler" in job.error
