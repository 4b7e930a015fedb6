"""Coordinators running the partnership's people: inviting, changing, deactivating,
and the audit list of who did what to whom. Plain rules, no Flask.

An invited person has no password until they choose one through their link
(``UNUSABLE_PASSWORD`` matches no password). A link names the person and their
``session_version``; setting a password moves that on, so a link works once.
"""
import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import contains_eager

from .models import ROLES, PersonChange, School, User, lock_row, utcnow
from .paging import Page, clamp
from .scope import HUB_WIDE
from .users import UserError, activate, checked_new_user, deactivate, school_for_role, set_password
from .versions import move_person

# Not an argon2 hash, so verify_password is False for every password typed.
UNUSABLE_PASSWORD = "!invited"
# Why two years: questions about who could see a school's pages ("who made her a head
# in March?") come up over a school year and the next; older entries are pruned as new
# ones are written, so the list never grows without bound.
KEEP_CHANGES = timedelta(days=730)
ROLE_NAMES = {"admin": "partnership coordinator", "head": "head teacher", "staff": "staff", "governor": "governor"}


def who(user):
    """A person as the audit list names them: name and e-mail."""
    return f"{user.name} <{user.email}>" if user.name else user.email


def record(session, by, person, what, partnership_id=None):
    """One audit entry; entries past the retention period go at the same time. ``person``: the
    person, or the words naming someone with no account (a sign-in refused), whose entry is
    in ``partnership_id``'s list."""
    # A name (200) and an address (254) may be longer than the columns (300) together.
    about = person if isinstance(person, str) else who(person)
    session.add(PersonChange(at=utcnow(), by=(by if isinstance(by, str) else who(by))[:300],
                             person_id=None if isinstance(person, str) else person.id,
                             partnership_id=partnership_id, person=about[:300], what=what))
    session.execute(PersonChange.__table__.delete().where(PersonChange.at < utcnow() - KEEP_CHANGES))


def changes(session, number=1, per_page=25):
    """A page of the audit list, newest first."""
    total = session.scalar(select(func.count(PersonChange.id)))
    number = clamp(number, total, per_page)
    items = list(session.scalars(select(PersonChange).order_by(PersonChange.at.desc(), PersonChange.id.desc())
                                 .offset((number - 1) * per_page).limit(per_page)))
    return Page(items, total, number, per_page)


def latest_changes(session, limit=10):
    """The newest entries of the audit list (uncounted: a page of it counts them)."""
    return list(session.scalars(select(PersonChange).order_by(PersonChange.at.desc(), PersonChange.id.desc())
                                .limit(limit)))


def changes_to(session, person, limit=10):
    """The newest audit entries about one person."""
    return list(session.scalars(select(PersonChange).where(PersonChange.person_id == person.id)
                                .order_by(PersonChange.at.desc(), PersonChange.id.desc()).limit(limit)))


def _check_chair(role, chair):
    if chair and role != "governor":
        raise UserError("Only a governor can be chair of governors.")


def _take_chair(session, by, person, school):
    """``person`` becomes the chair of ``school``'s governors. A school has one chair (who
    confirms its termly reviews), so whoever chaired it before no longer does, and their
    audit entry says so. Returns those previous chairs.

    The school's row is locked first, so two coordinators naming two chairs
    at the same moment go one after the other and the second unseats the first."""
    # The school's row, which always exists: locking only its governors would lock nothing
    # when it has none yet, and two first chairs named at once would both stand.
    lock_row(session, School, school.id)
    previous = session.scalars(select(User).where(User.school_id == school.id, User.chair.is_(True),
                                                  User.id != person.id)
                               .order_by(User.name).execution_options(populate_existing=True)).all()
    for old in previous:
        old.chair = False
        record(session, by, old, f"No longer chair of governors: {who(person)} is now chair at {school.name}")
    # Unseated before the new chair is seated: the unique index on the school's chair
    # would refuse a flush that wrote the new chair's row first.
    session.flush()
    return previous


def _no_longer_chair(previous, school):
    """What the coordinator is told of the previous chairs, in words."""
    return [f"{old.name} is no longer chair of governors at {school.name}" for old in previous]


def _in_place_of(previous):
    """", in place of Ann Other": the new chair's audit entry names whom they replace."""
    return f", in place of {' and '.join(who(old) for old in previous)}" if previous else ""


