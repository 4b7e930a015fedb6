"""Configuration, read from the environment.

With no environment at all the app runs the demo partnership: SQLite under
``instance/`` and the demo ``.xlsx`` workbooks. Production (PostgreSQL, Google
Sheets) is chosen with environment variables, never by editing code.
``HUB_CONFIG`` picks the class: ``development`` (the default), ``production``
or ``test``.
"""
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEV_SECRET_KEY = "partnership-hub-demo-key-not-for-production"


def _flag(name, default=False):
    """Read an on/off environment variable ("1", "true", "yes", "on")."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _float(name, default):
    value = os.environ.get(name)
    return float(value) if value else default


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _names(name, default=()):
    """A comma-separated list from the environment ("a.example, b.example")."""
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [part.strip().lower() for part in value.split(",") if part.strip()]


def hub_address_problem(url):
    """Why ``url`` cannot be the hub's public address, or None. It is a scheme and a
    host (and a port), nothing more: every link that leaves a page starts with it."""
    parts = urlsplit(url or "")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return "must be a web address such as https://hub.example.org (its port a number)"
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not re.fullmatch(r"[a-z0-9.-]+|[0-9a-f:.]+", host) \
            or host.strip(".-") != host:
        return "must be a web address such as https://hub.example.org"
    if parts.username or parts.password or parts.query or parts.fragment or parts.path not in ("", "/"):
        return "must be the hub's address alone, such as https://hub.example.org (no path, query or login)"
    return None


class Config:
    """Settings shared by every configuration."""

    SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY
    # The hub's public address. Every link that leaves a page (password and invitation
    # mails, reminders, the calendar feed and .ics files, the board pack) is built from
    # it, never from the Host a request names: a forged Host would otherwise put its
    # own address in a password link. Requests for any other host are refused (400).
    HUB_URL = os.environ.get("HUB_URL", "http://127.0.0.1:5000")
    # Other names the hub answers to besides HUB_URL's (the demo: localhost too).
    HUB_OTHER_HOSTS = _names("HUB_OTHER_HOSTS", ("localhost", "127.0.0.1"))
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'partnership-hub.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    SHEETS_BACKEND = os.environ.get("SHEETS_BACKEND", "workbook")
    WORKBOOK_DIR = os.environ.get("WORKBOOK_DIR", str(INSTANCE_DIR / "demo-workbooks"))
    PARTNERSHIP_WORKBOOK = os.environ.get("PARTNERSHIP_WORKBOOK", "partnership.xlsx")
    SYNC_INTERVAL_MINUTES = _int("SYNC_INTERVAL_MINUTES", 5)
    # Between syncs the scheduler asks which workbooks changed this often (one Drive
    # call, no Sheets read) and syncs only those: a sheet edit shows within seconds.
    # 0 turns the watch off (then edits show at the next scheduled sync).
    WATCH_SECONDS = _int("WATCH_SECONDS", 10)

    # Google Sheets (SHEETS_BACKEND=google). A service account is one user: about
    # 60 Sheets reads a minute for the whole intranet, so pace under that.
    GOOGLE_SERVICE_ACCOUNT_FILE = os.environ.get("GOOGLE_SERVICE_ACCOUNT_FILE")
    GOOGLE_SHEETS_EMULATOR_HOST = os.environ.get("GOOGLE_SHEETS_EMULATOR_HOST")
    GOOGLE_TIMEOUT_SECONDS = _int("GOOGLE_TIMEOUT_SECONDS", 30)
    SHEETS_READS_PER_MINUTE = _int("SHEETS_READS_PER_MINUTE", 50)
    SHEETS_WRITES_PER_MINUTE = _int("SHEETS_WRITES_PER_MINUTE", 50)
    GOOGLE_RETRY_ATTEMPTS = _int("GOOGLE_RETRY_ATTEMPTS", 5)
    GOOGLE_RETRY_MAX_SECONDS = _int("GOOGLE_RETRY_MAX_SECONDS", 120)
    GOOGLE_RETRY_BASE_SECONDS = float(os.environ.get("GOOGLE_RETRY_BASE_SECONDS", "1"))
    SYNC_NOW_MIN_SECONDS = 60  # heads' "Sync now": at most once a minute
    OUTBOX_DRAIN_ON_SAVE = _flag("OUTBOX_DRAIN_ON_SAVE", True)  # else only on scheduler ticks
    SCHEDULER_ENABLED = _flag("SCHEDULER_ENABLED", False)

    # Sessions: the cookie is out of reach of scripts and of other sites' forms.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 60 * 60  # idle: a working day without a request ends it
    # Absolute: however busy, a session ends this long after sign-in, so a stolen
    # cookie kept in use does not live for ever (a long working day, then sign in again).
    SESSION_ABSOLUTE_HOURS = _int("SESSION_ABSOLUTE_HOURS", 12)

    # Request size, refused (413) before the body is read. The largest legitimate form is
    # a row edit: its text fields carry a whole Google Sheets cell (up to 50,000
    # characters) as edited and as seen. Two such fields of English text are some
    # 120 KB form-encoded; 1 MiB holds them even in non-Latin script (3 bytes a
    # character, 9 once percent-encoded), and is 200 times short of a 200 MB upload.
    MAX_CONTENT_LENGTH = 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 1024 * 1024  # the whole of a urlencoded form; each field of a multipart one
    MAX_FORM_PARTS = 100  # our longest form has under twenty fields

    # CSRF tokens last as long as the session; an expired one gets a clear page.
    WTF_CSRF_TIME_LIMIT = 8 * 60 * 60

    # Strict-Transport-Security, sent only where HTTPS is required (production).
    STRICT_TRANSPORT_SECURITY = None

    # Behind a reverse proxy: how many proxies to trust for the client's address and
    # scheme (X-Forwarded-For/-Proto). 0 when the app faces the browser directly.
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)

    # Failed sign-ins: per account and per address, within a sliding window.
    LOGIN_WINDOW_MINUTES = _int("LOGIN_WINDOW_MINUTES", 15)
    LOGIN_MAX_FAILURES_PER_ACCOUNT = _int("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5)
    LOGIN_MAX_FAILURES_PER_ADDRESS = _int("LOGIN_MAX_FAILURES_PER_ADDRESS", 30)

    # Password links (invitations, "forgot your password?"): signed with SECRET_KEY, good
    # for this many hours and for one password.
    INVITE_HOURS = _int("INVITE_HOURS", 72)
    # "Forgot your password?" requests allowed per window (LOGIN_WINDOW_MINUTES).
    RESET_MAX_PER_ACCOUNT = _int("RESET_MAX_PER_ACCOUNT", 3)
    RESET_MAX_PER_ADDRESS = _int("RESET_MAX_PER_ADDRESS", 10)

    # Outgoing mail, for password links. Without MAIL_SERVER a coordinator is shown the
    # link to pass on, and "forgot your password?" names the coordinators to ask.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _flag("MAIL_USE_TLS")  # STARTTLS on a plain connection
    MAIL_USE_SSL = _flag("MAIL_USE_SSL")  # TLS from the start (usually port 465)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_FROM = os.environ.get("MAIL_FROM", "partnership-hub@localhost")
    MAIL_TIMEOUT_SECONDS = 10  # a job's wait on a mail server that does not answer (never a request's)
    # How often the scheduler's process looks for background jobs (mail, sheets checks,
    # board packs): a job asked for is started within this.
    JOBS_POLL_SECONDS = _float("JOBS_POLL_SECONDS", 1.0)

    # Sign-in with a school's own account over OpenID Connect (docs/deploy.md): a provider is
    # offered once its client id and secret are set. Google; Microsoft (its "organizations"
    # endpoint takes any work or school tenant: each school names its own); and any other
    # OpenID provider by its issuer address, shown as OIDC_NAME.
    GOOGLE_CLIENT_ID = os.environ.get("GOOGLE_CLIENT_ID") or None
    GOOGLE_CLIENT_SECRET = os.environ.get("GOOGLE_CLIENT_SECRET") or None
    GOOGLE_ISSUER = os.environ.get("GOOGLE_ISSUER", "https://accounts.google.com")
    MICROSOFT_CLIENT_ID = os.environ.get("MICROSOFT_CLIENT_ID") or None
    MICROSOFT_CLIENT_SECRET = os.environ.get("MICROSOFT_CLIENT_SECRET") or None
    MICROSOFT_ISSUER = os.environ.get("MICROSOFT_ISSUER", "https://login.microsoftonline.com/organizations/v2.0")
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID") or None
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET") or None
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER") or None
    OIDC_NAME = os.environ.get("OIDC_NAME") or None  # the provider's name: "Sign in with LGfL"
    OIDC_TIMEOUT_SECONDS = _int("OIDC_TIMEOUT_SECONDS", 10)  # a provider that does not answer

    @classmethod
    def check(cls):
        """Refuse settings that cannot work; called by the app factory."""
        problem = hub_address_problem(cls.HUB_URL)
        if problem:
            raise RuntimeError(f"HUB_URL {problem}, not {cls.HUB_URL!r}")
        if cls.SHEETS_BACKEND not in {"workbook", "google"}:
            raise RuntimeError(
                f"SHEETS_BACKEND must be 'workbook' or 'google', not {cls.SHEETS_BACKEND!r}"
            )
        for name in ("GOOGLE", "MICROSOFT", "OIDC"):
            if bool(getattr(cls, f"{name}_CLIENT_ID")) != bool(getattr(cls, f"{name}_CLIENT_SECRET")):
                raise RuntimeError(f"Set both {name}_CLIENT_ID and {name}_CLIENT_SECRET, or neither")
        if cls.OIDC_CLIENT_ID and not (cls.OIDC_ISSUER and cls.OIDC_NAME):
            raise RuntimeError("OIDC_CLIENT_ID needs OIDC_ISSUER (the provider's issuer address) and OIDC_NAME "
                               "(its name, as the button says: Sign in with OIDC_NAME)")
        if cls.MAIL_USE_TLS and cls.MAIL_USE_SSL:
            raise RuntimeError("Set MAIL_USE_TLS (STARTTLS) or MAIL_USE_SSL, not both")
        if cls.SYNC_INTERVAL_MINUTES < 1:
            raise RuntimeError("SYNC_INTERVAL_MINUTES must be at least 1")
        if cls.WATCH_SECONDS < 0:
            raise RuntimeError("WATCH_SECONDS must be 0 (no watch) or more")
        if cls.SHEETS_BACKEND == "google" and not (cls.GOOGLE_SERVICE_ACCOUNT_FILE or cls.GOOGLE_SHEETS_EMULATOR_HOST):
            raise RuntimeError(
                "SHEETS_BACKEND=google needs GOOGLE_SERVICE_ACCOUNT_FILE "
                "(or GOOGLE_SHEETS_EMULATOR_HOST for the stand-in)"
            )


class DevelopmentConfig(Config):
    """The demo: what `make run` serves on 127.0.0.1."""


class TestConfig(Config):
    """Tests: each test gets its own database and workbook folder."""

    TESTING = True
    SECRET_KEY = "test-secret-key"
    HUB_URL = "http://localhost"  # the test client's own host
    HUB_OTHER_HOSTS = ["127.0.0.1"]  # a test's live server on loopback
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SCHEDULER_ENABLED = False
    WTF_CSRF_ENABLED = True
    MAIL_SERVER = None  # a test that sends mail starts its own server


class ProductionConfig(Config):
    """A real partnership: a secret key is required and cookies need HTTPS."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    # Browsers that have seen the site once never go to it over plain HTTP for a year
    # (subdomains included), so a network cannot strip TLS from a later visit.
    STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
    HUB_OTHER_HOSTS = []  # its own address only, unless HUB_OTHER_HOSTS names others

    @classmethod
    def check(cls):
        super().check()
        key = os.environ.get("SECRET_KEY", "")
        if not key or key == DEV_SECRET_KEY:
            raise RuntimeError(
                "SECRET_KEY must be set to a long random value in production, e.g. "
                "python -c 'import secrets; print(secrets.token_hex(32))'"
            )
        cls.SECRET_KEY = key
        url = os.environ.get("HUB_URL", "")
        if urlsplit(url).scheme != "https" or hub_address_problem(url):
            raise RuntimeError(
                "HUB_URL must be set to the hub's public https address in production, e.g. "
                f"HUB_URL=https://hub.example.org (every link the hub mails or shows starts with it), not {url!r}"
            )
        cls.HUB_URL = url
        cls.HUB_OTHER_HOSTS = _names("HUB_OTHER_HOSTS")


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def from_environment():
    """The configuration class that HUB_CONFIG names (development by default)."""
    name = os.environ.get("HUB_CONFIG", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"HUB_CONFIG must be one of {', '.join(CONFIGS)}, not {name!r}")
