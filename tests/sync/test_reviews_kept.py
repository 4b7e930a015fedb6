"""Reviews across the turn of the year, and a signed record that nothing can change: a
summer review signed in September is last year's, and the database itself refuses a
change to a snapshot or a signature, however it is tried (the ORM, raw SQL), on SQLite
and on PostgreSQL, with the schema as the migrations make it."""
from datetime import date

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from config import TestConfig
from domain import dates, new_year, reviews, years
from domain.models import Review, ReviewSignature, School, User
from domain.plans import find_plan
from sync.backends.workbook import XlsxBackend
from sync.outbox import drain
from sync.run import run_sync
from webapp import create_app

from ..conftest import SUITE_DAY

THIS = years.school_year_of(SUITE_DAY)  # the suite's school year


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated(request, tmp_path, workbook_dir):
    """A session on a database built by the migrations (not create_all), synced once."""
    url = f"sqlite:///{tmp_path / 'migrated.sqlite'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
    engine = create_engine(url)
    with Session(engine) as session:
        assert run_sync(session, XlsxBackend(workbook_dir), "partnership.xlsx").ok
        yield session
    engine.dispose()


def signed_review(session, day):
    """Bank Road's review of the term of ``day``, signed by its head and confirmed by its chair."""
    school = session.scalar(select(School).where(School.code == "BR"))
    head = User(email="head@br.t", name="Carole Clemens", role="head", school=school, password_hash="x")
    chair = User(email="chair@br.t", name="Andy Hitchcock", role="governor", chair=True, school=school,
                 password_hash="x")
    session.add_all([head, chair])
    session.flush()
    review = reviews.start(session, find_plan(session, "BR"), head, today=day)
    reviews.sign(session, review, head, "Reviewed with the staff")
    session.commit()
    return review, chair


def test_a_snapshot_and_a_signature_cannot_be_changed_by_the_orm_or_by_raw_sql(migrated):
    session = migrated
    review, chair = signed_review(session, date(THIS, 12, 1))
    review_id, taken = review.id, dict(review.snapshot)
    review.snapshot = {"rows": []}
    with pytest.raises(reviews.SnapshotKept):  # the ORM: refused before anything is sent
        session.flush()
    session.rollback()
    for statement in ("UPDATE review SET snapshot = '{\"rows\": []}'",
                      "UPDATE review_signature SET comment = 'Not what was written'",
                      "UPDATE review_signature SET name = 'Someone else'"):
        with pytest.raises(DBAPIError, match="kept as it was"):  # raw SQL: the database's own trigger
            session.execute(text(statement))
        session.rollback()
    assert session.get(Review, review_id).snapshot == taken
    assert [s.comment for s in session.scalars(select(ReviewSignature))] == ["Reviewed with the staff"]
    session.execute(text("UPDATE review SET state = state"))  # other columns move on as reviews do
    reviews.sign(session, session.get(Review, review_id), chair, "Confirmed for the board")
    session.commit()
    assert session.get(Review, review_id).state == "confirmed"


def test_a_summer_review_signed_in_september_is_last_years_and_its_tab_goes_to_last_years_workbook(
        session, sync, backend, workbook_dir, monkeypatch):
    sync()
    review, chair = signed_review(session, date(THIS + 1, 7, 12))  # started in the summer term: this year's Summer
    monkeypatch.setattr(dates, "uk_today", lambda: date(THIS + 1, 7, 20))
    new_year.start_year(session, {}, "Pat Coordinator")
    session.commit()
    drain(session, backend)
    sync()
    monkeypatch.setattr(dates, "uk_today", lambda: date(THIS + 1, 9, 14))  # the chair confirms in September
    reviews.sign(session, session.get(Review, review.id), chair, "Confirmed at the first meeting")
    session.commit()
    review = session.get(Review, review.id)
    assert (review.term, review.school_year, review.state) == ("Summer", THIS, "confirmed")
    assert reviews.term_label(review.term, review.school_year) == f"Summer term, {years.label(THIS)}"
    assert review.workbook.school_year == THIS and not review.workbook.is_current
    assert [r.state for r in drain(session, backend)] == ["done"]
    from openpyxl import load_workbook

    titles = load_workbook(workbook_dir / "bank-road.xlsx", read_only=True).sheetnames
    assert any(t.startswith(f"Review Summer {THIS % 100:02d}-{(THIS + 1) % 100:02d}") for t in titles)
