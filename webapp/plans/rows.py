"""What every drawing of an action row needs, wherever it is drawn."""

from flask import url_for

from domain import plans
from domain.edits import latest_for_rows
from domain.new_year import carry_links

from ..extensions import db
from ..lookups import can_change


class RowUrls:
    """The addresses a drawn row links to, of one plan: each address made by url_for once,
    with a hole where each row puts its id (a plan's page draws 50 rows, four links each)."""

    HOLE = "987654321987"  # no row has this id

    def __init__(self, plan):
        self.plan, self._made = plan, {}

    def _url(self, endpoint, row_id, **args):
        key = (endpoint, *sorted(args.items()))
        if key not in self._made:
            before, after = url_for(endpoint, code=self.plan.code, row_id=int(self.HOLE), **args).split(self.HOLE)
            self._made[key] = (before, after)
        before, after = self._made[key]
        return f"{before}{row_id}{after}"

    def row(self, row_id, view=None):
        return self._url("plans.row", row_id, year=self.plan.past_year, view=view)

    def history(self, row_id):
        return self._url("edits.row_history", row_id, year=self.plan.past_year)

    def edit(self, row_id):
        return self._url("edits.edit_row", row_id)

    def evidence(self, row_id):
        return self._url("impact.evidence_form", row_id)


def rows_context(plan, rows):
    can_edit = can_change(plan)
    return dict(
        row_urls=RowUrls(plan),
        objectives=plans.objectives(db.session),
        # The row of last year's plan each carries on (or, in last year's plan, carried it on).
        carried=carry_links(db.session, rows, past=not plan.is_current),
        # Edits on their way to the sheet, and conflicts, are for those who may edit the plan.
        states=latest_for_rows(db.session, "edit", [row.id for row in rows]) if can_edit else {},
        can_edit=can_edit,
    )
