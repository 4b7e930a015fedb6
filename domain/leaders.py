"""Whom an event's Lead cell names, as people of the hub: a cell's text never decides who
may act until it is matched to an account.

A Lead cell holds names or addresses ("Carole Clemens, sally@wl.school"). Each is
matched to an active person of a member school (or a coordinator):

- an address, to the person with that address;
- a name, to the one person with that name. A name several accounts answer to names
  nobody, wherever they are and whatever became of them (the host school, a school that
  left, a person deactivated): display names are not unique, and a namesake must never
  become the network's leader. An address in the cell tells them apart. A name the hub
  made from an address ("head" for head@…, when none was given) is no name to match.

The one person matched must be able to lead: active, staff, a head or a coordinator,
of a school still in the partnership.

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
from .users import normalise_email

_SEPARATORS = re.compile(r"[,;/\n&]+| and ", re.IGNORECASE)
_ADDRESS = re.compile(r"<\s*([^<>\s]+@[^<>\s]+)\s*>|^\s*(\S+@\S+)\s*$")


@dataclass(frozen=True)
class Named:
    """One name or address of a Lead cell, as written, and what it is compared by."""

    text: str
    address: bool

    @property
    def key(self):
        """An address as addresses are kept (lower case), a name as names are compared."""
        return normalise_email(self.text) if self.address else person_key(self.text)


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
    unmatched: tuple = ()  # texts no one who can lead answers to
    ambiguous: tuple = ()  # (text, count): texts several people answer to

    @property
    def ids(self):
        return frozenset(p.id for p in self.people)

    def includes(self, user):
        """Is this person (their account, never their name) one the Lead names?"""
        return getattr(user, "id", None) in self.ids


NOBODY = Leaders()


def _accounts(session, named):
    """Every account with one of these addresses or names, able to lead or not:
    {(is address, key): [rows]}. One indexed query (addresses are kept in lower case,
    names' keys in ``User.name_key``)."""
    addresses = {n.key for n in named if n.address}
    names = {n.key for n in named if not n.address}
    rows = session.execute(
        select(User.id, User.name, User.name_key, User.email, User.role, User.active, User.school_id,
               School.code.label("school"), School.name.label("school_name"), School.archived_at.label("left_at"))
        .outerjoin(School, User.school_id == School.id)
        .where(or_(User.email.in_(addresses), User.name_key.in_(names)))
    ).all()
    found = defaultdict(list)
    for row in rows:
        found[True, row.email].append(row)
        if row.name_key and row.name_key != person_key(row.email.split("@")[0]):  # a name, not one made up
            found[False, row.name_key].append(row)
    return found


def _can_lead(row):
    return (row.active and row.role in EDITING_ROLES
            and (row.school_id is None or row.left_at is None))


def leaders_of(session, events):
    """{event id: Leaders} for these events, in one query of the people who could lead."""
    cells = {e.id: named_in(e.lead) for e in events}
    if not any(cells.values()):
        return {e.id: NOBODY for e in events}
    accounts = _accounts(session, [n for found in cells.values() for n in found])
    result = {}
    for event in events:
        matched, unmatched, ambiguous = [], [], []
        for named in cells[event.id]:
            found = accounts.get((named.address, named.key), [])
            if len(found) > 1:
                ambiguous.append((named.text, len(found)))
            elif found and _can_lead(found[0]):
                row = found[0]
                person = Person(row.id, row.name or row.email, row.school or "", row.school_name or "")
                matched += [person] if person not in matched else []
            else:
                unmatched.append(named.text)
        result[event.id] = Leaders(tuple(matched), tuple(unmatched), tuple(ambiguous))
    return result


def leaders_for(session, event):
    """One event's Leaders."""
    return leaders_of(session, [event])[event.id]
