"""The stand-in's formulas: the plain functions schools use, computed as Google does.

A small tokenizer, a recursive-descent parser and an evaluator over the
stand-in's cells; no Python ``eval``. Understood: numbers, "text" (with ""
for a quote), TRUE/FALSE, + - * / ^ % & and the comparisons (= <> < > <= >=),
cell and range references (A1, $B$2, A1:C5, A:A, 'Other tab'!A1), and SUM,
AVERAGE, COUNT, COUNTA, MIN, MAX, IF, CONCATENATE and TODAY. A function it does
not know answers #NAME?, as Google does for an unknown function (a cell loaded
from an .xlsx with a stored result answers that result instead); a formula that
does not parse answers #ERROR!, a reference loop #REF!.
"""
import re
from dataclasses import dataclass
from datetime import date

from domain.cells import column_number

_SERIAL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Error:
    code: str  # '#NAME?', '#DIV/0!', '#VALUE!', '#REF!', '#ERROR!', '#N/A'


class _ParseError(Exception):
    pass


@dataclass(frozen=True)
class DateValue:
    """A number that Google formats as a date (TODAY())."""

    serial: int


_SHEET = r"(?:(?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_]*)!)?"  # 'My tab'! or Tab!, optional
_TOKEN = re.compile(rf"""
    (?P<space>\s+)
  | (?P<string>"(?:[^"]|"")*")
  | (?P<ref>{_SHEET}\$?[A-Za-z]{{1,3}}\$?\d+(?::\$?[A-Za-z]{{1,3}}\$?\d+)?(?![A-Za-z0-9_(]))
  | (?P<columns>{_SHEET}\$?[A-Za-z]{{1,3}}:\$?[A-Za-z]{{1,3}}(?![A-Za-z0-9_(]))
  | (?P<number>\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<op><>|<=|>=|[-+*/^&=<>%(),:;])
""", re.VERBOSE)


def _tokens(text):
    position, found = 0, []
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise _ParseError(text[position:])
        position = match.end()
        if match.lastgroup != "space":
            found.append((match.lastgroup, match.group()))
    return found




def _split_sheet(text):
    """"'My tab'!A1" -> ("My tab", "A1"); "A1" -> (None, "A1")."""
    if "!" not in text:
        return None, text
    sheet, cells = text.rsplit("!", 1)
    if sheet.startswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, cells


def _cell(text):
    match = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", text)
    return int(match.group(2)), column_number(match.group(1))


class _Parser:
    """Tokens to a tree of tuples: ('num', x), ('str', s), ('bool', b), ('range', sheet, r1, c1, r2, c2),
    ('call', NAME, [args]), ('neg', x), ('pct', x), ('op', sym, a, b)."""

    _LEVELS = [("=", "<>", "<", ">", "<=", ">="), ("&",), ("+", "-"), ("*", "/"), ("^",)]

    def __init__(self, tokens):
        self.tokens, self.at = tokens, 0

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else (None, None)

    def take(self, value=None):
        kind, text = self.peek()
        if kind is None or (value is not None and text != value):
            raise _ParseError(f"expected {value}")
        self.at += 1
        return kind, text

    def parse(self):
        tree = self.binary(0)
        if self.at != len(self.tokens):
            raise _ParseError("trailing tokens")
        return tree

    def binary(self, level):
        if level == len(self._LEVELS):
            return self.unary()
        tree = self.binary(level + 1)
        while self.peek()[0] == "op" and self.peek()[1] in self._LEVELS[level]:
            symbol = self.take()[1]
            tree = ("op", symbol, tree, self.binary(level + 1))
        return tree

    def unary(self):
        kind, text = self.peek()
        if kind == "op" and text in "+-":
            self.take()
            operand = self.unary()
            return ("neg", operand) if text == "-" else operand
        tree = self.primary()
        while self.peek() == ("op", "%"):
            self.take()
            tree = ("pct", tree)
        return tree

    def primary(self):
        kind, text = self.take()
        if kind == "number":
            return ("num", float(text))
        if kind == "string":
            return ("str", text[1:-1].replace('""', '"'))
        if kind == "ref":
            sheet, cells = _split_sheet(text)
            first, _, last = cells.partition(":")
            (r1, c1), (r2, c2) = _cell(first), _cell(last or first)
            return ("range", sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))
        if kind == "columns":
            sheet, cells = _split_sheet(text)
            first, last = (column_number(part.strip("$")) for part in cells.split(":"))
            return ("range", sheet, 1, min(first, last), None, max(first, last))
        if kind == "name":
            if self.peek() == ("op", "("):
                self.take("(")
                args = []
                if self.peek() != ("op", ")"):
                    args.append(self.binary(0))
                    while self.peek()[1] in (",", ";"):
                        self.take()
                        args.append(self.binary(0))
                self.take(")")
                return ("call", text.upper(), args)
            if text.upper() in ("TRUE", "FALSE"):
                return ("bool", text.upper() == "TRUE")
            return ("name", text)  # a named range the stand-in does not have
        if (kind, text) == ("op", "("):
            tree = self.binary(0)
            self.take(")")
            return tree
        raise _ParseError(text)


