"""Formula cells are not blanked by the app's own writes (issue 13, part B)."""
from openpyxl import load_workbook
from sqlalchemy import select

from domain.models import RowChange, SheetProblem, Workbook
from sync.backends import CellWrite
from sync.backends.workbook import XlsxBackend

from .conftest import actions
from .hostile import store_results

OUTCOME = "Statutory requirements met; staff confident."


def formulas(path, tab, cells):
    """Type formulas the way openpyxl saves them: no stored result (never opened in Excel)."""
    book = load_workbook(path)
    for coordinate, formula in cells.items():
        book[tab][coordinate] = formula
    book.save(path)


def problems_of(session, code):
    workbook = session.scalar(select(Workbook).where(Workbook.code == code))
    return session.scalars(select(SheetProblem).where(SheetProblem.workbook_id == workbook.id)).all()


def history(session, row_id):
    return session.scalars(select(RowChange).where(RowChange.row_id == row_id, RowChange.table == "action_row")).all()


def test_a_formula_made_outcome_survives_the_apps_own_write(session, sync, workbook_dir):
    path = workbook_dir / "bank-road.xlsx"
    formulas(path, "Action plan", {"F2": '="Statutory requirements met; "&"staff confident."'})
    store_results(path, "Action plan", {"F2": OUTCOME})  # as Excel saves it
    sync()
    row = actions(session, "BR")["BR-A001"]
    assert row.intended_outcome == OUTCOME
    # The app writes an unrelated cell (a browser edit of Status landing): openpyxl saves
    # the workbook and drops every formula's stored result.
    backend = XlsxBackend(workbook_dir)
    backend.write_cells(backend.read("bank-road.xlsx"), [CellWrite("Action plan", 2, 10, "At risk")])
    assert load_workbook(path, data_only=True)["Action plan"]["F2"].value is None
    results, _ = sync()
    row = actions(session, "BR")["BR-A001"]
    assert row.status == "At risk" and row.intended_outcome == OUTCOME
    assert [c.field for c in history(session, row.id)] == ["status"]  # no "-> '' by the sheet"
    assert not [p for p in problems_of(session, "BR") if "formula" in p.message]


def test_the_first_read_of_a_never_opened_workbook_says_which_cells_it_could_not_read(session, sync, workbook_dir):
    path = workbook_dir / "bank-road.xlsx"
    formulas(path, "Action plan", {f"F{n}": f'="Outcome of row "&{n}' for n in range(2, 8)})
    formulas(path, "SIP priorities", {"D3": '="Detail "&"three"'})
    results, report = sync()
    assert report.ok
    unread = [p for p in problems_of(session, "BR") if "no stored result" in p.message]
    assert [(p.tab, p.row, p.column) for p in unread] == [
        ("Action plan", 2, "F (Intended outcome)"), ("SIP priorities", 3, "D (Detail)")]
    assert "6 cells of this column (rows 2-7) are formulas with no stored result" in unread[0].message
    assert "open" in unread[0].fix.lower() and "save" in unread[0].fix
    assert unread[1].message.startswith("This cell's formula has no stored result")
    assert len(actions(session, "BR")) == 6  # the rows themselves are stored

    store_results(path, "Action plan", {f"F{n}": f"Outcome of row {n}" for n in range(2, 8)})  # opened and saved
    store_results(path, "SIP priorities", {"D3": "Detail three"})
    sync()
    assert actions(session, "BR")["BR-A002"].intended_outcome == "Outcome of row 3"
    assert not [p for p in problems_of(session, "BR") if "no stored result" in p.message]


def test_a_required_cell_with_an_unread_formula_keeps_the_rows_last_version(session, sync, workbook_dir):
    sync()
    path = workbook_dir / "bank-road.xlsx"
    formulas(path, "Action plan", {"D3": '="Raise attainment in "&"writing at KS1"'})
    sync()
    row = actions(session, "BR")["BR-A002"]
    assert row.key_objective == "Raise attainment in writing at KS1" and row.stale
    problem = next(p for p in problems_of(session, "BR") if p.row == 3)
    assert problem.column == "D (Key objective)" and "no stored result" in problem.message


def test_ids_made_by_formulas_with_no_stored_result_are_never_guessed(session, sync, workbook_dir):
    sync()
    path = workbook_dir / "bank-road.xlsx"
    formulas(path, "Action plan", {f"A{n}": f'="BR-A"&TEXT({n - 1},"000")' for n in range(2, 8)})
    results, _ = sync()
    assert not results["BR"].ok and "cannot be told apart" in results["BR"].error
    assert len(actions(session, "BR")) == 6  # nothing archived, nothing renumbered
    assert load_workbook(path)["Action plan"]["A2"].value.startswith("=")  # and no ID written over the formula


def test_an_edit_of_a_cell_whose_formula_has_no_stored_result_waits_instead_of_writing_over_it(
        session, sync, workbook_dir, backend):
    from domain.edits import edit_action_row, editable_values
    from sync.outbox import drain

    path = workbook_dir / "bank-road.xlsx"
    sync()
    row = actions(session, "BR")["BR-A001"]
    entry = edit_action_row(session, row, "Jo Teacher", {"status": "Behind"}, editable_values(row), row.version)
    session.commit()
    formulas(path, "Action plan", {"J2": '=IF(TRUE,"Complete","Behind")'})  # Status became a formula
    [result] = drain(session, backend)
    assert result.state == "waiting" and entry.paused and "formula with no stored result" in result.reason
    assert load_workbook(path)["Action plan"]["J2"].value == '=IF(TRUE,"Complete","Behind")'  # not written over
