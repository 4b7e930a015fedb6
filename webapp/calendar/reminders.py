"""A reminder to those who have not answered an event, sent by a background job: the
manager's page answers at once, and a mail server that hangs or refuses is tried again
for those it did not reach (never again for those it did)."""
from domain import calendar as cal
from domain.models import RowChange

from ..background import handles
from ..extensions import db
from ..mail import NotSent, send


def _reached_nobody(app, job):
    """Failed for good before anyone got it: no reminder went, so the event's history
    keeps no line, and the next may go at once."""
    claim = db.session.get(RowChange, job.payload["claim_id"])
    if claim is not None and not job.payload.get("sent"):
        cal.settle_reminder(db.session, claim, 0)


@handles("reminder", gave_up=_reached_nobody)
def send_reminder(app, job):
    """Sends to each address not yet reached; what it reached is committed as it goes."""
    payload = dict(job.payload)
    waiting, sent, why = list(payload["waiting"]), payload.get("sent", 0), None
    for address in list(waiting):
        try:
            send(address, payload["subject"], payload["body"])
        except NotSent as error:
            why = str(error)
            continue
        waiting.remove(address)
        sent += 1
    job.payload = {**payload, "waiting": waiting, "sent": sent}
    claim = db.session.get(RowChange, payload["claim_id"])
    if claim is not None and sent:
        cal.settle_reminder(db.session, claim, sent)  # commits, with the job's progress
    db.session.commit()
    if waiting:
        raise NotSent(why)
    return {"sent": sent}
