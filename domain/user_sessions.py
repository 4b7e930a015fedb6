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
from typing import NamedTuple

from sqlalchemy import and_, delete, exists, select
from sqlalchemy.orm.attributes import set_committed_value

from .models import Membership, Partnership, School, User, UserSession, Workbook, utcnow
from .scope import HUB_WIDE


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def start(session, user):
    """A new session for ``user``; returns the token for the cookie (shown only here)."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=_digest(token), user_id=user.id, started_at=utcnow()))
    return token


class SignedIn(NamedTuple):
    """Who a live session is, and what every page of theirs asks of them next."""

    user: User | None
    partnership: Partnership | None  # the one that invited them (held: the identity map's hold is weak)
    elsewhere: bool  # their school is in another partnership too (their pages offer a switch)


ENDED = SignedIn(None, None, False)
_other = Membership.__table__.alias("other_membership")


def signed_in_user(session, user_id, version, token, absolute_hours):
    """The active user whose live session this is, or ENDED."""
    if not token:
        return ENDED
    since = utcnow() - timedelta(hours=absolute_hours)
    # Their partnership, their school and its plan come in the same statement: every page
    # enters the partnership next and most ask for the school, and the caller holds them.
    elsewhere = exists().where(_other.c.school_id == User.school_id, _other.c.archived_at.is_(None),
                               _other.c.partnership_id != User.partnership_id)
    found = session.execute(
        select(User, Partnership, School, Workbook, elsewhere).join(UserSession, UserSession.user_id == User.id)
        .outerjoin(Partnership, Partnership.id == User.partnership_id)
        .outerjoin(School, School.id == User.school_id)
        .outerjoin(Workbook, and_(Workbook.school_id == School.id, Workbook.is_current)).where(
            User.id == user_id, User.active.is_(True), User.session_version == version,
            UserSession.token_hash == _digest(token), UserSession.started_at >= since,
        ).execution_options(**HUB_WIDE)  # who is asking comes before which partnership they see
    ).first()
    if found is None:
        return ENDED
    user, partnership, school, workbook, elsewhere = found
    # Given to the relationships as their own loads would have found them (hub-wide, as the user was read).
    set_committed_value(user, "school", school)
    if school is not None:
        set_committed_value(school, "workbook", workbook)
    return SignedIn(user, partnership, bool(elsewhere))


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
