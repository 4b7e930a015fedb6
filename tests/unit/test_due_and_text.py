"""What schools write in Due, and text cleaned to what a sheet cell can hold."""
from datetime import date, datetime, time

import pytest

from domain.dates import UK_TIME, Due, clock_span, date_advice, parse_date, parse_due, uk_day
from domain.text import clean_text, needs_cleaning

from ..conftest import REAL_UK_TODAY


@pytest.mark.parametrize("text, due", [
    ("25/04/2027", Due("date", date(2027, 4, 25))),
    ("25 April 2027", Due("date", date(2027, 4, 25))),
    ("2027-04-25", Due("date", date(2027, 4, 25))),
    ("July 2027", Due("month", date(2027, 7, 31))),
    ("Feb 2028", Due("month", date(2028, 2, 29))),
    ("Summer 2027", Due("term", date(2027, 7, 31))),
    ("Summer term 2027", Due("term", date(2027, 7, 31))),
    ("Sum 2027", Due("term", date(2027, 7, 31))),
    ("Autumn 1 2026", Due("term", date(2026, 10, 31))),
    ("Autumn 2026", Due("term", date(2026, 12, 31))),
    ("Spring 1 2027", Due("term", date(2027, 2, 28))),
    ("Spring 2 2027", Due("term", date(2027, 3, 31))),
    ("Summer 1 2027", Due("term", date(2027, 5, 31))),
    ("Spring 2026/27", Due("term", date(2027, 3, 31))),
    ("Autumn 2026/27", Due("term", date(2026, 12, 31))),
    ("TBC", Due("word", None)),
    ("ongoing", Due("word", None)),
    ("Termly", Due("word", None)),
    ("end of term", Due("word", None)),
    ("", Due("blank", None)),
])
def test_due_understands_what_schools_write(text, due):
    assert parse_due(text) == due


@pytest.mark.parametrize("text", ["next week", "31/02/2027", "Winter 2027", "soon-ish", "Summer"])
def test_due_refuses_what_is_none_of_them(text):
    assert parse_due(text) is None


def test_clean_text_removes_what_a_sheet_cannot_hold():
    assert clean_text("a\x00b\x0cc\x1fd") == "abcd"
    assert needs_cleaning("a\x00b") and not needs_cleaning("tab\tand\nlines\r\n")


def test_a_vertical_tab_from_word_becomes_a_line_break():
    assert clean_text("first line\x0bsecond line") == "first line\nsecond line"


def test_clean_text_keeps_ordinary_text_and_none():
    assert clean_text("Tab\tnewline\n“quotes” £5") == "Tab\tnewline\n“quotes” £5"
    assert clean_text(None) is None


def test_today_is_the_uk_day_not_the_servers():
    """23:30 UTC on 31 March 2027 is 00:30 on 1 April in the UK (BST): the Summer term's
    first day, though a server on UTC still says 31 March. The suite's own day is fixed
    (tests/conftest.py), so the real clock is asked for here once."""
    assert uk_day(datetime(2027, 3, 31, 23, 30)) == date(2027, 4, 1)
    assert uk_day(datetime(2027, 1, 31, 23, 30)) == date(2027, 1, 31)  # GMT in winter: the same day
    before = datetime.now(UK_TIME).date()
    today = REAL_UK_TODAY()
    assert today in {before, datetime.now(UK_TIME).date()}  # the same day, unless midnight fell between


DECEMBER_2026 = date(2026, 12, 6)


@pytest.mark.parametrize("text, day", [
    ("Thurs 11th Feb 2027", date(2027, 2, 11)),
    ("Wednesday 9 December 2026", date(2026, 12, 9)),
    ("Wed, 9th Dec. 2026", date(2026, 12, 9)),
    ("Thu 11/02/2027", date(2027, 2, 11)),
    ("11th of February 2027", date(2027, 2, 11)),
    ("Wed 3rd Feb", date(2027, 2, 3)),  # no year: its weekday names it, the nearest such day
    ("Tues 3rd Feb", date(2026, 2, 3)),  # 3 Feb 2027 is a Wednesday: the weekday says last year's
    ("Wednesday, 9 December", date(2026, 12, 9)),
])
def test_a_date_is_read_as_schools_type_it_weekday_and_all(text, day):
    assert parse_date(text, DECEMBER_2026) == day


@pytest.mark.parametrize("text, advice", [
    ("Fri 11th Feb 2027", "11 Feb 2027 is a Thursday: check the day or the date."),
    ("Mon 11/02/2027", "11 Feb 2027 is a Thursday: check the day or the date."),
    ("Thurs the eleventh", "Write the date as day/month/year, e.g. 14/01/2027."),
    ("3rd Feb", "Give the year too, e.g. 14/01/2027."),  # which February, only a year or a weekday says
    ("Sat 3rd Feb", "Give the year too, e.g. 14/01/2027."),  # no 3 February near is a Saturday
])
def test_a_weekday_that_is_not_the_dates_is_refused_and_said(text, advice):
    assert parse_date(text, DECEMBER_2026) is None
    assert date_advice(text, DECEMBER_2026) == advice


def test_a_due_with_its_weekday_is_a_date():
    assert parse_due("Thurs 11th Feb 2027") == Due("date", date(2027, 2, 11))


@pytest.mark.parametrize("start, end, words", [
    (time(9), None, "9am"),
    (time(9, 30), None, "9:30am"),
    (time(12), None, "12pm"),  # midday
    (time(0, 5), None, "12:05am"),
    (time(9), time(12), "9am to 12pm"),
    (time(13, 15), time(15, 30), "1:15pm to 3:30pm"),
    (None, None, ""),
])
def test_times_as_gov_uk_writes_them(start, end, words):
    assert clock_span(start, end) == words
