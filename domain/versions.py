"""Versions of what pages are made from, so that what was made can be kept.

Every workbook has a ``content_version``, moved on by any change to one of its rows (a
sync, a save, a reply) in the same flush, so in the same transaction as the change; the
partnership has one of its own, moved on by a change to what it decides itself (themes
and their answers, objectives, schools, memberships, reviews and their signatures) and
to its people as others see them (who they are, their role and school: For you names
the lead of an event by them), not to their passwords, sessions or sign-ins.
A figure kept under the versions it was made from (domain/kept.py) is never found after
the change that made it stale: the change moved the versions on, whichever process made
it, and a transaction that rolls back takes its moved version back with it.

Only the versions' moving is here, done by listeners on every session, and the keys they
make: ``partnership_key`` and ``plan_key``.
"""
from hashlib import blake2b
from itertools import chain

from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from . import scope  # (module, not name: scope may be half-imported when models brings this in)
from .models import (
    ActionRow,
    CalendarEvent,
    DevelopmentVisit,
    EventReply,
    ImpactEntry,
    ImpactForm,
    ImpactFormConfirmation,
    Membership,
    Objective,
    Partnership,
    Review,
    ReviewSignature,
    School,
    SchoolYear,
    SipPriority,
    Theme,
    ThemeAnswer,
    User,
    Workbook,
)

ROWS = (ActionRow, ImpactEntry, SipPriority, CalendarEvent, EventReply, DevelopmentVisit)
DECIDED = (Theme, ThemeAnswer, Objective, School, Membership, Review, ReviewSignature, ImpactForm,
           ImpactFormConfirmation, SchoolYear)
SEEN_OF_PEOPLE = ("email", "name", "name_key", "role", "partnership_id", "school_id", "active", "chair")
MOVED = "versions_moved"  # session.info: this transaction moved a version (what it makes is not kept)
MOVED_WORKBOOKS = "versions_moved_workbooks"  # session.info: the workbooks whose rows it changed


def changed_in_transaction(session):
    """Did this transaction change anything a version keys? What it computes then holds
    changes not yet committed, and must not be kept for others."""
    return bool(session.info.get(MOVED))


@event.listens_for(Session, "before_flush")
def _move_versions(session, flush_context, instances):
    workbooks, partnerships, every_partnership = set(), set(), False
    for obj in chain(session.new, session.dirty, session.deleted):
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        if isinstance(obj, ROWS):
            workbook_id = obj.workbook_id if obj.workbook_id is not None else getattr(obj.workbook, "id", None)
            if workbook_id is not None:  # a new workbook's rows: the new workbook is a new key
                workbooks.add(workbook_id)
        elif isinstance(obj, User):
            if obj in session.dirty and not _seen_changed(obj):
                continue  # a sign-in, a new password, a session ended: nothing another page shows
            pid = _shown_in(obj)
            if pid is None:
                every_partnership = True
            else:
                partnerships.add(pid)
        elif isinstance(obj, DECIDED):
            pid = getattr(obj, "partnership_id", None)
            if pid is None:  # a school, a review: shown in every partnership it is in (rare changes)
                every_partnership = True
            else:
                partnerships.add(pid)
    if not (workbooks or partnerships or every_partnership):
        return
    session.info[MOVED] = True
    session.info.setdefault(MOVED_WORKBOOKS, set()).update(workbooks)
    if workbooks:
        session.execute(update(Workbook).where(Workbook.id.in_(sorted(workbooks)))
                        .values(content_version=Workbook.content_version + 1)
                        .execution_options(synchronize_session=False, **scope.HUB_WIDE))
    if partnerships or every_partnership:
        _move_partnerships(session, None if every_partnership else partnerships)


def _move_partnerships(session, partnership_ids):
    """Move these partnerships' versions on (None: every partnership's)."""
    statement = update(Partnership).values(content_version=Partnership.content_version + 1)
    if partnership_ids is not None:
        statement = statement.where(Partnership.id.in_(sorted(partnership_ids)))
    session.execute(statement.execution_options(synchronize_session=False, **scope.HUB_WIDE))


def _shown_in(user):
    """The one partnership whose pages show this person, or None for every one their school is in."""
    if user.school_id is None and user.partnership_id is not None:
        return user.partnership_id  # a coordinator: of their partnership alone
    return None  # a school's person: shown in each of its school's partnerships (rare changes)


def move_person(session, user):
    """Move on what a change to ``user`` moves, for a change no flush shows (a bulk UPDATE of
    their row, which a flush would otherwise find already done)."""
    session.info[MOVED] = True
    pid = _shown_in(user)
    _move_partnerships(session, None if pid is None else {pid})


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _transaction_over(session, *args):
    session.info.pop(MOVED, None)
    session.info.pop(MOVED_WORKBOOKS, None)


def _seen_changed(user):
    state = inspect(user)
    return any(state.attrs[name].history.has_changes() for name in SEEN_OF_PEOPLE)


def move_workbook(session, workbook_id):
    """Move one workbook's version on by hand, for a change no flush shows (a bulk DELETE
    of its sheet problems): what was kept of it is not found again."""
    session.info[MOVED] = True
    session.info.setdefault(MOVED_WORKBOOKS, set()).add(workbook_id)
    session.execute(update(Workbook).where(Workbook.id == workbook_id)
                    .values(content_version=Workbook.content_version + 1)
                    .execution_options(synchronize_session=False, **scope.HUB_WIDE))


def moved_workbooks(session):
    """The workbooks whose rows this transaction changed (so far)."""
    return set(session.info.get(MOVED_WORKBOOKS, ()))


def plan_key(session, workbook_id, partnership_id):
    """What one plan's figures are made from, as a partnership shows it: its workbook's
    content version and the partnership's (its school's name, its reviews). One statement."""
    own = select(Workbook.content_version).where(Workbook.id == workbook_id).scalar_subquery()
    theirs = select(Partnership.content_version).where(Partnership.id == partnership_id).scalar_subquery()
    created = select(Partnership.created_at).where(Partnership.id == partnership_id).scalar_subquery()
    version, partnership, made = session.execute(select(own, theirs, created).execution_options(**scope.HUB_WIDE)).one()
    return f"w{workbook_id}.{version}.p{partnership_id}.{partnership}.{made.isoformat() if made else ''}"


def partnership_key(partnership_id, made, version, workbook_total, workbook_ids):
    """What a partnership's figures are made from: its own version, and its workbooks'
    (which of them, and the sum of their versions: each only ever grows, so the sum moves
    whenever one does). When the partnership was made comes too: another database (a
    test's, a copy) starts its versions at the same numbers. Read in one small statement
    with the partnership's ids (scope.held_key)."""
    which = blake2b(",".join(map(str, sorted(workbook_ids))).encode(), digest_size=8).hexdigest()
    return f"p{partnership_id}.{made}.{version}.{workbook_total}.{which}"
