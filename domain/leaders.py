"""Whom an event's Lead cell names, as people of the hub: a cell's text never decides who
may act until it is matched to an account.

A Lead cell holds names or addresses ("Carole Clemens, sally@wl.school"). Each is
matched to an active person of a member school (or a coordinator):

- an address, to the person with that address;
- a name, to the one person of the partnership with that name. A name several people
  answer to names nobody, wherever they are (the host school too): display names are
  not unique, and a namesake must never become the network's leader. An address in
  the cell tells them apart.

What matches nobody, or several people, names no leader: the host school's head (or a
coordinator) completes the form instead. The event page shows the match.
"""
import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import or_, select

from .access import EDITING_ROLES
from .models import School, User
from .text import person_key

_SEPARATORS = re.compile(r"[,;/\n&]+| and ", re.IGNORECASE)
_ADDRESS = re.compile(r"<\s*([^<>\s]+@[^<>\s]+)\s*>|^\s*(\S+@\S+)\s*$")


@dataclass(frozen=True)
class Named:
    """One name or address of a Lead cell, as written, and what it is compared by."""

    text: str
    address: bool

    @property
    def key(self):
        return person_key(self.text)


def named_in(cell):
    """The names and addresses a Lead cell gives: "Carole Clemens, Sally <sally@wl.school>"
    is Carole Clemens by name and sally@wl.school by address."""
    found = []
    for part in _SEPARATORS.split(cell or ""):
        if not part.strip():
            continue
        address = _ADDRESS.search(part)
        if address:
            found.append(Named(address.group(1) or address.group(2), True))
        else:
            found.append(Named(" ".join(part.split()), False))
    return found


@dataclass(frozen=True)
class Person:
    """A person a Lead cell was matched to."""

    id: int
    name: str
    school: str  # the school's code; "" for a coordinator
    school_name: str = ""


@dataclass(frozen=True)
class Leaders:
    """An event's Lead cell, matched: the people it names, and what named nobody."""

    people: tuple = ()
    unmatched: tuple = ()  # texts no active person of the partnership answers to
    ambiguous: tuple = ()  # (text, count): texts several people answer to

    @property
    def ids(self):
        return frozenset(p.id for p in self.people)

    def includes(self, user):
        """Is this person (their account, never their name) one the Lead names?"""
        return getattr(user, "id", None) in self.ids


NOBODY = Leaders()


def _candidates(session, named):
    """The active people who could lead (staff, heads and coordinators of member schools)
    with one of these addresses or names: {(is address, key): [people]}. One indexed query
    (addresses are kept in lower case, names' keys in ``User.name_key``)."""
    addresses = {n.key for n in named if n.address}
    names = {n.key for n in named if not n.address}
    rows = session.execute(
        select(User.id, User.name, User.name_key, User.email, School.code.label("school"),
               School.name.label("school_name"))
        .outerjoin(School, User.school_id == School.id)
        .where(or_(User.email.in_(addresses), User.name_key.in_(names)),
               User.active.is_(True), User.role.in_(EDITING_ROLES),
               or_(User.school_id.is_(None), School.archived_at.is_(None)))
    ).all()
    found = defaultdict(list)
    for row in rows:
        person = Person(row.id, row.name or row.email, row.school or "", row.school_name or "")
        found[True, person_key(row.email)].append(person)
        found[False, row.name_key].append(person)
    return found


def leaders_of(session, events):
    """{event id: Leaders} for these events, in one query of the people who could lead."""
    cells = {e.id: named_in(e.lead) for e in events}
    if not any(cells.values()):
        return {e.id: NOBODY for e in events}
    people = _candidates(session, [n for found in cells.values() for n in found])
    result = {}
    for event in events:
        matched, unmatched, ambiguous = [], [], []
        for named in cells[event.id]:
            found = people.get((named.address, named.key), [])
            if len(found) == 1:
                matched += [p for p in found if p not in matched]
            elif found:
                ambiguous.append((named.text, len(found)))
            else:
                unmatched.append(named.text)
        result[event.id] = Leaders(tuple(matched), tuple(unmatched), tuple(ambiguous))
    return result


def leaders_for(session, event):
    """One event's Leaders."""
    return leaders_of(session, [event])[event.id]
