"""`make run` on any day of the year: `demo init` on a new database, at each of the days
that break naive code, gives a live demo: this year current with last year kept, this
term's events ahead on the calendar, a sensible number of overdue rows, last term's
review confirmed and this term's due, and every role's home and pages answering."""
import re

import pytest
from sqlalchemy import func, select

from config import TestConfig
from domain import attention, dates, reviews, years
from domain.models import ActionRow, ImpactForm, Workbook
from domain.plans import current_rows, find_plan
from sync.demo_data import Demo
from webapp import create_app
from webapp.commands import DEMO_PASSWORD
from webapp.extensions import db

from ..conftest import DAYS, login

PAGES = {
    "coordinator@demo.partnership.school": ["/", "/plans/joint", "/calendar", "/years", "/schools/", "/priorities"],
    "head@bankroad.demo.school": ["/", "/plans/BR", "/calendar", "/plans/BR/reviews", "/impact-forms"],
    "teacher@williamlilley.demo.school": ["/", "/plans/WL", "/calendar/month", "/strengths"],
    "governor@williamlilley.demo.school": ["/", "/summary/WL", "/summary/joint"],
}


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_demo_made_on_any_day_is_this_years(tmp_path, monkeypatch, day):
    monkeypatch.setattr(dates, "uk_today", lambda: day)
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'demo.sqlite'}",
                     WORKBOOK_DIR=str(tmp_path / "workbooks"), PARTNERSHIP_WORKBOOK="partnership.xlsx")
    with app.app_context():
        db.create_all()  # the migrations are tested on their own (tests/web/test_cli.py)
    result = app.test_cli_runner().invoke(args=["demo", "init"])
    assert result.exit_code == 0, result.output
    assert " INFO " not in result.output  # no library's log lines among the command's own
    year, demo = years.school_year_of(day), Demo(day)
    assert f"Demo archive: {years.label(year - 1)} kept; {years.label(year)} started." in result.output
    with app.app_context():
        session = db.session
        assert years.years(session) == [year, year - 1]
        br = find_plan(session, "BR")
        rows = current_rows(session, br) + current_rows(session, find_plan(session, "joint"))
        overdue = [r.sheet_id for r in rows if attention.is_overdue(r, day)]
        assert 2 <= len(overdue) <= len(rows) // 3, overdue
        assert current_rows(session, find_plan(session, "BR", year - 1))  # last year's plan, kept
        last = reviews.last_confirmed(session, "BR")
        assert (last.term, last.school_year) == reviews.previous_term(*reviews.term_now(day))
        assert reviews.next_due(session, "BR", day) == reviews.term_now(day)
        past = [row[0] for row in demo.calendar if years.first_day(year) <= demo.event_day(row[0]) < day]
        assert session.scalar(select(func.count(ImpactForm.id))) == len(past)  # a finished form for each past event
        assert not session.scalar(select(func.count(ActionRow.id)).join(Workbook).where(
            Workbook.is_current, ActionRow.key_objective.like("%2017%")))
    upcoming = [row[0] for row in demo.calendar if demo.event_day(row[0]) > day]
    for email, paths in PAGES.items():
        client = app.test_client()
        assert login(client, email, DEMO_PASSWORD).status_code == 302
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (email, path)
        if email.startswith("head@"):
            shown = client.get("/calendar").get_data(as_text=True)
            assert len(re.findall(r'href="/calendar/events/\d+"', shown)) >= 3
            assert any(f"{demo.event_day(e).day} {demo.event_day(e):%B %Y}" in shown for e in upcoming[:2])
            assert f"own action plan, {years.label(year)}" in client.get("/plans/BR").get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()
