"""Holding every read and write to one partnership (docs/partnerships.md).

A hub holds many partnerships, and nothing may cross a partnership's boundary that it did
not choose to share. Rather than trusting each of some hundred queries to remember a
WHERE, the session is told which partnership it serves (``enter``) and every ORM
SELECT, UPDATE and DELETE it runs is given the partnership's criteria
(SQLAlchemy's ``with_loader_criteria``): a query that forgets finds nothing of another
partnership's, instead of finding everything.

What a partnership holds:
- its schools: those its Schools tab lists (a school that left is kept, as history,
  only while it is in no other partnership);
- its joint plan's workbooks, and its schools' own workbooks (a school's plan is one,
  shown in each of its partnerships); every row, problem, edit and review of those;
- its objectives, themes and theme answers, and its events' impact forms;
- its people: those it invited, and the people of its schools (a coordinator only
  in the partnership they coordinate).

A session that has not entered a partnership is the hub's own (the sync between
partnerships, the command line): it sees everything. A web request always enters one.
``hub_wide`` lets a statement see past the boundary on purpose (signing in, a school
code taken in another partnership), and says so where it is written.
"""
import json
from functools import lru_cache

import psycopg
from psycopg.adapt import Dumper
from sqlalchemy import (
    Integer,
    String,
    and_,
    any_,
    bindparam,
    cast,
    event,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import LoaderCriteriaOption
from sqlalchemy.sql.cache_key import CacheConst
from sqlalchemy.sql.visitors import anon_map
from sqlalchemy.types import UserDefinedType

from .models import (
    JOINT,
    OFFICER,
    AccountLink,
    ActionRow,
    CalendarEvent,
    EventReply,
    ImpactEntry,
    ImpactForm,
    ImpactFormConfirmation,
    Membership,
    Objective,
    OutboxEntry,
    Partnership,
    PersonChange,
    Review,
    ReviewSignature,
    School,
    SchoolSignIn,
    SheetProblem,
    SipPriority,
    Theme,
    ThemeAnswer,
    User,
    Workbook,
    utcnow,
)

KEY = "partnership_id"
HUB_WIDE = {"hub_wide": True}  # execution_options(**HUB_WIDE): this statement sees every partnership

_membership, _school = Membership.__table__, School.__table__
_workbook, _user = Workbook.__table__.alias("partnership_workbook"), User.__table__.alias("partnership_user")
_event, _review = CalendarEvent.__table__.alias("partnership_event"), Review.__table__.alias("partnership_review")
_form = ImpactForm.__table__.alias("partnership_form")
_partnership = Partnership.__table__


def enter(session, partnership_id):
    """From now on ``session`` serves this partnership only (None: the whole hub)."""
    session.info.pop(HELD, None)
    if partnership_id is None:
        session.info.pop(KEY, None)
    else:
        session.info[KEY] = partnership_id


def current(session):
    """The partnership the session serves, or None for the whole hub."""
    return session.info.get(KEY)


class entered:
    """``with entered(session, id):`` the partnership for a while, then back to what it was."""

    def __init__(self, session, partnership_id):
        self.session, self.partnership_id = session, partnership_id

    def __enter__(self):
        self.before = current(self.session)
        enter(self.session, self.partnership_id)
        return self.session

    def __exit__(self, *exc):
        enter(self.session, self.before)


def whole_hub(session):
    """``with whole_hub(session):`` no partnership's boundary for a while: for what belongs
    to none (a supporter's development visits, whose IDs are numbered across its workbook)."""
    return entered(session, None)


# -- what a partnership holds, read on aliases of the tables: not the ORM entities, which
# would have the criteria applied to the criteria, nor the tables themselves, which would
# correlate with the query they hold (a school's criteria inside a query of schools) --

def school_ids(pid):
    """Its schools: listed in its Schools tab, or gone from it while in no other partnership."""
    member, school = _membership.alias("in_partnership"), _school.alias("member_school")
    return (select(member.c.school_id).select_from(member.join(school, school.c.id == member.c.school_id))
            .where(member.c.partnership_id == pid,
                   or_(member.c.archived_at.is_(None), school.c.archived_at.is_not(None))))


HELD = "partnership_held"  # session.info: (partnership id, its school ids, its workbook ids, its options, its key)
SHAPE = (School, Membership, Workbook)  # a change to one of these may change what a partnership holds


def _held(session, pid):
    """The options that hold a statement to the partnership, from its schools' and
    workbooks' ids: read once (one small statement) and kept in the session until a change
    to a school, a membership or a workbook, or another partnership, drops them.

    Ids, not subqueries: each statement then carries the lists as parameters, which compile
    once and cost little to key, where nested subqueries made every statement dearer to
    compile and to cache. Both lists come in one statement, and the options made from them
    are shared by every request that finds the same ids (_criteria's cache). The same
    statement brings the versions that key what is kept of the partnership (domain/kept.py)."""
    held = session.info.get(HELD)
    if held is not None and held[0] == pid:
        return held[3]
    from . import versions  # (here: versions imports this module)

    with session.no_autoflush:
        rows = session.execute(_held_statement(pid)).all()
    schools = tuple(sorted(id for id, kind, _, _ in rows if kind == "s"))
    workbooks = tuple(sorted(id for id, kind, _, _ in rows if kind == "w"))
    made, version = next(((made, version) for _, kind, version, made in rows if kind == "p"), ("", 0))
    key = versions.partnership_key(pid, made, version, sum(v for _, kind, v, _ in rows if kind == "w"), workbooks)
    options = _criteria(pid, session.get_bind().dialect.name, schools, workbooks)
    session.info[HELD] = (pid, schools, workbooks, options, key)
    return options


@lru_cache(maxsize=64)  # a statement is immutable: made once a partnership, not once a request
def _held_statement(pid):
    """(id, kind, version, made) of the partnership's schools ("s"), its workbooks ("w", with
    their content versions) and itself ("p", with its version and when it was made), in one
    statement."""
    schools_of = school_ids(pid)
    no_version, no_time = cast(null(), Integer), cast(null(), String)
    every = union_all(
        select(schools_of.subquery().c.school_id.label("id"), literal_column("'s'", String).label("kind"),
               no_version.label("version"), no_time.label("made")),
        select(_workbook.c.id, literal_column("'w'", String), _workbook.c.content_version, no_time)
        .where(or_(_workbook.c.partnership_id == pid, _workbook.c.school_id.in_(schools_of))),
        select(_partnership.c.id, literal_column("'p'", String), _partnership.c.content_version,
               cast(_partnership.c.created_at, String)).where(_partnership.c.id == pid))
    return select(every.subquery()).execution_options(**HUB_WIDE)


def held_key(session):
    """What the partnership the session serves is made from, as a key for what is kept of
    it (versions.partnership_key): read with its ids, once a transaction."""
    _held(session, current(session))
    return session.info[HELD][4]


# Each statement is held by a list of some hundred ids (a school's, a workbook's), bound as ONE
# parameter: an array on PostgreSQL (``= ANY``), a JSON text read by json_each on SQLite. As
# ``IN (…)`` lists, every execution rendered a new statement some hundred placeholders long, which
# neither SQLAlchemy nor psycopg could keep compiled: at 200 schools that was most of a page's time.

def _any_of(column, ids):
    ids = list(ids)
    if ids and all(type(i) is int for i in ids):
        return column == any_(bindparam(None, IdArray(ids), type_=_ID_ARRAY))
    return column == any_(bindparam(None, ids, type_=ARRAY(column.type)))


class IdArray:
    """Ids sent to PostgreSQL as an ``integer[]`` whose text is written once, not once a
    statement (dumping a list of 200 ids item by item was some 9 ms of a home page).
    Bound as an array, never as text cast to one: PostgreSQL does not fold a cast of a
    parameter, so ``= ANY(CAST(:text AS INTEGER[]))`` parsed the list again for every row
    it tested (35 ms to count 2,000 priorities, against 1 ms as an array)."""
    __slots__ = ("text",)

    def __init__(self, ids):
        self.text = ("{" + ",".join(map(str, ids)) + "}").encode()


class _IdArrayDumper(Dumper):
    oid = psycopg.postgres.types["int4"].array_oid

    def dump(self, obj):
        return obj.text


psycopg.adapters.register_dumper(IdArray, _IdArrayDumper)  # every connection made from now on


class _IdArrayType(UserDefinedType):
    """An IdArray, handed to psycopg as it is (its dumper says it is an integer[])."""
    cache_ok = True

    def get_col_spec(self):
        return "INTEGER[]"

    def bind_processor(self, dialect):
        return None


_ID_ARRAY = _IdArrayType()


def _in_json(column, ids):
    listed = func.json_each(bindparam(None, json.dumps(list(ids)), type_=String)).table_valued("value")
    return column.in_(select(listed.c.value))


def _in_list(column, ids):
    return column.in_(ids)


def _among_for(dialect):
    """How a database of this dialect is given a list in one parameter (any other: IN)."""
    return {"postgresql": _any_of, "sqlite": _in_json}.get(dialect, _in_list)


def among(session, column, ids):
    """``column`` is one of ``ids`` (some hundreds, say: ids, codes, texts), as one parameter
    for this session's database, where ``column.in_(ids)`` would bind each apart."""
    return _among_for(session.get_bind().dialect.name)(column, sorted(ids))


@lru_cache(maxsize=64)  # options are immutable statements' parts, safe to share between threads
def _criteria(pid, dialect, schools, workbooks):
    """The options that hold a statement to the partnership (with_loader_criteria)."""
    among = _among_for(dialect)
    events = select(_event.c.id).where(among(_event.c.workbook_id, workbooks))
    people = select(_user.c.id).where(or_(_user.c.partnership_id == pid, and_(
        among(_user.c.school_id, schools), _user.c.role != "admin")))
    criteria = {
        School: among(School.id, schools),
        Membership: Membership.partnership_id == pid,
        Workbook: among(Workbook.id, workbooks),
        User: or_(User.partnership_id == pid, and_(among(User.school_id, schools), User.role != "admin")),
        # An entry about nobody (a sign-in refused for an address no one has) is the partnership's
        # whose schools' domain or tenant the account came from.
        PersonChange: or_(PersonChange.person_id.in_(people), PersonChange.partnership_id == pid),
        AccountLink: AccountLink.user_id.in_(people),
        SchoolSignIn: SchoolSignIn.partnership_id == pid,
        ReviewSignature: ReviewSignature.review_id.in_(
            select(_review.c.id).where(among(_review.c.workbook_id, workbooks))),
        ImpactForm: ImpactForm.event_id.in_(events),
        ImpactFormConfirmation: ImpactFormConfirmation.form_id.in_(
            select(_form.c.id).where(_form.c.event_id.in_(events))),
    }
    for model in (ActionRow, ImpactEntry, SipPriority, CalendarEvent, EventReply, SheetProblem, OutboxEntry, Review):
        criteria[model] = among(model.workbook_id, workbooks)
    for model in (Objective, Theme, ThemeAnswer):
        criteria[model] = model.partnership_id == pid
    return tuple(_Criterion(model, where) for model, where in criteria.items())


class _Criterion(LoaderCriteriaOption):
    """``with_loader_criteria`` whose part of a statement's cache key is worked out once.

    A statement's cache key is made each time it is run; with the partnership's criteria
    that meant walking some dozen option's expressions for every statement (about 0.6 ms
    each, 12 ms of a home page). These options never change once made (_criteria keeps
    them per partnership's ids), so their key is made once, and each statement gets it with
    the same parameters in the same order, which is all the compiled-statement cache asks."""
    __slots__ = ("_kept_key",)
    _traverse_internals = LoaderCriteriaOption._traverse_internals  # keyed as LoaderCriteriaOption is, once

    def __init__(self, model, where):
        super().__init__(model, where)
        self._kept_key = None

    def _gen_cache_key(self, anon_map_, bindparams):
        if self._kept_key is None:
            fresh, params = anon_map(), []
            key = super()._gen_cache_key(fresh, params)
            if CacheConst.NO_CACHE in fresh or CacheConst.PARAMS in fresh:
                return super()._gen_cache_key(anon_map_, bindparams)  # not one to keep: as SQLAlchemy would
            self._kept_key = (key, params)
        key, params = self._kept_key
        bindparams.extend(params)
        return key


@event.listens_for(Session, "do_orm_execute")
def _hold_to_partnership(state):
    pid = state.session.info.get(KEY)
    if pid is None or state.is_column_load or state.is_relationship_load:
        return  # a relationship's load carries its parent query's criteria already
    if state.execution_options.get("hub_wide"):
        return
    if state.is_insert:  # adds rows, reads none; and may change what the partnership holds
        state.session.info.pop(HELD, None)
        return
    options = _held(state.session, pid)
    if not state.is_select:  # an UPDATE or DELETE may change what the partnership holds: read it again after
        state.session.info.pop(HELD, None)
    state.statement = state.statement.options(*options)


@event.listens_for(Session, "after_flush")
def _forget_held(session, flush_context):
    """A school, a membership or a workbook added, changed or gone: read the ids again."""
    if any(isinstance(obj, SHAPE) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info.pop(HELD, None)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _held_for_a_transaction(session, *args):
    """The ids hold for one transaction: after it, another session's sync may have added a school."""
    session.info.pop(HELD, None)


@event.listens_for(Session, "transient_to_pending")
def _into_partnership(session, obj):
    """What a partnership's session adds is the partnership's: its themes, its objectives,
    its people, its joint workbook; a new school is its member. Decided when it is added,
    not when it is flushed, which may be after the session has left the partnership. (A
    school of another partnership joins this one through its Schools tab:
    sync/reconcile.py reconcile_schools.)"""
    if isinstance(obj, School):
        session.add(Membership(partnership_id=session.info.get(KEY) or _only_partnership(session), school=obj))
        return
    if not isinstance(obj, _OWNED) or getattr(obj, KEY) is not None:
        return
    if isinstance(obj, Workbook) and obj.code != JOINT:
        return  # a school's plan, or a supporter's workbook: in no one partnership
    if isinstance(obj, User) and obj.role == OFFICER:
        return  # an officer is in no partnership
    obj.partnership_id = session.info.get(KEY) or _only_partnership(session)


_OWNED = (Objective, Theme, ThemeAnswer, User, Workbook)


class NoPartnershipChosen(RuntimeError):
    """Something of one partnership was added by a session serving the whole hub, which
    holds several: which one it belongs to cannot be guessed."""


def _only_partnership(session):
    """The hub's one partnership, for a session serving the whole hub (the command line,
    a test): made, with no workbook yet, if there is none (the first sync names its
    workbook). With several, the caller must enter one."""
    with session.no_autoflush:  # called as an object is added: it must not be flushed before it is given one
        ids = session.execute(select(_partnership.c.id).limit(2)).scalars().all()
    if len(ids) > 1:
        raise NoPartnershipChosen("This hub holds several partnerships: say which one this is for.")
    if ids:
        return ids[0]
    return session.execute(_partnership.insert().values(slug="our-partnership", name="Our partnership",
                                                        workbook_ref="", created_at=utcnow(), created_by="")
                           ).inserted_primary_key[0]
