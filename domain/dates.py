"""Dates as people type them in UK school spreadsheets."""
import re
from datetime import date, datetime, timedelta

# Spreadsheet serial 0 is 30 Dec 1899 in both Google Sheets and Excel (since 1 Mar 1900).
_SERIAL_EPOCH = date(1899, 12, 30)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?$")
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")


# Serials a school's dates can have: 1 Jan 1950 to 31 Dec 2149. Any other number in a
# date cell (a year typed as 2027, a week number) is not a date, not one in 1905.
_PLAUSIBLE_SERIALS = range(18264, 91313)


def _serial_date(serial):
    return from_serial(serial) if int(float(serial)) in _PLAUSIBLE_SERIALS else None


def from_serial(serial):
    """A spreadsheet date serial (days since 30/12/1899) as a date."""
    return _SERIAL_EPOCH + timedelta(days=int(float(serial)))


def parse_date(value):
    """A date from a cell, or None if the text is not a single calendar date.

    Accepts date objects, UK day-first dates (25/04/2017, 25.4.17), ISO dates,
    "25 April 2017" / "25th Apr 2017", and spreadsheet serials. Text such as
    "Autumn 2017" or "date TBC" is not a date: callers keep it as written.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial_date(value)
    text = str(value).strip().lower()
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{5}(\.\d+)?", text):
            return _serial_date(text)
        if m := _NUMERIC.match(text):
            day, month, year = (int(g) for g in m.groups())
            if year < 100:
                year += 2000
            return date(year, month, day)
        if m := _ISO.match(text):
            return date(*(int(g) for g in m.groups()))
        if m := _WORDS.match(text):
            month = _MONTHS.get(m.group(2))
            if month:
                return date(int(m.group(3)), month, int(m.group(1)))
    except ValueError:  # 31/02/2017 and the like
        return None
    return None


def uk(day):
    """A date the way a UK reader expects it: 25 Apr 2017."""
    return f"{day.day} {day:%b %Y}" if day else ""
