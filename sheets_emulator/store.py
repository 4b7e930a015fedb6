"""The stand-in's spreadsheets: grids of cells, A1 ranges, sharing and Drive times.

It keeps what the real service keeps for the calls our gspread code makes, and
answers as Google documents: trailing empty cells and rows left out, no
``values`` key for an empty range, quoted sheet names in ranges, grid limits.
"""
import copy
import math
import re
import struct
import threading
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from domain.cells import column_letters, column_number
from domain.dates import from_serial

from .formulas import Calculator, DateValue, Error

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
DEFAULT_ROWS, DEFAULT_COLUMNS = 1000, 26
MAX_CELL_CHARACTERS = 50_000  # Google's limit of one cell


class ApiError(Exception):
    """An error the API answers with, in Google's JSON shape."""

    def __init__(self, code, status, message, reason=None, domain="global", info_reason=None):
        super().__init__(message)
        self.code, self.status, self.message = code, status, message
        self.reason, self.domain = reason, domain
        self.info_reason = info_reason  # google.rpc.ErrorInfo's reason, in "details"

    def body(self):
        error = {"code": self.code, "message": self.message, "status": self.status}
        if self.reason:
            error["errors"] = [{"domain": self.domain, "reason": self.reason, "message": self.message}]
        if self.info_reason:
            error["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": self.info_reason,
                                 "domain": "googleapis.com"}]
        return {"error": error}


def bad_request(message):
    return ApiError(400, "INVALID_ARGUMENT", message)




