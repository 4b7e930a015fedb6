"""Request size: a huge body is refused (413) before it is read."""
import pytest
from sqlalchemy import select

from domain.models import ActionRow
from webapp.extensions import db

from ..conftest import PASSWORD, csrf_token

HUGE = 200 * 1024 * 1024


class EndlessBody:
    """A request body of ``size`` bytes, made up as it is read, counting what was read."""

    def __init__(self, size, head=b""):
        self.size, self.head, self.read_bytes = size, head, 0

    def read(self, n=-1):
        n = self.size - self.read_bytes if n is None or n < 0 else min(n, self.size - self.read_bytes)
        out = (self.head[self.read_bytes:] + b"a" * n)[:n]
        self.read_bytes += n
        return out

    def readline(self, n=-1):
        return self.read(n if n and n > 0 else 65536)


@pytest.mark.parametrize("content_type, head", [
    ("application/x-www-form-urlencoded", b"email="),
    ("multipart/form-data; boundary=x", b'--x\r\nContent-Disposition: form-data; name="f"; filename="f"\r\n\r\n'),
])
def test_a_200_mb_post_to_sign_in_is_refused_before_it_is_read(client, content_type, head):
    body = EndlessBody(HUGE, head)
    response = client.post("/login", content_type=content_type,
                           environ_overrides={"wsgi.input": body, "CONTENT_LENGTH": str(HUGE)})
    assert response.status_code == 413
    assert body.read_bytes == 0
    assert "That was too much to send" in response.get_data(as_text=True)


def test_a_20_mb_form_field_is_refused_and_not_echoed_back(client):
    token = csrf_token(client)
    response = client.post("/login", data={"email": "a" * 20_000_000, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 413
    assert len(response.get_data()) < 20_000 and "a" * 1000 not in response.get_data(as_text=True)


def test_a_row_edit_carrying_two_whole_sheet_cells_is_not_refused_for_its_size(synced_app, login_as):
    client = login_as("br_staff")
    with synced_app.app_context():
        rid = db.session.scalar(select(ActionRow.id).where(ActionRow.sheet_id == "BR-A003"))
    cell = "\u20ac" * 50_000  # a full Google Sheets cell, in the worst encoding: 9 bytes a character
    response = client.post(f"/plans/BR/rows/{rid}", headers={"HX-Request": "true", "HX-Target": f"row-{rid}"},
                           data={"csrf_token": csrf_token(client, "/"), "impact_to_date": cell,
                                 "seen_impact_to_date": cell, "status": "Behind", "version": "1"})
    assert response.status_code != 413  # judged by the form's own rules, not turned away by size
