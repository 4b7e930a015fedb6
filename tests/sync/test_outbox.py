"""Browser edits reaching the sheet: exactly the cells, found by ID, never over someone else's."""
from datetime import date, datetime

import pytest
from sqlalchemy import select

from domain import edits
from domain.edits import add_impact_entry, edit_action_row, editable_values, keep_mine, take_sheet
from domain.models import ImpactEntry, OutboxEntry, RowChange, Workbook
from sync.outbox import drain

from .conftest import actions


def edit(session, code, sheet_id, **changes):
    row = actions(session, code)[sheet_id]
    entry = edit_action_row(session, row, "Jo Teacher", changes, editable_values(row), row.version)
    session.commit()
    return entry


def header(sheet, tab):
    return sheet.rows(tab)[0]


def cell(sheet, tab, sheet_id, column):
    rows = sheet.rows(tab)
    col = rows[0].index(column)
    return next(r[col] for r in rows[1:] if r[0] == sheet_id)


@pytest.fixture
def synced(sync):
    sync()


def test_an_edit_writes_exactly_its_cells_and_last_updated(session, backend, synced, bank_road):
    before = {r[0]: r for r in bank_road.rows("Action plan")}
    entry = edit(session, "BR", "BR-A003", status="Behind", lead="Jo Teacher")
    assert entry.state == "waiting"
    [result] = drain(session, backend)
    assert result.state == "done"
    after = {r[0]: r for r in bank_road.rows("Action plan")}
    assert cell(bank_road, "Action plan", "BR-A003", "Status") == "Behind"
    assert cell(bank_road, "Action plan", "BR-A003", "Lead") == "Jo Teacher"
    changed = [i for i, (a, b) in enumerate(zip(before["BR-A003"], after["BR-A003"])) if a != b]
    assert [header(bank_road, "Action plan")[i] for i in changed] == ["Lead", "Status", "Last updated"]
    assert {k: v for k, v in after.items() if k != "BR-A003"} == {k: v for k, v in before.items() if k != "BR-A003"}


def test_the_row_is_found_by_its_id_after_the_sheet_was_sorted(session, backend, synced, bank_road):
    edit(session, "BR", "BR-A003", status="Complete")

    def reverse(sheet):
        rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
        for offset, values in enumerate(reversed(rows)):
            for col, value in enumerate(values, start=1):
                sheet.cell(row=2 + offset, column=col).value = value

    bank_road.edit("Action plan", reverse)
    drain(session, backend)
    assert cell(bank_road, "Action plan", "BR-A003", "Status") == "Complete"
    assert cell(bank_road, "Action plan", "BR-A006", "Status") == "On track"


def test_a_sheet_edit_meanwhile_is_a_conflict_and_nothing_is_written(session, backend, synced, bank_road):
    entry = edit(session, "BR", "BR-A003", status="Behind")
    bank_road.edit("Action plan", lambda s: setattr(s.cell(row=4, column=10), "value", "Complete"))
    [result] = drain(session, backend)
    assert result.state == "conflict" and "Changed in the sheet by someone else: Status" in result.reason
    assert entry.sheet_values["status"] == "Complete"
    assert cell(bank_road, "Action plan", "BR-A003", "Status") == "Complete"

    keep_mine(session, entry, "Carole Clemens")
    session.commit()
    [result] = drain(session, backend)
    assert result.state == "done"
    assert cell(bank_road, "Action plan", "BR-A003", "Status") == "Behind"


def test_taking_the_sheets_value_drops_the_edit_and_keeps_it_in_history(session, backend, synced, bank_road):
    entry = edit(session, "BR", "BR-A003", status="Behind")
    bank_road.edit("Action plan", lambda s: setattr(s.cell(row=4, column=10), "value", "Complete"))
    drain(session, backend)
    take_sheet(session, entry, "Carole Clemens")
    session.commit()
    row = actions(session, "BR")["BR-A003"]
    assert row.status == "Complete" and entry.state == "dropped"
    trail = [(c.field, c.old, c.new, c.source) for c in session.scalars(select(RowChange).where(RowChange.row_id == row.id))]
    assert ("status", "At risk", "Behind", "browser") in trail
    assert ("status", "Behind", "Complete", "conflict") in trail
    assert drain(session, backend) == []