def quote_title(title):
    """Sheet names in A1 ranges: quoted unless plain letters, digits and underscores."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", title) and not re.fullmatch(r"[A-Za-z]{1,3}\d+", title):
        return title
    return "'" + title.replace("'", "''") + "'"


_CELL = re.compile(r"^([A-Za-z]*)(\d*)$")


def split_range(a1):
    """"'It''s'!A1:B2" -> ("It's", "A1:B2"); "Sheet1" -> ("Sheet1", None)."""
    a1 = a1.strip()
    if a1.startswith("'"):
        end = 1
        while True:
            end = a1.find("'", end)
            if end == -1:
                raise bad_request(f"Unable to parse range: {a1}")
            if a1[end + 1:end + 2] == "'":
                end += 2
                continue
            break
        title = a1[1:end].replace("''", "'")
        rest = a1[end + 1:]
        if rest and not rest.startswith("!"):
            raise bad_request(f"Unable to parse range: {a1}")
        return title, rest[1:] or None
    if "!" in a1:
        title, cells = a1.split("!", 1)
        return title, cells
    return a1, None  # a sheet name alone, or cells of the first sheet (resolved by the caller)


def a1_range(sheet, r1, c1, r2, c2):
    """A range as Google writes it back: 'Sheet1!B2:D5', one cell as 'Sheet1!D4'."""
    start, end = f"{column_letters(c1)}{r1}", f"{column_letters(c2)}{r2}"
    return f"{quote_title(sheet.title)}!{start}" + ("" if start == end else f":{end}")


def parse_cells(cells, rows, columns):
    """"B2:D5" / "A:A" / "3:3" / "B2" -> 1-based inclusive (r1, c1, r2, c2); "D5:B2" is
    read as "B2:D5", as Google reads it (corners in any order)."""
    if cells is None:
        return 1, 1, rows, columns
    parts = cells.split(":")
    if len(parts) > 2:
        raise bad_request(f"Unable to parse range: {cells}")
    bounds = []
    for part in parts:
        match = _CELL.match(part)
        if not match or not (match.group(1) or match.group(2)):
            raise bad_request(f"Unable to parse range: {cells}")
        bounds.append((match.group(1), match.group(2)))
    (c1, r1) = bounds[0]
    (c2, r2) = bounds[-1]
    start_col = column_number(c1) if c1 else 1
    start_row = int(r1) if r1 else 1
    end_col = column_number(c2) if c2 else columns
    end_row = int(r2) if r2 else rows
    return (min(start_row, end_row), min(start_col, end_col), max(start_row, end_row), max(start_col, end_col))


@dataclass
class Cell:
    value: object  # str, int, float or bool as stored; a date is a serial number
    # USER_ENTERED text starting with '=', computed when read (formulas.py); ``value`` is then
    # None, or the result an uploaded .xlsx had stored
    formula: str | None = None
    is_date: bool = False  # a number with a date format, shown as the locale writes dates
    # A typed date's form, which Google keeps as the cell's format: the order of its parts
    # ('ymd', 'dmy', 'mdy'), each part's width as typed, and the separator.
    typed: tuple | None = None


_SERIAL_EPOCH = date(1899, 12, 30)
_SLASH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")


def date_cell(day, typed=None):
    """A date as Sheets stores it: days since 30/12/1899, formatted as a date."""
    return Cell((day - _SERIAL_EPOCH).days, is_date=True, typed=typed)


def user_entered(text, locale="en_GB"):
    """A typed value as a sheet of that locale keeps it: formulas, forced text ('...),
    dates (day first in en_GB, month first in en_US; yyyy-mm-dd in both), numbers and
    booleans are recognised; anything else stays text. A date keeps the form it was
    typed in (04/25/2027 is shown so, 4/25/2027 so), as Google keeps it."""
    if text.startswith("="):
        return Cell(None, formula=text)
    if text.startswith("'"):
        return Cell(text[1:])
    slash = "mdy" if locale == "en_US" else "dmy"
    for pattern, order, separator in ((_SLASH_DATE, slash, "/"), (_ISO_DATE, "ymd", "-")):
        if match := pattern.match(text):
            parts = dict(zip(order, match.groups()))
            try:
                day = date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
            except ValueError:
                return Cell(text)  # 31/02/2027 stays text, as in Sheets
            return date_cell(day, (order, tuple(len(g) for g in match.groups()), separator))
    if _NUMBER.match(text):
        number = float(text)
        return Cell(int(number) if number.is_integer() and "." not in text else number)
    if text.upper() in ("TRUE", "FALSE"):
        return Cell(text.upper() == "TRUE")
    return Cell(text)


@dataclass
class Sheet:
    sheet_id: int
    title: str
    rows: int = DEFAULT_ROWS
    columns: int = DEFAULT_COLUMNS
    cells: dict = field(default_factory=dict)  # (row, col) 1-based -> Cell
    extra: dict = field(default_factory=dict)  # other properties set by updateSheetProperties (hidden, ...)

    def used_extent(self):
        if not self.cells:
            return 0, 0
        return max(r for r, _ in self.cells), max(c for _, c in self.cells)


def _computed(calculator, sheet, row, col, cell):
    """A formula cell as a plain one holding its result, as Google answers it."""
    value = calculator.cell_value(sheet, row, col)
    if isinstance(value, Error):
        return Cell(value.code)  # Google answers an error as its text, '#NAME?'
    if isinstance(value, DateValue):
        return Cell(value.serial, is_date=True)  # Google formats TODAY() as a date
    return Cell(value)


def _format_date(cell, locale):
    day = from_serial(cell.value)
    if cell.typed:
        order, widths, separator = cell.typed
        value = {"y": day.year, "m": day.month, "d": day.day}
        return separator.join(f"{value[part]:0{width}d}" for part, width in zip(order, widths))
    if locale == "en_US":
        return f"{day.month}/{day.day}/{day.year}"
    return day.strftime("%d/%m/%Y")


def _format(cell, render, date_render="SERIAL_NUMBER", locale="en_GB"):
    if cell.formula is not None and render == "FORMULA":
        return cell.formula
    value = cell.value
    if cell.is_date and (render == "FORMATTED_VALUE" or date_render == "FORMATTED_STRING"):
        return _format_date(cell, locale)
    if render in ("UNFORMATTED_VALUE", "FORMULA"):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Spreadsheet:
    key: str
    title: str
    sheets: list = field(default_factory=list)
    modified: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    shared: bool = True  # shared with the service account the app signs in as
    trashed: bool = False
    locale: str = "en_GB"
    time_zone: str = "Europe/London"
    created: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def modified_time(self):
        return _rfc3339(self.modified)

    def created_time(self):
        return _rfc3339(self.created)

    def sheet(self, title):
        for sheet in self.sheets:
            if sheet.title.lower() == title.lower():  # Sheets resolves names case-insensitively
                return sheet
        raise bad_request(f"Unable to parse range: {quote_title(title)}")

    def resolve(self, a1):
        """The sheet and 1-based bounds of an A1 range."""
        title, cells = split_range(a1)
        if cells is None:
            try:
                sheet = self.sheet(title)
            except ApiError:
                if _CELL.match(title.split(":")[0]) and self.sheets:
                    sheet, cells = self.sheets[0], title  # "A1:B2" means the first sheet
                else:
                    raise
        else:
            sheet = self.sheet(title)
        return sheet, parse_cells(cells, sheet.rows, sheet.columns)

    def sheet_properties(self, sheet):
        props = {"sheetId": sheet.sheet_id, "title": sheet.title, "index": self.sheets.index(sheet),
                 "sheetType": "GRID", "gridProperties": {"rowCount": sheet.rows, "columnCount": sheet.columns}}
        for path, value in sheet.extra.items():
            node = props
            for part in path[:-1]:
                node = node.setdefault(part, {})
            node[path[-1]] = value
        return props

    def metadata(self):
        return {
            "spreadsheetId": self.key,
            "properties": {"title": self.title, "locale": self.locale, "timeZone": self.time_zone,
                           "autoRecalc": "ON_CHANGE"},
            "sheets": [{"properties": self.sheet_properties(s)} for s in self.sheets],
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{self.key}/edit",
        }

    def get_values(self, a1, render="FORMATTED_VALUE", major="ROWS", date_render="SERIAL_NUMBER"):
        sheet, (r1, c1, r2, c2) = self.resolve(a1)
        r2, c2 = min(r2, sheet.rows), min(c2, sheet.columns)
        held = {}  # row -> {col: cell}, only the cells there are: a tab may be 10 million cells of grid
        for (row, col), cell in sheet.cells.items():
            if r1 <= row <= r2 and c1 <= col <= c2 and (cell.value != "" or cell.formula is not None):
                held.setdefault(row, {})[col] = cell
        grid, calculator = [], Calculator(self)
        for row in range(r1, max(held, default=r1 - 1) + 1):
            cells = held.get(row, {})
            values = [cells.get(col) for col in range(c1, max(cells, default=c1 - 1) + 1)]
            if render != "FORMULA":
                values = [_computed(calculator, sheet, row, c1 + i, c) if c is not None and c.formula else c
                          for i, c in enumerate(values)]
            grid.append(["" if c is None else _format(c, render, date_render, self.locale) for c in values])
        # trailing empty cells and rows are left out, as Google does
        if major == "COLUMNS":
            width = max((len(r) for r in grid), default=0)
            grid = [[r[i] if i < len(r) else "" for r in grid] for i in range(width)]
            for column in grid:
                while column and column[-1] == "":
                    column.pop()
        answer = {"range": a1_range(sheet, r1, c1, r2, c2), "majorDimension": major}
        if grid:
            answer["values"] = grid
        return answer

    def set_values(self, a1, values, input_option):
        """values.update semantics; returns Google's UpdateValuesResponse."""
        return self.write_values(a1, values, input_option)[0]

    def write_values(self, a1, values, input_option):
        """set_values, and the (sheet, row, column) of every cell written: Google counts
        the cells given a value ("" too), not those sent as null (left as they are)."""
        if input_option not in ("RAW", "USER_ENTERED"):
            raise bad_request("Invalid valueInputOption: must be RAW or USER_ENTERED")
        sheet, (r1, c1, _, _) = self.resolve(a1)
        height = len(values)
        width = max((len(r) for r in values), default=0)
        if r1 + height - 1 > sheet.rows or c1 + width - 1 > sheet.columns:
            raise bad_request(
                f"Range ({quote_title(sheet.title)}!{column_letters(c1 + width - 1)}{r1 + height - 1}) "
                f"exceeds grid limits. Max rows: {sheet.rows}, max columns: {sheet.columns}"
            )
        for row in values:
            for value in row:
                quoted = input_option == "USER_ENTERED" and isinstance(value, str) and value.startswith("'")
                if isinstance(value, str) and len(value) - quoted > MAX_CELL_CHARACTERS:
                    raise bad_request(f"Your input contains more than the maximum of {MAX_CELL_CHARACTERS} "
                                      "characters in a single cell.")
        written = set()
        for i, row in enumerate(values):
            for j, value in enumerate(row):
                if value is None:
                    continue  # null leaves the cell as it is
                position = (r1 + i, c1 + j)
                written.add((sheet.sheet_id,) + position)
                if value == "":
                    sheet.cells.pop(position, None)
                elif input_option == "USER_ENTERED" and isinstance(value, str):
                    sheet.cells[position] = user_entered(value, self.locale)
                else:
                    sheet.cells[position] = Cell(value)
        self.touch()
        return {
            "spreadsheetId": self.key,
            "updatedRange": a1_range(sheet, r1, c1, r1 + max(height, 1) - 1, c1 + max(width, 1) - 1),
            "updatedRows": len({(s, r) for s, r, _ in written}),
            "updatedColumns": len({(s, c) for s, _, c in written}),
            "updatedCells": len(written),
        }, written

    def add_sheet(self, title, rows=DEFAULT_ROWS, columns=DEFAULT_COLUMNS, index=None, request=0):
        if any(s.title.lower() == title.lower() for s in self.sheets):
            raise bad_request(f'Invalid requests[{request}].addSheet: A sheet with the name "{title}" already '
                              "exists. Please enter another name.")
        sheet = Sheet(max((s.sheet_id for s in self.sheets), default=0) + 1, title, rows, columns)
        self.sheets.insert(len(self.sheets) if index is None else index, sheet)
        self.touch()
        return sheet

    def append_at(self, a1):
        """Where values.append writes: (sheet, first row, first column, table or None).

        Google looks for a "table" in the range: a block of filled cells joined side by
        side or one above another. From one cell, the block that holds it (an empty
        cell holds none: the values go there, even with a table just below, as
        gspread's insert_row cassettes show); in a larger range, the last block in it.
        The values go in the row after that block's last row, from its first column;
        with no block, at the range's start."""
        sheet, (r1, c1, r2, c2) = self.resolve(a1)
        filled = {p for p, cell in sheet.cells.items() if cell.value not in (None, "") or cell.formula}
        single = (r1, c1) == (r2, c2)
        if not single:
            filled = {(r, c) for r, c in filled if r1 <= r <= r2 and c1 <= c <= c2}
        if single:
            seed = (r1, c1) if (r1, c1) in filled else None
        else:
            seed = max(filled, default=None)  # the bottom row, its last cell
        if seed is None:
            return sheet, r1, c1, None
        block, todo = {seed}, [seed]
        while todo:
            r, c = todo.pop()
            for near in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if near in filled and near not in block:
                    block.add(near)
                    todo.append(near)
        top, left = min(r for r, _ in block), min(c for _, c in block)
        bottom, right = max(r for r, _ in block), max(c for _, c in block)
        return sheet, bottom + 1, left, (top, left, bottom, right)

    def next_sheet_title(self):
        """Google's name for a new tab given none: Sheet2, Sheet3, ... the first free one."""
        n = len(self.sheets) + 1
        while any(s.title.lower() == f"sheet{n}" for s in self.sheets):
            n += 1
        return f"Sheet{n}"

    def update_sheet(self, sheet, props, fields, request=0):
        """updateSheetProperties: the properties named in ``fields`` ('*' for all given)."""
        named = [f.strip() for f in fields.split(",") if f.strip()]
        if named == ["*"]:
            named = [k if k != "gridProperties" else f"gridProperties/{g}" for k in props if k != "sheetId"
                     for g in (props["gridProperties"] if k == "gridProperties" else [None])]
            named = [n.replace("/None", "") for n in named]
        for name in named:
            path = tuple(re.split(r"[./]", name))
            value = props
            for part in path:
                value = value.get(part) if isinstance(value, dict) else None
            if path == ("title",):
                if any(s is not sheet and s.title.lower() == str(value).lower() for s in self.sheets):
                    raise bad_request(f'Invalid requests[{request}].updateSheetProperties: A sheet with the name '
                                      f'"{value}" already exists. Please enter another name.')
                sheet.title = value
            elif path == ("index",):
                self.sheets.remove(sheet)
                self.sheets.insert(min(int(value or 0), len(self.sheets)), sheet)
            elif path == ("gridProperties", "rowCount"):
                sheet.rows = int(value)
                sheet.cells = {(r, c): cell for (r, c), cell in sheet.cells.items() if r <= sheet.rows}
            elif path == ("gridProperties", "columnCount"):
                sheet.columns = int(value)
                sheet.cells = {(r, c): cell for (r, c), cell in sheet.cells.items() if c <= sheet.columns}
            elif path[0] in ("tabColor", "tabColorStyle"):
                colour = _colour(value.get("rgbColor") if path == ("tabColorStyle",) and value else value)
                if colour:
                    sheet.extra[path] = {"rgbColor": colour} if path == ("tabColorStyle",) else colour
                else:
                    sheet.extra.pop(path, None)  # a colour set to null is no colour
            elif path == ("hidden",) and value and all(s.extra.get(("hidden",)) for s in self.sheets if s is not sheet):
                raise bad_request(f"Invalid requests[{request}].updateSheetProperties: You can't hide all the "
                                  "sheets in a document.")
            elif value is None or value is False or value == 0:
                sheet.extra.pop(path, None)  # Google leaves out a property at its default
            else:
                sheet.extra[path] = value
        self.touch()

    def shift(self, sheet, dimension, start, end, insert, request=0):
        """insertDimension / deleteDimension: rows or columns [start, end) (0-based) put in
        or taken out, the cells after them moved along and the grid grown or shrunk."""
        rows = dimension == "ROWS"
        size = sheet.rows if rows else sheet.columns
        count = end - start
        if count <= 0 or start < 0 or (not insert and end > size) or (insert and start > size):
            kind = "insertDimension" if insert else "deleteDimension"
            raise bad_request(f"Invalid requests[{request}].{kind}: range out of bounds")
        if not insert and count == size:
            raise bad_request(f"Invalid requests[{request}].deleteDimension: You can't delete all the "
                              f"{'rows' if rows else 'columns'} on the sheet.")
        moved = {}
        for (r, c), cell in sheet.cells.items():
            at = r if rows else c  # 1-based; the span is start+1 .. end
            if insert:
                at = at + count if at > start else at
            elif start < at <= end:
                continue
            elif at > end:
                at -= count
            moved[(at, c) if rows else (r, at)] = cell
        sheet.cells = moved
        if rows:
            sheet.rows += count if insert else -count
        else:
            sheet.columns += count if insert else -count
        self.touch()

    def update_properties(self, props, fields):
        """updateSpreadsheetProperties: title, locale and time zone (formats are not kept)."""
        for name in [f.strip() for f in fields.split(",") if f.strip()]:
            if name in ("title", "locale"):
                setattr(self, name, props.get(name))
            elif name == "timeZone":
                self.time_zone = props.get("timeZone")
        self.touch()

    def clear_values(self, a1):
        """values.clear: the range's values gone (formats kept); answers the range cleared."""
        sheet, (r1, c1, r2, c2) = self.resolve(a1)
        r2, c2 = min(r2, sheet.rows), min(c2, sheet.columns)
        sheet.cells = {(r, c): cell for (r, c), cell in sheet.cells.items()
                       if not (r1 <= r <= r2 and c1 <= c <= c2)}
        self.touch()
        return a1_range(sheet, r1, c1, r2, c2)

    def save(self):
        return copy.deepcopy(self.sheets), self.modified

    def restore(self, saved):
        self.sheets, self.modified = saved

    def touch(self):
        """Drive's modifiedTime moves on every change, strictly forward."""
        now = datetime.now(timezone.utc)
        self.modified = max(now, self.modified + timedelta(milliseconds=1))


def _colour(rgb):
    """A colour as Google keeps it: 8-bit channels, shown as 32-bit floats, a channel at
    0 left out (0.5 comes back as 0.49803922, 127/255)."""
    if not isinstance(rgb, dict):
        return None
    kept = {}
    for channel in ("red", "green", "blue", "alpha"):
        if channel in rgb and rgb[channel] is not None:
            level = math.ceil(float(rgb[channel]) * 255 - 0.5) / 255 if channel != "alpha" else float(rgb[channel])
            level = float(f"{struct.unpack('f', struct.pack('f', level))[0]:.8g}")
            if level:
                kept[channel] = int(level) if level.is_integer() else level
    return kept


def _rfc3339(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def by_rows(values, major="ROWS"):
    """Values sent with majorDimension COLUMNS, turned into rows (a short column leaves
    its cells as they are, as null does)."""
    if major != "COLUMNS":
        return values
    height = max((len(column) for column in values), default=0)
    return [[column[i] if i < len(column) else None for column in values] for i in range(height)]


class Store:
    """Every spreadsheet the stand-in knows, safe to use from the server's threads."""

    def __init__(self):
        self.lock = threading.RLock()
        self.spreadsheets = {}

    def create(self, title, tabs, key=None, formulas=None, locale="en_GB", time_zone="Europe/London"):
        """A spreadsheet from {tab title: grid of values}; returns its key.

        ``formulas``: {tab title: {(row, col): '=...'}}, from an uploaded .xlsx: the
        grid's value there is the result the file stored (or None)."""
        with self.lock:
            key = key or uuid.uuid4().hex + uuid.uuid4().hex[:12]
            book = Spreadsheet(key, title, locale=locale, time_zone=time_zone)
            for title_, grid in tabs.items():
                sheet = Sheet(len(book.sheets), title_)
                sheet.rows = max(DEFAULT_ROWS, len(grid))
                sheet.columns = max(DEFAULT_COLUMNS, max((len(r) for r in grid), default=0))
                for r, row in enumerate(grid, start=1):
                    for c, value in enumerate(row, start=1):
                        if value not in (None, ""):
                            sheet.cells[(r, c)] = _from_xlsx(value)
                for (r, c), formula in (formulas or {}).get(title_, {}).items():
                    stored = sheet.cells.get((r, c))
                    sheet.cells[(r, c)] = Cell(stored.value if stored else None, formula=formula)
                book.sheets.append(sheet)
            self.spreadsheets[key] = book
            return key

    def get(self, key):
        with self.lock:
            book = self.spreadsheets.get(key)
        if book is None or book.trashed:
            raise ApiError(404, "NOT_FOUND", "Requested entity was not found.")
        if not book.shared:
            raise ApiError(403, "PERMISSION_DENIED", "The caller does not have permission")
        return book

    def edit(self, key, tab, row, col, value):
        """A person typing into a cell in the browser (USER_ENTERED)."""
        with self.lock:
            book = self.spreadsheets[key]
            book.set_values(f"{quote_title(tab)}!{column_letters(col)}{row}", [[value]], "USER_ENTERED")

    def insert_row(self, key, tab, before, values):
        """A person inserting a row: every row from ``before`` moves down one."""
        with self.lock:
            book = self.spreadsheets[key]
            sheet = book.sheet(tab)
            moved = {}
            for (r, c), cell in sheet.cells.items():
                moved[(r + 1 if r >= before else r, c)] = cell
            sheet.cells = moved
            sheet.rows += 1
            for c, value in enumerate(values, start=1):
                if value not in (None, ""):
                    sheet.cells[(before, c)] = Cell(value)
            book.touch()

    def delete_row(self, key, tab, row):
        with self.lock:
            book = self.spreadsheets[key]
            sheet = book.sheet(tab)
            sheet.cells = {
                (r - 1 if r > row else r, c): cell for (r, c), cell in sheet.cells.items() if r != row
            }
            book.touch()

    def rows(self, key, tab):
        """The tab's values as a person sees them (for tests)."""
        with self.lock:
            return self.spreadsheets[key].get_values(quote_title(tab)).get("values", [])


def _from_xlsx(value):
    """A cell of an uploaded .xlsx as Sheets keeps it: dates become date serials."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return date_cell(value)
    return Cell(value)
