"""Secrets kept out of the logs: a private calendar feed's address and a password link
are keys in themselves, so an access log that holds them hands out the keys.

``hidden`` takes them out of a log line; the development server's request log
(Werkzeug's) and the app's own (Flask's "Exception on /calendar/feed/…" among them) are
filtered with it here, gunicorn's access log in gunicorn.conf.py.
"""
import logging
import re
from urllib.parse import unquote

# The routes whose path carries a secret: the feed (webapp/calendar/routes.py) and a password
# link (webapp/auth/routes.py); tests/deploy/test_secrets_in_logs.py checks that every route with
# a <secret> or <token> in its path is hidden. The feed's secret runs up to its ".ics"; a link's
# token (itsdangerous puts dots in it) to the end of the path.
# A provider's answer to a sign-in (webapp/auth/school_accounts.py) carries its one-use code and
# state in the query: hidden too, though without the sign-in's own PKCE verifier neither is a key.
SECRET_PATHS = re.compile(r"(/calendar/feed/)[^\s/?#\"]+?(?=\.ics\b|[\s/?#\"]|$)|(/password/)[^\s/?#\"]+"
                          r"|(/sign-in/[a-z]+/done\?)[^\s#\"]+")
HIDDEN = "[hidden]"


def hidden(text):
    """``text`` with the secret part of every feed address and password link hidden, in
    the request's own spelling or percent-encoded (/%63alendar/feed/… is the same route)."""
    if not isinstance(text, str):
        return text
    if "%" in text and SECRET_PATHS.search(unquote(text)):
        text = unquote(text)
    return SECRET_PATHS.sub(lambda match: (match[1] or match[2] or match[3]) + HIDDEN, text)


class HideSecrets(logging.Filter):
    """Hides secrets in a record's message and arguments before any handler writes it."""

    def filter(self, record):
        record.msg = hidden(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(hidden(arg) for arg in record.args)
        return True


def _filter(filterer):
    if not any(isinstance(f, HideSecrets) for f in filterer.filters):
        filterer.addFilter(HideSecrets())


def hide_secrets(*logger_names):
    """Filter through HideSecrets (once each) the records of the named loggers, and those
    every handler of the root logger writes (what a module's logger passes up to them)."""
    for name in logger_names:
        _filter(logging.getLogger(name))
    for handler in logging.getLogger().handlers:
        _filter(handler)
