"""GET /healthz: for monitoring. Nothing secret or personal."""
from flask import Blueprint, jsonify
from sqlalchemy import text

from domain import plans
from sync.outbox import waiting_count

from ..extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # the answer itself is the report: database unreachable
        db.session.rollback()
        return jsonify(database=False, last_successful_sync=None, sheet_problems=None, outbox_waiting=None,
                       workbooks_failing=None), 503
    last = plans.last_success_at(db.session)
    return jsonify(
        database=True,
        last_successful_sync=last.isoformat() + "Z" if last else None,
        sheet_problems=plans.problem_total(db.session),
        outbox_waiting=waiting_count(db.session),
        # Workbooks the last attempt could not read: a school's sheet, or the service, is down.
        workbooks_failing=plans.failing_workbook_count(db.session),
    )
