"""Two people doing one thing at the same moment, on SQLite (the embedded default, which
ignores FOR UPDATE) and on PostgreSQL: the second waits for the first's lock on a row, then
sees what the first did instead of doing it again."""
import threading
from datetime import date

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from domain import calendar as cal
from domain import people
from domain.models import Base, CalendarEvent, RowChange, School, User, Workbook


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'locks.sqlite'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def waits_for(first, second_does):
    """Run ``second_does`` in a thread while ``first`` (a Session holding a lock) has not
    committed; return the thread's answer once ``first`` commits. Fails if it did not wait."""
    answer = {}
    thread = threading.Thread(target=lambda: answer.setdefault("value", second_does()))
    thread.start()
    thread.join(1.0)
    assert thread.is_alive(), "the second waits for the first one's transaction"
    first.commit()
    thread.join(10)
    assert not thread.is_alive()
    return answer["value"]


def test_two_first_chairs_named_at_once_leave_one_chair(engine):
    """Even for a school with no governor yet, whose governors' rows would give a lock nothing to hold."""
    with Session(engine) as session:
        school = School(code="BR", name="Bank Road")
        session.add(school)
        session.flush()
        for email in ("a@br.t.school", "b@br.t.school"):  # staff: the school has no governor yet
            session.add(User(email=email, name=email, role="staff", school_id=school.id, password_hash="!"))
        session.commit()

    def chair(session, email):
        person = session.scalar(select(User).where(User.email == email))
        people.change(session, "a coordinator", person, "governor", "BR", chair=True)

    with Session(engine) as first, Session(engine) as second:
        chair(first, "a@br.t.school")  # not committed yet
        waits_for(first, lambda: (chair(second, "b@br.t.school"), second.commit()))
    with Session(engine) as session:
        assert session.scalars(select(User.email).where(User.chair.is_(True))).all() == ["b@br.t.school"]


def test_two_reminders_pressed_at_once_claim_one_reminder(engine):
    with Session(engine) as session:
        workbook = Workbook(code="joint", ref="partnership.xlsx", school_year=2026)
        session.add(workbook)
        session.flush()
        session.add(CalendarEvent(workbook_id=workbook.id, sheet_id="J-E001", date=date(2027, 1, 13),
                                  type="Network meeting", host_code="BR"))
        session.commit()

    def press(session, who):
        answer = cal.claim_reminder(session, session.scalar(select(CalendarEvent)), who, 12)
        session.commit()
        return answer

    with Session(engine) as first, Session(engine) as second:
        claim, next_at = cal.claim_reminder(first, first.scalar(select(CalendarEvent)), "Ann Head", 12)
        assert claim is not None and next_at is None  # claimed, not committed: the mail is about to go
        second_claim, second_next = waits_for(first, lambda: press(second, "Bob Head"))
        assert second_claim is None and second_next is not None  # told when the next may go
        cal.settle_reminder(first, claim, 12)
    with Session(engine) as session:
        assert session.scalars(select(RowChange.new).where(RowChange.field == "reminder")).all() == ["sent to 12"]
