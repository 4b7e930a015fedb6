"""Two coordinators naming two chairs of one school at the same moment, on PostgreSQL:
the second waits for the first and unseats it, even for a school with no governor yet
(whose governors' rows would give a lock nothing to hold)."""
import threading

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from domain import people
from domain.models import Base, School, User


def test_two_first_chairs_named_at_once_leave_one_chair_on_postgresql(pg_url):
    engine = create_engine(pg_url)
    Base.metadata.create_all(engine)
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

    first, second = Session(engine), Session(engine)
    chair(first, "a@br.t.school")  # not committed yet
    done = threading.Event()

    def name_second():
        chair(second, "b@br.t.school")
        second.commit()
        done.set()

    thread = threading.Thread(target=name_second)
    thread.start()
    assert not done.wait(1.0), "the second coordinator waits for the first one's transaction"
    first.commit()
    thread.join(10)
    assert done.is_set()
    with Session(engine) as session:
        assert session.scalars(select(User.email).where(User.chair.is_(True))).all() == ["b@br.t.school"]
    first.close()
    second.close()
    engine.dispose()
