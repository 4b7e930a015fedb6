"""What every drawing of an action row needs, wherever it is drawn."""
from flask_login import current_user

from domain import plans
from domain.access import can_edit_plan
from domain.edits import latest_for_rows

from ..extensions import db


def rows_context(plan, rows):
    return dict(
        objectives=plans.objectives(db.session),
        states=latest_for_rows(db.session, "edit", [row.id for row in rows]),
        can_edit=can_edit_plan(current_user, plan.code),
    )
