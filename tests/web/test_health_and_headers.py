"""/healthz tells a monitor only counts, 503 when the database cannot answer; HSTS in production."""
import json

import pytest

from config import ProductionConfig, TestConfig
from webapp import create_app
from webapp.syncing import sync_now

FIELDS = {"database", "last_successful_sync", "sheet_problems", "outbox_waiting", "workbooks_failing"}


def test_healthz_says_counts_only_never_a_workbook_or_an_error(synced_app, client, workbook_dir):
    (workbook_dir / "bank-road.xlsx").rename(workbook_dir / "moved.xlsx")  # a failing read, with an error text
    sync_now(synced_app, "test")
    response = client.get("/healthz")
    body = response.get_data(as_text=True)
    data = json.loads(body)
    assert response.status_code == 200 and set(data) == FIELDS
    assert data["database"] is True and data["workbooks_failing"] == 1
    assert all(isinstance(data[name], int) for name in ("sheet_problems", "outbox_waiting", "workbooks_failing"))
    for secret in ("bank-road", "xlsx", "@", "Bank Road", "rror"):
        assert secret not in body


@pytest.mark.parametrize("database", ["sqlite:////nonexistent/folder/hub.sqlite", "sqlite://"])
def test_healthz_answers_503_when_the_database_is_unreachable_or_not_migrated(database):
    client = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"database": False, "last_successful_sync": None, "sheet_problems": None,
                                   "outbox_waiting": None, "workbooks_failing": None}


def test_production_asks_browsers_for_https_only(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("HUB_URL", "https://hub.example.org")
    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.sqlite'}")
    response = app.test_client().get("/login", headers={"Host": "hub.example.org"})
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_without_https_required_there_is_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_every_page_sends_the_security_headers(client):
    for path in ("/login", "/healthz", "/no-such-page"):
        headers = client.get(path).headers
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
