"""Those who support many partnerships: an authority's, a trust's or a teaching school
hub's officers (docs/partnerships.md). What a supporter sees of a partnership is what
the partnership chose to share with it, read inside that partnership (domain/scope.py),
never across the boundary by a query of the whole hub."""
from sqlalchemy import select

from .ids import SUPPORT
from .models import OFFICER, DevelopmentVisit, Partnership, Supporter, User, Workbook
from .partnerships import PartnershipError, slug_for
from .people import UNUSABLE_PASSWORD, record
from .scope import HUB_WIDE
from .text import person_key
from .users import UserError, checked_new_user

# What a partnership shares with its supporter, in the words its own page lists them.
SHARED = ("its signed termly reviews", "the SIP priorities its schools share with the partnership",
          "its plans' progress by area, from its signed reviews", "its calendar of networks and visits",
          "the strengths recorded in its finished impact forms")


def workbook_code(supporter):
    """The code of a supporter's workbook record: support-3 (its IDs read D-V001)."""
    return f"{SUPPORT}{supporter.id}"


def all_supporters(session):
    """Every supporter of the hub, by name."""
    return session.scalars(select(Supporter).order_by(Supporter.name).execution_options(**HUB_WIDE)).all()


def by_slug(session, slug):
    """The supporter known by this short name, or None."""
    return session.scalar(select(Supporter).where(Supporter.slug == (slug or "").strip().lower())
                          .execution_options(**HUB_WIDE))


def add(session, name, workbook_ref=""):
    """A new supporter (an authority or trust), known by a short name."""
    name = " ".join((name or "").split())
    slug = slug_for(name)
    if not slug:
        raise PartnershipError("Give the authority or trust a name with a letter or a digit.")
    if any(s.slug == slug for s in all_supporters(session)):
        raise PartnershipError(f"There is already a supporter called {name}.")
    supporter = Supporter(slug=slug, name=name, workbook_ref=(workbook_ref or "").strip())
    session.add(supporter)
    session.flush()
    return supporter


def invite_officer(session, supporter, email, name, by=""):
    """An officer of the supporter, who chooses a password through a link (as anyone invited)."""
    try:
        email, _ = checked_new_user(session, email, "admin", None)
    except UserError as error:
        raise PartnershipError(str(error)) from None
    officer = User(email=email, role=OFFICER, supporter_id=supporter.id, partnership_id=None,
                   name=" ".join((name or "").split()) or email.split("@")[0], password_hash=UNUSABLE_PASSWORD)
    session.add(officer)
    session.flush()
    record(session, by or "the hub", officer, f"Invited as an officer of {supporter.name}")
    return officer


def supported(session, supporter):
    """The partnerships the supporter supports, by name, sharing or not."""
    return session.scalars(select(Partnership).where(Partnership.supporter_id == supporter.id)
                           .order_by(Partnership.name).execution_options(**HUB_WIDE)).all()


def sharing(session, supporter):
    """The partnerships that share with the supporter: the only ones its officers read."""
    return [p for p in supported(session, supporter) if p.shares_with_supporter]


def partnership_shared(session, supporter, slug):
    """The partnership of this short name if it shares with the supporter, else None."""
    return next((p for p in sharing(session, supporter) if p.slug == slug), None)


def visits_workbook(session, supporter):
    """The supporter's current workbook record (its Development visits), or None."""
    return session.scalar(select(Workbook).where(Workbook.supporter_id == supporter.id, Workbook.is_current)
                          .execution_options(**HUB_WIDE))


def visits(session, supporter, starts=None, ends=None):
    """The supporter's development visits, newest first (between two days, if given)."""
    query = (select(DevelopmentVisit).join(Workbook, Workbook.id == DevelopmentVisit.workbook_id)
             .where(Workbook.supporter_id == supporter.id, DevelopmentVisit.archived_at.is_(None)))
    if starts is not None:
        query = query.where(DevelopmentVisit.date >= starts, DevelopmentVisit.date <= ends)
    return session.scalars(query.order_by(DevelopmentVisit.date.desc(), DevelopmentVisit.id.desc())
                           .execution_options(**HUB_WIDE)).all()


def link_visits(session, supporter):
    """Each visit's Partnership cell as the supported partnership it names (by name or
    short name, compared as names are), or None."""
    names = {}
    for partnership in supported(session, supporter):
        names[person_key(partnership.name)] = partnership.id
        names[person_key(partnership.slug.replace("-", " "))] = partnership.id
    for visit in visits(session, supporter):
        visit.partnership_id = names.get(person_key(visit.partnership))


def points(text):
    """The points of a cell, one a line, bullets and dashes taken off."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip().lstrip("•-*–").strip()
        if line:
            out.append(line)
    return out
