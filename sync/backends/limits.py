"""What one workbook may cost a sync: rows, columns and cells that hold data.

A file's own idea of its size is never trusted (an .xlsx says what its
``<dimension>`` says, which may be far too large or too small); only cells that
hold something count, and a workbook past these limits fails on its own, with a
message a school can act on, while the other workbooks sync.

The limits are well above a school's sheets (the demo's busiest tab has 300
rows and 8 columns; a large plan a few thousand rows and 20 columns) and far
below what breaks the sync process: a whole workbook at the cell budget is a
few tens of megabytes of Python objects. Google's own limit is 10 million
cells a spreadsheet.
"""
from domain.cells import column_letters

from .base import WorkbookUnavailable

MAX_ROWS = 20_000  # per tab: the last row that holds something
MAX_COLUMNS = 200  # per tab: the last column that holds something (GR)
MAX_CELLS = 1_000_000  # per workbook: the rows x columns each tab's data spans, added up
# An .xlsx's XML unpacked, all parts together (a zip bomb is small on disk): well
# above a workbook at the cell budget, which is some 60 MB of XML.
MAX_XML_BYTES = 256 * 1024 * 1024




_STRAY = ("Delete the stray cell (in the tab, Ctrl+End goes to the last cell that holds something; "
          "delete the rows or columns up to it, then save)")


def too_many_rows(tab, row, column):
    """A tab that holds something past the last row the hub reads."""
    return WorkbookUnavailable(
        f"The '{tab}' tab has something in row {row:,} (cell {column_letters(column)}{row}); "
        f"the hub reads up to {MAX_ROWS:,} rows a tab, so this workbook was not read.",
        f"{_STRAY}, or move old rows to another tab or workbook. The other workbooks still sync.",
    )


def too_many_columns(tab, row, column):
    """A tab that holds something past the last column the hub reads."""
    return WorkbookUnavailable(
        f"The '{tab}' tab has something in column {column_letters(column)} (cell {column_letters(column)}{row}); "
        f"the hub reads up to {MAX_COLUMNS} columns a tab (to column {column_letters(MAX_COLUMNS)}), "
        "so this workbook was not read.",
        f"{_STRAY}. The other workbooks still sync.",
    )


def too_many_cells(cells):
    """A workbook whose tabs together span more cells than the hub reads."""
    return WorkbookUnavailable(
        f"The workbook's tabs span {cells:,} cells (rows times columns in use); the hub reads up to "
        f"{MAX_CELLS:,} cells a workbook, so this workbook was not read.",
        "Move old rows (past years) to another workbook, or delete stray cells far below or to the right "
        "of the tables. The other workbooks still sync.",
    )


def too_big_file(name, size):
    """An .xlsx whose sheet data unpacks past what the hub reads (a zip bomb, say)."""
    return WorkbookUnavailable(
        f"The workbook '{name}' unpacks to {size / 2**20:,.0f} MB of sheet data; the hub reads up to "
        f"{MAX_XML_BYTES / 2**20:,.0f} MB, so it was not read.",
        "Open it in a spreadsheet program, delete empty formatted rows and columns at the end of each tab "
        "and save it; or move old rows to another workbook.",
    )


class CellBudget:
    """The workbook's cells so far; raises when a tab or the whole goes past the limits."""

    def __init__(self):
        self.cells = 0

    def check_cell(self, tab, row, column):
        """A cell that holds something, as it is met: fail at the first one out of bounds."""
        if row > MAX_ROWS:
            raise too_many_rows(tab, row, column)
        if column > MAX_COLUMNS:
            raise too_many_columns(tab, row, column)

    def add_tab(self, rows, columns):
        """A tab's extent (its last row and column that hold something)."""
        self.cells += rows * columns
        if self.cells > MAX_CELLS:
            raise too_many_cells(self.cells)

    def check_grid(self, tab, grid):
        """A grid as a service answered it (trailing empty cells and rows left out)."""
        rows = len(grid)
        if rows > MAX_ROWS:
            last = grid[-1]
            raise too_many_rows(tab, rows, max(len(last), 1))
        width, widest = 0, 0
        for number, row in enumerate(grid, start=1):
            if len(row) > width:
                width, widest = len(row), number
        if width > MAX_COLUMNS:
            raise too_many_columns(tab, widest, width)
        self.add_tab(rows, width)
