"""The Google path: real gspread over HTTP against the local Sheets/Drive stand-in."""
import time

import pytest
from sqlalchemy import func, select

from domain.models import ActionRow, ImpactEntry, SyncRun, Workbook
from sheets_emulator import Fault
from sheets_emulator.store import Cell as StoreCell
from sync.backends import CellWrite, WorkbookBusy
from sync.backends.google import EMULATOR_EMAIL, RateLimiter
from sync.run import run_sync

from .conftest import BR, JOINT, WL, actions
from .conftest import make_google_backend as make_backend


@pytest.fixture
def backend(google_backend):
    return google_backend


def calls(emulator):
    return dict(emulator.calls)


def test_first_sync_reads_everything_and_writes_ids_with_one_batch_per_workbook(session, gsync, emulator):
    results, report = gsync()
    assert report.ok, [r.line() for r in results.values()]
    assert len(actions(session, "joint")) == 10 and len(actions(session, "BR")) == 6 and len(actions(session, "WL")) == 5
    assert results["WL"].problems == 2
    # One Drive list; per workbook one batchGet of all its tabs (by the contract's
    # tab names); per workbook with rows lacking IDs, a Drive check that nobody
    # edited it since the read, then one values:batchUpdate.
    assert calls(emulator) == {"drive": 1 + 3, "sheets.read": 3, "sheets.write": 3}
    assert report.calls == {"drive": 4, "sheets.read": 3, "sheets.write": 3}
    header = emulator.store.rows(JOINT, "Action plan")[3]
    assert header[-1] == "ID"
    assert [row[-1] for row in emulator.store.rows(JOINT, "Action plan")[4:]] == [f"J-A{n:03d}" for n in range(1, 11)]
    assert emulator.store.rows(BR, "Action plan")[4][0] == "BR-A007"
    run = session.scalar(select(SyncRun))
    assert (run.sheets_reads, run.sheets_writes, run.drive_calls, run.workbooks_read) == (3, 3, 4, 3)


def test_a_sync_with_nothing_changed_costs_one_drive_call_and_no_sheets_read(gsync, emulator):
    gsync()
    gsync()  # our own ID writes moved modifiedTime: each of those is read once more
    results, report = gsync()
    assert calls(emulator) == {"drive": 1}
    assert all(r.skipped for r in results.values()) and report.ok


def test_a_person_editing_one_sheet_costs_one_batchget(session, gsync, emulator):
    gsync()
    gsync()
    emulator.store.edit(BR, "Action plan", 2, 10, "Red")  # J2: Status of BR-A001
    results, _ = gsync()
    assert calls(emulator) == {"drive": 1, "sheets.read": 1}
    assert results["BR"].changed == 1 and results["WL"].skipped and results["joint"].skipped
    assert actions(session, "BR")["BR-A001"].status == "Behind"
    assert any("batchGet" in path for _, path, _ in emulator.log)


def test_rows_inserted_and_moved_by_a_person_keep_their_identity(session, gsync, emulator):
    gsync()
    before = {sid: row.id for sid, row in actions(session, "BR").items()}
    emulator.store.insert_row(BR, "Action plan", 2, [None, "CPD", "4", "A new first row"])
    emulator.store.delete_row(BR, "Action plan", 4)  # BR-A002, once row 3
    results, _ = gsync()
    after = actions(session, "BR")
    assert results["BR"].added == 1 and results["BR"].archived == 1
    assert all(after[sid].id == before[sid] for sid in before if sid != "BR-A002")
    assert emulator.store.rows(BR, "Action plan")[1][0] == "BR-A008"


def test_429_twice_then_success_is_retried_and_the_sync_succeeds(session, gsync, emulator):
    emulator.inject(Fault("sheets.read", status=429, times=2, key=BR))
    results, report = gsync()
    assert report.ok and results["BR"].read == 15
    assert report.calls["sheets.read"] == 3 + 2