class _Fail(Exception):
    """An error value on its way up: most functions pass the first error on."""

    def __init__(self, error):
        super().__init__(error.code)
        self.error = error


def _number(value):
    """A value in arithmetic, as Google coerces it."""
    if isinstance(value, Error):
        raise _Fail(value)
    if isinstance(value, DateValue):
        return float(value.serial)
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        raise _Fail(Error("#VALUE!"))


def _text(value):
    if isinstance(value, Error):
        raise _Fail(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, DateValue):
        value = value.serial
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _truth(value):
    if isinstance(value, str) and value.upper() in ("TRUE", "FALSE"):
        return value.upper() == "TRUE"
    if isinstance(value, str) and value != "":
        raise _Fail(Error("#VALUE!"))
    return bool(_number(value))


def _rank(value):
    """Google orders numbers before text before booleans when types differ."""
    if isinstance(value, bool):
        return 2, value
    if isinstance(value, str):
        return 1, value.lower()
    return 0, _number(value)


def _compare(symbol, a, b):
    for value in (a, b):
        if isinstance(value, Error):
            raise _Fail(value)
    if a is None or a == "":
        a = "" if isinstance(b, str) else (False if isinstance(b, bool) else 0.0)
    if b is None or b == "":
        b = "" if isinstance(a, str) else (False if isinstance(a, bool) else 0.0)
    left, right = _rank(a), _rank(b)
    return {"=": left == right, "<>": left != right, "<": left < right, ">": left > right,
            "<=": left <= right, ">=": left >= right}[symbol]


