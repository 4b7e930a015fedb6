"""Two managers pressing Remind for one event at the same moment, on PostgreSQL: the
second waits for the first's claim and is told when the next reminder may go, so the
invited are mailed once."""
import threading
from datetime import date

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from domain import calendar as cal
from domain.models import Base, CalendarEvent, RowChange, Workbook


def test_two_reminders_pressed_at_once_claim_one_reminder_on_postgresql(pg_url):
    engine = create_engine(pg_url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        workbook = Workbook(code="joint", ref="partnership.xlsx")
        session.add(workbook)
        session.flush()
        session.add(CalendarEvent(workbook_id=workbook.id, sheet_id="J-E001", date=date(2027, 1, 13),
                                  type="Network meeting", host_code="BR"))
        session.commit()

    def press(session, who):
        event = session.scalar(select(CalendarEvent))
        return cal.claim_reminder(session, event, who, 12)

    first, second = Session(engine), Session(engine)
    claim, next_at = press(first, "Ann Head")  # claimed, not committed yet: the mail is about to go
    assert claim is not None and next_at is None
    answer = {}

    def press_second():
        answer["claim"], answer["next_at"] = press(second, "Bob Head")
        second.commit()

    thread = threading.Thread(target=press_second)
    thread.start()
    thread.join(1.0)
    assert thread.is_alive(), "the second press waits for the first one's claim"
    first.commit()
    thread.join(10)
    assert answer["claim"] is None and answer["next_at"] is not None  # told when the next may go
    cal.settle_reminder(first, claim, 12)
    with Session(engine) as session:
        lines = session.scalars(select(RowChange.new).where(RowChange.field == "reminder")).all()
        assert lines == ["sent to 12"]
    first.close()
    second.close()
    engine.dispose()
