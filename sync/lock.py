"""One sync at a time, across processes and hosts that share the database.

The lock is a single row taken with a conditional UPDATE, which the database
applies atomically (SQLite and PostgreSQL alike). It is a lease: a holder that
dies lets go when ``expires_at`` passes, and a long sync renews it as it goes.
"""
import os
import socket
import uuid
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from domain.models import SyncLock, utcnow

LEASE = timedelta(minutes=10)
LOCK_ID = 1  # taken by the sync and by the outbox: both write into workbooks


def new_holder():
    """A name for this attempt that says where it runs."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire(session, holder, lease=LEASE, lock_id=LOCK_ID):
    """Take the lock for ``holder``; False if someone else holds a live lease."""
    if session.get(SyncLock, lock_id) is None:
        try:
            session.add(SyncLock(id=lock_id))
            session.commit()
        except IntegrityError:  # another process created it first
            session.rollback()
    now = utcnow()
    taken = session.execute(
        update(SyncLock)
        .where(SyncLock.id == lock_id)
        .where(or_(SyncLock.holder.is_(None), SyncLock.expires_at < now, SyncLock.holder == holder))
        .values(holder=holder, expires_at=now + lease)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    return taken == 1


def renew(session, holder, lease=LEASE, lock_id=LOCK_ID):
    """Extend the lease; False if it was lost (expired and taken by another)."""
    return acquire(session, holder, lease, lock_id)


def release(session, holder, lock_id=LOCK_ID):
    """Let go of the lock, if ``holder`` still holds it."""
    session.execute(
        update(SyncLock)
        .where(SyncLock.id == lock_id, SyncLock.holder == holder)
        .values(holder=None, expires_at=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def current_holder(session):
    """Who holds a live lease, or None."""
    lock = session.scalar(select(SyncLock).where(SyncLock.id == LOCK_ID))
    if lock is None or lock.holder is None or (lock.expires_at and lock.expires_at < utcnow()):
        return None
    return lock.holder
