"""Syncing the .xlsx workbooks: identity, IDs, problems, and failures that stay local."""
import os

from sqlalchemy import func, select

from domain.models import ActionRow, ImpactEntry, Objective, School, SheetProblem, SipPriority, SyncRun, Workbook
from sync import lock
from sync.backends import CellWrite
from sync.backends.workbook import XlsxBackend

from .conftest import actions


def problems_of(session, code):
    workbook = session.scalar(select(Workbook).where(Workbook.code == code))
    return session.scalars(select(SheetProblem).where(SheetProblem.workbook_id == workbook.id)).all()


def test_first_sync_reads_the_whole_demo_partnership(session, sync, demo):
    results, report = sync()
    assert report.ok
    assert sorted(results) == ["BR", "WL", "joint"]
    assert [s.code for s in session.scalars(select(School).order_by(School.code))] == ["BR", "WL"]
    assert session.scalar(select(func.count(Objective.id))) == 10
    joint = actions(session, "joint")
    assert len(joint) == 10
    areas = [r.area for r in sorted(joint.values(), key=lambda r: r.sheet_row)]
    assert areas[:3] == ["Safeguarding", "Teaching and Learning", "Staff"]
    assert areas[-1] == f"Combined SIP priorities ({demo.tab_year})"  # the demo's year, not the seed's
    assert len(actions(session, "BR")) == 6 and len(actions(session, "WL")) == 5
    assert session.scalar(select(func.count(SipPriority.id))) == 9
    # WL's 'next week' impact row waits as a problem; the other three are stored.
    assert session.scalar(select(func.count(ImpactEntry.id))) == 4 + 3
    assert results["WL"].problems == 2
    run = session.scalar(select(SyncRun))
    assert run.ok and run.finished_at and len(run.results) == 3


def test_new_rows_get_ids_written_into_the_sheet_and_an_id_column_is_added(session, sync, partnership, bank_road):
    sync()
    header = partnership.rows("Action plan")[3]
    assert header[-1] == "ID"  # appended after the last used column
    ids = [row[-1] for row in partnership.rows("Action plan")[4:]]
    assert ids == [f"J-A{n:03d}" for n in range(1, 11)]
    assert [row[0] for row in bank_road.rows("Action plan")][1:] == [
        "BR-A001", "BR-A002", "BR-A003", "BR-A007", "BR-A005", "BR-A006",
    ]
    assert set(actions(session, "joint")) == set(ids)


def test_a_second_sync_changes_nothing_and_duplicates_nothing(session, sync):
    sync()
    results, _ = sync()
    assert all(r.added == r.changed == r.archived == 0 for r in results.values())
    assert session.scalar(select(func.count(ActionRow.id))) == 21


def test_rows_keep_their_identity_when_the_sheet_is_sorted(session, sync, bank_road):
    sync()
    before = {sid: row.id for sid, row in actions(session, "BR").items()}

    def reverse(sheet):
        rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
        for offset, values in enumerate(reversed(rows)):
            for col, value in enumerate(values, start=1):
                sheet.cell(row=2 + offset, column=col).value = value  # value=None would not clear

    bank_road.edit("Action plan", reverse)
    results, _ = sync()
    after = actions(session, "BR")
    assert {sid: row.id for sid, row in after.items()} == before
    assert results["BR"].changed == 0
    assert after["BR-A001"].sheet_row == 7


def test_an_edited_cell_changes_the_row(session, sync, bank_road):
    sync()
    bank_road.edit("Action plan", lambda s: s.cell(row=2, column=10, value="Red"))
    results, _ = sync()
    assert results["BR"].changed == 1
    assert actions(session, "BR")["BR-A001"].status == "Behind"


