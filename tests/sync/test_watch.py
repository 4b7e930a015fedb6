"""The watch between syncs: one Drive call a look, a sync only when a sheet changed."""
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from domain.models import SyncRun, Workbook
from sheets_emulator import Fault
from sync import jobs, lock
from sync.watch import changed_workbooks

from .conftest import BR, WL, actions


@pytest.fixture
def backend(google_backend):
    return google_backend


@pytest.fixture
def watch(session, google_backend, emulator):
    """One look, as the scheduler makes it every WATCH_SECONDS."""

    @contextmanager
    def sessions():
        yield session

    return lambda: jobs.watch(sessions, google_backend, emulator.partnership_url)


@pytest.fixture
def settled(gsync, emulator):
    """Synced twice (the first sync's ID writes move the sheets' versions), counts reset."""
    gsync()
    gsync()
    emulator.reset_counts()


def runs(session):
    session.expire_all()
    return session.scalar(select(func.count(SyncRun.id)))


def test_a_quiet_minute_of_looks_costs_six_drive_calls_no_read_and_no_sync_run(session, settled, watch, emulator):
    before = runs(session)
    for _ in range(6):  # a minute at WATCH_SECONDS=10
        assert watch() is None
    assert dict(emulator.calls) == {"drive": 6}
    assert runs(session) == before
    assert lock.current_holder(session) is None


def test_a_sheet_edit_shows_after_the_next_look_which_reads_only_that_sheet(session, settled, watch, emulator):
    emulator.store.edit(BR, "Action plan", 2, 10, "Red")  # J2: Status of BR-A001
    before = runs(session)
    report = watch()
    assert actions(session, "BR")["BR-A001"].status == "Behind"
    results = {r.code: r for r in report.results}
    assert results["BR"].changed == 1 and results["WL"].skipped and results["joint"].skipped
    assert emulator.calls["sheets.read"] == 1  # the changed sheet alone
    assert runs(session) == before + 1
    assert session.scalar(select(SyncRun).order_by(SyncRun.id.desc()).limit(1)).trigger == "watch"
    emulator.reset_counts()
    assert watch() is None and dict(emulator.calls) == {"drive": 1}  # and quiet again


def test_a_look_while_another_sync_holds_the_lock_does_nothing_and_records_nothing(session, settled, watch, emulator):
    emulator.store.edit(WL, "Action plan", 2, 10, "Red")
    assert lock.acquire(session, "the scheduled sync")
    before = runs(session)
    report = watch()
    assert report.busy and runs(session) == before
    assert emulator.calls["sheets.read"] == 0
    lock.release(session, "the scheduled sync")
    watch()
    assert emulator.calls["sheets.read"] == 1


def test_a_drive_outage_is_left_to_the_scheduled_sync(session, settled, watch, emulator):
    emulator.inject(Fault("drive", status=503, times=100))
    before = runs(session)
    assert watch() is None
    assert runs(session) == before and emulator.calls["sheets.read"] == 0


def test_a_workbook_that_failed_for_an_outage_is_not_retried_by_every_look(session, settled, emulator, google_backend):
    workbook = session.scalar(select(Workbook).where(Workbook.code == "BR"))
    workbook.version, workbook.last_error = None, "Google did not answer"
    session.commit()
    versions = google_backend.versions()
    assert changed_workbooks(session, versions) == []
    workbook.last_error = None  # unknown only because the hub wrote to it: a look reads it
    session.commit()
    assert changed_workbooks(session, versions) == ["BR"]


def test_a_request_to_read_again_is_a_change(session, settled, emulator, google_backend):
    workbook = session.scalar(select(Workbook).where(Workbook.code == "WL"))
    workbook.reread_requested_at = workbook.last_read_at
    session.commit()
    assert changed_workbooks(session, google_backend.versions()) == ["WL"]


def test_before_the_first_sync_a_look_syncs(session, watch, emulator):
    report = watch()
    assert report.ok and {r.code for r in report.results} == {"joint", "BR", "WL"}
