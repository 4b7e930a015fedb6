"""What every drawing of an action row needs, wherever it is drawn."""
from dataclasses import astuple

from flask import render_template, url_for
from markupsafe import Markup

from domain import dates, kept, plans
from domain.access import sees_sheet_ids
from domain.attention import WAITING_FOR_A_PERSON
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


def rows_drawn(plan, user, context, filters, count_oob=False):
    """plans/_rows.html for ``context`` (the plan page's): drawn once and kept under the
    partnership's versions for everyone who would see the same (the same rows and filters,
    the same right to edit and to see IDs, the same day, the same edits on their way), as
    a plan of 50 rows is most of its page's time. An edit that waits for a choice is drawn
    afresh each time: its choices are the reader's own forms."""
    def draw():
        return Markup(render_template("plans/_rows.html", count_oob=count_oob, **context))

    states = context["states"]
    if any(state.state in WAITING_FOR_A_PERSON for state in states.values()):
        return draw()
    on_their_way = tuple(sorted((row_id, s.id, s.state, s.attempts, s.reason, s.done_at)
                                for row_id, s in states.items()))
    carried = tuple(sorted((row_id, astuple(link)) for row_id, link in context["carried"].items()))
    workbook_id = plan.workbook.id if plan.workbook is not None else None
    key = ("plan rows drawn", plan.code, workbook_id, filters, count_oob, context["can_edit"], sees_sheet_ids(user),
           dates.uk_today(), on_their_way, carried)
    return kept.for_partnership(db.session, key, draw)