def test_a_removed_row_is_archived_and_comes_back_with_its_id(session, sync, bank_road):
    sync()
    original_id = actions(session, "BR")["BR-A002"].id
    saved = []

    def cut(sheet):
        saved.extend(c.value for c in sheet[3])
        sheet.delete_rows(3)

    bank_road.edit("Action plan", cut)
    results, _ = sync()
    assert results["BR"].archived == 1
    assert "BR-A002" not in actions(session, "BR")
    assert actions(session, "BR", archived=True)["BR-A002"].archived_at is not None

    bank_road.edit("Action plan", lambda s: s.append(saved))
    sync()
    back = actions(session, "BR")["BR-A002"]
    assert back.id == original_id and back.archived_at is None


def test_ids_are_never_reused(session, sync, bank_road):
    sync()  # BR-A007 was the last ID given
    bank_road.edit("Action plan", lambda s: s.delete_rows(5))  # the BR-A007 row
    sync()
    bank_road.edit("Action plan", lambda s: s.append([None, "CPD", "4", "New training plan"]))
    sync()
    assert "BR-A008" in actions(session, "BR")
    assert bank_road.rows("Action plan")[-1][0] == "BR-A008"


def test_an_id_a_person_typed_is_kept(session, sync, bank_road):
    bank_road.edit("Action plan", lambda s: s.append(["MY-OWN-1", "CPD", "", "Typed by hand"]))
    sync()
    assert actions(session, "BR")["MY-OWN-1"].key_objective == "Typed by hand"
    assert bank_road.rows("Action plan")[-1][0] == "MY-OWN-1"


def test_a_duplicate_id_is_a_problem_and_the_later_row_waits(session, sync, bank_road):
    sync()
    bank_road.edit("Action plan", lambda s: s.append(["BR-A001", "CPD", "", "A copy someone pasted"]))
    results, report = sync()
    assert report.ok
    row = actions(session, "BR")["BR-A001"]
    assert row.key_objective.startswith("Annual safeguarding audit")
    duplicate = [p for p in problems_of(session, "BR") if "also on row 2" in p.message]
    assert duplicate and duplicate[0].row == 8 and duplicate[0].fix


def test_a_row_that_becomes_unreadable_keeps_its_last_good_version_marked_stale(session, sync, bank_road):
    sync()
    bank_road.edit("Action plan", lambda s: setattr(s.cell(row=2, column=4), "value", None))  # Key objective cleared
    results, report = sync()
    row = actions(session, "BR")["BR-A001"]
    assert row.stale and row.key_objective.startswith("Annual safeguarding audit")
    assert results["BR"].archived == 0
    assert any(p.row == 2 and "Key objective" in p.column for p in problems_of(session, "BR"))


def test_a_missing_workbook_fails_alone_and_loses_nothing(session, sync, workbook_dir):
    sync()
    (workbook_dir / "william-lilley.xlsx").unlink()
    results, report = sync()
    assert not report.ok
    assert not results["WL"].ok and "william-lilley.xlsx" in results["WL"].error and "not found" in results["WL"].error
    assert results["BR"].ok and results["joint"].ok
    assert len(actions(session, "WL")) == 5  # nothing archived
    assert "not found" in session.scalar(select(Workbook.last_error).where(Workbook.code == "WL"))


def test_an_unreadable_file_fails_with_a_clear_message(session, sync, workbook_dir):
    (workbook_dir / "bank-road.xlsx").write_text("this is not a spreadsheet")
    results, _ = sync()
    assert not results["BR"].ok and "not a readable .xlsx" in results["BR"].error
    assert results["WL"].ok


def test_a_school_workbook_without_an_action_plan_fails(session, sync, bank_road):
    sync()
    bank_road.edit("Action plan", lambda s: setattr(s, "title", "Old plan"))
    results, _ = sync()
    assert not results["BR"].ok and "no 'Action plan' tab" in results["BR"].error
    assert len(actions(session, "BR")) == 6


