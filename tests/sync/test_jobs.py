"""The scheduler's job without Flask: edits first, then a sync, then edits made meanwhile."""
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.edits import edit_action_row, editable_values
from domain.models import OutboxEntry, SyncRun
from sync import jobs

from .conftest import actions


def test_a_tick_writes_waiting_edits_and_syncs_with_a_plain_session(session, backend, sync, bank_road):
    sync()
    row = actions(session, "BR")["BR-A001"]
    edit_action_row(session, row, "Jo Teacher", {"status": "Behind"}, editable_values(row), row.version)
    session.commit()
    engine = session.get_bind()
    report = jobs.tick(lambda: Session(engine), backend, "partnership.xlsx")
    assert report.ok and not report.busy
    session.expire_all()
    assert session.scalar(select(OutboxEntry.state)) == "done"
    assert [r.trigger for r in session.scalars(select(SyncRun).order_by(SyncRun.id))] == ["test", "scheduler"]
    header = bank_road.rows("Action plan")[0]
    assert next(r for r in bank_road.rows("Action plan") if r[0] == "BR-A001")[header.index("Status")] == "Behind"


def test_a_sync_that_dies_closes_its_requested_run(session, sync):
    run = SyncRun(trigger="button")
    session.add(run)
    session.commit()

    class Broken:
        calls = {}

        def versions(self):
            raise RuntimeError("boom")

        def identity(self, ref):
            raise RuntimeError("the transport itself is broken")

    engine = session.get_bind()
    with pytest.raises(RuntimeError):
        jobs.sync_then_drain(lambda: Session(engine), Broken(), "partnership.xlsx", "button", run_id=run.id)
    session.expire_all()
    assert run.finished_at is not None and run.ok is False  # not "all read"
    assert "unexpected error" in run.results[-1]["error"]
