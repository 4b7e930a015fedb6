"""Sign-in limits hold when the attempts come all at once, on SQLite and PostgreSQL.

A real threaded server; each thread is its own browser (its own cookies and CSRF
token) and all of them press "Sign in" at the same moment. The password checks
are counted by wrapping the real verification: it still decides.
"""
import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from flask_migrate import upgrade

import domain.users
from config import TestConfig
from domain.models import User
from webapp import create_app
from webapp.extensions import db

from ..conftest import _HASH, serving

ACCOUNT = "admin@test.school"


@pytest.fixture(params=["sqlite", "postgresql"])
def hub(request, tmp_path):
    """The app, migrated, with one account, on each database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    else:
        url = request.getfixturevalue("pg_url")
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        db.session.add(User(email=ACCOUNT, role="admin", name="admin", password_hash=_HASH))
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def served(hub):
    with serving(hub) as url:
        yield url


@pytest.fixture
def password_checks(monkeypatch):
    """How many times a password was verified (the real verification, counted)."""
    real, calls, lock = domain.users.verify_password, [], threading.Lock()

    def counted(stored_hash, password):
        with lock:
            calls.append(1)
        return real(stored_hash, password)

    monkeypatch.setattr(domain.users, "verify_password", counted)
    return calls


def _all_at_once(base, emails):
    """Each e-mail signed in with a wrong password by its own browser, simultaneously; the statuses."""
    start, statuses = threading.Barrier(len(emails)), []

    def browser(email):
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        html = opener.open(f"{base}/login", timeout=60).read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode({"email": email, "password": "not the password", "csrf_token": token}).encode()
        start.wait(timeout=60)
        try:
            statuses.append(opener.open(f"{base}/login", data=body, timeout=120).status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=browser, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return statuses


def test_simultaneous_wrong_passwords_for_one_account_get_at_most_the_limit_of_checks(hub, served, password_checks):
    limit = hub.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    hub.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 1000  # the account's limit is the one under test
    statuses = _all_at_once(served, [ACCOUNT] * 20)
    assert len(statuses) == 20 and set(statuses) <= {422, 429}
    assert len(password_checks) <= limit
    assert statuses.count(422) == len(password_checks)  # every check was a refusal, every other a 429


def test_simultaneous_sign_ins_from_one_address_get_at_most_the_limit_of_checks(hub, served, password_checks):
    limit = hub.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    statuses = _all_at_once(served, [f"guess{n}@test.school" for n in range(60)])
    assert len(statuses) == 60 and set(statuses) <= {422, 429}
    assert len(password_checks) <= limit
    assert statuses.count(422) == len(password_checks)
