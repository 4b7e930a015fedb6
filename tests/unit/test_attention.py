"""Overdue rows and school terms, as a head teacher reads them."""
from datetime import date
from types import SimpleNamespace

import pytest

from domain.attention import is_overdue, term_of
from domain.dates import due_ends


@pytest.mark.parametrize("due, status, overdue", [
    ("31/10/2026", "On track", True),
    ("31/10/2026", "Complete", False),
    ("Autumn 1 2026", "Behind", True),  # the half-term ended on 31 October
    ("Autumn 2026", "On track", False),  # the term runs to 31 December
    ("December 2026", "At risk", False),  # the month is not over
    ("November 2026", "At risk", True),
    ("TBC", "Not started", False),
    ("01/12/2026", "Behind", False),  # due today: not overdue until tomorrow
    ("Spring 2 2027", "Behind", False),
    ("Summer 2025/26", "Behind", True),  # the summer of the 2025/26 school year ended in July 2026
    ("", "Behind", False),
])
def test_a_row_is_overdue_when_the_last_day_its_due_covers_has_passed(due, status, overdue):
    row = SimpleNamespace(due_by=due_ends(due), status=status)
    assert is_overdue(row, today=date(2026, 12, 1)) is overdue


def test_terms_run_autumn_spring_summer():
    assert term_of(date(2026, 12, 1))[0] == "Autumn" and term_of(date(2026, 12, 1))[2] == date(2026, 12, 31)
    assert term_of(date(2027, 2, 14))[1:] == (date(2027, 1, 1), date(2027, 3, 31))
    assert term_of(date(2027, 8, 31))[0] == "Summer"