def test_a_broken_workbook_still_reads_as_failed_at_the_next_sync_though_it_is_not_read_again(session, sync, bank_road):
    sync()
    bank_road.edit("Action plan", lambda s: setattr(s, "title", "Old plan"))
    sync()
    results, report = sync()  # unchanged since it failed: not read, and still not healthy
    assert results["BR"].skipped and not results["BR"].ok and not report.ok
    assert "no 'Action plan' tab" in results["BR"].error and "not read again" in results["BR"].error
    bank_road.edit("Old plan", lambda s: setattr(s, "title", "Action plan"))
    results, report = sync()
    assert results["BR"].ok and report.ok


def test_a_missing_impact_log_is_a_problem_not_a_failure_and_keeps_its_rows(session, sync, bank_road):
    sync()
    bank_road.edit("Impact log", lambda s: setattr(s, "title", "Evidence 2025"))
    results, _ = sync()
    assert results["BR"].ok
    assert any("no 'Impact log' tab" in p.message for p in problems_of(session, "BR"))
    assert session.scalar(select(func.count(ImpactEntry.id)).where(ImpactEntry.archived_at.is_(None))) == 7


def test_a_missing_required_column_fails_the_plan_with_the_column_named(session, sync, bank_road):
    bank_road.edit("Action plan", lambda s: s.cell(row=1, column=4, value="Objective text"))
    results, _ = sync()
    assert not results["BR"].ok and "Key objective" in results["BR"].error


def test_a_missing_partnership_workbook_still_syncs_the_schools_already_known(session, sync, workbook_dir, bank_road):
    sync()
    (workbook_dir / "partnership.xlsx").rename(workbook_dir / "moved.xlsx")
    bank_road.edit("Action plan", lambda s: s.cell(row=2, column=10, value="Behind"))
    results, _ = sync()
    assert not results["joint"].ok
    assert results["BR"].ok and actions(session, "BR")["BR-A001"].status == "Behind"
    assert len(actions(session, "joint")) == 10


def test_a_workbook_open_elsewhere_gets_no_ids_and_its_new_rows_wait(session, sync, workbook_dir, bank_road):
    (workbook_dir / ".~lock.bank-road.xlsx#").write_text("someone,editing")
    results, _ = sync()
    assert results["BR"].ok
    assert len(actions(session, "BR")) == 5  # the row with no ID waits
    waiting = [p for p in problems_of(session, "BR") if p.column == "ID"]
    assert waiting and "open in another program" in waiting[0].message
    assert bank_road.rows("Action plan")[4][0] is None  # the sheet was not touched

    (workbook_dir / ".~lock.bank-road.xlsx#").unlink()
    sync()
    assert "BR-A007" in actions(session, "BR")


def test_a_school_removed_from_the_schools_tab_is_archived_not_deleted(session, sync, partnership):
    sync()
    partnership.edit("Schools", lambda s: s.delete_rows(3))
    results, _ = sync()
    assert results["joint"].archived == 1
    assert "WL" not in results
    wl = session.scalar(select(School).where(School.code == "WL"))
    assert wl.archived_at is not None
    assert len(actions(session, "WL")) == 5


def test_only_one_sync_runs_at_a_time(session, sync):
    assert lock.acquire(session, "another-host:123")
    results, report = sync()
    assert report.busy and not results
    lock.release(session, "another-host:123")
    _, report = sync()
    assert report.ok


def test_a_dead_holders_lock_expires(session, sync):
    from datetime import timedelta

    assert lock.acquire(session, "crashed-host:1", lease=timedelta(seconds=-1))
    _, report = sync()
    assert report.ok


def test_raw_writes_keep_formula_like_text_as_text(workbook_dir):
    backend = XlsxBackend(workbook_dir)
    snapshot = backend.read("bank-road.xlsx")
    backend.write_cells(snapshot, [CellWrite("Action plan", 2, 7, "=SUM(A1:A3)"), CellWrite("Action plan", 3, 7, "+44 1234")])
    again = backend.read("bank-road.xlsx")
    assert again.tabs["Action plan"][1][6] == "=SUM(A1:A3)"
    assert again.tabs["Action plan"][2][6] == "+44 1234"


