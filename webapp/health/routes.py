"""GET /healthz: what a load balancer or a monitor needs, and nothing more.

Counts and one timestamp only: never a name, an e-mail, a workbook's reference
or an error's text, since anyone who can reach the URL can read it. 503 when the
database cannot answer these questions (unreachable, or not migrated), so a load
balancer takes this instance out of service. docs/security.md says why each field is there.
"""
import logging

from flask import Blueprint, jsonify

from domain import plans, scope
from sync.outbox import waiting_count

from ..extensions import db

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)

UNKNOWN = dict(database=False, last_successful_sync=None, sheet_problems=None, outbox_waiting=None,
               workbooks_failing=None)


@bp.get("/healthz")
def healthz():
    try:
        with scope.whole_hub(db.session):  # the hub's counts, across its partnerships (numbers only)
            report = _counts()
    except Exception as error:  # the answer itself is the report; the reason goes to the log only
        db.session.rollback()
        log.warning("healthz: the database did not answer (%s)", error.__class__.__name__)
        return jsonify(UNKNOWN), 503
    return jsonify(report)


def _counts():
    last = plans.last_success_at(db.session)
    return dict(
        database=True,
        last_successful_sync=last.isoformat() + "Z" if last else None,
        sheet_problems=plans.problem_total(db.session),
        outbox_waiting=waiting_count(db.session),
        # Workbooks the last attempt could not read: a school's sheet, or the service, is down.
        workbooks_failing=plans.failing_workbook_count(db.session),
    )
