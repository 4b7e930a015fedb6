"""Cell values as people type them, turned into what the app stores.

Each column of the contract has a kind (``domain/contract.py``); the cleaner of
that kind turns the cell into a clean value and says what is wrong with it. A
table may add a cleaner for rules across its columns (the action plan's area
folded into its links). Nothing here touches a database or a sheet.
"""
import re
from datetime import date, datetime

from .dates import date_advice, due_ends, parse_date
from .status import STATUSES, normalise_status
from .themes import theme_key


def cell_text(value):
    """A cell as the text a person typed: numbers without '.0', dates as UK dates."""
    if value is None:
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
    # A NUL (Google's JSON may carry one) is the one character PostgreSQL cannot store:
    # kept, it failed the whole workbook's sync there. It means nothing to a reader.
    return text.replace("\x00", "").strip()


def column_letters(number):
    """A column's letters from its 1-based number: 1 -> A, 27 -> AA, 16384 -> XFD."""
    letters = ""
    while number:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters):
    """A column's 1-based number from its letters: A -> 1, XFD -> 16384."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


class Report:
    """Where a cleaner says what is wrong with a row: ``problem(attr, message, fix)``.

    ``invalid=True``: the row cannot be stored as it is; its last good version stays.
    """

    def __init__(self, on_problem):
        self.on_problem = on_problem
        self.valid = True

    def problem(self, attr, message, fix, invalid=False):
        if invalid:
            self.valid = False
        self.on_problem(attr, message, fix)


# -- one cleaner per kind of column: (values, attr, raw cell, report) -------------

def _clean_status(values, attr, raw, report):
    status, known = normalise_status(values[attr])
    values[attr] = status
    if not known:
        report.problem(attr, f"'{status}' is not a status the app knows; it is shown as written.",
                       f"Use one of: {', '.join(STATUSES)} (or Green, Amber, Red).")


def _clean_date(values, attr, raw, report):
    """A date the row cannot do without (an impact-log entry's Date)."""
    text = values[attr]
    day = parse_date(raw)
    values[attr] = day
    if text and day is None:
        report.problem(attr, f"'{text}' is not a date.", date_advice(text),
                       invalid=True)


def _clean_due(values, attr, raw, report):
    """A date, or words ('Summer 2027', 'TBC') kept as written. A date is stored as ISO,
    with its day in ``<attr>_date``; the last day the Due covers (a month's, a term's
    end) in ``<attr>_by``, for telling rows overdue."""
    day = parse_date(raw) if raw not in (None, "") else None
    values[f"{attr}_date"] = day
    if day:
        values[attr] = day.isoformat()
    values[f"{attr}_by"] = due_ends(day or values[attr])


def _clean_date_text(values, attr, raw, report):
    """A date shown as the sheet shows it (Last updated): a date cell's serial as dd/mm/yyyy."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        day = parse_date(raw)
        if day:
            values[attr] = day.strftime("%d/%m/%Y")


_YES = {"yes", "y", "true", "1", "x", "shared"}
_NO = {"no", "n", "false", "0", ""}


def _clean_yes_no(values, attr, raw, report):
    written = values[attr]
    answer = written.strip().lower()
    values[attr] = answer in _YES
    if answer not in _YES and answer not in _NO:
        report.problem(attr, f"'{written}' is neither Yes nor No; the priority is not shared.",
                       "Type Yes to share this priority with the partnership, or No.")


def _clean_number(values, attr, raw, report):
    """An objective's number: one whole number."""
    numbers = objective_numbers(values[attr])
    if len(numbers) != 1:
        report.problem(attr, f"'{values[attr]}' is not an objective number.",
                       "Give each objective a whole number: 1, 2, 3 …", invalid=True)
    else:
        values[attr] = numbers[0]


MAX_ID_LENGTH = 40
# An ID as the hub gives them (BR-A007) or as people type them (J-E004, SG 1.2, 3(a)): one
# line of ASCII letters and digits, spaces and - _ . / # : + ( ), starting with a letter or a
# digit. ASCII: a Cyrillic Е looks like E, and an invisible filler looks like nothing.
# Checked where it enters, because an ID goes where sheet text must not: into a download's
# file name, into a URL's fragment, into the calendar files other programs read.
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_ .\-/#:+()]*")


def _clean_id(values, attr, raw, report):
    text = values[attr]
    if not text:
        return
    if len(text) > MAX_ID_LENGTH:
        report.problem(attr, f"The ID is longer than {MAX_ID_LENGTH} characters.",
                       "Clear the ID cell; the app will give the row a new ID.", invalid=True)
    elif not _ID.fullmatch(text):
        shown = " ".join(text.split())
        report.problem(attr, f"'{shown}' is not a usable ID: an ID is one line of letters, digits, spaces and "
                             "- _ . / # : + ( ), starting with a letter or a digit.",
                       "Clear the ID cell; the app will give the row a new ID.", invalid=True)


_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,19}")


def _clean_code(values, attr, raw, report):
    code = values[attr]
    if code and not _CODE.fullmatch(code):
        report.problem(attr, f"'{code}' is not a usable school code.",
                       "Use a short code of letters and digits, such as BR, with no spaces.", invalid=True)
    elif code.lower() == "joint":
        report.problem(attr, "'joint' is reserved for the joint action plan.", "Give the school another code.",
                       invalid=True)
    values[attr] = code.upper()


KIND_CLEANERS = {
    "text": None,
    "status": _clean_status,
    "date": _clean_date,
    "due": _clean_due,
    "date_text": _clean_date_text,
    "yes_no": _clean_yes_no,
    "number": _clean_number,
    "code": _clean_code,
    "id": _clean_id,
}
# Kinds whose value the hub writes back as a date cell when it is a date.
DATE_KINDS = frozenset({"date", "due", "date_text"})


# -- linked objectives, and an area folded into them --------------------------------

_LINKS = re.compile(r"\blinks?\s*:", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_OBJECTIVE = re.compile(r"\bobjectives?\s*\d", re.IGNORECASE)
_YEARS = re.compile(r"\([^)]*\d{4}[^)]*\)")  # '(2017-18)': a year, not objectives 17 to 18
_NUMBERS = re.compile(r"(?<!\d)(\d{1,3})(?:\s*[-–]\s*(\d{1,3}))?(?!\d)")


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
    for start, end in _NUMBERS.findall(plain):
        first = int(start)
        last = int(end) if end else first
        if last < first or last - first > 50:
            last = first
        for n in range(first, last + 1):
            if n not in numbers:
                numbers.append(n)
    return numbers


def clean_action_row(values, raw, report, known_objectives):
    """An action-plan row's area and linked objectives, across their two columns."""
    links = values.get("linked_objectives", "")
    if not values.get("area") and links:
        area, links_only = split_area_and_links(links)
        if area:
            values["area"], values["linked_objectives"] = area, links_only
    refs = objective_numbers(values.get("linked_objectives", ""))
    values["objective_refs"] = refs
    if known_objectives is not None:
        unknown = [n for n in refs if n not in known_objectives]
        if unknown:
            report.problem("linked_objectives",
                           f"Links to objective {', '.join(map(str, unknown))}, which the partnership does not have.",
                           "Check the objective numbers against the Objectives tab of the partnership workbook.")


def clean_theme_row(values, raw, report, known_objectives):
    """A Themes tab row is known by its name as themes are compared: 'Well-being' and
    'wellbeing' are one theme, whichever way its row spells it."""
    values["key"] = theme_key(values.get("name", ""))