def test_a_write_is_refused_when_the_file_changed_since_it_was_read(workbook_dir):
    backend = XlsxBackend(workbook_dir)
    snapshot = backend.read("bank-road.xlsx")
    path = workbook_dir / "bank-road.xlsx"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    from sync.backends import WorkbookBusy

    try:
        backend.write_cells(snapshot, [CellWrite("Action plan", 2, 7, "x")])
    except WorkbookBusy as error:
        assert "changed while it was being read" in error.message
    else:
        raise AssertionError("the write went ahead over a newer file")


def test_a_renamed_id_column_archives_nothing_and_gives_no_new_ids(session, sync, workbook_dir):
    from .conftest import Sheet

    william = Sheet(workbook_dir / "william-lilley.xlsx")
    sync()
    william.edit("Action plan", lambda s: setattr(s.cell(row=3, column=1), "value", "Row ref"))
    results, _ = sync()
    assert results["WL"].ok and results["WL"].archived == 0
    assert sorted(actions(session, "WL")) == ["WL-A001", "WL-A002", "WL-A003", "WL-A004", "WL-A005"]
    assert "ID" not in william.rows("Action plan")[2]  # no second ID column was written
    assert any("has no ID column any more" in p.message for p in problems_of(session, "WL"))


def test_a_cleared_id_column_is_a_problem_not_a_renumbering(session, sync, bank_road):
    sync()

    def clear_ids(sheet):
        for row in range(2, sheet.max_row + 1):
            sheet.cell(row=row, column=1).value = None

    bank_road.edit("Action plan", clear_ids)
    results, _ = sync()
    assert results["BR"].archived == 0 and sorted(actions(session, "BR"))[0] == "BR-A001"
    assert any("has no IDs in its ID column" in p.message for p in problems_of(session, "BR"))


def test_a_slip_in_a_schools_row_never_archives_the_school(session, sync, partnership):
    sync()
    partnership.edit("Schools", lambda s: setattr(s.cell(row=2, column=2), "value", None))  # BR's name blanked
    results, _ = sync()
    br = session.scalar(select(School).where(School.code == "BR"))
    assert br.archived_at is None and br.name == "Bank Road Infant and Nursery School"
    assert results["BR"].ok


def test_two_schools_cannot_share_one_workbook(session, sync, partnership):
    partnership.edit("Schools", lambda s: setattr(s.cell(row=3, column=3), "value", "bank-road.xlsx"))
    results, _ = sync()
    assert not results["WL"].ok and "No workbook is given" in results["WL"].error
    assert any("School WL's workbook is the workbook of school BR" in p.message for p in problems_of(session, "joint"))
    assert len(actions(session, "WL")) == 0


def test_a_repeated_objective_ref_or_school_code_is_a_problem_and_the_first_row_counts(session, sync, partnership):
    def repeat_first_rows(book_tab):
        book_tab.append([c.value for c in book_tab[2]])

    sync()
    partnership.edit("Objectives", repeat_first_rows)
    partnership.edit("Schools", repeat_first_rows)
    results, _ = sync()
    assert results["joint"].ok
    messages = [p.message for p in problems_of(session, "joint")]
    assert "Ref 1 is also on row 2; this row is left out." in messages
    assert "Code BR is also on row 2; this row is left out." in messages


def test_a_workbook_whose_sheet_is_damaged_inside_fails_with_a_clear_message(session, sync, workbook_dir):
    import zipfile

    path = workbook_dir / "bank-road.xlsx"
    with zipfile.ZipFile(path) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:200]  # cut off mid-way
    with zipfile.ZipFile(path, "w") as damaged:
        for name, data in parts.items():
            damaged.writestr(name, data)
    results, _ = sync()
    assert not results["BR"].ok and "not a readable .xlsx file" in results["BR"].error
    assert results["WL"].ok


