""""Forgot your password?" requests, limited per account and per address in the database.

The same rows and window as failed sign-ins (``LoginFailure``, LOGIN_WINDOW_MINUTES),
under keys of their own, so a request never counts as a failed sign-in nor the other
way round, and old rows go with the sign-in's own pruning (``login_limits.forget_old``).
Every request counts, whether or not the address has an account: the answer, and
the limit, must not tell which addresses do.
"""
from datetime import timedelta

from sqlalchemy import func, select

from .models import LoginFailure, utcnow


def _keys(email, address):
    return [f"reset-account:{(email or '').strip().lower()}", f"reset-address:{address or 'unknown'}"]


def allowed(session, email, address, window_minutes, max_per_account, max_per_address):
    """Record this request (committed), then say whether it is within both limits."""
    session.add_all([LoginFailure(key=key, at=utcnow()) for key in _keys(email, address)])
    session.commit()  # counted by every other request from now on
    since = utcnow() - timedelta(minutes=window_minutes)
    for key, limit in zip(_keys(email, address), (max_per_account, max_per_address)):
        count = session.scalar(select(func.count(LoginFailure.id)).where(LoginFailure.key == key,
                                                                         LoginFailure.at >= since))
        if count > limit:
            return False
    return True
