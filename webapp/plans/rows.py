"""What every drawing of an action row needs, wherever it is drawn."""

from domain import plans
from domain.edits import latest_for_rows
from domain.new_year import carry_links

from ..extensions import db
from ..lookups import can_change


def rows_context(plan, rows):
    can_edit = can_change(plan)
    return dict(
        objectives=plans.objectives(db.session),
        # The row of last year's plan each carries on (or, in last year's plan, carried it on).
        carried=carry_links(db.session, rows, past=not plan.is_current),
        # Edits on their way to the sheet, and conflicts, are for those who may edit the plan.
        states=latest_for_rows(db.session, "edit", [row.id for row in rows]) if can_edit else {},
        can_edit=can_edit,
    )