def test_a_sheet_edit_to_another_cell_is_no_conflict(session, backend, synced, bank_road):
    edit(session, "BR", "BR-A003", status="Behind")
    bank_road.edit("Action plan", lambda s: setattr(s.cell(row=4, column=8), "value", "Typed in the sheet"))
    [result] = drain(session, backend)
    assert result.state == "done"
    assert cell(bank_road, "Action plan", "BR-A003", "Lead") == "Typed in the sheet"
    assert cell(bank_road, "Action plan", "BR-A003", "Status") == "Behind"


def test_a_two_cell_edit_whose_new_value_one_cell_holds_already_writes_the_other_with_no_conflict(
        session, backend, synced, bank_road):
    """Status typed in the sheet just as the editor chose it; Lead as the editor saw it.
    Neither is someone else's change, so the Lead is written and nothing is in conflict."""
    entry = edit(session, "BR", "BR-A003", status="Behind", lead="Jo Teacher")
    bank_road.edit("Action plan", lambda s: setattr(s.cell(row=4, column=10), "value", "Behind"))
    [result] = drain(session, backend)
    assert result.state == "done" and entry.reason != "Already in the sheet."
    assert cell(bank_road, "Action plan", "BR-A003", "Lead") == "Jo Teacher"
    assert cell(bank_road, "Action plan", "BR-A003", "Status") == "Behind"


def test_a_sync_before_the_write_keeps_the_browsers_value(session, backend, sync, synced, bank_road):
    edit(session, "BR", "BR-A003", status="Behind")
    bank_road.edit("Action plan", lambda s: setattr(s.cell(row=4, column=8), "value", "New lead"))
    sync()
    row = actions(session, "BR")["BR-A003"]
    assert row.status == "Behind" and row.lead == "New lead"
    sheet_changes = session.scalars(select(RowChange).where(RowChange.row_id == row.id, RowChange.source == "sheet")).all()
    assert [(c.field, c.old, c.new) for c in sheet_changes] == [("lead", "EHWB lead", "New lead")]


def test_a_deleted_row_leaves_the_edit_stuck_for_a_person(session, backend, synced, bank_road):
    edit(session, "BR", "BR-A003", status="Behind")
    bank_road.edit("Action plan", lambda s: s.delete_rows(4))
    [result] = drain(session, backend)
    assert result.state == "stuck" and "no longer in the sheet" in result.reason


def test_a_row_deleted_under_a_stuck_edit_stays_in_sight_until_the_edit_is_discarded(session, backend, sync, synced,
                                                                                      bank_road):
    from domain.edits import discard

    entry = edit(session, "BR", "BR-A003", status="Behind")
    bank_road.edit("Action plan", lambda s: s.delete_rows(4))
    drain(session, backend)
    sync()
    row = actions(session, "BR", archived=True)["BR-A003"]
    assert row.archived_at is None and row.stale  # still on the plan, where its editor sees why
    discard(session, entry, "Jo Teacher")
    session.commit()
    sync()
    assert actions(session, "BR", archived=True)["BR-A003"].archived_at is not None
    assert ("status", "Behind", "At risk") in [
        (c.field, c.old, c.new) for c in session.scalars(select(RowChange).where(RowChange.row_id == row.id))]


def test_a_later_edit_of_a_row_in_conflict_keeps_the_conflict_in_sight(session, backend, synced, bank_road):
    from domain.edits import latest_for_rows

    first = edit(session, "BR", "BR-A003", status="Behind")
    bank_road.edit("Action plan", lambda s: setattr(s.cell(row=4, column=10), "value", "Complete"))
    drain(session, backend)
    assert first.state == "conflict"
    edit(session, "BR", "BR-A003", lead="Jo Teacher")
    row = actions(session, "BR")["BR-A003"]
    assert latest_for_rows(session, "edit", [row.id])[row.id].id == first.id
    assert drain(session, backend, only_due=False) == []  # the later edit waits behind the choice


