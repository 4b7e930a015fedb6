"""What every drawing of an action row needs, wherever it is drawn."""
from flask_login import current_user

from domain import plans
from domain.access import can_edit_plan
from domain.edits import latest_for_rows

from ..extensions import db


def rows_context(plan, rows):
    can_edit = can_edit_plan(current_user, plan.code)
    return dict(
        objectives=plans.objectives(db.session),
        # Edits on their way to the sheet, and conflicts, are for those who may edit the plan.
        states=latest_for_rows(db.session, "edit", [row.id for row in rows]) if can_edit else {},
        can_edit=can_edit,
    )
