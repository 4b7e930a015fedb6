"""Figures kept in this process under the versions they were made from (domain/versions.py).

A key names everything a figure depends on (a partnership's or a plan's versions, the
day, the filters); a change moves a version on in its own transaction, so a kept figure
is never found after it, in this process or any other. What is kept is plain data (never
ORM objects, which belong to one session), and a bounded number of figures, the oldest
used going first.
"""
import threading
from collections import OrderedDict
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session

from . import scope
from .versions import changed_in_transaction, partnership_key

LIMIT = 2048  # figures: a partnership's few, and each person's For you (some kilobytes each)
_figures = OrderedDict()
_lock = threading.Lock()
_switched_off = threading.local()


def kept(session, kind, key, make):
    """The figure ``kind`` for ``key``: kept, or made by ``make()`` and kept. A
    transaction that has changed something makes it afresh and keeps nothing (its
    change is not committed, and may yet be rolled back)."""
    if getattr(_switched_off, "on", False) or changed_in_transaction(session):
        return make()
    name = (kind, key)
    with _lock:
        if name in _figures:
            _figures.move_to_end(name)
            return _figures[name]
    value = make()
    with _lock:
        _figures[name] = value
        while len(_figures) > LIMIT:
            _figures.popitem(last=False)
    return value


KEY = "kept_partnership_key"  # session.info: the partnership's key, read once a transaction


def for_partnership(session, kind, make):
    """A figure of the whole partnership the session serves (its priorities' grouping, a
    summary), kept under the partnership's versions (domain/versions.py); made afresh for
    a session of the whole hub. ``kind`` names the figure and anything else it depends on
    (the year, the day). The key is read once a transaction: one small statement."""
    pid = scope.current(session)
    if pid is None:
        return make()
    key = session.info.get(KEY)
    if key is None or key[0] != pid or changed_in_transaction(session):
        key = session.info[KEY] = (pid, partnership_key(session, pid, scope.held_workbook_ids(session)))
    return kept(session, kind, key[1], make)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _key_for_a_transaction(session, *args):
    """Another transaction (another process's sync) may move the versions: read the key again."""
    session.info.pop(KEY, None)


def clear():
    """Forget every kept figure (a test's new database starts its versions where another's did)."""
    with _lock:
        _figures.clear()


@contextmanager
def made_afresh():
    """``with made_afresh():`` nothing kept is used or kept (the tests' uncached figures)."""
    before = getattr(_switched_off, "on", False)
    _switched_off.on = True
    try:
        yield
    finally:
        _switched_off.on = before