def test_an_id_on_two_rows_pauses_the_edit_instead_of_writing_to_either(session, backend, synced, bank_road):
    edit(session, "BR", "BR-A003", status="Behind")
    bank_road.edit("Action plan", lambda s: s.append([c.value for c in s[4]]))  # a pasted copy of the row
    before = bank_road.rows("Action plan")
    [result] = drain(session, backend)
    assert result.state == "waiting" and "BR-A003 is on rows 4, 8" in result.reason
    assert bank_road.rows("Action plan") == before


def test_a_cleared_id_column_pauses_edits_rather_than_calling_the_rows_deleted(session, backend, synced, bank_road):
    def clear_ids(sheet):
        for r in range(2, sheet.max_row + 1):
            sheet.cell(row=r, column=1).value = None

    edit(session, "BR", "BR-A003", status="Behind")
    bank_road.edit("Action plan", clear_ids)
    [result] = drain(session, backend)
    assert result.state == "waiting" and "ID column is empty" in result.reason


def test_a_new_entry_lands_right_below_the_log_not_below_formatted_blank_rows(session, backend, synced, bank_road):
    from datetime import date

    from openpyxl.styles import Border, Side

    def border_blank_rows(sheet):
        for r in range(sheet.max_row + 1, 60):
            sheet.cell(row=r, column=1).border = Border(bottom=Side(style="thin"))

    bank_road.edit("Impact log", border_blank_rows)
    workbook = session.scalar(select(Workbook).where(Workbook.code == "BR"))
    add_impact_entry(session, workbook, "Jo Teacher", {"date": date(2026, 11, 20), "summary": "Network"})
    session.commit()
    [result] = drain(session, backend)
    assert result.state == "done"
    rows = [r for r in bank_road.rows("Impact log") if any(v not in (None, "") for v in r)]
    assert rows[-1][0] == "BR-I005" and len(rows) == 1 + 5
    assert bank_road.rows("Impact log")[5][0] == "BR-I005"  # row 6: straight after the fifth row


def test_a_renamed_column_or_a_missing_id_column_pauses_writes(session, backend, synced, bank_road):
    entry = edit(session, "BR", "BR-A003", status="Behind")
    bank_road.edit("Action plan", lambda s: setattr(s.cell(row=1, column=10), "value", "Progress notes"))
    before = bank_road.rows("Action plan")
    [result] = drain(session, backend)
    assert result.state == "waiting" and result.reason.startswith("The 'Action plan' tab has no 'Status' column")
    assert entry.paused and edits.paused_writes(session, entry.workbook) == result.reason
    assert bank_road.rows("Action plan") == before and entry.attempts == 1
    bank_road.edit("Action plan", lambda s: s.delete_cols(1))
    entry.next_attempt_at = entry.created_at
    session.commit()
    [result] = drain(session, backend)
    assert "no ID column" in result.reason and entry.paused


def test_a_missing_or_locked_workbook_keeps_the_edit_waiting_with_its_reason(session, backend, synced, workbook_dir):
    entry = edit(session, "BR", "BR-A003", status="Behind")
    (workbook_dir / ".~lock.bank-road.xlsx#").write_text("x")
    [result] = drain(session, backend)
    assert result.state == "waiting" and "open in another program" in result.reason
    assert drain(session, backend) == []  # not due again yet: backoff
    (workbook_dir / ".~lock.bank-road.xlsx#").unlink()
    (workbook_dir / "bank-road.xlsx").rename(workbook_dir / "gone.xlsx")
    [result] = drain(session, backend, only_due=False)
    assert "was not found" in result.reason and entry.attempts == 2
    (workbook_dir / "gone.xlsx").rename(workbook_dir / "bank-road.xlsx")
    [result] = drain(session, backend, only_due=False)
    assert result.state == "done"


