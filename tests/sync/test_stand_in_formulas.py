"""The Sheets stand-in computes formulas as Google does (issue 13, part B), over HTTP with gspread."""
from datetime import date

import gspread
import pytest
from openpyxl import Workbook as Book

from sheets_emulator.store import Store
from sheets_emulator.workbooks import load_xlsx

from .conftest import BR, actions, make_google_backend
from .hostile import store_results


@pytest.fixture
def sheet(emulator):
    """A tab of numbers and text in the stand-in, and a gspread worksheet onto it over HTTP."""
    key = emulator.store.create("Sums", {"Data": [[1, 2, 3], [4, "x", 6], ["5", None, True]], "Other tab": [[10]]})
    backend = make_google_backend(emulator)
    client = gspread.Client(auth=None, session=backend.http.session)
    client.set_timeout((2, 5))
    worksheet = client.open_by_key(key).worksheet("Data")

    def typed(formula, render="UNFORMATTED_VALUE"):
        emulator.store.edit(key, "Data", 10, 5, formula)  # E10, typed by a person (USER_ENTERED)
        return worksheet.get("E10", value_render_option=render)[0][0]

    return typed


@pytest.mark.parametrize("formula, answer", [
    ("=1+2*3", 7), ("=(1+2)*3", 9), ("=2^3-1", 7), ("=7/2", 3.5), ("=50%", 0.5), ("=-A1", -1),
    ("=SUM(A1:C2)", 16), ("=SUM(A1, 2, \"3\")", 6), ("=AVERAGE(A1:C2)", 3.2), ("=COUNT(A1:C3)", 5),
    ("=COUNTA(A1:C3)", 8), ("=MIN(A1:C2)", 1), ("=MAX(A:C)", 6), ("=sum(a1:a2)", 5),
    ('=IF(A1>0, "yes", "no")', "yes"), ('=IF(B2="x", A1+1)', 2), ("=IF(FALSE, 1)", False),
    ('=CONCATENATE("Pupils ", "read ", 3, " books")', "Pupils read 3 books"), ('="Year "&A2&B2', "Year 4x"),
    ("='Other tab'!A1*2", 20), ("=A3+1", 6), ("=SUM(E:E)", "#REF!"),  # E10 itself: a loop
    ("=A1/0", "#DIV/0!"), ("=A1+B2", "#VALUE!"), ("=VLOOKUP(1, A1:B2, 2)", "#NAME?"), ("=SUM(", "#ERROR!"),
])
def test_the_stand_in_computes_the_formulas_schools_use(sheet, formula, answer):
    assert sheet(formula) == answer


def test_today_is_a_date_as_google_answers_it(sheet):
    assert sheet("=TODAY()", "FORMATTED_VALUE") == date.today().strftime("%d/%m/%Y")
    assert sheet("=TODAY()") == (date.today() - date(1899, 12, 30)).days


def test_a_formula_typed_in_google_syncs_as_its_result(session, gsync, emulator):
    gsync()
    emulator.store.edit(BR, "Action plan", 2, 6, '=CONCATENATE("Pupils ", "read ", "more")')
    emulator.store.edit(BR, "Action plan", 3, 11, "=TODAY()")  # Last updated
    gsync()
    assert actions(session, "BR")["BR-A001"].intended_outcome == "Pupils read more"
    assert actions(session, "BR")["BR-A002"].last_updated == date.today().strftime("%d/%m/%Y")


def test_a_workbook_uploaded_with_stored_results_answers_them_where_google_has_no_such_function(tmp_path):
    path = tmp_path / "uploaded.xlsx"
    book = Book()
    book.active.title = "Data"
    book.active["A1"], book.active["A2"], book.active["A3"] = 2, "=A1*10", "=XLOOKUP(1, A1:A1, A1:A1)"
    book.save(path)
    store_results(path, "Data", {"A2": 20, "A3": "found"})
    store = Store()
    key = load_xlsx(store, path)
    assert store.spreadsheets[key].get_values("Data", "UNFORMATTED_VALUE")["values"] == [[2], [20], ["found"]]
    store.edit(key, "Data", 1, 1, "3")  # Google computes again what it can
    assert store.spreadsheets[key].get_values("Data", "UNFORMATTED_VALUE")["values"] == [[3], [30], ["found"]]