def test_one_broken_sheet_does_not_stop_the_partnership_counting_as_synced(session, sync, bank_road):
    from domain.plans import last_success_at

    sync()
    bank_road.edit("Action plan", lambda s: setattr(s, "title", "Old plan"))
    sync()
    _, report = sync()
    assert not report.ok
    latest = session.scalar(select(SyncRun).order_by(SyncRun.id.desc()))
    assert (latest.workbooks_failed, latest.workbooks_skipped) == (1, 2)
    assert last_success_at(session) == latest.finished_at  # the other workbooks are known current


def add_school(partnership, code, workbook):
    partnership.edit("Schools", lambda s: s.append([code, f"School {code}", workbook, "Primary", "", ""]))


def test_a_school_pointed_at_another_schools_file_by_another_spelling_syncs_none_of_its_rows(
        session, sync, partnership):
    sync()
    add_school(partnership, "XX", "bank-road")  # no .xlsx: the same file as Bank Road's
    add_school(partnership, "YY", "./william-lilley.xlsx")
    add_school(partnership, "ZZ", "partnership.xlsx")
    results, _ = sync()
    for code in ("XX", "YY", "ZZ"):
        assert not results[code].ok and actions(session, code) == {}
    messages = [p.message for p in problems_of(session, "joint")]
    assert "School XX's workbook is the workbook of school BR, so none of its rows are synced." in messages
    assert "School YY's workbook is the workbook of school WL, so none of its rows are synced." in messages
    assert "School ZZ's workbook is the partnership workbook, so none of its rows are synced." in messages
    assert results["BR"].ok and len(actions(session, "BR")) == 6


def test_a_workbook_outside_the_folder_is_refused_with_a_clear_message(session, sync, partnership, workbook_dir):
    outside = workbook_dir.parent / "elsewhere"
    outside.mkdir()
    (outside / "bank-road.xlsx").write_bytes((workbook_dir / "bank-road.xlsx").read_bytes())
    add_school(partnership, "XX", "../elsewhere/bank-road.xlsx")
    results, _ = sync()
    assert not results["XX"].ok and "not a file in the workbook folder" in results["XX"].error
    assert actions(session, "XX") == {}
    assert any("School XX: '../elsewhere/bank-road.xlsx' is not a file in the workbook folder" in p.message
               for p in problems_of(session, "joint"))


def test_a_repeated_id_stays_with_its_row_when_the_sheet_is_sorted(session, sync, bank_road):
    sync()
    original = actions(session, "BR")["BR-A002"].key_objective

    def paste_a_changed_copy_on_top(sheet):
        copy = [c.value for c in sheet[3]]  # BR-A002's row, ID and all
        copy[3] = "A new action typed over a copied row"
        sheet.insert_rows(2)
        for column, value in enumerate(copy, start=1):
            sheet.cell(row=2, column=column, value=value)

    bank_road.edit("Action plan", paste_a_changed_copy_on_top)
    results, _ = sync()
    row = actions(session, "BR")["BR-A002"]
    assert row.key_objective == original and row.sheet_row == 4  # the ID kept its row, now one lower
    [problem] = [p for p in problems_of(session, "BR") if "also on row" in p.message]
    assert problem.row == 2 and problem.message.startswith("The ID BR-A002 is also on row 4, which keeps it")


def statements_of(session, work):
    """How many SQL statements ``work`` sends."""
    from sqlalchemy import event

    count = []
    engine = session.get_bind()
    listener = lambda *args: count.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(count)


def test_a_sync_with_nothing_changed_costs_no_statements_per_unchanged_workbook(session, sync, partnership,
                                                                                workbook_dir):
    sync()
    sync()
    few = statements_of(session, sync)
    for n in range(10):
        (workbook_dir / f"copy-{n}.xlsx").write_bytes((workbook_dir / "william-lilley.xlsx").read_bytes())
        add_school(partnership, f"C{n}", f"copy-{n}.xlsx")
    sync()
    sync()
    many = statements_of(session, sync)
    assert many - few <= 2, (few, many)  # not one each: 12 unchanged workbooks cost what 2 did


