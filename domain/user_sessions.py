"""Signed-in sessions that the server can end.

Flask's session is a signed cookie: signing out only asks the browser to forget
it, and a copy of it would keep working until it expired. So each sign-in gets a
``UserSession`` row; the cookie carries its random token and the database only
the token's SHA-256, so a copy of the database cannot be turned into cookies.
A session is live while its row exists and is younger than the absolute
lifetime. Ending a session deletes its row; nothing is written per request (the
idle limit is the cookie's own signed timestamp, PERMANENT_SESSION_LIFETIME).
"""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from .models import Partnership, User, UserSession, utcnow
from .scope import HUB_WIDE


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def start(session, user):
    """A new session for ``user``; returns the token for the cookie (shown only here)."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=_digest(token), user_id=user.id, started_at=utcnow()))
    return token


def signed_in_user(session, user_id, version, token, absolute_hours):
    """(the active user whose live session this is, their partnership), or (None, None):
    the session has ended."""
    if not token:
        return None, None
    since = utcnow() - timedelta(hours=absolute_hours)
    # Their partnership comes in the same statement: the page enters it next, and finds it
    # in the session (while the caller holds it) instead of asking again.
    found = session.execute(
        select(User, Partnership).join(UserSession, UserSession.user_id == User.id)
        .outerjoin(Partnership, Partnership.id == User.partnership_id).where(
            User.id == user_id, User.active.is_(True), User.session_version == version,
            UserSession.token_hash == _digest(token), UserSession.started_at >= since,
        ).execution_options(**HUB_WIDE)  # who is asking comes before which partnership they see
    ).first()
    return (found[0], found[1]) if found else (None, None)


def end(session, token):
    """Sign-out: this session only."""
    if token:
        session.execute(delete(UserSession).where(UserSession.token_hash == _digest(token)))


def end_all(session, user_id):
    """Every session of this user (password changed, deactivated)."""
    session.execute(delete(UserSession).where(UserSession.user_id == user_id))


def forget_expired(session, absolute_hours):
    """Retention: a session past its absolute lifetime can never be used again."""
    session.execute(delete(UserSession).where(UserSession.started_at < utcnow() - timedelta(hours=absolute_hours)))
