"""Turn a tab's grid of cells into rows the app understands, and problems.

The input is what a backend returns for one tab: a list of rows, each a list
of cell values (text, numbers, dates or None), with trailing empty cells and
rows possibly left out, as Google does. Nothing here touches the database.
"""
from dataclasses import dataclass, field

from domain.cells import KIND_CLEANERS, Report, cell_text, column_letters
from domain.contract import Table

from .backends.base import UNREAD
from .unread import UNREAD_FIX, UNREAD_MESSAGE, derived_unread, identity_attrs, unread_identity

HEADER_SCAN_ROWS = 12  # a header may sit below a few title rows


@dataclass
class Problem:
    """Something a person must fix in the sheet, said so that they can."""

    tab: str
    row: int | None
    column: str
    message: str
    fix: str = ""


@dataclass
class SheetRow:
    number: int  # 1-based row number in the sheet, for messages only
    sheet_id: str
    values: dict  # model attribute -> clean value
    extra: dict  # unknown header -> text
    problems: list = field(default_factory=list)
    valid: bool = True  # False: the row cannot be stored; its last good version stays
    new_id: str = ""  # an ID the app is giving this row, once it is written to the sheet
    unread: set = field(default_factory=set)  # attrs whose cell is a formula with no stored result (UNREAD)


@dataclass
class ParsedTable:
    table: Table
    title: str  # the tab's title as the sheet spells it
    header_row: int  # 1-based
    columns: dict  # model attribute -> 0-based column index
    width: int  # number of columns in use, for appending an ID column
    rows: list
    problems: list
    headers: dict = field(default_factory=dict)  # model attribute -> its header as the sheet writes it

    @property
    def id_column(self):
        return self.columns.get("sheet_id")

    def column_label(self, attr):
        """'D (Key objective)': what a person looks for in the sheet."""
        index = self.columns.get(attr)
        name = self.table.by_attr[attr].name
        return f"{column_letter(index)} ({name})" if index is not None else name


class TableUnreadable(Exception):
    """The tab has no header row with the columns it must have."""

    def __init__(self, problem):
        super().__init__(problem.message)
        self.problem = problem


def column_letter(index):
    """0 -> A, 25 -> Z, 26 -> AA: a 0-based column index as the sheet names it."""
    return column_letters(index + 1)


def find_tab(tabs, table):
    """The title of the tab that holds this table, or None."""
    for title in tabs:
        if table.matches_tab(title):
            return title
    return None


def _locate_header(table, grid):
    """Index of the header row and its column map, or (None, {})."""
    best_index, best_map = None, {}
    for index, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        mapping = {}
        for col, value in enumerate(row):
            column = table.column_for(cell_text(value))
            if column and column.attr not in mapping:
                mapping[column.attr] = col
        has_required = any(c.attr in mapping for c in table.required)
        if has_required and len(mapping) > len(best_map):
            best_index, best_map = index, mapping
    return best_index, best_map


def parse_table(table, title, grid, known_objectives=None):
    """Read one tab. Raises TableUnreadable if its header cannot be found.

    ``known_objectives``: the partnership's objective numbers, to flag links to
    objectives that do not exist (None: do not check).
    """
    header_index, columns = _locate_header(table, grid)
    if header_index is None:
        wanted = ", ".join(f"'{c.name}'" for c in table.required)
        raise TableUnreadable(
            Problem(
                title,
                None,
                "",
                f"No header row with the column {wanted} in the first {HEADER_SCAN_ROWS} rows.",
                f"Add a header row with {wanted} (and the other columns the tab uses) above the table.",
            )
        )
    header = grid[header_index]
    width = max((len(row) for row in grid), default=0)
    known_cols = set(columns.values())
    extra_cols = {
        col: cell_text(value)
        for col, value in enumerate(header)
        if col not in known_cols and cell_text(value)
    }
    parsed = ParsedTable(table, title, header_index + 1, columns, width, [], [],
                         {attr: cell_text(header[col]) for attr, col in columns.items() if col < len(header)})
    missing = [c for c in table.required if c.attr not in columns]
    for column in missing:
        parsed.problems.append(
            Problem(title, header_index + 1, column.name, f"The required column '{column.name}' is missing.",
                    f"Add a column headed '{column.name}' to the header row.")
        )
    if missing:
        raise TableUnreadable(parsed.problems[0])

    for index in range(header_index + 1, len(grid)):
        cells = grid[index]
        if not any(cell_text(v) for v in cells):
            continue  # blank rows are gaps, not the end of the table
        raw = {attr: (cells[col] if col < len(cells) else None) for attr, col in columns.items()}
        # Formula cells with no stored result: the sync keeps their last value (sync/unread.py).
        unread = {attr for attr, value in raw.items() if value is UNREAD}
        raw.update(dict.fromkeys(unread))  # read as blank here; reconcile keeps the value last read
        extra = {name: cell_text(cells[col]) for col, name in extra_cols.items()
                 if col < len(cells) and cell_text(cells[col])}
        row = SheetRow(index + 1, cell_text(raw.pop("sheet_id", None)), {}, extra, unread=unread)
        if unread & identity_attrs(table):  # which row this is cannot be guessed
            raise TableUnreadable(unread_identity(parsed, row, unread & identity_attrs(table)))
        _clean_row(parsed, row, raw, known_objectives)
        parsed.rows.append(row)
    return parsed


def _clean_row(parsed, row, raw, known_objectives):
    """Each cell by its column's kind, then the table's rules across columns."""
    table = parsed.table
    report = Report(lambda attr, message, fix: row.problems.append(
        Problem(parsed.title, row.number, parsed.column_label(attr), message, fix)))
    for column in table.columns:  # a missing column shows as blank
        if column.attr != "sheet_id":
            row.values[column.attr] = cell_text(raw.get(column.attr))
    for column in table.required:
        if column.attr in row.unread:  # not empty: unknown
            report.problem(column.attr, UNREAD_MESSAGE, UNREAD_FIX, invalid=True)
        elif not row.values.get(column.attr):
            report.problem(column.attr, f"'{column.name}' is empty.",
                           f"Fill in '{column.name}', or delete the row if it is not needed.", invalid=True)
    for column in table.columns:
        clean = KIND_CLEANERS[column.kind]
        if clean and column.attr == "sheet_id":  # the ID is the row's own, not one of its values
            clean({"sheet_id": row.sheet_id}, "sheet_id", raw.get("sheet_id"), report)
        elif clean:
            clean(row.values, column.attr, raw.get(column.attr), report)
    if table.cleaner:
        table.cleaner(row.values, raw, report, known_objectives)
    row.valid = report.valid
    row.unread |= derived_unread(row)  # what the app works out from an unread cell is unknown too