def test_a_lasting_500_fails_that_workbook_only_and_loses_nothing(session, gsync, emulator):
    gsync()
    gsync()
    emulator.store.edit(BR, "Action plan", 2, 10, "Red")
    emulator.inject(Fault("sheets.read", status=500, times=50, key=BR))
    results, report = gsync()
    assert not report.ok
    assert not results["BR"].ok and "busy or unavailable (HTTP 500)" in results["BR"].error
    assert emulator.calls["sheets.read"] == 4  # bounded: four tries, then give up until the next sync
    assert len(actions(session, "BR")) == 6 and actions(session, "BR")["BR-A001"].status == "Complete"
    emulator.faults.clear()
    results, _ = gsync()  # the failed workbook is read again next time
    assert results["BR"].ok and actions(session, "BR")["BR-A001"].status == "Behind"


def test_a_lasting_429_gives_up_instead_of_retrying_forever(session, gsync, emulator):
    gsync()
    gsync()
    for key in (JOINT, BR, WL):
        emulator.store.edit(key, "Action plan", 40, 2, "touched")
    emulator.inject(Fault("sheets.read", status=429, times=1000))
    started = time.monotonic()
    results, report = gsync()
    assert not report.ok and all("HTTP 429" in r.error for r in results.values())
    assert emulator.calls["sheets.read"] == 3 * 4
    assert time.monotonic() - started < 30


def test_a_call_that_times_out_is_retried(session, emulator):
    backend = make_backend(emulator, timeout=0.5)
    emulator.inject(Fault("sheets.read", delay=2.0, times=1, key=WL))
    report = run_sync(session, backend, emulator.partnership_url, "test")
    assert report.ok
    assert backend.http.timeout == (2, 0.5)  # gspread sets no timeout of its own


def test_a_drive_rate_limit_403_is_retried(session, gsync, emulator):
    emulator.inject(Fault("drive", status=403, reason="userRateLimitExceeded", times=2))
    results, report = gsync()
    assert report.ok and report.calls["drive"] == 3 + 3  # the listing tried three times; three checks before writes


def test_a_spreadsheet_shared_by_link_but_not_listed_is_still_synced(session, gsync, emulator):
    gsync()
    emulator.store.edit(BR, "Action plan", 2, 10, "Red")
    listing = emulator.drive_list
    emulator.drive_list = lambda request: {**listing(request), "files": [
        f for f in listing(request)["files"] if f["id"] != BR]}
    results, report = gsync()
    assert results["BR"].ok and results["BR"].changed == 1
    assert report.calls["drive"] == 2  # the listing, then one files.get for the missing one


def test_a_share_revoked_between_syncs_says_whom_to_share_with(session, gsync, emulator):
    gsync()
    emulator.store.spreadsheets[WL].shared = False
    results, report = gsync()
    assert not results["WL"].ok
    assert f"Share it with {EMULATOR_EMAIL}" in results["WL"].error
    assert results["BR"].ok
    assert len(actions(session, "WL")) == 5  # nothing archived
    assert session.scalar(select(Workbook.last_error).where(Workbook.code == "WL")).startswith("The spreadsheet")


def test_a_403_on_read_is_not_retried(session, gsync, emulator):
    emulator.inject(Fault("sheets.read", status=403, times=5, key=BR))
    results, _ = gsync()
    assert not results["BR"].ok and "not shared with the app" in results["BR"].error
    assert emulator.calls["sheets.read"] == 1 + 1 + 1  # joint, WL, and a single try for BR


def test_a_deleted_spreadsheet_fails_with_a_clear_message(session, gsync, emulator):
    gsync()
    emulator.store.spreadsheets[BR].trashed = True
    results, _ = gsync()
    assert not results["BR"].ok and "in the Drive bin" in results["BR"].error
    assert len(actions(session, "BR")) == 6


def test_a_workbook_whose_tabs_have_other_names_costs_one_more_read(session, gsync, emulator):
    emulator.store.spreadsheets[WL].sheet("Action plan").title = "Action plans"
    results, report = gsync()
    assert results["WL"].ok and results["WL"].read == 13
    assert report.calls["sheets.read"] == 1 + 1 + 3  # WL: a guess that fails, the titles, the read


def test_a_renamed_tab_is_found_again_with_one_metadata_read(session, gsync, emulator):
    gsync()
    gsync()
    emulator.store.spreadsheets[BR].sheet("Impact log").title = "Evidence 2025"
    emulator.store.spreadsheets[BR].touch()
    results, report = gsync()
    assert results["BR"].ok
    assert report.calls["sheets.read"] == 3  # batchGet fails to parse, metadata, batchGet again
    assert session.scalar(select(func.count(ImpactEntry.id)).where(ImpactEntry.archived_at.is_(None))) == 7


