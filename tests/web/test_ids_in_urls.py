"""An id in a URL past the database's INTEGER range is no page (404), never an overflow (500)."""
import pytest

from ..conftest import csrf_token

TOO_BIG_AN_ID = "99999999999999999999"


@pytest.mark.parametrize("method, path", [
    ("get", f"/plans/BR/rows/{TOO_BIG_AN_ID}"),
    ("get", f"/plans/BR/rows/{TOO_BIG_AN_ID}/edit"),
    ("get", f"/plans/BR/rows/{TOO_BIG_AN_ID}/history"),
    ("get", "/plans/BR/rows/2147483648"),  # one past PostgreSQL's INTEGER
    ("get", "/plans/BR/rows/" + "9" * 5000),  # past Python's own limit for int()
    ("post", f"/outbox/{TOO_BIG_AN_ID}/keep"),
])
def test_ids_past_the_databases_integer_range_are_not_found(login_as, method, path):
    client = login_as("br_head")
    headers = {"X-CSRFToken": csrf_token(client, "/")}
    response = getattr(client, method)(path, headers=headers)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_the_largest_id_the_database_holds_is_still_looked_up(login_as):
    client = login_as("br_head")
    assert client.get("/plans/BR/rows/2147483647").status_code == 404  # looked up, not there
