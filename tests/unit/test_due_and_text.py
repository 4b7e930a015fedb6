"""What schools write in Due, and text cleaned to what a sheet cell can hold."""
from datetime import date, datetime

import pytest

from domain.dates import UK_TIME, Due, parse_due, uk_day
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
