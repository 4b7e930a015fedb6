"""The sheets check as a background job: it reads every workbook once, which on Google takes
a minute at a large partnership, so the coordinator's page asks for it and follows it."""
from dataclasses import asdict

from domain import job_queue
from sync.setup_check import CheckResult, check_partnership, year_kinds

from ..background import handles
from ..extensions import db
from ..syncing import backend_for


def job_key(partnership_id):
    return f"sheets-check:{partnership_id}"


def ask_for(session, partnership, ref, requested_by_id):
    """Queue a check of the partnership's workbooks; returns the job. One at a time: asked
    for while one waits or runs, that one is the answer."""
    under_way = latest(session, partnership)
    if under_way is not None and under_way.state == "running":
        return under_way
    return job_queue.enqueue(session, "sheets-check", key=job_key(partnership.id), partnership_id=partnership.id,
                             requested_by_id=requested_by_id, payload={"ref": ref}, max_attempts=2)


def latest(session, partnership):
    """The newest check of the partnership (its job), or None."""
    return job_queue.latest(session, job_key(partnership.id))


def results(job):
    """A finished check's lines (CheckResult), or None while there are none."""
    if job is None or job.state != "done":
        return None
    return [CheckResult(**line) for line in job.result["checks"]]


@handles("sheets-check")
def _check(app, job):
    lines = check_partnership(backend_for(app), job.payload["ref"], year_kinds(db.session))
    return {"checks": [asdict(line) for line in lines]}
