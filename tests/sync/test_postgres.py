"""The production database: migrations, a whole sync and the lock on PostgreSQL.

Runs where a PostgreSQL server answers on 127.0.0.1:5432 (as on CI); a fresh
laptop without one skips these, saying why.
"""

from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from config import TestConfig
from domain.models import ActionRow
from sync import lock
from sync.backends.workbook import XlsxBackend
from sync.run import run_sync
from webapp import create_app


def test_migrations_and_a_whole_sync_run_on_postgresql(pg_url, workbook_dir):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=pg_url)
    with app.app_context():
        upgrade()
    engine = create_engine(pg_url)
    with Session(engine) as session:
        report = run_sync(session, XlsxBackend(workbook_dir), "partnership.xlsx")
        assert report.ok
        assert session.scalar(select(func.count(ActionRow.id))) == 21
        again = run_sync(session, XlsxBackend(workbook_dir), "partnership.xlsx")
        assert all(r.added == r.changed == 0 for r in again.results)
    engine.dispose()


def test_the_sync_lock_holds_across_connections_on_postgresql(pg_url):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=pg_url)
    with app.app_context():
        upgrade()
    engine = create_engine(pg_url)
    with Session(engine) as first, Session(engine) as second:
        assert lock.acquire(first, "worker-1")
        assert not lock.acquire(second, "worker-2")
        assert lock.current_holder(second) == "worker-1"
        lock.release(first, "worker-1")
        assert lock.acquire(second, "worker-2")
    engine.dispose()
