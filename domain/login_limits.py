"""Failed sign-ins, counted per account and per address in the database.

The database (not process memory) holds the count, so the limit is the same
whichever worker or host answers.
"""
from datetime import timedelta

from sqlalchemy import delete, func, select

from .models import LoginFailure, utcnow


def _keys(email, address):
    return [f"account:{(email or '').strip().lower()}", f"address:{address or 'unknown'}"]


def blocked_for(session, email, address, window_minutes, max_per_account, max_per_address):
    """Minutes until another attempt is allowed, or 0 if one is allowed now."""
    since = utcnow() - timedelta(minutes=window_minutes)
    account_key, address_key = _keys(email, address)
    waits = []
    for key, limit in ((account_key, max_per_account), (address_key, max_per_address)):
        count, oldest = session.execute(
            select(func.count(LoginFailure.id), func.min(LoginFailure.at)).where(
                LoginFailure.key == key, LoginFailure.at >= since
            )
        ).one()
        if count >= limit:
            # The oldest failure leaving the window frees one attempt.
            remaining = oldest + timedelta(minutes=window_minutes) - utcnow()
            waits.append(max(1, int(remaining.total_seconds() // 60) + 1))
    return max(waits, default=0)


def record_failure(session, email, address):
    session.add_all(LoginFailure(key=key) for key in _keys(email, address))


def clear_account(session, email):
    """A successful sign-in forgives the account's failures (not the address's)."""
    session.execute(delete(LoginFailure).where(LoginFailure.key == _keys(email, None)[0]))


def forget_old(session, window_minutes):
    session.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - timedelta(minutes=window_minutes)))
