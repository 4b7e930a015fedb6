"""Load .xlsx workbooks into the stand-in, as if they had been uploaded to Google."""
from pathlib import Path

from openpyxl import load_workbook

from domain.contract import SCHOOLS, header_key


def sheet_url(key):
    return f"https://docs.google.com/spreadsheets/d/{key}/edit"


def load_xlsx(store, path, key=None):
    """One workbook, every tab, formulas with the results it stored; returns its key."""
    tabs, formulas = {}, {}
    for data_only in (True, False):
        book = load_workbook(path, read_only=True, data_only=data_only)
        try:
            for sheet in book.worksheets:
                rows = [list(row) for row in sheet.iter_rows(values_only=True)]
                if data_only:
                    tabs[sheet.title] = rows
                else:  # a second look, for the formulas: Google computes them itself
                    formulas[sheet.title] = {
                        (r, c): value for r, row in enumerate(rows, start=1) for c, value in enumerate(row, start=1)
                        if isinstance(value, str) and value.startswith("=")
                    }
        finally:
            book.close()
    return store.create(Path(path).stem, tabs, key=key, formulas=formulas)


def load_partnership(store, folder, partnership_file="partnership.xlsx"):
    """The partnership workbook and every school workbook it lists.

    The Schools tab's file names become the Google addresses of the loaded
    copies, as a coordinator would paste them. Returns the partnership's URL.
    """
    folder = Path(folder)
    key = load_xlsx(store, folder / partnership_file, key=_key_for(partnership_file))
    book = store.spreadsheets[key]
    schools = book.sheet(SCHOOLS.tab)
    header = {c: cell.value for (r, c), cell in schools.cells.items() if r == 1}
    column = next(c for c, text in header.items() if header_key(text) == header_key("Workbook"))
    for (row, col), cell in list(schools.cells.items()):
        if col == column and row > 1 and (folder / str(cell.value)).exists():
            school_key = load_xlsx(store, folder / str(cell.value), key=_key_for(str(cell.value)))
            cell.value = sheet_url(school_key)
    return sheet_url(key)


def _key_for(file_name):
    """A stable, key-shaped name for a demo file: same file, same key."""
    stem = Path(file_name).stem.replace(" ", "-")
    return f"demo-{stem}-0000000000"[:44]
