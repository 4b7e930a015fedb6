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

from . import scope
from .versions import changed_in_transaction

LIMIT = 2048  # figures: a partnership's few, and each person's For you (some kilobytes each)
# Pages drawn once and kept (a plan's rows, a summary: up to 120 KB each) are counted by their
# length too, so that a day of different plans and filters cannot grow a worker without bound.
DRAWN_LIMIT = 48 * 1024 * 1024  # characters of drawn pages, each worker
_figures = OrderedDict()
_drawn = [0]  # characters held in drawn pages (str values)
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
        if name not in _figures:  # (another thread may have made it meanwhile)
            _figures[name] = value
            _drawn[0] += _length(value)
        while len(_figures) > LIMIT or _drawn[0] > DRAWN_LIMIT:
            _, gone = _figures.popitem(last=False)
            _drawn[0] -= _length(gone)
    return value


def _length(value):
    """Characters of drawn HTML a kept value holds (itself, or in a tuple with its figures)."""
    if isinstance(value, str):
        return len(value)
    return sum(len(part) for part in value if isinstance(part, str)) if isinstance(value, tuple) else 0


def for_partnership(session, kind, make):
    """A figure of the whole partnership the session serves (its priorities' grouping, a
    summary), kept under the partnership's versions (domain/versions.py); made afresh for
    a session of the whole hub, or in a transaction that has changed something. ``kind``
    names the figure and anything else it depends on (the year, the day). The key comes
    with the partnership's ids, read once a transaction (scope.held_key)."""
    if scope.current(session) is None or changed_in_transaction(session):
        return make()
    return kept(session, kind, scope.held_key(session), make)


def clear():
    """Forget every kept figure (a test's new database starts its versions where another's did)."""
    with _lock:
        _figures.clear()
        _drawn[0] = 0


@contextmanager
def made_afresh():
    """``with made_afresh():`` nothing kept is used or kept (the tests' uncached figures)."""
    before = getattr(_switched_off, "on", False)
    _switched_off.on = True
    try:
        yield
    finally:
        _switched_off.on = before