def test_an_impact_entry_is_appended_once_with_its_id(session, backend, sync, synced, bank_road):
    workbook = session.scalar(select(Workbook).where(Workbook.code == "BR"))
    entry, outbox = add_impact_entry(session, workbook, "Jo Teacher", {
        "date": date(2026, 11, 20), "action": "BR-A003", "activity": "CPD", "summary": "=Twilight on attachment",
        "strengths": "• Good turnout", "areas_to_develop": "Follow up",
    })
    session.commit()
    assert entry.sheet_id == "BR-I005"
    sync()  # a sync before the write must not archive the new entry
    assert session.get(ImpactEntry, entry.id).archived_at is None
    [result] = drain(session, backend)
    assert result.state == "done"
    rows = bank_road.rows("Impact log")
    assert rows[-1][:5] == ["BR-I005", datetime(2026, 11, 20), "BR-A003", "CPD", "=Twilight on attachment"]
    from openpyxl import load_workbook

    tab = load_workbook(bank_road.path)["Impact log"]
    typed = tab.cell(row=len(rows), column=5)
    assert typed.data_type == "s"  # text, as typed: not a formula a spreadsheet would run
    day = tab.cell(row=len(rows), column=2)
    assert day.is_date and day.number_format == "DD/MM/YYYY"  # a date cell that sorts as a date, shown the UK way
    assert rows[-1][7] == "Jo Teacher"
    outbox.state = "waiting"  # as if the write had timed out after landing
    session.commit()
    [result] = drain(session, backend, only_due=False)
    assert result.state == "done" and result.reason == "Already in the sheet."
    assert len(bank_road.rows("Impact log")) == len(rows)


def test_two_browser_edits_of_the_same_cell_meet_instead_of_overwriting(session, synced):
    from domain.edits import EditConflict

    row = actions(session, "BR")["BR-A003"]
    seen, version = editable_values(row), row.version
    edit_action_row(session, row, "First editor", {"status": "Behind"}, seen, version)
    with pytest.raises(EditConflict) as clash:
        edit_action_row(session, row, "Second editor", {"status": "Complete"}, seen, version)
    assert clash.value.fields == ["status"] and clash.value.current["status"] == "Behind"
    # Another cell of the same row is no clash: both edits stand.
    assert edit_action_row(session, row, "Second editor", {"lead": "Second editor"}, seen, version) is not None
    assert session.scalar(select(OutboxEntry).where(OutboxEntry.created_by == "Second editor")).fields == {
        "lead": {"seen": "EHWB lead", "new": "Second editor"}}


def test_a_new_entry_whose_id_a_person_typed_meanwhile_takes_the_next_one(session, backend, synced, bank_road):
    from datetime import date

    bank_road.edit("Impact log", lambda s: s.append(["BR-I005", "21/11/2026", "", "", None]))  # no summary yet
    workbook = session.scalar(select(Workbook).where(Workbook.code == "BR"))
    entry, outbox = add_impact_entry(session, workbook, "Jo Teacher", {"date": date(2026, 11, 22), "summary": "Visit"})
    session.commit()
    assert entry.sheet_id == "BR-I005"  # the sheet's row was not synced: it has no summary
    [result] = drain(session, backend)
    assert result.state == "done" and entry.sheet_id == outbox.sheet_id == "BR-I006"
    rows = bank_road.rows("Impact log")
    assert [r[0] for r in rows[-2:]] == ["BR-I005", "BR-I006"] and rows[-1][4] == "Visit"


def test_a_row_typed_under_a_new_entrys_id_with_its_date_but_another_summary_is_not_taken_for_it(
        session, backend, synced, bank_road):
    """Only a row with the entry's every required cell is the entry landed already (a retry);
    the same ID and date with another summary is someone else's row: the entry takes the
    next ID and is appended, and their row is left as it is."""
    bank_road.edit("Impact log", lambda s: s.append(["BR-I005", datetime(2026, 11, 22), "", "", "Their own visit"]))
    workbook = session.scalar(select(Workbook).where(Workbook.code == "BR"))
    entry, outbox = add_impact_entry(session, workbook, "Jo Teacher", {"date": date(2026, 11, 22), "summary": "Visit"})
    session.commit()
    assert entry.sheet_id == "BR-I005"
    [result] = drain(session, backend)
    assert result.state == "done" and result.reason != "Already in the sheet."
    assert entry.sheet_id == outbox.sheet_id == "BR-I006"
    rows = bank_road.rows("Impact log")
    assert [(r[0], r[1], r[4]) for r in rows[-2:]] == [("BR-I005", datetime(2026, 11, 22), "Their own visit"),
                                                       ("BR-I006", datetime(2026, 11, 22), "Visit")]


