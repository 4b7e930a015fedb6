"""Dates as people type them in UK school spreadsheets."""
import calendar
import re
from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple
from zoneinfo import ZoneInfo

# Schools keep UK clocks; the server may keep UTC, an hour behind them in summer.
UK_TIME = ZoneInfo("Europe/London")

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
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?,?(?:\s+(\d{4}))?$")
# "Thurs 11th Feb 2027", "Wednesday, 9 December": the weekday schools put first.
_WEEKDAY = re.compile(r"^([a-z]+)\.?,?\s+(?=\d)")
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "weds", "wednesday"),
            ("thu", "thur", "thurs", "thursday"), ("fri", "friday"), ("sat", "saturday"), ("sun", "sunday"),
        ]
    )
    for name in names
}


# Serials a school's dates can have: 1 Jan 1950 to 31 Dec 2149. Any other number in a
# date cell (a year typed as 2027, a week number) is not a date, not one in 1905.
_PLAUSIBLE_SERIALS = range(18264, 91313)


def _serial_date(serial):
    return from_serial(serial) if int(float(serial)) in _PLAUSIBLE_SERIALS else None


def uk_time(moment):
    """A stored UTC time (naive), an aware time, or an ISO text of one, on UK clocks."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(UK_TIME)


def uk_day(moment):
    """The UK day of a stored UTC time (naive), an aware time, or an ISO text of one."""
    return uk_time(moment).date()


def uk_today():
    """Today on UK clocks: the day every "today" in the hub means (overdue, this term, "as
    at", Last updated), not the server's, which after 11 pm in summer is still yesterday.
    Callers ask for it as ``dates.uk_today()``, so that the tests can hold the day still."""
    return uk_day(datetime.now(timezone.utc))


def from_serial(serial):
    """A spreadsheet date serial (days since 30/12/1899) as a date."""
    return _SERIAL_EPOCH + timedelta(days=int(float(serial)))


def to_serial(day):
    """A date as a spreadsheet holds it: its serial, days since 30/12/1899."""
    return (day - _SERIAL_EPOCH).days


def parse_date(value, today=None):
    """A date from a cell, or None if the text is not a single calendar date.

    Accepts date objects, UK day-first dates (25/04/2017, 25.4.17), ISO dates,
    "25 April 2017" / "25th Apr 2017", and spreadsheet serials, each after a weekday
    if one is written ("Thurs 11th Feb 2027"), which must then be the date's. A day and
    month with no year is a date only with its weekday ("Tues 3rd Feb"), which names the
    year: the one nearest ``today`` (within a year either way) whose day it is. Text
    such as "Autumn 2017", "3rd Feb" or "date TBC" is not a date: callers keep it as written.
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
    weekday = None
    if (m := _WEEKDAY.match(text)) and m.group(1) in _WEEKDAYS:
        weekday, text = _WEEKDAYS[m.group(1)], text[m.end():]
    if (m := _WORDS.match(text)) and not m.group(3):  # no year: only its weekday can say which
        return _of_weekday(m, weekday, today) if weekday is not None else None
    day = _parse_day(text)
    return day if day is None or weekday is None or day.weekday() == weekday else None


def date_advice(value, today=None):
    """What to tell a person whose text parse_date refused: that its weekday is not the
    date's ("11 Feb 2027 is a Thursday"), else how to write a date."""
    text = str(value or "").strip().lower()
    weekday = _WEEKDAY.match(text)
    rest = text[weekday.end():] if weekday and weekday.group(1) in _WEEKDAYS else text
    if rest is not text and (day := _parse_day(rest)):
        return f"{uk(day)} is a {day:%A}: check the day or the date."
    if (m := _WORDS.match(rest)) and not m.group(3) and m.group(2) in _MONTHS:
        return f"Give the year too, e.g. {day_example(today)}."
    return f"Write the date as day/month/year, e.g. {day_example(today)}."


def _parse_day(text):
    """parse_date after any weekday, with a year: the day ``text`` gives, or None."""
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
        if (m := _WORDS.match(text)) and m.group(3):
            month = _MONTHS.get(m.group(2))
            if month:
                return date(int(m.group(3)), month, int(m.group(1)))
    except ValueError:  # 31/02/2017 and the like
        return None
    return None


def _of_weekday(words, weekday, today):
    """The day and month of ``words`` (a _WORDS match with no year) in the year, of last
    year, this one and next, whose date falls on ``weekday`` and lies nearest ``today``;
    None when none does (a weekday that is no such date's: the writer's slip to put right)."""
    month, today = _MONTHS.get(words.group(2)), today or uk_today()
    found = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            day = date(year, month, int(words.group(1))) if month else None
        except ValueError:  # 29 February of a year with none, 31 April
            continue
        if day and day.weekday() == weekday:
            found.append(day)
    return min(found, key=lambda day: abs((day - today).days)) if found else None


def uk(day):
    """A date the way a UK reader expects it in a table: 25 Apr 2017 (GOV.UK's short form)."""
    return f"{day.day} {day:%b %Y}" if day else ""


def clock(moment):
    """A time of day as GOV.UK writes it: 9am, 9:30am, 12pm (midday), 12am (midnight)."""
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def clock_span(start, end=None):
    """"9am to 12pm", or "9:30am" with no end; "" with no start."""
    if start is None:
        return ""
    return f"{clock(start)} to {clock(end)}" if end is not None else clock(start)


# --- Due: what schools write in a plan's Due column -----------------------------------
#
# A date, a month, a term or half-term, or a word. For the first three, ``ends`` is
# the last day it covers, so a row can be told overdue. UK school terms are kept
# simple, ending on the last day of a month (never before the school's own end):
#   Autumn 1: 31 Oct   Autumn 2 / Autumn: 31 Dec
#   Spring 1: end of Feb   Spring 2 / Spring: 31 Mar (Easter moves; the end of March is near enough)
#   Summer 1: 31 May   Summer 2 / Summer: 31 Jul
# "Autumn 2026/27" takes the year the term falls in (autumn the first, spring and summer the second).

_TERM_ENDS = {  # (term, half) -> month it ends in
    ("autumn", "1"): 10, ("autumn", "2"): 12, ("autumn", None): 12,
    ("spring", "1"): 2, ("spring", "2"): 3, ("spring", None): 3,
    ("summer", "1"): 5, ("summer", "2"): 7, ("summer", None): 7,
}
_TERM_NAMES = {"autumn": "autumn", "aut": "autumn", "spring": "spring", "spr": "spring",
               "summer": "summer", "sum": "summer"}
_TERM = re.compile(
    r"^(autumn|aut|spring|spr|summer|sum)\.?\s*(?:term\s*)?([12])?\s*(?:half[\s-]*term\s*|term\s*)?"
    r"(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?$"
)
_MONTH = re.compile(r"^([a-z]+)\.?,?\s+(\d{4})$")
DUE_WORDS = frozenset({
    "tbc", "tba", "tbd", "ongoing", "on-going", "on going", "termly", "half-termly", "half termly", "each term",
    "every term", "end of term", "end of half term", "end of half-term", "end of year", "end of the year",
    "end of the term", "weekly", "fortnightly", "monthly", "annually", "yearly", "as needed", "as required",
    "n/a",
})


def _spring_of(today):
    """The calendar year of this school year's spring and summer: the examples' year."""
    today = today or uk_today()
    return today.year + 1 if today.month >= 9 else today.year


def day_example(today=None):
    """"14/01/2027": how to write a day, with this school year's own year in it."""
    return f"14/01/{_spring_of(today)}"


def due_examples(today=None):
    """What a Due may be, with examples of this school year (none a year that has passed)."""
    year = _spring_of(today)
    return (f"Give a date (25/04/{year} or 25 April {year}), a month (July {year}), a term or half-term "
            f"(Summer {year}, Autumn 1 {year - 1}) or a word such as TBC, ongoing or termly.")


def due_hint(today=None):
    """The Due field's hint, with this school year's year in its examples."""
    year = _spring_of(today)
    return f"A date (25/04/{year}), a month (July {year}), a term (Summer {year}) or TBC."


class Due(NamedTuple):
    kind: str  # "date", "month", "term", "word" or "blank"
    ends: date | None  # the last day it covers (date, month, term)


def _month_end(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_due(text):
    """What a Due cell says, as a Due, or None when it is none of the forms schools use."""
    if isinstance(text, (date, int, float)) and not isinstance(text, bool):
        day = parse_date(text)
        return Due("date", day) if day else None
    words = " ".join(str(text or "").strip().lower().split())
    if not words:
        return Due("blank", None)
    if words.rstrip(".") in DUE_WORDS:
        return Due("word", None)
    day = parse_date(words)
    if day:
        return Due("date", day)
    if m := _TERM.match(words):
        term, half, year, second = _TERM_NAMES[m.group(1)], m.group(2), int(m.group(3)), m.group(4)
        if second and term != "autumn":  # 2026/27: spring and summer fall in 2027
            year = year + 1 if len(second) == 2 else int(second)
        return Due("term", _month_end(year, _TERM_ENDS[(term, half)]))
    if (m := _MONTH.match(words)) and m.group(1) in _MONTHS:
        return Due("month", _month_end(int(m.group(2)), _MONTHS[m.group(1)]))
    return None


def due_ends(value):
    """The last day a Due covers (a date, a month's or a term's end), or None (TBC, blank)."""
    due = parse_due(value)
    return due.ends if due else None
