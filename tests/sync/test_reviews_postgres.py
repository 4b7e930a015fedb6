"""Two heads signing the joint plan's review at the same moment, on PostgreSQL: the
second waits for the first, sees its signature, and moves the review on."""
import threading
from datetime import date

from flask_migrate import upgrade
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from config import TestConfig
from domain import reviews
from domain.models import JOINT, Review, School, User
from domain.plans import find_plan
from sync.backends.workbook import XlsxBackend
from sync.run import run_sync
from webapp import create_app


def test_two_heads_signing_at_once_both_count_on_postgresql(pg_url, workbook_dir):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=pg_url)
    with app.app_context():
        upgrade()
    engine = create_engine(pg_url)
    with Session(engine) as session:
        assert run_sync(session, XlsxBackend(workbook_dir), "partnership.xlsx").ok
        schools = {s.code: s for s in session.scalars(select(School))}
        admin = User(email="admin@t.school", name="Admin", role="admin", password_hash="x")
        session.add(admin)
        for code, school in schools.items():
            session.add(User(email=f"head@{code}.t.school", name=f"Head {code}", role="head", school=school,
                             password_hash="x"))
        session.flush()
        review_id = reviews.start(session, find_plan(session, JOINT), admin, today=date(2026, 12, 1)).id
        session.commit()

    def head(session, code):
        return session.scalar(select(User).where(User.email == f"head@{code}.t.school"))

    first, second = Session(engine), Session(engine)
    reviews.sign(first, first.get(Review, review_id), head(first, "BR"))  # not committed yet
    done = threading.Event()

    def sign_second():
        reviews.sign(second, second.get(Review, review_id), head(second, "WL"))
        second.commit()
        done.set()

    thread = threading.Thread(target=sign_second)
    thread.start()
    assert not done.wait(1.0), "the second signer waits for the first one's transaction"
    first.commit()
    thread.join(10)
    assert done.is_set()
    with Session(engine) as session:
        review = session.get(Review, review_id)
        assert review.state == "heads_signed"
        assert sorted(s.school_code for s in review.signatures) == ["BR", "WL"]
    first.close()
    second.close()
    engine.dispose()