def test_a_failed_sync_never_archives_rows(session, gsync, emulator):
    gsync()
    emulator.store.delete_row(BR, "Action plan", 2)
    emulator.inject(Fault("sheets.read", status=503, times=50, key=BR))
    gsync()
    assert session.scalar(select(func.count(ActionRow.id)).where(ActionRow.archived_at.is_not(None))) == 0


def test_id_writes_are_raw_so_formula_text_stays_text(emulator, backend):
    snapshot = backend.read(f"https://docs.google.com/spreadsheets/d/{BR}/edit")
    snapshot.version = backend.versions().get(snapshot.ref)
    backend.write_cells(snapshot, [CellWrite("Action plan", 2, 7, "=IMPORTRANGE(\"x\")"), CellWrite("Action plan", 3, 7, "+44")])
    cell = emulator.store.spreadsheets[BR].sheet("Action plan").cells[(2, 7)]
    assert cell.formula is None and cell.value == '=IMPORTRANGE("x")'
    assert emulator.store.rows(BR, "Action plan")[2][6] == "+44"


def test_no_write_when_the_sheet_changed_since_it_was_read(emulator, backend):
    ref = f"https://docs.google.com/spreadsheets/d/{BR}/edit"
    snapshot = backend.read(ref)
    snapshot.version = backend.versions().get(ref)
    emulator.store.edit(BR, "Action plan", 9, 4, "Typed by a person meanwhile")
    with pytest.raises(WorkbookBusy):
        backend.write_cells(snapshot, [CellWrite("Action plan", 9, 1, "BR-A099")])
    assert emulator.store.rows(BR, "Action plan")[8][0] == ""


def test_an_id_column_beyond_the_grid_grows_the_grid_first(session, gsync, emulator):
    sheet = emulator.store.spreadsheets[JOINT].sheet("Action plan")
    sheet.columns = 9  # the joint plan's nine columns fill its grid exactly
    results, report = gsync()
    assert report.ok and sheet.columns == 10
    assert emulator.store.rows(JOINT, "Action plan")[4][9] == "J-A001"


