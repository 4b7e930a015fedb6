"""Partnerships: the hub's tenants (docs/partnerships.md). Which ones a person works in,
which one a page shows, and adding one. Plain functions on a session, no Flask."""
import re
import unicodedata

from sqlalchemy import select

from .models import Membership, Partnership, User, Workbook
from .people import UNUSABLE_PASSWORD, record
from .scope import HUB_WIDE
from .users import UserError, checked_new_user

FIRST_NAME = "Our partnership"  # the first partnership's name until a coordinator gives it one
SLUG_LENGTH = 40


class PartnershipError(ValueError):
    """A partnership that cannot be added as asked, said plainly."""


def slug_for(name):
    """The short name a partnership is known by in commands and links: its name in lower
    case ASCII letters, digits and hyphens ("Bank Road & Weald" -> "bank-road-weald")."""
    ascii_name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:SLUG_LENGTH].strip("-")


def all_partnerships(session):
    """Every partnership of the hub, by name."""
    return session.scalars(select(Partnership).order_by(Partnership.name, Partnership.id)
                           .execution_options(**HUB_WIDE)).all()


def by_slug(session, slug):
    """The partnership known by this short name, or None."""
    return session.scalar(select(Partnership).where(Partnership.slug == (slug or "").strip().lower())
                          .execution_options(**HUB_WIDE))


def first(session):
    """The partnership the configuration names (the one a single-partnership hub is)."""
    return session.scalar(select(Partnership).order_by(Partnership.id).limit(1).execution_options(**HUB_WIDE))


def only(session):
    """The id of the hub's one partnership, or None when it holds several (or none yet)."""
    ids = session.scalars(select(Partnership.id).limit(2).execution_options(**HUB_WIDE)).all()
    return ids[0] if len(ids) == 1 else None


def ensure_first(session, workbook_ref):
    """The first partnership, made by the first sync; its workbook follows the
    configuration (PARTNERSHIP_WORKBOOK), the others' are their own."""
    partnership = first(session)
    if partnership is None:
        partnership = Partnership(slug=slug_for(FIRST_NAME), name=FIRST_NAME, workbook_ref=workbook_ref)
        session.add(partnership)
        session.flush()
    elif workbook_ref and partnership.workbook_ref != workbook_ref:
        partnership.workbook_ref = workbook_ref
    return partnership


def for_sync(session, workbook_ref):
    """Every partnership, the first first, as a sync reads them."""
    ensure_first(session, workbook_ref)
    session.commit()
    return session.scalars(select(Partnership).order_by(Partnership.id).execution_options(**HUB_WIDE)).all()


def of_person(session, user, elsewhere=True):
    """The partnerships a person works in: the one that invited them, and, for a school's
    people, every other one their school is in now. A coordinator works in their own.
    At most one statement (every page's switcher asks); none when ``elsewhere`` is False,
    their school known to be in no other partnership (read with them, on each request)."""
    if user.school_id is None or user.role == "admin" or not elsewhere:  # their own only: in the session
        own = session.get(Partnership, user.partnership_id, execution_options=HUB_WIDE) \
            if user.partnership_id is not None else None
        return [own] if own is not None else []
    which = (Partnership.id == user.partnership_id) | Partnership.id.in_(select(Membership.partnership_id).where(
        Membership.school_id == user.school_id, Membership.archived_at.is_(None)))
    return session.scalars(select(Partnership).where(which).order_by(Partnership.name)
                           .execution_options(**HUB_WIDE)).all()


def chosen(session, user, wanted_id, elsewhere=True):
    """The partnership a person's pages show: the one they chose, if they work in it,
    else the one that invited them (``elsewhere``: as for of_person)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if wanted_id and wanted_id != user.partnership_id:
        if any(p.id == wanted_id for p in of_person(session, user, elsewhere)):
            return wanted_id
    return user.partnership_id


def _checked_name(session, name, partnership=None):
    """The name tidied, and its short name; PartnershipError if another partnership has either."""
    name = " ".join((name or "").split())
    if not name:
        raise PartnershipError("Give the partnership a name.")
    slug = slug_for(name)
    if not slug:
        raise PartnershipError("The name needs a letter or a digit.")
    others = [p for p in all_partnerships(session) if partnership is None or p.id != partnership.id]
    if any(p.slug == slug or p.name.casefold() == name.casefold() for p in others):
        raise PartnershipError(f"There is already a partnership called {name}.")
    return name, slug


def _taken(session, workbook_ref, partnerships, identity):
    """Is this workbook already a partnership's, or a school's?"""
    wanted = identity(workbook_ref)
    held = {identity(p.workbook_ref) for p in partnerships if p.workbook_ref}
    held |= set(session.scalars(select(Workbook.identity).where(Workbook.is_current, Workbook.identity != "")
                                .execution_options(**HUB_WIDE)))
    return wanted in held


def set_support(session, partnership, supporter, shares):
    """The authority or trust that supports the partnership (or none), and whether it
    shares with them: with none, nothing is shared."""
    partnership.supporter_id = supporter.id if supporter else None
    partnership.shares_with_supporter = bool(supporter and shares)


def rename(session, partnership, name):
    """A partnership's new name; its short name follows it (links carry none: nothing breaks)."""
    partnership.name, partnership.slug = _checked_name(session, name, partnership)


def add(session, name, workbook_ref, coordinator_email, coordinator_name, by="", identity=None):
    """A new partnership and its first coordinator (invited as any person is). The
    coordinator who adds it does not join it: each partnership's people are its own.
    ``identity(ref)``: the one name of the workbook a reference opens (the sync's backend),
    so that a workbook another plan has is refused however it is written."""
    name, slug = _checked_name(session, name)
    taken = all_partnerships(session)
    workbook_ref = (workbook_ref or "").strip()
    if not workbook_ref:
        raise PartnershipError("Give the partnership workbook: a file name, or its Google Sheets address.")
    if _taken(session, workbook_ref, taken, identity or (lambda ref: ref)):
        raise PartnershipError("That workbook is another plan's: each partnership has a workbook of its own.")
    try:
        email, _ = checked_new_user(session, coordinator_email, "admin", None)
    except UserError as error:
        raise PartnershipError(str(error)) from None
    partnership = Partnership(slug=slug, name=name, workbook_ref=workbook_ref, created_by=by)
    session.add(partnership)
    session.flush()
    coordinator = User(email=email, role="admin", partnership_id=partnership.id,
                       name=" ".join((coordinator_name or "").split()) or email.split("@")[0],
                       password_hash=UNUSABLE_PASSWORD)
    session.add(coordinator)
    session.flush()
    record(session, by or "the hub", coordinator, f"Invited as partnership coordinator of {name}")
    return partnership, coordinator