def test_sync_runs_older_than_the_retention_are_removed(session, sync):
    from datetime import datetime

    from sync.run import KEEP_RUNS

    session.add(SyncRun(trigger="cli", started_at=datetime.now() - KEEP_RUNS - KEEP_RUNS, finished_at=datetime.now()))
    session.commit()
    sync()
    assert session.scalar(select(func.count(SyncRun.id))) == 1


def test_the_themes_tab_syncs_by_theme_and_a_partnership_without_one_still_syncs(session, sync, partnership):
    from domain.models import Theme

    sync()
    themes = {t.name: t for t in session.scalars(select(Theme))}
    assert themes["Emotional health and wellbeing"].also_called == "Wellbeing; Mental health"
    assert themes["Emotional health and wellbeing"].key == "emotionalhealthandwellbeing"

    def respell_and_drop(sheet):
        sheet["A2"] = "Emotional Health & Well-being"  # the same theme, spelled otherwise
        sheet.delete_rows(3)  # Writing
    partnership.edit("Themes", respell_and_drop)
    results, _ = sync()
    assert results["joint"].ok
    session.expire_all()
    themes = {t.key: t for t in session.scalars(select(Theme))}
    assert themes["emotionalhealthandwellbeing"].name == "Emotional Health & Well-being"
    assert themes["writing"].archived_at is not None

    partnership.edit("Themes", lambda sheet: setattr(sheet, "title", "Jottings"))  # no Themes tab now
    results, _ = sync()
    assert results["joint"].ok and not any("Themes" in p.message for p in problems_of(session, "joint"))


def test_a_school_keeps_its_workbook_when_a_newcomer_above_it_or_a_slip_in_its_row_would_take_it(
        session, sync, partnership):
    sync()

    def newcomer_on_top_and_a_blank_name(sheet):
        sheet.insert_rows(2)
        for column, value in enumerate(["XX", "School XX", "bank-road.xlsx"], start=1):
            sheet.cell(row=2, column=column, value=value)
        sheet["B3"] = ""  # Bank Road's row, now row 3, loses its name: a slip, not a move

    partnership.edit("Schools", newcomer_on_top_and_a_blank_name)
    results, _ = sync()
    assert not results["XX"].ok and actions(session, "XX") == {}
    assert results["BR"].ok and len(actions(session, "BR")) == 6
    assert any("School XX's workbook is the workbook of school BR" in p.message for p in problems_of(session, "joint"))


def test_a_refused_id_write_leaves_the_new_rows_waiting_and_stores_the_rest(session, workbook_dir, bank_road):
    from sync.errors import ValuesRefused
    from sync.run import run_sync

    class Refusing(XlsxBackend):
        def write_cells(self, snapshot, writes):
            raise ValuesRefused("The sheet refused the IDs.", "Try again.")

    backend = Refusing(workbook_dir)
    report = run_sync(session, backend, "partnership.xlsx", "test")
    results = {r.code: r for r in report.results}
    assert results["BR"].ok and "BR-A001" in actions(session, "BR")  # rows with IDs are stored
    assert any("could not write one" in p.message for p in problems_of(session, "BR"))


def test_sheet_problems_that_change_move_their_workbooks_version_and_the_same_ones_do_not(session, sync):
    """Pages keep each plan's sheet problems counted under its workbook's version
    (domain/versions.py): problems found anew, with no row changed, must move it on, and
    the same problems read again must leave it (and what is kept) where it was."""
    from sync.run import _replace_problems

    sync()
    wl = session.scalar(select(Workbook).where(Workbook.code == "WL"))
    found, version = problems_of(session, "WL"), wl.content_version
    assert len(found) == 2
    _replace_problems(session, wl, list(found))
    session.commit()
    session.refresh(wl)
    assert wl.content_version == version and len(problems_of(session, "WL")) == 2
    _replace_problems(session, wl, found[:1])
    session.commit()
    session.refresh(wl)
    assert wl.content_version > version and len(problems_of(session, "WL")) == 1
