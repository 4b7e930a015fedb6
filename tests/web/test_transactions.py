"""How a request's transaction ends (webapp/transactions.py): a request that wrote nothing
commits, so that psycopg keeps the statements it prepared; one that changed anything it did
not commit itself, or failed, keeps nothing of it."""
import pytest
from sqlalchemy import select, text

from domain.models import School
from domain.scope import HUB_WIDE
from webapp.extensions import db

from ..conftest import TEST_DATABASE, login


@pytest.fixture
def routes(synced_app):
    """Routes that change Bank Road's name and do not commit, each its own way."""
    def school():
        return db.session.scalar(select(School).where(School.code == "BR").execution_options(**HUB_WIDE))

    def changed_in_the_session():
        school().name = "Changed, not flushed"
        return "ok"

    def flushed():
        school().name = "Changed and flushed"
        db.session.flush()
        return "ok"

    def updated():
        db.session.execute(text("UPDATE school SET name = 'Changed by a statement' WHERE code = 'BR'"))
        return "ok"

    def failed():
        school().name = "Changed, then failed"
        db.session.flush()
        raise RuntimeError("the route failed")

    for view in (changed_in_the_session, flushed, updated, failed):
        synced_app.add_url_rule(f"/_test/{view.__name__}", view.__name__, view)
    return synced_app


@pytest.mark.parametrize("path", ["changed_in_the_session", "flushed", "updated", "failed"])
def test_a_request_that_changed_something_it_did_not_commit_keeps_nothing(routes, path):
    client = routes.test_client()
    if path == "failed":
        with pytest.raises(RuntimeError):  # the test client passes a route's exception on
            client.get(f"/_test/{path}")
    else:
        assert client.get(f"/_test/{path}").status_code == 200
    with routes.app_context():
        assert db.session.scalar(select(School.name).where(School.code == "BR")) == \
            "Bank Road Infant and Nursery School"


@pytest.mark.skipif(TEST_DATABASE != "postgres", reason="prepared statements are PostgreSQL's")
def test_pages_that_write_nothing_keep_their_statements_prepared(synced_app):
    client = synced_app.test_client()
    login(client, "br_head")
    for _ in range(7):  # psycopg prepares a statement the fifth time a connection runs it
        assert client.get("/plans/BR").status_code == 200
    with synced_app.app_context():
        prepared = db.session.scalars(text("SELECT statement FROM pg_prepared_statements")).all()
    assert any("FROM action_row" in statement for statement in prepared), prepared
