"""Request size: a huge body is refused (413) before it is read."""
import pytest

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


def test_a_row_edit_of_two_whole_sheet_cells_fits_the_limits(synced_app):
    cell = "Pupils' reading ages rose by eight months; " * 1200  # about 50,000 characters
    assert synced_app.config["MAX_CONTENT_LENGTH"] >= 2 * 3 * len(cell.encode())  # even all percent-encoded
    assert synced_app.config["MAX_FORM_MEMORY_SIZE"] == synced_app.config["MAX_CONTENT_LENGTH"]
