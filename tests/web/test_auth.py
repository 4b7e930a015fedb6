"""Signing in: generic errors, CSRF, rate limits, sessions that can be ended."""
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from config import ProductionConfig, TestConfig
from domain import passwords
from domain.models import LoginFailure, User
from domain.users import deactivate, set_password
from webapp import create_app
from webapp.extensions import db

from ..conftest import PASSWORD, PEOPLE, csrf_token, login

GENERIC = "That e-mail and password do not match an account"


def test_pages_send_signed_out_visitors_to_sign_in_and_back(client):
    response = client.get("/plans/BR?area=EHWB")
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert login_url == "/login?next=/plans/BR?area%3DEHWB"
    token = csrf_token(client, login_url)
    response = client.post(login_url, data={"email": PEOPLE["br_head"][0], "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/plans/BR?area=EHWB"


def test_sign_in_lands_on_the_partnership_home(client):
    response = login(client, "br_head")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Needs attention" in client.get("/").get_data(as_text=True)  # a head lands on their work


def test_sign_in_goes_back_to_a_page_on_this_site_only(client):
    for target, expected in (("/plans/BR", "/plans/BR"), ("https://evil.example/", "/"), ("//evil.example", "/"),
                             ("/%5Cevil.example", "/"), ("/\\evil.example", "/")):
        client.post("/logout", data={"csrf_token": csrf_token(client, "/login")})
        token = csrf_token(client, "/login")
        response = client.post(f"/login?next={target}", data={"email": PEOPLE["br_head"][0], "password": PASSWORD, "csrf_token": token})
        assert response.headers["Location"] == expected


@pytest.mark.parametrize("email, password", [("head@br.test.school", "wrong password!"), ("nobody@test.school", PASSWORD)])
def test_wrong_password_and_unknown_account_get_the_same_message(client, email, password):
    response = login(client, email, password)
    assert response.status_code == 422
    assert GENERIC in response.get_data(as_text=True)


def test_a_deactivated_account_cannot_sign_in_and_gets_the_same_message(synced_app, client):
    with synced_app.app_context():
        deactivate(db.session.scalar(select(User).where(User.email == PEOPLE["br_staff"][0])))
        db.session.commit()
    response = login(client, "br_staff")
    assert response.status_code == 422 and GENERIC in response.get_data(as_text=True)


def test_a_missing_csrf_token_gets_a_clear_reload_page_not_a_bare_400(client):
    response = client.post("/login", data={"email": PEOPLE["br_head"][0], "password": PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This page has expired" in html and "Reload the page" in html


def test_an_expired_csrf_token_on_an_htmx_request_shows_a_message_in_the_page(client):
    response = client.post("/logout", headers={"HX-Request": "true", "X-CSRFToken": "stale"})
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#messages"
    assert "Reload the page" in response.get_data(as_text=True)


def test_failed_sign_ins_are_limited_per_account(synced_app, client):
    limit = synced_app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        assert login(client, "br_head", "not the password").status_code == 422
    response = login(client, "br_head")  # even the right password waits now
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.get_data(as_text=True)
    assert login(client, "wl_head").status_code == 302  # other accounts are unaffected


def test_failed_sign_ins_are_limited_per_address_and_kept_in_the_database(synced_app):
    synced_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    first, second = synced_app.test_client(), synced_app.test_client()  # like two workers
    for n in range(3):
        login(first, f"guess{n}@test.school", "whatever password")
    assert login(second, "wl_head").status_code == 429
    with synced_app.app_context():
        keys = {f.key for f in db.session.scalars(select(LoginFailure))}
    assert "address:127.0.0.1" in keys and "account:guess0@test.school" in keys


def test_the_session_is_fresh_after_sign_in(client):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, "br_head")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_deactivating_a_user_ends_their_sessions(synced_app, login_as):
    client = login_as("br_staff")
    assert client.get("/plans/BR").status_code == 200
    with synced_app.app_context():
        deactivate(db.session.scalar(select(User).where(User.email == PEOPLE["br_staff"][0])))
        db.session.commit()
    assert client.get("/plans/BR").status_code == 302


def test_changing_a_password_ends_existing_sessions(synced_app, login_as):
    client = login_as("br_staff")
    with synced_app.app_context():
        set_password(db.session.scalar(select(User).where(User.email == PEOPLE["br_staff"][0])), "a brand new password")
        db.session.commit()
    assert client.get("/").status_code == 302
    assert login(client, "br_staff", "a brand new password").status_code == 302


def test_passwords_are_stored_as_argon2id(synced_app, runner, monkeypatch):
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(**passwords.COST))  # the hub's own (conftest.py)
    runner.invoke(args=["users", "add", "new@test.school", "--role", "staff", "--school", "BR"], input="long enough password\n")
    with synced_app.app_context():
        stored = db.session.scalar(select(User.password_hash).where(User.email == "new@test.school"))
    assert stored.startswith("$argon2id$") and "m=65536,t=3" in stored


def test_sign_out_ends_the_session(login_as):
    client = login_as("br_head")
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_session_cookie_is_httponly_and_lax(client):
    response = login(client, "br_head")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_the_session_cookie_expires_after_the_configured_working_day(synced_app, client):
    response = login(client, "br_head")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0]) if "Expires=" in cookie else None
    assert expires is not None, cookie  # not a browser-session cookie that lives as long as the browser
    left = (expires - datetime.now(timezone.utc)).total_seconds()
    lifetime = synced_app.permanent_session_lifetime.total_seconds()
    assert lifetime - 60 < left <= lifetime


def test_production_needs_a_secret_key_and_sends_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("HUB_URL", "https://hub.example.org")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.sqlite'}")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SECRET_KEY"] == "x" * 64


@pytest.mark.parametrize("address", [None, "", "http://hub.example.org", "https://hub.example.org/hub",
                                     "https://hub.example.org/?x=1", "https://user:pw@hub.example.org", "hub.example.org"])
def test_production_refuses_to_start_without_its_own_https_address(monkeypatch, address):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    if address is None:
        monkeypatch.delenv("HUB_URL", raising=False)
    else:
        monkeypatch.setenv("HUB_URL", address)
    with pytest.raises(RuntimeError, match="HUB_URL must be set to the hub's public https address"):
        create_app(ProductionConfig)


def test_production_answers_its_own_address_and_no_other(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("HUB_URL", "https://hub.example.org")
    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.sqlite'}")
    assert app.config["TRUSTED_HOSTS"] == ["hub.example.org"]  # not localhost, as the demo also answers
    client = app.test_client()
    assert client.get("/healthz", headers={"Host": "localhost"}).status_code == 400
    assert client.get("/healthz", headers={"Host": "hub.example.org"}).status_code != 400


def test_behind_a_trusted_proxy_the_limit_is_per_client_address(synced_app):
    synced_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 2
    proxied = create_app(
        type("Proxied", (TestConfig,), {"TRUSTED_PROXIES": 1}),
        SQLALCHEMY_DATABASE_URI=synced_app.config["SQLALCHEMY_DATABASE_URI"], LOGIN_MAX_FAILURES_PER_ADDRESS=2,
    )
    client = proxied.test_client()
    for n in range(2):
        client.environ_base["HTTP_X_FORWARDED_FOR"] = "10.0.0.5"
        login(client, f"guess{n}@test.school", "whatever password")
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "10.0.0.6"  # another person behind the same proxy
    assert login(client, "wl_head").status_code == 302