def test_the_rate_limiter_paces_calls_under_the_quota():
    clock = [0.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        clock[0] += seconds

    limiter = RateLimiter(60, clock=lambda: clock[0], sleep=sleep)
    for _ in range(120):
        limiter.acquire()
    assert clock[0] == pytest.approx(119.0)  # 120 calls at 60 a minute take two minutes
    assert max(slept) == pytest.approx(1.0)


def test_reads_paced_by_the_backend_meet_no_429_where_unpaced_reads_do(session, emulator):
    # Two reads in three seconds: a sync's three reads fall within it however loaded the machine.
    emulator.reads_per_minute, emulator.quota_window = 2, 3.0
    report = run_sync(session, make_backend(emulator), emulator.partnership_url, "test")
    assert emulator.calls["rejected.429"] > 0  # unpaced: a storm of 429s (retried)

    time.sleep(emulator.quota_window)  # let the quota window empty
    emulator.reset_counts()
    paced = make_backend(emulator, reads_per_minute=35)  # under two in three seconds, with room for a late read
    report = run_sync(session, paced, emulator.partnership_url, "test", full=True)
    assert report.ok and emulator.calls["rejected.429"] == 0


def test_a_502_html_page_from_googles_front_end_is_retried(session, gsync, emulator):
    emulator.inject(Fault("sheets.read", status=502, html=True, times=1, key=BR))
    results, report = gsync()
    assert report.ok and results["BR"].read == 15
    assert report.calls["sheets.read"] == 3 + 1


@pytest.mark.parametrize("status", [408, 504])
def test_timeouts_google_reports_are_retried(session, gsync, emulator, status):
    emulator.inject(Fault("sheets.read", status=status, times=2, key=WL))
    results, report = gsync()
    assert report.ok and results["WL"].ok


def test_a_switched_off_api_says_to_enable_it_not_to_share_the_sheet(session, gsync, emulator):
    emulator.inject(Fault("sheets.read", status=403, reason="SERVICE_DISABLED", times=1, key=BR))
    results, _ = gsync()
    assert not results["BR"].ok
    assert "Google Sheets API is not enabled" in results["BR"].error and "Share it" not in results["BR"].error
    assert emulator.calls["sheets.read"] == 3  # not retried


def test_a_drive_listing_refused_falls_back_to_one_check_per_workbook(session, gsync, emulator):
    emulator.inject(Fault("drive", status=403, times=1))
    results, report = gsync()
    assert report.ok and all(r.read for r in results.values())
    assert report.calls["drive"] == 1 + 3 + 3  # the refused listing, a files.get each, a check before each ID write


def seven_more_schools(session, emulator):
    """Seven more school workbooks, synced once: enough to see a run give up before the end."""
    schools = emulator.store.spreadsheets[JOINT].sheet("Schools")
    for code in "ABCDEFG":
        key = emulator.store.create(f"School {code}", {"Action plan": [["ID", "Key objective"], [None, "Visits"]]},
                                    key=f"demo-school-{code}-0000000000")
        row = 20 + ord(code)
        schools.cells[(row, 1)], schools.cells[(row, 2)] = StoreCell(code), StoreCell(f"School {code}")
        schools.cells[(row, 3)] = StoreCell(f"https://docs.google.com/spreadsheets/d/{key}/edit")
    backend = make_backend(emulator)
    assert run_sync(session, backend, emulator.partnership_url, "test").ok
    run_sync(session, backend, emulator.partnership_url, "test")  # reads again what its ID writes touched
    emulator.reset_counts()
    return backend


def test_unchanged_workbooks_between_failing_ones_do_not_hide_an_outage(session, emulator):
    from sync.run import OUTAGE_LIMIT

    backend = seven_more_schools(session, emulator)
    for code in "BDFG":  # changed ones, with unchanged ones between them
        emulator.store.spreadsheets[f"demo-school-{code}-0000000000"].touch()
    emulator.inject(Fault("sheets.read", status=503, times=10_000))
    report = run_sync(session, backend, emulator.partnership_url, "test")
    results = {r.code: r for r in report.results}
    assert results["A"].skipped and results["C"].skipped and results["E"].skipped
    assert emulator.calls["sheets.read"] == 4 * OUTAGE_LIMIT  # B, D, F asked (four tries each); G not
    assert "stopped asking" in results["G"].error


def test_with_google_down_a_sync_stops_asking_after_a_few_workbooks(session, emulator):
    from sync.run import OUTAGE_LIMIT

    backend = seven_more_schools(session, emulator)
    for key in list(emulator.store.spreadsheets):
        emulator.store.spreadsheets[key].touch()  # all changed: each would be read
    emulator.inject(Fault("any", status=503, times=10_000))
    report = run_sync(session, backend, emulator.partnership_url, "test")
    results = {r.code: r for r in report.results}
    assert len(results) == 1 + 2 + 7 and not report.ok
    asked = [r for r in report.results if "stopped asking" not in r.error]
    assert len(asked) == OUTAGE_LIMIT  # the partnership, then schools until the limit
    assert all("Not read" in r.error for r in report.results[len(asked):])
    # the listing's four tries, then four tries of files.get for each workbook asked; then nothing more
    assert emulator.calls["drive"] == 4 + 4 * OUTAGE_LIMIT and emulator.calls["sheets.read"] == 0
    assert len(actions(session, "BR")) == 6  # nothing archived or lost


def test_dates_typed_into_date_cells_arrive_as_serials_and_are_read_as_dates(session, gsync, emulator, demo):
    from datetime import date

    from domain.dates import parse_date

    gsync()
    raw = emulator.store.spreadsheets[BR].get_values("'Impact log'", "UNFORMATTED_VALUE")["values"]
    assert isinstance(raw[1][1], int)  # a date cell: Sheets answers its serial number
    emulator.store.edit(BR, "Action plan", 2, 9, "25/12/2026")  # Due, typed by a person in an en_GB sheet
    gsync()
    row = actions(session, "BR")["BR-A001"]
    assert row.due_date == date(2026, 12, 25)
    impact = session.scalar(select(ImpactEntry).where(ImpactEntry.sheet_id == "BR-I001"))
    assert impact.date == parse_date(demo.school("BR")["impact"][0][1])  # as the demo typed it
