"""Sessions end on the server: sign-out, the absolute lifetime, and their records' retention."""
from datetime import timedelta

from sqlalchemy import func, select

import domain.user_sessions
from domain.models import User, UserSession, utcnow
from domain.users import deactivate, set_password
from webapp.extensions import db

from ..conftest import PEOPLE, csrf_token, login


def _copy_of_the_cookie(client):
    return client.get_cookie("session").value


def _replayed(app, cookie):
    """A second browser (the thief's) holding a copy of the cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def _sessions_of(app, who):
    with app.app_context():
        return db.session.scalar(
            select(func.count(UserSession.id)).join(User, User.id == UserSession.user_id)
            .where(User.email == PEOPLE[who][0])
        )


def test_a_cookie_replayed_after_sign_out_is_refused(synced_app, login_as):
    client = login_as("br_head")
    cookie = _copy_of_the_cookie(client)
    assert _replayed(synced_app, cookie).get("/plans/BR").status_code == 200  # the copy works while signed in
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    response = _replayed(synced_app, cookie).get("/plans/BR")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_signing_out_ends_only_that_session(synced_app, client):
    other = synced_app.test_client()  # the same person on their phone
    login(client, "br_head")
    login(other, "br_head")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert other.get("/plans/BR").status_code == 200


def test_a_session_in_use_ends_at_its_absolute_lifetime(synced_app, login_as, monkeypatch):
    client = login_as("br_head")
    hours = synced_app.config["SESSION_ABSOLUTE_HOURS"]
    assert hours == 12
    signed_in_at = utcnow()
    monkeypatch.setattr(domain.user_sessions, "utcnow", lambda: signed_in_at + timedelta(hours=hours, minutes=-1))
    assert client.get("/plans/BR").status_code == 200  # used all day: the idle limit never struck
    monkeypatch.setattr(domain.user_sessions, "utcnow", lambda: signed_in_at + timedelta(hours=hours, minutes=1))
    response = client.get("/plans/BR")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_session_cookie_without_a_server_record_is_refused(synced_app, login_as):
    client = login_as("br_head")
    with client.session_transaction() as session:
        session["session_token"] = "made up by an attacker"
    assert client.get("/plans/BR").status_code == 302


def test_deactivation_and_a_new_password_delete_all_the_users_session_records(synced_app, client):
    login(client, "br_staff")
    login(synced_app.test_client(), "br_staff")
    assert _sessions_of(synced_app, "br_staff") == 2
    with synced_app.app_context():
        set_password(db.session.scalar(select(User).where(User.email == PEOPLE["br_staff"][0])), "another long password")
        db.session.commit()
    assert _sessions_of(synced_app, "br_staff") == 0
    login(client, "br_staff", "another long password")
    with synced_app.app_context():
        deactivate(db.session.scalar(select(User).where(User.email == PEOPLE["br_staff"][0])))
        db.session.commit()
    assert _sessions_of(synced_app, "br_staff") == 0


def test_expired_session_records_are_deleted_at_sign_in(synced_app, client, monkeypatch):
    login(client, "br_head")
    login(synced_app.test_client(), "wl_head")
    later = utcnow() + timedelta(hours=synced_app.config["SESSION_ABSOLUTE_HOURS"], minutes=1)
    monkeypatch.setattr(domain.user_sessions, "utcnow", lambda: later)
    login(synced_app.test_client(), "br_staff")
    assert (_sessions_of(synced_app, "br_head"), _sessions_of(synced_app, "wl_head")) == (0, 0)
    assert _sessions_of(synced_app, "br_staff") == 1