def test_a_drain_stopped_half_way_loses_nothing_and_carries_on(session, backend, synced, workbook_dir):
    from sync.backends.workbook import XlsxBackend

    class StopsOnSecondWrite(XlsxBackend):
        """The process is killed while writing to the second workbook."""

        writes = 0

        def write_cells(self, snapshot, writes):
            type(self).writes += 1
            if self.writes == 2:
                raise KeyboardInterrupt
            super().write_cells(snapshot, writes)

    edit(session, "BR", "BR-A003", status="Behind")
    edit(session, "WL", "WL-A001", status="Behind")
    with pytest.raises(KeyboardInterrupt):
        drain(session, StopsOnSecondWrite(workbook_dir))
    session.rollback()
    states = {e.sheet_id: e.state for e in session.scalars(select(OutboxEntry))}
    assert states == {"BR-A003": "done", "WL-A001": "waiting"}
    [result] = drain(session, backend)  # after a restart
    assert result.sheet_id == "WL-A001" and result.state == "done"


def test_a_rows_edits_land_in_the_order_they_were_made(session, backend, synced, workbook_dir, bank_road):
    (workbook_dir / ".~lock.bank-road.xlsx#").write_text("x")
    edit(session, "BR", "BR-A003", status="Behind")
    drain(session, backend)  # waits: the workbook is open elsewhere
    edit(session, "BR", "BR-A003", status="At risk")  # changed back before the first landed
    (workbook_dir / ".~lock.bank-road.xlsx#").unlink()
    assert drain(session, backend) == []  # the second waits behind the first, which is not due yet
    results = drain(session, backend, only_due=False)
    assert [r.state for r in results] == ["done", "done"]
    assert cell(bank_road, "Action plan", "BR-A003", "Status") == "At risk"
    assert actions(session, "BR")["BR-A003"].status == "At risk"


def test_two_quick_edits_of_one_cell_are_no_false_conflict(session, backend, synced, bank_road):
    edit(session, "BR", "BR-A003", status="Behind")
    edit(session, "BR", "BR-A003", status="Complete")
    results = drain(session, backend)
    assert [r.state for r in results] == ["done", "done"]
    assert cell(bank_road, "Action plan", "BR-A003", "Status") == "Complete"


def test_a_stuck_edit_discarded_while_a_sync_reads_lets_that_sync_archive_the_row(session, backend, sync, synced,
                                                                                  bank_road, workbook_dir):
    from sqlalchemy.orm import Session

    from domain.edits import discard
    from sync.backends.workbook import XlsxBackend
    from sync.run import run_sync

    entry = edit(session, "BR", "BR-A003", status="Behind")
    bank_road.edit("Action plan", lambda s: s.delete_rows(4))
    drain(session, backend)
    sync()  # the row stays, stale, under its stuck edit
    entry_id = entry.id

    class DiscardWhileReading(XlsxBackend):
        """A head discards the stuck edit, in their own request, while the sync reads the sheet."""

        def read(self, ref, layout=None, wanted=None):
            snapshot = super().read(ref, layout, wanted)
            if ref == "bank-road.xlsx":
                with Session(session.get_bind()) as other:
                    discard(other, other.get(OutboxEntry, entry_id), "Carole Clemens")
                    other.commit()
            return snapshot

    run_sync(session, DiscardWhileReading(workbook_dir), "partnership.xlsx", "test", full=True)
    assert actions(session, "BR", archived=True)["BR-A003"].archived_at is not None


