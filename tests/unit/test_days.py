"""The rules that depend on the day, at the days that break naive code (tests/conftest.py
DAYS: 31 August and 1 September, the Sundays the clocks change, the first and last day of
each term, a day in the summer holiday, 29 February), and the demo written for each of
them: a live year whatever the day."""
from datetime import date, timedelta
from types import SimpleNamespace as NS

import pytest

from domain import attention, calendar, dates, reviews, years
from domain.dates import parse_due
from sync.demo_data import Demo

from ..conftest import DAYS, tricky_days

ids = [str(day) for day in DAYS]


@pytest.mark.parametrize("day", DAYS, ids=ids)
def test_every_reckoning_of_the_day_agrees_on_its_term_and_school_year(day):
    year = years.school_year_of(day)
    assert years.in_year(day, year) and not years.in_year(day, year + 1) and not years.in_year(day, year - 1)
    name, first, last = attention.term_of(day)
    assert first <= day <= last
    assert reviews.term_now(day) == (name, year)  # the review's term is in the day's school year
    start, end = reviews.term_dates(name, year)
    assert (start, end) == (first, last)
    following = reviews.next_term(name, year)
    assert reviews.term_dates(*following)[0] == last + timedelta(days=1)  # terms leave no day out
    assert reviews.previous_term(*following) == (name, year)
    term = calendar.term_of(day)
    assert term.start <= day <= term.end and calendar.next_term(term).start == term.end + timedelta(days=1)


@pytest.mark.parametrize("day", DAYS, ids=ids)
def test_a_row_is_overdue_the_day_after_its_due_and_not_on_it(day):
    def row(due, status="On track"):
        return NS(due_by=dates.due_ends(due), status=status)

    assert not attention.is_overdue(row(day), day)
    assert attention.is_overdue(row(day - timedelta(days=1)), day)
    assert not attention.is_overdue(row(day - timedelta(days=1), "Complete"), day)
    this_term = calendar.term_of(day).name  # "Spring 2027": ends with its last month
    # A Due of the summer term ends with July, when schools break up; the hub's own summer
    # runs on through August, so in the holiday this term's Due has passed.
    assert attention.is_overdue(row(this_term), day) == (day.month == 8)
    month = f"{day:%B %Y}"
    assert parse_due(month).ends >= day and not attention.is_overdue(row(month), day)


@pytest.mark.parametrize("day", DAYS, ids=ids)
def test_the_demo_written_on_any_day_is_a_live_year(day):
    """Events before and after the day, a few rows overdue and most not, the year's own
    title and words, last year's plan in its own tabs, nothing of the seed's years."""
    demo = Demo(day)
    assert demo.year == years.school_year_of(day) and demo.last == demo.year - 1
    event_days = [demo.event_day(row[0]) for row in demo.calendar]
    assert all(d.weekday() < 5 for d in event_days)  # school days
    assert sum(d > day for d in event_days) >= 5 and sum(d < day for d in event_days) == 2
    assert min(d for d in event_days if d > day) - day <= timedelta(days=3)  # one this week (or just after a weekend)
    for code in ("BR", "WL"):
        rows = demo.school(code)["actions"]
        due = [dates.due_ends(r[8]) for r in rows]
        overdue = [r for r, d in zip(rows, due) if d and d < day and r[9] not in ("Complete", "Done")]
        assert 1 <= len(overdue) <= len(rows) // 2, (code, [r[0] for r in overdue])
        assert demo.tab_year in demo.school(code)["title"]
        assert demo.last_year(code)["actions"]
    joint_due = [dates.due_ends(r[6]) for r in demo.joint_plan]
    assert 1 <= sum(d is not None and d < day for d, r in zip(joint_due, demo.joint_plan) if r[7] != "Complete") <= 4
    every_cell = " ".join(str(c) for rows in (demo.joint_plan, demo.title_rows, demo.calendar, demo.replies,
                                               demo.school("BR")["actions"], demo.school("WL")["actions"],
                                               demo.school("BR")["impact"]) for row in rows for c in row)
    assert "2017" not in every_cell and "2018" not in every_cell and "Raiseonline" not in every_cell
    replied = [r[6] for r in demo.replies if r[6]]
    assert all(date(int(t[6:10]), int(t[3:5]), int(t[:2])) < day for t in replied)  # replies before the day


def test_the_fixed_days_are_the_ones_that_break_naive_code():
    days = tricky_days(2026)
    assert date(2026, 8, 31) in days and date(2026, 9, 1) in days and date(2028, 2, 29) in days
    assert date(2026, 10, 25) in days and date(2027, 3, 28) in days  # the clocks go back, and forward
    assert all(d.weekday() == 6 for d in (date(2026, 10, 25), date(2027, 3, 28)))