def invite(session, by, email, name, role, school_code=None, chair=False):
    """A new person who will choose their password through a link; UserError if they cannot be added.

    Returns (the person, what else changed, in words: the school's previous chair when they chair it)."""
    email, school = checked_new_user(session, email, role, school_code)
    _check_chair(role, chair)
    name = (name or "").strip() or email.split("@")[0]
    user = User(email=email, name=name, role=role, school=school, chair=False,
                password_hash=UNUSABLE_PASSWORD)
    session.add(user)
    session.flush()
    where = f" at {school.name}" if school else ""
    previous = _take_chair(session, by, user, school) if chair else []
    user.chair = bool(chair)  # seated once the previous chair is not (see _take_chair)
    record(session, by, user, f"Invited as {ROLE_NAMES[role]}{where}{' (chair of governors)' if chair else ''}"
           + _in_place_of(previous))
    return user, _no_longer_chair(previous, school)


def active_admins(session):
    """The partnership coordinators who can sign in, by name."""
    return list(session.scalars(select(User).where(User.role == "admin", User.active.is_(True)).order_by(User.name)))


def _would_leave_no_admin(session, person):
    return person.role == "admin" and person.active and len(active_admins(session)) <= 1


def _take_away_coordinator(session, person, values):
    """Set ``values`` on a coordinator only while another active one remains, in one
    UPDATE: two coordinators removing each other at the same moment cannot both win.
    (On PostgreSQL the coordinators' rows are locked first, so the second waits and
    counts again; SQLite applies one write at a time.)"""
    session.scalars(select(User.id).where(User.role == "admin", User.active.is_(True)).with_for_update()).all()
    others = (select(func.count(User.id)).where(User.role == "admin", User.active.is_(True), User.id != person.id)
              .scalar_subquery())
    done = session.execute(update(User).where(User.id == person.id, others > 0).values(**values)
                           .execution_options(synchronize_session="fetch")).rowcount
    if not done:
        raise UserError(f"{person.name} is the last active partnership coordinator; "
                        "make someone else a coordinator first.")
    # The flush will find the row as it now is, and move nothing: what the people pages show
    # of the coordinator (their role, whether they are active) moves the versions here.
    move_person(session, person)


def change(session, by, person, role, school_code=None, chair=False):
    """A new role, school or chair for ``person``; returns what changed, in words (empty if nothing)."""
    school = school_for_role(session, role, school_code)
    _check_chair(role, chair)
    if role != person.role and person.role == "admin":
        if person.id == by.id:
            raise UserError("You cannot take away your own coordinator role: ask another coordinator.")
        if _would_leave_no_admin(session, person):
            raise UserError(f"{person.name} is the last active partnership coordinator; "
                            "make someone else a coordinator first.")
    said = []
    if role != person.role:  # said first: taking the coordinator role away updates person.role
        said.append(f"Role: {ROLE_NAMES[person.role]} → {ROLE_NAMES[role]}")
    if role != person.role and person.role == "admin" and person.active:
        _take_away_coordinator(session, person, {"role": role})
    if school != person.school:
        said.append(f"School: {person.school.name if person.school else 'none'} → {school.name if school else 'none'}")
    # A chair moved to another school chairs that one as a new chair would: its own
    # chair steps down, and both audit entries say so.
    takes_chair = bool(chair) and (not person.chair or school != person.school)
    if takes_chair:
        said.append(f"Now chair of governors{f' at {school.name}' if school != person.school else ''}")
    elif person.chair and not chair:
        said.append("No longer chair of governors")
    previous = _take_chair(session, by, person, school) if takes_chair else []
    person.role, person.school, person.chair = role, school, bool(chair)
    if said:
        record(session, by, person, "; ".join(said) + _in_place_of(previous))
    return said + _no_longer_chair(previous, school)


def deactivate_person(session, by, person):
    """Stop ``person`` signing in and end their sessions now, unless that leaves no coordinator.

    ``by``: the coordinator (a User), or a name such as "the command line"."""
    if not isinstance(by, str) and person.id == by.id:
        raise UserError("You cannot deactivate yourself: ask another coordinator.")
    if _would_leave_no_admin(session, person):
        raise UserError(f"{person.name} is the last active partnership coordinator; "
                        "make someone else a coordinator first.")
    if not person.active:
        return
    if person.role == "admin":
        _take_away_coordinator(session, person, {"active": False})
    deactivate(person)
    record(session, by, person, "Deactivated; their sessions ended")


def reactivate_person(session, by, person):
    """Let ``person`` sign in again."""
    if person.active:
        return
    activate(person)
    record(session, by, person, "Reactivated")


def link_payload(user):
    """What a password link carries: the person, the version that setting a password
    moves on, the number of their newest link, and a fingerprint of what else a link must
    not outlive (their password and their role): a link sent to a member of staff does not
    open a coordinator's account."""
    return {"id": user.id, "v": user.session_version, "l": user.link_version, "f": _fingerprint(user)}


