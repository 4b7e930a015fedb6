"""A private calendar feed's address and a password link are keys in themselves: neither
reaches a log, under gunicorn (gunicorn.conf.py, its default access-log format) or the
development server (Werkzeug's request log)."""
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from config import TestConfig
from domain import calendar as cal
from domain.models import User
from webapp import create_app
from webapp.extensions import db
from webapp.log_secrets import HIDDEN, hidden

from ..conftest import serving

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "eyJ1c2VyIjo0Mn0.Z1x2bw.not-a-real-signature"  # a password link's token (its look, not a valid one)


def hub_with_a_feed(database_url):
    """An app on its own database with one person, and that person's feed secret."""
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        db.create_all()
        person = User(email="staff@br.test.school", name="Sam", role="staff", password_hash="x")
        db.session.add(person)
        secret = cal.new_feed_secret(person)
        db.session.commit()
    return app, secret


def visit(base, secret):
    """The feed, fetched as a calendar app does, and a password link opened from a page that
    had the feed's address in it (so the secret is in the Referer too)."""
    assert requests.get(f"{base}/calendar/feed/{secret}.ics", timeout=10).status_code == 200
    # The same route spelt percent-encoded, as a client may send it.
    assert requests.get(f"{base}/%63alendar/feed/{secret}.ics", timeout=10).status_code == 200
    requests.get(f"{base}/password/{TOKEN}", headers={"Referer": f"{base}/calendar/feed/{secret}.ics"}, timeout=10)


def test_the_access_log_under_gunicorn_hides_the_feeds_secret_and_password_tokens(tmp_path):
    database = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    app, secret = hub_with_a_feed(database)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    access_log = tmp_path / "access.log"
    env = dict(os.environ, HUB_CONFIG="development", DATABASE_URL=database, GUNICORN_WORKERS="1",
               GUNICORN_BIND=f"127.0.0.1:{port}")
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py",
                               "--access-logfile", str(access_log), "wsgi:app"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "err.log", "w"))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code in (200, 503):
                    break
            except requests.RequestException:  # not listening yet
                pass
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "err.log").read_text()
            time.sleep(0.2)
        visit(base, secret)
        deadline = time.monotonic() + 10  # gunicorn writes a request's line after its answer has gone
        while access_log.read_text().count("/password/") < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)
        with app.app_context():
            db.engine.dispose()
    log = access_log.read_text()
    assert log.count(f'"GET /calendar/feed/{HIDDEN}.ics HTTP/1.1" 200') == 2  # the request line, as gunicorn's default has it
    assert f'"GET /password/{HIDDEN} HTTP/1.1"' in log and f"/calendar/feed/{HIDDEN}.ics\"" in log  # and the Referer
    assert secret not in log and TOKEN not in log


def test_the_development_servers_request_log_hides_them_too(tmp_path, caplog):
    app, secret = hub_with_a_feed(f"sqlite:///{tmp_path / 'hub.sqlite'}")
    caplog.set_level(logging.INFO, logger="werkzeug")
    with serving(app) as base:
        visit(base, secret)
    logged = caplog.text
    assert f"GET /calendar/feed/{HIDDEN}.ics" in logged and f"GET /password/{HIDDEN}" in logged
    assert secret not in logged and TOKEN not in logged
    with app.app_context():
        db.engine.dispose()


# Every part of a path the routes take, and whether it is a secret. A new route with a new
# part fails the last test until it is added here (and, if secret, hidden by SECRET_PATHS).
NOT_SECRET = {"code", "row_id", "event_id", "form_id", "person_id", "review_id", "entry_id", "priority_id",
              "run_id", "choice", "fmt", "year", "month", "filename", "slug", "visit_id", "report_id",
              "key", "link_id"}
SECRET = {"secret", "token"}


def test_every_route_with_a_secret_in_its_path_is_hidden():
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    rules = list(app.url_map.iter_rules())
    unknown = {arg for rule in rules for arg in rule.arguments} - NOT_SECRET - SECRET
    assert not unknown, f"say whether these parts of a path are secrets: {unknown}"
    keyed = [rule for rule in rules if SECRET & set(rule.arguments)]
    assert {"calendar.feed", "auth.choose_password"} <= {rule.endpoint for rule in keyed}
    for rule in keyed:
        path = rule.build(dict.fromkeys(rule.arguments, "s3cr3t-Value_1"), append_unknown=False)[1]
        assert "s3cr3t" not in hidden(f'"GET {path} HTTP/1.1"'), rule.rule


def test_a_request_that_fails_is_logged_without_its_secret(tmp_path, caplog, monkeypatch):
    """Flask logs an unexpected error as "Exception on <path>": not the feed's secret."""
    app, secret = hub_with_a_feed(f"sqlite:///{tmp_path / 'hub.sqlite'}")
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answered 500 and logged, as in production

    def broken(*args, **kwargs):
        raise RuntimeError("the calendar could not be read")

    monkeypatch.setattr(cal, "events_for_person", broken)
    assert app.test_client().get(f"/calendar/feed/{secret}.ics").status_code == 500
    assert f"Exception on /calendar/feed/{HIDDEN}.ics" in caplog.text and secret not in caplog.text
    with app.app_context():
        db.engine.dispose()


def test_a_providers_answer_to_a_sign_in_is_logged_without_its_code_and_state():
    line = '"GET /sign-in/google/done?code=s3cr3t-code&state=s3cr3t-state&iss=https%3A%2F%2Faccounts.google.com HTTP/1.1"'
    assert hidden(line) == f'"GET /sign-in/google/done?{HIDDEN} HTTP/1.1"'
    assert hidden('"GET /sign-in/google HTTP/1.1"') == '"GET /sign-in/google HTTP/1.1"'

