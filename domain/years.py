"""School years: 1 September to 31 August, as UK schools keep them. Plain rules, no Flask.

Every plan (the joint plan and each school's) belongs to a year: its workbook record
(``Workbook.school_year``), and through it its rows, impact log and priorities. The
hub has one current year at a time (``Workbook.is_current``): today's pages, the
sync, attention and overdue counts look at it alone. A coordinator starts the next
year when the schools have their new plans (``start_year``); until then the current
year goes on, whatever the date. A year that is over stays whole, read-only.

A year is named by the calendar year it starts in: 2026 is "2026 to 2027", "2026-27".
"""
import re
from datetime import date

from sqlalchemy import func, select

from . import dates, kept
from .models import SchoolYear, utcnow


def school_year_of(day):
    """The school year a day falls in: 31 August 2027 is 2026's, 1 September 2027 is 2027's."""
    return day.year if day.month >= 9 else day.year - 1


def first_day(year):
    """1 September of the year."""
    return date(year, 9, 1)


def last_day(year):
    """31 August of the year after."""
    return date(year + 1, 8, 31)


def label(year):
    """"2026 to 2027", as GOV.UK writes an academic year in running text."""
    return f"{year} to {year + 1}"


def short(year):
    """"2026-27", as schools title their plans and tabs."""
    return f"{year}-{(year + 1) % 100:02d}"


def in_year(day, year):
    """Does the day fall in the school year?"""
    return day is not None and first_day(year) <= day <= last_day(year)


# How a tab's title may carry its year: "Action plan 2027-28", "Action plan 2027/28",
# "Action plan 2027-2028", "Action plan 2027 to 2028" (compared as domain/contract.py
# compares titles: letters and digits only).
def year_suffixes(year):
    """The ways a title's end may give the year, as title keys compare them."""
    following = year + 1
    return (f"{year}{following % 100:02d}", f"{year}{following}", f"{year}to{following}")


_YEAR_IN_TITLE = re.compile(r"(20\d\d)\s*(?:[-/–]|to)\s*(\d\d|20\d\d)\s*$", re.IGNORECASE)


def year_in_title(title):
    """The school year a tab's title ends with ("Action plan 2027-28": 2027), or None."""
    match = _YEAR_IN_TITLE.search(title or "")
    if not match:
        return None
    start, end = int(match.group(1)), match.group(2)
    return start if int(end) % 100 == (start + 1) % 100 else None


def current_year(session):
    """The hub's current school year: the latest one started, or, before any has been,
    the year of today. (Kept: a year started moves every partnership's version.)"""
    return kept.for_partnership(session, ("current year", dates.uk_today()), lambda: session.scalar(
        select(func.max(SchoolYear.year))) or school_year_of(dates.uk_today()))


def years(session):
    """Every year the hub holds, newest first."""
    return kept.for_partnership(session, ("years",), lambda: list(
        session.scalars(select(SchoolYear.year).order_by(SchoolYear.year.desc()))))


def ensure_current(session, today=None):
    """The current year, recorded as the first if the hub has none yet (the year of today)."""
    year = session.scalar(select(func.max(SchoolYear.year)))
    if year is None:
        year = school_year_of(today or dates.uk_today())
        session.add(SchoolYear(year=year, started_at=utcnow(), started_by="the first sync"))
        session.flush()
    return year


def is_over(row):
    """Is a row of a workbook (an event, a plan's row) of a school year that is over? It is
    then kept as it stood at the turn, to read."""
    return row.workbook is not None and not row.workbook.is_current


def over_note(row, what):
    """"This event was in the 2026 to 2027 school year, which is over: …" for a page that
    refuses to change it."""
    return (f"This {what} was in the {label(row.workbook.school_year)} school year, which is over: "
            "it is kept as it stood at the end of the year.")