def test_a_lead_the_workbook_cannot_hold_fails_that_edit_alone_and_a_person_can_discard_it(
        session, backend, synced, bank_road):
    edit(session, "BR", "BR-A001", status="Behind")
    stuck = edit(session, "BR", "BR-A002", lead="Jo\x07Smith")  # pasted from Word before input was cleaned
    edit(session, "BR", "BR-A003", status="Complete")
    results = {r.sheet_id: r for r in drain(session, backend)}
    assert results["BR-A001"].state == results["BR-A003"].state == "done"
    assert cell(bank_road, "Action plan", "BR-A001", "Status") == "Behind"
    assert cell(bank_road, "Action plan", "BR-A003", "Status") == "Complete"
    assert results["BR-A002"].state == "failed"
    assert "would not take this edit" in results["BR-A002"].reason and "Jo\x07Smith" not in results["BR-A002"].reason
    assert drain(session, backend, only_due=False) == []  # a failed edit waits for a person, not for a retry loop
    edits.choose(session, stuck, "discard", "Carole Clemens")
    session.commit()
    assert stuck.state == "dropped" and stuck.chooser == "Carole Clemens"
    history = session.scalars(select(RowChange).where(RowChange.row_id == stuck.row_id, RowChange.source == "conflict"))
    assert [c.who for c in history] == ["Carole Clemens discarded the browser's edit"]


def test_a_corrected_edit_of_a_refused_one_takes_its_place_and_lands(session, backend, synced, bank_road):
    first = edit(session, "BR", "BR-A002", lead="Jo\x0bSmith", status="Behind")
    [result] = drain(session, backend)
    assert result.state == "failed"
    second = edit(session, "BR", "BR-A002", lead="Jo Smith")  # the person types it again, without the stray character
    assert first.state == "dropped" and "Replaced by a later edit" in first.reason
    assert second.fields["lead"]["seen"] == first.fields["lead"]["seen"]  # compared with the sheet, not the refused text
    [result] = drain(session, backend)
    assert result.state == "done"  # no false conflict
    assert cell(bank_road, "Action plan", "BR-A002", "Lead") == "Jo Smith"
    assert cell(bank_road, "Action plan", "BR-A002", "Status") == "Behind"  # the refused edit's other cell still goes


def test_a_failed_edit_tried_again_fails_again_until_it_is_corrected(session, backend, synced):
    entry = edit(session, "BR", "BR-A002", lead="Jo\x07Smith")
    drain(session, backend)
    edits.choose(session, entry, "retry", "Jo Teacher")
    session.commit()
    assert entry.state == "waiting" and not entry.paused
    [result] = drain(session, backend)
    assert result.state == "failed"


def test_a_choice_made_after_another_persons_is_refused(session, synced, backend, bank_road):
    entry = edit(session, "BR", "BR-A002", lead="Jo\x07Smith")
    drain(session, backend)
    edits.choose(session, entry, "discard", "Carole Clemens")
    session.commit()
    with pytest.raises(edits.ChoiceTaken):
        edits.choose(session, entry, "retry", "Jo Teacher")


def test_finished_entries_are_removed_after_a_fortnight_and_waiting_ones_never(session, backend, synced, bank_road):
    from sync.outbox import KEEP_FINISHED

    done = edit(session, "BR", "BR-A001", status="Behind")
    drain(session, backend)
    waiting = edit(session, "BR", "BR-A002", status="Complete")
    waiting.next_attempt_at = waiting.created_at = datetime(2020, 1, 1)
    bank_road.path.with_name(".~lock.bank-road.xlsx#").write_text("open in LibreOffice")  # so it waits
    done.done_at = datetime.now() - KEEP_FINISHED - KEEP_FINISHED
    row_id = done.row_id
    session.commit()
    drain(session, backend)
    left = {e.sheet_id: e.state for e in session.scalars(select(OutboxEntry))}
    assert left == {"BR-A002": "waiting"}  # the row's history still has the finished edit
    assert session.scalar(select(RowChange).where(RowChange.row_id == row_id, RowChange.field == "status"))


def test_nothing_is_written_to_a_workbook_that_another_plan_shares(session, backend, synced, bank_road):
    entry = edit(session, "BR", "BR-A001", status="Behind")
    before = bank_road.rows("Action plan")
    workbooks = {w.code: w for w in session.scalars(select(Workbook))}
    workbooks["joint"].identity = workbooks["BR"].identity  # PARTNERSHIP_WORKBOOK set to the school's file, say
    session.commit()
    [result] = drain(session, backend)
    assert result.state == "waiting" and entry.paused
    assert "also the partnership workbook" in result.reason
    assert bank_road.rows("Action plan") == before
