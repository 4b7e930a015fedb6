"""Reading an .xlsx tab by the cells it holds, never by the size the file claims.

openpyxl's read-only mode sizes every row by the sheet's stored
``<dimension ref=...>``: a file that claims A1:XFD1048576 is padded out to
17 billion cells (and the sync dies of MemoryError), one that claims too little
loses the rows past it. Here the sheet's XML is streamed through openpyxl's own
parser, only cells that hold something are kept, and the grid built spans
exactly up to the last row and column that hold something, checked against
``limits`` as the cells are met. Formatting-only cells and rows cost nothing.

The same pass says which formula cells have no stored result (the file has the
formula but no cached value: saved by openpyxl, or never opened in a
spreadsheet program): those come back as ``UNREAD``, not as blanks.
"""
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

from . import limits
from .base import UNREAD


class _Discard(dict):
    """Row heights and styles are of no use to the sync, and a file may have a million of them."""

    def __setitem__(self, key, value):
        pass


class _CellParser(WorkSheetParser):
    """openpyxl's streaming sheet parser (stored results, not formulas), also telling
    a formula with no stored result (UNREAD) from one whose result is empty text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_dimensions = _Discard()

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            # openpyxl saves a formula as <f>..</f><v/>; a stored empty text result is typed
            # t="str" (Excel, LibreOffice). Anything else has no stored result.
            cell["value"] = "" if element.get("t") == "str" and element.find(VALUE_TAG) is not None else UNREAD
        return cell


def read_tab(book, sheet, budget):
    """The grid of one read-only worksheet: rows up to the last one holding something,
    each row up to its own last cell holding something (as Google answers)."""
    held, count = {}, 0  # row -> {column: value}, for cells that hold something
    with sheet._get_source() as source:  # the sheet's XML, as ReadOnlyWorksheet reads it
        parser = _CellParser(source, sheet._shared_strings, data_only=True, epoch=book.epoch,
                             date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for _, cells in parser.parse():
            for cell in cells:
                value = cell["value"]
                if value is None or value == "":
                    continue  # formatting only, or empty text: nothing to read
                row, column = cell["row"], cell["column"]
                budget.check_cell(sheet.title, row, column)
                held.setdefault(row, {})[column] = value
                count += 1
                if budget.cells + count > limits.MAX_CELLS:  # more cells hold data than the whole budget
                    raise limits.too_many_cells(budget.cells + count)
    last_row = max(held, default=0)
    last_column = max((max(columns) for columns in held.values()), default=0)
    budget.add_tab(last_row, last_column)
    grid = []
    for number in range(1, last_row + 1):
        columns = held.get(number)
        row = [None] * max(columns, default=0) if columns else []
        for column, value in (columns or {}).items():
            row[column - 1] = value
        grid.append(row)
    return grid
