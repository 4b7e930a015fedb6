"""Saving a row's edit, with no Flask: a row moved on meanwhile is compared again, and
only a real clash comes back to the editor, with their values kept."""
from sqlalchemy import update
from sqlalchemy.orm import Session

from domain.edits import editable_values, save_row_edit
from domain.models import ActionRow, OutboxEntry

from .conftest import actions


def _moved_on(session, row_id, **cells):
    """Another process (a sync, another save) changes the row and commits."""
    with Session(session.get_bind()) as other:
        other.execute(update(ActionRow).where(ActionRow.id == row_id)
                      .values(version=ActionRow.version + 1, **cells))
        other.commit()


def test_a_save_that_meets_a_row_moved_by_a_sync_compares_again_and_lands(session, sync):
    sync()
    row = actions(session, "BR")["BR-A003"]
    seen, version = editable_values(row), row.version
    _moved_on(session, row.id, sheet_row=99)  # the sync stored the row's new place
    outcome = save_row_edit(session, lambda: session.get(ActionRow, row.id), "Jo", {"status": "Behind"}, seen, version)
    assert outcome.clash is None and isinstance(outcome.entry, OutboxEntry)
    assert session.get(ActionRow, row.id).status == "Behind"


def test_a_real_clash_keeps_the_editors_changed_cells_and_takes_the_rest_as_they_are_now(session, sync):
    sync()
    row = actions(session, "BR")["BR-A003"]
    seen, version = editable_values(row), row.version
    _moved_on(session, row.id, status="Complete", lead="Someone else")
    changes = dict(seen, status="Behind")
    outcome = save_row_edit(session, lambda: session.get(ActionRow, row.id), "Jo", changes, seen, version)
    assert outcome.entry is None and outcome.clash.fields == ["status"]
    assert outcome.values["status"] == "Behind" and outcome.values["lead"] == "Someone else"
    assert session.get(ActionRow, row.id).status == "Complete"
