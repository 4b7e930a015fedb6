"""Sign-in attempts, limited per account and per address, in the database.

The database (not process memory) holds the count, so the limit is the same
whichever worker or host answers. An attempt is recorded, and committed, before
anyone counts; only then is the count read, and it includes the attempt itself
and every other one already committed. Of simultaneous attempts, the k-th to
commit sees at least k, so at most ``limit`` in a window ever get their password
checked, on SQLite and PostgreSQL alike. Under a burst this errs towards
refusing: attempts refused are deleted again, so they neither count as failures
nor keep an account locked. A wrong password leaves its rows as failures; a
right one forgives the account's failures and does not count against the address.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete, func, select

from .models import LoginFailure, utcnow


@dataclass
class Attempt:
    """A sign-in attempt that has been counted: ``wait`` minutes if refused, else 0."""

    wait: int
    row_ids: list = field(default_factory=list)

    @property
    def allowed(self):
        return self.wait == 0


def _keys(email, address):
    return [f"account:{(email or '').strip().lower()}", f"address:{address or 'unknown'}"]


def begin(session, email, address, window_minutes, max_per_account, max_per_address):
    """Record an attempt (committed), then count: whether its password may be checked."""
    rows = [LoginFailure(key=key, at=utcnow()) for key in _keys(email, address)]
    session.add_all(rows)
    session.flush()
    attempt = Attempt(wait=0, row_ids=[row.id for row in rows])
    session.commit()  # visible to every other attempt before this one counts
    attempt.wait = _wait(session, email, address, window_minutes, max_per_account, max_per_address)
    if attempt.wait:
        _forget(session, attempt)
    return attempt


def _wait(session, email, address, window_minutes, max_per_account, max_per_address):
    """Minutes until another attempt is allowed, or 0 if this one (already counted) is."""
    since = utcnow() - timedelta(minutes=window_minutes)
    waits = []
    for key, limit in zip(_keys(email, address), (max_per_account, max_per_address)):
        count, oldest = session.execute(
            select(func.count(LoginFailure.id), func.min(LoginFailure.at)).where(
                LoginFailure.key == key, LoginFailure.at >= since
            )
        ).one()
        if count > limit:
            # The oldest failure leaving the window frees one attempt.
            remaining = oldest + timedelta(minutes=window_minutes) - utcnow()
            waits.append(max(1, int(remaining.total_seconds() // 60) + 1))
    return max(waits, default=0)


def _forget(session, attempt):
    """A refused attempt: its password was not checked, so it is not a failure."""
    session.execute(delete(LoginFailure).where(LoginFailure.id.in_(attempt.row_ids)))
    session.commit()


def succeeded(session, attempt, email):
    """A right password forgives the account's failures; it was no failure of the address either."""
    session.execute(delete(LoginFailure).where(LoginFailure.id.in_(attempt.row_ids)))
    session.execute(delete(LoginFailure).where(LoginFailure.key == _keys(email, None)[0]))


def forget_old(session, window_minutes):
    """Retention: failures older than the window count for nothing."""
    session.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - timedelta(minutes=window_minutes)))