class Calculator:
    """Evaluates the formulas of one spreadsheet; ``values(sheet, r1, c1, r2, c2)`` is a
    2-D list of a range's values (formulas computed), and ``cell_value`` one cell's."""

    def __init__(self, spreadsheet):
        self.book = spreadsheet
        self.done = {}  # (sheet id, row, col) -> value, for this one answer
        self.busy = set()  # cells being computed: meeting one again is a reference loop

    def cell_value(self, sheet, row, col):
        cell = sheet.cells.get((row, col))
        if cell is None:
            return None
        if cell.formula is None:
            return DateValue(cell.value) if cell.is_date and isinstance(cell.value, int) else cell.value
        key = (sheet.sheet_id, row, col)
        if key in self.done:
            return self.done[key]
        if key in self.busy:
            return Error("#REF!")  # Google: "Circular dependency detected"
        self.busy.add(key)
        try:
            value = self.formula(sheet, cell.formula)
        finally:
            self.busy.discard(key)
        if isinstance(value, Error) and value.code == "#NAME?" and cell.value not in (None, ""):
            value = cell.value  # loaded from an .xlsx with its stored result: keep that
        self.done[key] = value
        return value

    def formula(self, sheet, text):
        try:
            tree = _Parser(_tokens(text.lstrip("="))).parse()
        except (_ParseError, AttributeError):
            return Error("#ERROR!")  # Google: "Formula parse error."
        try:
            value = self.scalar(sheet, tree)
        except _Fail as failure:
            return failure.error
        except (OverflowError, ValueError):
            return Error("#NUM!")
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            value = int(value)
        return value

    def range_values(self, sheet, node):
        """A range's values, flattened, row by row."""
        _, title, r1, c1, r2, c2 = node
        target = sheet if title is None else self._sheet(title)
        if r2 is None:  # whole columns: as far down as the tab holds anything
            r2 = max((r for r, _ in target.cells), default=0)
        return [self.cell_value(target, r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]

    def _sheet(self, title):
        for candidate in self.book.sheets:
            if candidate.title.lower() == title.lower():
                return candidate
        raise _Fail(Error("#REF!"))

    def scalar(self, sheet, node):
        kind = node[0]
        if kind in ("num", "str", "bool"):
            return node[1]
        if kind == "range":
            values = self.range_values(sheet, node)
            if len(values) != 1:
                raise _Fail(Error("#VALUE!"))  # a range where one value is wanted
            return values[0]
        if kind == "name":
            raise _Fail(Error("#NAME?"))
        if kind == "neg":
            return -_number(self.scalar(sheet, node[1]))
        if kind == "pct":
            return _number(self.scalar(sheet, node[1])) / 100
        if kind == "op":
            return self.operator(sheet, *node[1:])
        return self.call(sheet, node[1], node[2])

    def operator(self, sheet, symbol, left, right):
        a, b = self.scalar(sheet, left), self.scalar(sheet, right)
        if symbol == "&":
            return _text(a) + _text(b)
        if symbol in ("=", "<>", "<", ">", "<=", ">="):
            return _compare(symbol, a, b)
        x, y = _number(a), _number(b)
        if symbol == "+":
            return x + y
        if symbol == "-":
            return x - y
        if symbol == "*":
            return x * y
        if symbol == "/":
            if y == 0:
                raise _Fail(Error("#DIV/0!"))
            return x / y
        return x ** y

    def arguments(self, sheet, args):
        """[(value, from_a_range)] of every argument, ranges spread out."""
        spread = []
        for arg in args:
            if arg[0] == "range":
                spread += [(v, True) for v in self.range_values(sheet, arg)]
            else:
                spread.append((self.scalar(sheet, arg), False))
        return spread

    def numbers(self, sheet, args):
        """What SUM, AVERAGE, MIN and MAX count: numbers in ranges; typed arguments coerced."""
        found = []
        for value, ranged in self.arguments(sheet, args):
            if isinstance(value, Error):
                raise _Fail(value)
            if ranged:
                if isinstance(value, DateValue) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
                    found.append(_number(value))
            else:
                found.append(_number(value))
        return found

    def call(self, sheet, name, args):
        if name == "IF":
            if not 1 <= len(args) <= 3:
                raise _Fail(Error("#N/A"))  # Google: wrong number of arguments
            if _truth(self.scalar(sheet, args[0])):
                return self.scalar(sheet, args[1]) if len(args) > 1 else True
            return self.scalar(sheet, args[2]) if len(args) > 2 else False
        if name == "SUM":
            return sum(self.numbers(sheet, args))
        if name == "AVERAGE":
            numbers = self.numbers(sheet, args)
            if not numbers:
                raise _Fail(Error("#DIV/0!"))
            return sum(numbers) / len(numbers)
        if name in ("MIN", "MAX"):
            numbers = self.numbers(sheet, args)
            return (min if name == "MIN" else max)(numbers) if numbers else 0
        if name == "COUNT":
            return sum(1 for value, ranged in self.arguments(sheet, args)
                       if isinstance(value, (int, float, DateValue)) and not isinstance(value, bool)
                       or (not ranged and isinstance(value, str) and _is_number(value)))
        if name == "COUNTA":
            return sum(1 for value, _ in self.arguments(sheet, args) if value not in (None, ""))
        if name in ("CONCATENATE", "CONCAT"):
            return "".join(_text(value) for value, _ in self.arguments(sheet, args))
        if name == "TODAY":
            if args:
                raise _Fail(Error("#N/A"))
            return DateValue((date.today() - _SERIAL_EPOCH).days)
        raise _Fail(Error("#NAME?"))  # Google: "Unknown function"


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False
