"""The directory across partnerships: lead heads and chairs of different partnerships
finding each other ("who else, in other partnerships, works on attendance?").

It holds only what is shared: the priorities schools share with their partnership, and
the strengths of finished impact forms. These come only from partnerships that share
with the same supporter, and only for a partnership that shares too: one that keeps its
own to itself sees none of the others'. Each is read inside its own boundary
(domain/scope.py).
"""
from dataclasses import dataclass

from sqlalchemy import select

from . import scope, supporters
from .models import ImpactForm, SipPriority
from .themes import theme_key


@dataclass
class Entry:
    partnership: str
    school: str
    head: str
    what: str  # the priority, or the strength
    theme: str
    status: str = ""
    kind: str = "priority"  # or "strength"


def others(session, partnership):
    """The other partnerships the directory reads for ``partnership``: those sharing with
    its supporter, if it shares itself."""
    if partnership is None or not (partnership.supporter_id and partnership.shares_with_supporter):
        return []
    return [p for p in supporters.sharing(session, partnership.supporter) if p.id != partnership.id]


def _matches(words, *texts):
    key = theme_key(words)
    return bool(key) and any(key in theme_key(t) for t in texts if t)


def find(session, partnership, words):
    """What the other partnerships share about ``words`` (a theme, as typed)."""
    found = []
    for other in others(session, partnership):
        with scope.entered(session, other.id):
            for priority in session.scalars(select(SipPriority).where(SipPriority.share.is_(True),
                                                                      SipPriority.archived_at.is_(None))):
                if _matches(words, priority.theme, priority.priority):
                    school = priority.workbook.school
                    found.append(Entry(other.name, school.name if school else "", school.head_teacher if school else "",
                                       priority.priority, priority.theme, priority.status))
            for form in session.scalars(select(ImpactForm).where(ImpactForm.state == "final")):
                for strength in form.strengths:
                    if _matches(words, strength, form.event.focus):
                        host = form.event.host_code
                        found.append(Entry(other.name, host, "", strength, form.event.focus, kind="strength"))
    return sorted(found, key=lambda e: (e.kind != "priority", e.partnership, e.school))


def themes(session, partnership):
    """[(theme, [partnership names])]: the themes the other partnerships' schools share."""
    seen = {}
    for other in others(session, partnership):
        with scope.entered(session, other.id):
            for theme in session.scalars(select(SipPriority.theme).where(SipPriority.share.is_(True),
                                                                         SipPriority.archived_at.is_(None))):
                if theme:
                    name, names = seen.setdefault(theme_key(theme), (theme, set()))
                    names.add(other.name)
    return sorted(((name, sorted(names)) for name, names in seen.values()), key=lambda t: t[0].casefold())
