"""Turn a tab's grid of cells into rows the app understands, and problems.

The input is what a backend returns for one tab: a list of rows, each a list
of cell values (text, numbers, dates or None), with trailing empty cells and
rows possibly left out, as Google does. Nothing here touches the database.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from domain.dates import parse_date
from domain.status import STATUSES, normalise_status

from .backends.base import UNREAD
from .contract import Table
from .unread import UNREAD_FIX, UNREAD_MESSAGE, derived_unread, identity_attrs, unread_identity

HEADER_SCAN_ROWS = 12  # a header may sit below a few title rows
MAX_ID_LENGTH = 40


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

    @property
    def id_column(self):
        return self.columns.get("sheet_id")

    def column_label(self, attr):
        """'D (Key objective)': what a person looks for in the sheet."""
        index = self.columns.get(attr)
        name = self.table.by_attr[attr].name
        return f"{column_letter(index)} ({name})" if index is not None else name


class TableUnreadable(Exception):
    """The tab has no header row that the contract recognises."""

    def __init__(self, problem):
        super().__init__(problem.message)
        self.problem = problem


def column_letter(index):
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_text(value):
    """A cell as the text a person typed: numbers without '.0', dates as UK dates."""
    if value is None or value is UNREAD:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


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
                f"Add a header row with {wanted} (and the other columns of the contract) above the table.",
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
    parsed = ParsedTable(table, title, header_index + 1, columns, width, [], [])
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
        extra = {name: cell_text(cells[col]) for col, name in extra_cols.items() if col < len(cells) and cell_text(cells[col])}
        row = SheetRow(index + 1, cell_text(raw.pop("sheet_id", None)), {}, extra, unread=unread)
        if unread & identity_attrs(table):  # which row this is cannot be guessed
            raise TableUnreadable(unread_identity(parsed, row, unread & identity_attrs(table)))
        _clean_row(parsed, row, raw, known_objectives)
        parsed.rows.append(row)
    return parsed


def _problem(parsed, row, attr, message, fix):
    row.problems.append(Problem(parsed.title, row.number, parsed.column_label(attr), message, fix))


def _clean_row(parsed, row, raw, known_objectives):
    table = parsed.table
    for column in table.columns:  # a missing column shows as blank
        if column.attr != "sheet_id":
            row.values[column.attr] = cell_text(raw.get(column.attr))
    for column in table.required:
        if column.attr in row.unread:  # not empty: unknown
            row.valid = False
            _problem(parsed, row, column.attr, UNREAD_MESSAGE, UNREAD_FIX)
        elif not row.values.get(column.attr):
            row.valid = False
            _problem(parsed, row, column.attr, f"'{column.name}' is empty.",
                     f"Fill in '{column.name}', or delete the row if it is not needed.")
    if row.sheet_id and len(row.sheet_id) > MAX_ID_LENGTH:
        row.valid = False
        _problem(parsed, row, "sheet_id", f"The ID is longer than {MAX_ID_LENGTH} characters.",
                 "Clear the ID cell; the app will give the row a new ID.")
    cleaner = _CLEANERS.get(table.tab)
    if cleaner:
        cleaner(parsed, row, raw, known_objectives)
    row.unread |= derived_unread(row)  # what the app works out from an unread cell is unknown too


def _clean_status(parsed, row):
    if "status" not in row.values:
        return
    status, known = normalise_status(row.values["status"])
    row.values["status"] = status
    if not known:
        _problem(parsed, row, "status", f"'{status}' is not a status the app knows; it is shown as written.",
                 f"Use one of: {', '.join(STATUSES)} (or Green, Amber, Red).")


_LINKS = re.compile(r"\blinks?\s*:", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_OBJECTIVE = re.compile(r"\bobjectives?\s*\d", re.IGNORECASE)
_YEARS = re.compile(r"\([^)]*\d{4}[^)]*\)")  # '(2017-18)': a year, not objectives 17 to 18


def split_area_and_links(text):
    """'Safeguarding Links: Objective 1 Objective 2' -> ('Safeguarding', 'Objective 1 Objective 2').

    Real sheets fold the area into the links column. Text with no numbers is an
    area alone ('Governors'). Tags are dropped from the area, which is a heading.
    """
    plain = " ".join(_TAGS.sub(" ", text).split())
    match = _LINKS.search(plain)
    if match:
        return plain[: match.start()].strip(" :-"), plain[match.end():].strip()
    match = _OBJECTIVE.search(plain)
    if match and match.start() > 0:  # 'Safeguarding Objective 1 Objective 2', as cells pasted from a web page
        return plain[: match.start()].strip(" :-"), plain[match.start():]
    if plain and not re.search(r"\d", re.sub(r"\(.*?\)", "", plain)):
        return plain, ""  # 'Governors', 'Combined SIP priorities (2017-2018)'

    return "", text


def objective_numbers(text):
    """'Objective 1 Objective 2', '1, 2, 5' or 'Links: 1-3' -> [1, 2, 5] / [1, 2, 3]."""
    numbers = []
    # One to three digits: a year such as 2017 is never an objective number.
    plain = _YEARS.sub(" ", _TAGS.sub(" ", text or ""))
    for start, end in re.findall(r"(?<!\d)(\d{1,3})(?:\s*[-–]\s*(\d{1,3}))?(?!\d)", plain):
        first = int(start)
        last = int(end) if end else first
        if last < first or last - first > 50:
            last = first
        for n in range(first, last + 1):
            if n not in numbers:
                numbers.append(n)
    return numbers


def _clean_action(parsed, row, raw, known_objectives):
    links = row.values.get("linked_objectives", "")
    if not row.values.get("area") and links:
        area, links_only = split_area_and_links(links)
        if area:
            row.values["area"] = area
            row.values["linked_objectives"] = links_only
    refs = objective_numbers(row.values.get("linked_objectives", ""))
    row.values["objective_refs"] = refs
    if known_objectives is not None:
        unknown = [n for n in refs if n not in known_objectives]
        if unknown:
            _problem(parsed, row, "linked_objectives",
                     f"Links to objective {', '.join(map(str, unknown))}, which the partnership does not have.",
                     "Check the objective numbers against the Objectives tab of the partnership workbook.")
    updated = raw.get("last_updated")
    if isinstance(updated, (int, float)) and not isinstance(updated, bool):
        day = parse_date(updated)  # a date cell read as its serial number
        row.values["last_updated"] = day.strftime("%d/%m/%Y") if day else row.values["last_updated"]
    due_raw = raw.get("due")
    due_date = parse_date(due_raw) if due_raw not in (None, "") else None
    row.values["due_date"] = due_date
    if due_date:
        row.values["due"] = due_date.isoformat()
    _clean_status(parsed, row)


def _clean_impact(parsed, row, raw, known_objectives):
    text = row.values.get("date", "")
    day = parse_date(raw.get("date"))
    row.values["date"] = day
    if text and day is None:
        row.valid = False
        _problem(parsed, row, "date", f"'{text}' is not a date.",
                 "Type the date as day/month/year, e.g. 25/04/2017.")


_YES = {"yes", "y", "true", "1", "x", "shared"}
_NO = {"no", "n", "false", "0", ""}


def _clean_sip(parsed, row, raw, known_objectives):
    _clean_status(parsed, row)
    written = row.values.get("share", "")
    share = written.strip().lower()
    row.values["share"] = share in _YES
    if share not in _YES and share not in _NO:
        _problem(parsed, row, "share", f"'{written}' is neither Yes nor No; the priority is not shared.",
                 "Type Yes to share this priority with the partnership, or No.")


def _clean_objective(parsed, row, raw, known_objectives):
    numbers = objective_numbers(row.values.get("ref", ""))
    if len(numbers) != 1:
        row.valid = False
        _problem(parsed, row, "ref", f"'{row.values.get('ref')}' is not an objective number.",
                 "Give each objective a whole number: 1, 2, 3 …")
    else:
        row.values["ref"] = numbers[0]


def _clean_school(parsed, row, raw, known_objectives):
    code = row.values.get("code", "")
    if code and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,19}", code):
        row.valid = False
        _problem(parsed, row, "code", f"'{code}' is not a usable school code.",
                 "Use a short code of letters and digits, such as BR, with no spaces.")
    elif code.lower() == "joint":
        row.valid = False
        _problem(parsed, row, "code", "'joint' is reserved for the joint action plan.",
                 "Give the school another code.")
    row.values["code"] = code.upper()


_CLEANERS = {
    "Action plan": _clean_action,
    "Impact log": _clean_impact,
    "SIP priorities": _clean_sip,
    "Objectives": _clean_objective,
    "Schools": _clean_school,
}