def new_link_payload(session, user):
    """The payload of a link about to be sent: the person's links before it stop working
    (the old e-mail is no use once a newer one is on its way). One UPDATE, so two links sent
    at the same moment get two numbers."""
    session.execute(update(User).where(User.id == user.id).values(link_version=User.link_version + 1)
                    .execution_options(synchronize_session=False))
    session.refresh(user, ["link_version"])
    return link_payload(user)


def withdraw_link(session, user, payload):
    """Take back a link that reached nobody (its e-mail failed): the link before it works
    again, unless a newer one was made meanwhile (then the number stays where it is)."""
    session.execute(update(User).where(User.id == user.id, User.link_version == payload["l"])
                    .values(link_version=User.link_version - 1).execution_options(synchronize_session=False))
    session.refresh(user, ["link_version"])


def _fingerprint(user):
    text = f"{user.password_hash}|{user.role}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class LinkUsed(UserError):
    """A password link whose password has been chosen already (or whose person is deactivated)."""


class LinkReplaced(LinkUsed):
    """A password link sent before the person's newest one."""


def user_for_link(session, payload):
    """The person a (verified) link's payload names; LinkUsed if it has done its work,
    LinkReplaced if a newer link has been sent since."""
    user = (session.get(User, payload.get("id"), execution_options=HUB_WIDE)  # before any partnership
            if isinstance(payload, dict) else None)
    if (user is None or not user.active or user.session_version != payload.get("v")
            or payload.get("f") != _fingerprint(user)):
        raise LinkUsed("This link has been used already, or a newer password has been set since it was sent.")
    if payload.get("l", 0) != user.link_version:  # links from before the number count as 0
        raise LinkReplaced("A newer link was sent since this one: use the newest.")
    return user


def choose_password(session, user, password):
    """The password chosen through a link: the link dies with the old version."""
    first = user.password_hash == UNUSABLE_PASSWORD
    set_password(user, password)
    record(session, "themselves", user, "Chose their first password" if first else "Chose a new password")


@dataclass
class Filters:
    """What the people page is narrowed to."""

    q: str = ""
    school: str = ""
    role: str = ""


PER_PAGE = 50


def _where(filters):
    """What the filters ask, as WHERE clauses over User joined to its School. The search is
    in name, e-mail, school (name or code) and role (as the page names it: "head teacher",
    "governor"); school and role select exactly."""
    where = []
    if filters.q:
        q = filters.q.lower()
        roles = [role for role, name in ROLE_NAMES.items() if q in name or q in role]
        where.append(or_(func.lower(User.name).contains(q, autoescape=True),
                         func.lower(User.email).contains(q, autoescape=True),
                         func.lower(School.name).contains(q, autoescape=True),
                         func.lower(School.code) == q,
                         User.role.in_(roles)))
    if filters.school:
        where.append(School.code == filters.school)
    if filters.role in ROLES:
        where.append(User.role == filters.role)
    return where


BY_NAME = (func.lower(User.name), User.email, User.id)


class Listed(NamedTuple):
    """A page of the people filters find, as a key: how many in all, the page (one that
    exists), and each of its people's id and last sign-in."""

    total: int
    number: int
    sign_ins: tuple


def _found(where, *columns):
    """SELECT ``columns`` of the people ``where`` finds: User joined to its School."""
    return select(*columns).outerjoin(School, User.school_id == School.id).where(*where)


def listed(session, filters, number=1, per_page=PER_PAGE):
    """Listed for a page, counted in the same statement. With the partnership's versions
    (which a change to anyone's name, e-mail, role, school or state moves on, but a sign-in
    does not), it says everything a page of them is drawn from."""
    where = _where(filters)

    def page_of(n):
        return session.execute(_found(where, User.id, User.last_sign_in_at, func.count(User.id).over())
                               .order_by(*BY_NAME).offset((n - 1) * per_page).limit(per_page)).all()

    number = number or 1
    rows = page_of(number)
    if rows:
        total = rows[0][2]
    else:  # past the end (a bookmark outliving the people it showed), or nobody at all
        total = session.scalar(_found(where, func.count(User.id))) or 0
        wanted, number = number, clamp(number, total, per_page)
        if number != wanted:
            rows = page_of(number)
    return Listed(total, number, tuple((id, at) for id, at, _ in rows))


def listing_page(session, filters, found, per_page=PER_PAGE):
    """The page of people ``found`` (a Listed) names, by name, each with their school in
    the same statement."""
    items = list(session.scalars(_found(_where(filters), User).options(contains_eager(User.school))
                                 .order_by(*BY_NAME).offset((found.number - 1) * per_page).limit(per_page)))
    return Page(items, found.total, found.number, per_page)
