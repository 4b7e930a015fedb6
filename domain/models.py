"""The database tables: the one place where persistence is described.

Plain SQLAlchemy (no Flask), so that ``sync/`` and the command line can use the
same models as the web app. The web app hands this ``Base`` to Flask-SQLAlchemy
as its model class, and Flask-Migrate reads ``Base.metadata``.

Rows synced from a sheet keep the sheet's own ``ID`` (``sheet_id``) as their
identity within a workbook; the database ``id`` is only for joins and URLs.
A row that disappears from the sheet is archived (``archived_at``), never deleted.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    event,
    false,
    text,
    true,
    update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship, validates

from .text import person_key

# Named constraints so that Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Timestamps are stored in UTC, naive, the same way on every database."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def lock_row(session, model, row_id):
    """Hold one row of ``model`` until the transaction ends, so that two callers doing the
    same thing go one after the other and the second's checks see what the first committed.

    An UPDATE that changes nothing: a row lock on PostgreSQL, and on SQLite, which ignores
    SELECT ... FOR UPDATE, the database's write lock."""
    table = model.__table__
    session.execute(update(table).where(table.c.id == row_id).values(id=table.c.id))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


ROLES = ("admin", "head", "staff", "governor")
OFFICER = "officer"  # an authority's or trust's officer: above the partnerships, in none (docs/partnerships.md)
JOINT = "joint"  # the plan code of the partnership workbook's joint action plan


class Supporter(Base):
    """An authority, trust or teaching school hub that supports partnerships. Its officers
    see what each partnership it supports chooses to share with it, record development
    visits (in its own workbook's Development visits tab) and write the report across them."""

    __tablename__ = "supporter"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(Text)
    workbook_ref: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Partnership(Base):
    """A partnership the hub holds (docs/partnerships.md): its own partnership workbook,
    coordinators, people, calendar, themes and reviews. What a request or a sync reads is
    held to one partnership at a time (domain/scope.py). The first is the one the
    configuration names (PARTNERSHIP_WORKBOOK); others are added by a coordinator."""

    __tablename__ = "partnership"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(Text)
    workbook_ref: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(300), default="")
    # The authority or trust that supports it, and whether it shares with them its signed
    # reviews, shared priorities, summaries, calendar and strengths (off until its
    # coordinator turns it on; its page lists what is shared).
    supporter_id: Mapped[int | None] = mapped_column(ForeignKey("supporter.id"), index=True)
    shares_with_supporter: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Moved on by any change to what the partnership itself decides (its themes and their
    # answers, objectives, schools, reviews), in that change's transaction: a figure kept
    # for a version is never served after the change (domain/versions.py).
    content_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    supporter: Mapped[Supporter | None] = relationship()


class Membership(Base):
    """A school in a partnership, as the partnership's Schools tab lists it. A school may
    be in several: its own plan is one, shown in each. ``archived_at``: no longer listed."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("partnership_id", "school_id", name="uq_membership_school"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)

    school: Mapped[School] = relationship()
    partnership: Mapped[Partnership] = relationship()


class School(Base):
    """A member school, as listed in the partnership workbook's Schools tab."""

    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(Text)
    phase: Mapped[str] = mapped_column(Text, default="")
    head_teacher: Mapped[str] = mapped_column(Text, default="")
    chair_of_governors: Mapped[str] = mapped_column(Text, default="")
    # Links a visitor reads before a visit (issue 17); "" when the Schools tab has none.
    safeguarding_policy: Mapped[str] = mapped_column(Text, default="")
    code_of_conduct: Mapped[str] = mapped_column(Text, default="")
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)

    # The school's plan of the current year; earlier years' are Workbook rows of their own.
    workbook: Mapped[Workbook | None] = relationship(
        primaryjoin="and_(School.id == Workbook.school_id, Workbook.is_current)", viewonly=True, uselist=False)


class SchoolYear(Base):
    """A school year the hub holds (domain/years.py): 2026 is 1 September 2026 to 31 August
    2027. The latest is the current one; each was started by a coordinator (the first by
    the first sync)."""

    __tablename__ = "school_year"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_by: Mapped[str] = mapped_column(String(300), default="")


class Workbook(Base):
    """A plan's spreadsheet for one school year: the partnership workbook or a school's.

    ``code`` is ``joint`` for the partnership workbook and the school's code for
    a school workbook, so it doubles as the plan code in URLs and exports. A plan has
    one workbook record a year (``school_year``); the current year's ``is_current``,
    and only those are synced. ``year_tabs``: the year's tables are in tabs whose titles
    carry the year ("Action plan 2027-28"), beside other years' in the same spreadsheet.
    """

    __tablename__ = "workbook"
    __table_args__ = (
        # A school's plan is one a year whichever partnerships it is in; the joint plan is one
        # a year in each partnership. One current workbook a plan, held by the database too.
        Index("uq_workbook_school_code_year", "code", "school_year", unique=True,
              sqlite_where=text("partnership_id IS NULL"), postgresql_where=text("partnership_id IS NULL")),
        Index("uq_workbook_joint_year", "partnership_id", "school_year", unique=True,
              sqlite_where=text("partnership_id IS NOT NULL"), postgresql_where=text("partnership_id IS NOT NULL")),
        Index("uq_workbook_current_code", "code", unique=True,
              sqlite_where=text("is_current AND partnership_id IS NULL"),
              postgresql_where=text("is_current AND partnership_id IS NULL")),
        Index("uq_workbook_current_joint", "partnership_id", unique=True,
              sqlite_where=text("is_current AND partnership_id IS NOT NULL"),
              postgresql_where=text("is_current AND partnership_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The partnership whose joint plan this is; None for a school's own plan (in each of its partnerships).
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id"), index=True)
    # The supporter whose workbook this is (its Development visits; code support-<id>), else None.
    supporter_id: Mapped[int | None] = mapped_column(ForeignKey("supporter.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    school_year: Mapped[int] = mapped_column(Integer)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true(), index=True)
    year_tabs: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"))
    ref: Mapped[str] = mapped_column(String(500), default="")  # file name, URL or key
    # The backend's version token (Drive modifiedTime, file mtime) when last read:
    # an unchanged workbook is not read again.
    version: Mapped[str | None] = mapped_column(String(100))
    layout: Mapped[dict | None] = mapped_column(JSON)  # tab titles and grid sizes, for Google
    # The spreadsheet's locale (Google): dates are written in its form. Asked for when a
    # write holds a date and the one known is more than a day old; None until then.
    locale: Mapped[str | None] = mapped_column(String(20))
    locale_read_at: Mapped[datetime | None] = mapped_column(DateTime)  # trusted for a day (sync/remembered.py)
    last_read_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    # The one canonical name of the workbook its ref points at (a file in the folder, a
    # spreadsheet key), however the ref is written: no two plans may share one.
    identity: Mapped[str] = mapped_column(String(500), default="", index=True)
    # A person asked for it to be read again though it has not changed (a choice in a
    # conflict): the next sync reads it, and clears this if it was asked before that read.
    reread_requested_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Moved on by any change to one of its rows (a sync, a save, a reply), in that change's
    # transaction: what was made from the rows (a summary's figures, a board pack) is
    # kept for a version and never served for another (domain/versions.py).
    content_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    school: Mapped[School | None] = relationship()


class Objective(Base):
    """One numbered objective of the partnership (Objectives tab)."""

    __tablename__ = "objective"
    __table_args__ = (UniqueConstraint("partnership_id", "ref", name="uq_objective_partnership_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    ref: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)


class Theme(Base):
    """A theme of SIP priorities from the partnership workbook's Themes tab, with the
    other names schools give it. ``key`` is the name as themes are compared
    (domain/themes.py theme_key)."""

    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("partnership_id", "key", name="uq_theme_partnership_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    key: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(Text)
    also_called: Mapped[str] = mapped_column(Text, default="")  # as written: names separated by , or ;
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)


class ThemeAnswer(Base):
    """A person's answer to "Same theme?" for two theme names: yes (the name is stored
    as the theme's, and written to the Themes tab) or no (not asked again)."""

    __tablename__ = "theme_answer"
    __table_args__ = (
        UniqueConstraint("partnership_id", "name_key", "theme_key", name="uq_theme_answer_partnership_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), index=True)
    name_key: Mapped[str] = mapped_column(String(300))
    theme_key: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(Text)  # the name as a school wrote it
    theme: Mapped[str] = mapped_column(Text)  # the theme it is (or is not) the same as
    same: Mapped[bool] = mapped_column(Boolean)
    answered_by: Mapped[str] = mapped_column(String(200), default="")
    answered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SheetRowMixin:
    """What every row synced from a workbook's table has.

    Cells a sheet fills are Text, never a bounded String: a cell may hold 50,000
    characters, and one long cell must not fail its whole workbook on PostgreSQL.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    workbook_id: Mapped[int] = mapped_column(ForeignKey("workbook.id"), index=True)
    sheet_id: Mapped[str] = mapped_column(String(40))
    sheet_row: Mapped[int] = mapped_column(Integer, default=0)  # where it was last seen
    extra: Mapped[dict] = mapped_column(JSON, default=dict)  # columns the app does not know
    stale: Mapped[bool] = mapped_column(Boolean, default=False)  # sheet row currently unreadable
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    @declared_attr
    def workbook(cls) -> Mapped[Workbook]:
        return relationship()


class ActionRow(SheetRowMixin, Base):
    """A key objective / action of an action plan (joint or a school's)."""

    __tablename__ = "action_row"
    __table_args__ = (UniqueConstraint("workbook_id", "sheet_id", name="uq_action_row_sheet_id"),)

    area: Mapped[str] = mapped_column(Text, default="")
    linked_objectives: Mapped[str] = mapped_column(Text, default="")  # as written
    objective_refs: Mapped[list] = mapped_column(JSON, default=list)  # parsed numbers
    key_objective: Mapped[str] = mapped_column(Text, default="")
    specific_actions: Mapped[str] = mapped_column(Text, default="")
    intended_outcome: Mapped[str] = mapped_column(Text, default="")
    impact_to_date: Mapped[str] = mapped_column(Text, default="")
    lead: Mapped[str] = mapped_column(Text, default="")
    due: Mapped[str] = mapped_column(Text, default="")  # as written or ISO date
    due_date: Mapped[date | None] = mapped_column(Date)
    # The last day the Due covers: the date, or the end of the month or term written
    # ("Summer 2027": 31 Jul 2027); None for words such as TBC. A row not Complete by then is overdue.
    due_by: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(Text, default="")  # vocabulary or as written
    last_updated: Mapped[str] = mapped_column(Text, default="")
    # Moves on every change, from the browser or the sheet: a browser edit made
    # from an older version meets the newer one instead of overwriting it. The
    # database checks it too (UPDATE … WHERE version = …), so two saves at the same
    # moment cannot both pass.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The unfinished row of last year's plan this one carries forward (domain/years.py), if any.
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("action_row.id"), index=True)

    __mapper_args__ = {"version_id_col": version}


class ImpactEntry(SheetRowMixin, Base):
    """A dated piece of evidence or impact (Impact log tab)."""

    __tablename__ = "impact_entry"
    __table_args__ = (
        UniqueConstraint("workbook_id", "sheet_id", name="uq_impact_entry_sheet_id"),
        Index("ix_impact_entry_workbook_date", "workbook_id", "date"),  # the log, newest first, a page at a time
    )

    date: Mapped[date | None] = mapped_column(Date)
    action: Mapped[str] = mapped_column(Text, default="")  # an action ID or an area
    activity: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    areas_to_develop: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(Text, default="")


class SipPriority(SheetRowMixin, Base):
    """A School Improvement Plan priority (SIP priorities tab)."""

    __tablename__ = "sip_priority"
    __table_args__ = (UniqueConstraint("workbook_id", "sheet_id", name="uq_sip_priority_sheet_id"),)

    priority: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    lead: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(Text, default="")
    share: Mapped[bool] = mapped_column(Boolean, default=False)


class SheetProblem(Base):
    """Something in a sheet that a person needs to fix, found by the last sync.

    The problems of a workbook are replaced as a whole each time it is read, so
    they always describe the sheet as it was last seen.
    """

    __tablename__ = "sheet_problem"

    id: Mapped[int] = mapped_column(primary_key=True)
    workbook_id: Mapped[int] = mapped_column(ForeignKey("workbook.id"), index=True)
    tab: Mapped[str] = mapped_column(String(100), default="")
    row: Mapped[int | None] = mapped_column(Integer)
    column: Mapped[str] = mapped_column(String(100), default="")
    message: Mapped[str] = mapped_column(Text)
    fix: Mapped[str] = mapped_column(Text, default="")
    found_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    workbook: Mapped[Workbook] = relationship()


class SyncRun(Base):
    """One run of the sync, and what it did to each workbook (``results``)."""

    __tablename__ = "sync_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    trigger: Mapped[str] = mapped_column(String(40), default="")  # cli, scheduler, button
    requested_by: Mapped[str] = mapped_column(String(254), default="")
    ok: Mapped[bool | None] = mapped_column(Boolean)  # None: running, or nothing was done
    note: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[list] = mapped_column(JSON, default=list)  # one dict per workbook
    workbooks_read: Mapped[int] = mapped_column(Integer, default=0)
    workbooks_skipped: Mapped[int] = mapped_column(Integer, default=0)
    workbooks_failed: Mapped[int] = mapped_column(Integer, default=0)
    sheets_reads: Mapped[int] = mapped_column(Integer, default=0)
    sheets_writes: Mapped[int] = mapped_column(Integer, default=0)
    drive_calls: Mapped[int] = mapped_column(Integer, default=0)
    rows_added: Mapped[int] = mapped_column(Integer, default=0)
    rows_changed: Mapped[int] = mapped_column(Integer, default=0)
    rows_archived: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[int] = mapped_column(Integer, default=0)


class OutboxEntry(Base):
    """A browser edit on its way to the sheet: stored with the edit, drained later.

    kind ``edit``: cells of an action row, ``fields`` = {attr: {"seen": …, "new": …}}.
    kind ``add``: a new impact-log row, ``fields`` = {attr: value}, its ID in ``sheet_id``.
    kind ``alias``: another name for a theme, ``fields`` = {"theme": …, "also_called": …},
    added to the Themes tab's Also called (the theme's row, or a new one).
    state: waiting (to be written), conflict (the sheet changed meanwhile: a person
    chooses), stuck (the row is gone from the sheet: a person decides), failed (the
    sheet refused this entry's own values: a person retries or discards it), done, dropped.
    Finished entries (done, dropped) are removed after a while: the row's history keeps the change.
    """

    __tablename__ = "outbox_entry"
    # Every plan and row page asks for its rows' latest entries.
    __table_args__ = (Index("ix_outbox_entry_kind_row", "kind", "row_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workbook_id: Mapped[int] = mapped_column(ForeignKey("workbook.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    tab: Mapped[str] = mapped_column(String(100))
    sheet_id: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int | None] = mapped_column(Integer)  # the action row or impact entry
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    sheet_values: Mapped[dict | None] = mapped_column(JSON)  # what the sheet had, in a conflict
    state: Mapped[str] = mapped_column(String(10), default="waiting", index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    # The sheet's structure stops writes (a column or the IDs gone): waits until it is put right.
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    chooser: Mapped[str | None] = mapped_column(String(200))  # who chose, in a conflict or for a failed write
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)

    workbook: Mapped[Workbook] = relationship()

    PENDING = ("waiting", "conflict", "stuck", "failed")
    FINISHED = ("done", "dropped")


class RowChange(Base):
    """The audit trail: one changed value of one row, from the browser or the sheet."""

    __tablename__ = "row_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    table: Mapped[str] = mapped_column(String(20))  # action_row, impact_entry
    row_id: Mapped[int] = mapped_column(Integer, index=True)
    field: Mapped[str] = mapped_column(String(40), default="")  # "" for the row itself (added, archived)
    old: Mapped[str] = mapped_column(Text, default="")
    new: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20))  # browser, sheet, conflict
    who: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SyncLock(Base):
    """A single row that says who is syncing, so one sync runs at a time.

    Taken with a conditional UPDATE, which is atomic on SQLite and PostgreSQL
    alike, so it holds across processes and hosts that share the database.
    """

    __tablename__ = "sync_lock"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(200))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)


class User(Base):
    """A person who signs in. Everyone but an admin belongs to one school.

    ``partnership_id``: the partnership they were invited into, whose coordinator manages
    them. A coordinator works in that one; a school's people also in each other
    partnership their school is in (domain/partnerships.py)."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    # The name as names are compared (domain/text.person_key), kept with it: a sheet's Lead
    # cell is matched to people by an indexed lookup, not by folding every name each time.
    name_key: Mapped[str] = mapped_column(String(300), default="", server_default="", index=True)
    role: Mapped[str] = mapped_column(String(20))
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id"), index=True)  # None: an officer
    supporter_id: Mapped[int | None] = mapped_column(ForeignKey("supporter.id"))  # an officer's authority or trust
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"))
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the session's user id: bumping it ends every session of this user.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # Moved on by every password link sent: only the newest link works (domain/people.py).
    link_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # A governor who chairs their school's governing body (issue 15 gives chairs more).
    chair: Mapped[bool] = mapped_column(Boolean, default=False)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The SHA-256 of the secret in the person's private calendar feed URL (issue 17);
    # None until they ask for one. A new secret kills the old URL.
    calendar_feed_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    school: Mapped[School | None] = relationship()

    # One chair of governors a school, held by the database as well as by
    # domain/people._take_chair: a race or a hand-made row cannot seat two.
    __table_args__ = (Index("uq_user_one_chair_per_school", "school_id", unique=True,
                            sqlite_where=text("chair"), postgresql_where=text("chair")),)

    @validates("name")
    def _keep_name_key(self, _, name):
        self.name_key = person_key(name)[:300]
        return name

    # What Flask-Login asks of a user object, written out so this module needs no Flask.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """The id kept in the session: stale once ``session_version`` moves on."""
        return f"{self.id}:{self.session_version}"

    def end_sessions(self):
        """Sign this user out everywhere (password changed, deactivated)."""
        self.session_version = (self.session_version or 1) + 1


class LoginFailure(Base):
    """A failed sign-in, kept for a while to slow down password guessing.

    ``key`` is ``account:<email>`` or ``address:<ip>``; stored in the database
    so that the limit holds across workers and hosts.
    """

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class UserSession(Base):
    """One signed-in session, so that the server can end it (see ``domain.user_sessions``).

    The browser's signed cookie carries a random token; only its SHA-256 is kept
    here. Signing out deletes the row; so do a password change and deactivation,
    for all of the user's rows. Rows past the absolute lifetime are deleted at sign-in.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class PersonChange(Base):
    """The people audit list: who did what to whom, and when (invited, role changed...).

    Names and e-mails are copied, not joined, so the entry still reads right after a
    person is renamed. Kept for two years (a school year's questions and the next
    one's), then pruned as new entries are written (``domain.people.record``).
    """

    __tablename__ = "person_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    by: Mapped[str] = mapped_column(String(300), default="")  # who did it, "name <e-mail>", or "themselves"
    person_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    # Of an entry about no person (a sign-in refused for an address nobody has): the
    # partnership whose schools the account came from, whose coordinators see it.
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id"))
    person: Mapped[str] = mapped_column(String(300), default="")  # to whom, "name <e-mail>"
    what: Mapped[str] = mapped_column(Text, default="")  # in words: "Role: staff → head"


# --- Signing in with a school's own account (issue 27) --------------------------------


class SchoolSignIn(Base):
    """How a school's people may sign in with a school account, as one partnership sets it for
    the people it invited (a school in two partnerships has two: neither coordinator decides
    for the other's people). The school's e-mail domains (its Google Workspace's among them)
    and its Microsoft tenants: an account from any other is refused, even for a matching
    address. And whether its staff and head must use one (no password). No row: nothing
    named, nothing required."""

    __tablename__ = "school_sign_in"

    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id"), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), primary_key=True)
    email_domains: Mapped[str] = mapped_column(Text, default="")  # "a.sch.uk b.sch.uk", lower case
    microsoft_tenants: Mapped[str] = mapped_column(Text, default="")  # tenant ids, lower case
    school_accounts_only: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    changed_by: Mapped[str] = mapped_column(String(300), default="")


class AccountLink(Base):
    """A person's school account, linked at their first sign-in with it: the issuer and the
    provider's stable id for the account (Google's ``sub``; Microsoft's ``oid``, its issuer
    naming the tenant). Later sign-ins match this, never the address, which a Microsoft
    tenant's users may be able to change. A coordinator can remove it (domain/school_accounts)."""

    __tablename__ = "account_link"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_account_link_account"),
                      UniqueConstraint("user_id", "provider", name="uq_account_link_person_provider"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    provider: Mapped[str] = mapped_column(String(20))  # google, microsoft, oidc (another provider)
    issuer: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(300))
    tenant: Mapped[str] = mapped_column(String(300), default="")  # Microsoft's tid, Google's hd
    email: Mapped[str] = mapped_column(String(254), default="")  # as the provider last gave it
    linked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class SignInState(Base):
    """A sign-in begun at a provider and not yet finished: Authlib's state, nonce and PKCE
    verifier, kept here rather than in the browser's cookie so that each is used once
    (webapp/auth/school_accounts.py takes it out as it reads it)."""

    __tablename__ = "sign_in_state"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)


# --- Termly reviews (issue 15) ----------------------------------------------------------


class Review(Base):
    """A plan's termly review: a snapshot of the plan as it stood, signed by the heads
    (step one) then confirmed by the chairs of governors (step two).

    ``plan_code`` is a school's code or ``joint``. ``school_year`` 2026 is "2026 to 2027".
    state: open (waiting for the heads), heads_signed (waiting for the chairs), confirmed.
    ``snapshot`` is written once, when the review starts, and never changed after
    (domain/reviews.py take_snapshot). ``tab_title``: the dated tab the outbox adds to
    the plan's workbook once confirmed.
    """

    __tablename__ = "review"
    __table_args__ = (
        UniqueConstraint("workbook_id", "term", "school_year", name="uq_review_workbook_term_year"),
        Index("ix_review_plan_state", "plan_code", "state"),  # a plan's last confirmed review
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workbook_id: Mapped[int] = mapped_column(ForeignKey("workbook.id"))
    plan_code: Mapped[str] = mapped_column(String(20))
    term: Mapped[str] = mapped_column(String(10))
    school_year: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), default="open")
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    heads_signed_at: Mapped[datetime | None] = mapped_column(DateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    tab_title: Mapped[str | None] = mapped_column(String(100))
    # {step: [school codes]}: schools out of the partnership when that step closed, so not
    # awaited in it, even if they come back (domain/reviews.py _move_on).
    closed_without: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")

    workbook: Mapped[Workbook] = relationship()
    started_by: Mapped[User | None] = relationship()
    signatures: Mapped[list[ReviewSignature]] = relationship(
        back_populates="review", order_by="ReviewSignature.signed_at, ReviewSignature.id")

    STATES = ("open", "heads_signed", "confirmed")


class ReviewSignature(Base):
    """One signature on a review: a head's (step ``head``) or a chair's (``chair``).

    The name, role and school are copied as the hub knew them when they signed, so the
    record still reads right after a person is renamed or moves on."""

    __tablename__ = "review_signature"
    __table_args__ = (UniqueConstraint("review_id", "user_id", "step", name="uq_review_signature_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    step: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200), default="")
    role_label: Mapped[str] = mapped_column(String(200), default="")
    school_code: Mapped[str] = mapped_column(String(20), default="")
    signed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    comment: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="signatures")
    user: Mapped[User] = relationship()


# A review's snapshot is written once, when it starts, and a signature never changes:
# domain/reviews.py refuses it in the ORM, and the database itself refuses it to anyone
# (raw SQL, a script, another program). The migration adds the same triggers.
SNAPSHOT_KEPT = "A review's snapshot is kept as it was taken; it cannot be changed."
SIGNATURE_KEPT = "A review's signature is kept as it was given; it cannot be changed."
_SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER review_snapshot_kept BEFORE UPDATE OF snapshot ON review
    WHEN NEW.snapshot IS NOT OLD.snapshot BEGIN SELECT RAISE(ABORT, '{SNAPSHOT_KEPT.replace("'", "''")}'); END""",
    f"""CREATE TRIGGER review_signature_kept BEFORE UPDATE ON review_signature
    BEGIN SELECT RAISE(ABORT, '{SIGNATURE_KEPT.replace("'", "''")}'); END""",
)
_POSTGRES_TRIGGERS = (
    f"""CREATE FUNCTION review_snapshot_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.snapshot::text IS DISTINCT FROM OLD.snapshot::text THEN
        RAISE EXCEPTION '{SNAPSHOT_KEPT.replace("'", "''")}';
      END IF;
      RETURN NEW;
    END $$""",
    "CREATE TRIGGER review_snapshot_kept BEFORE UPDATE ON review FOR EACH ROW EXECUTE FUNCTION review_snapshot_kept()",
    f"""CREATE FUNCTION review_signature_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '{SIGNATURE_KEPT.replace("'", "''")}';
    END $$""",
    "CREATE TRIGGER review_signature_kept BEFORE UPDATE ON review_signature FOR EACH ROW "
    "EXECUTE FUNCTION review_signature_kept()",
)


@event.listens_for(ReviewSignature.__table__, "after_create")
def _keep_reviews(target, connection, **kw):
    """The triggers, once both tables exist (create_all makes review first)."""
    triggers = {"sqlite": _SQLITE_TRIGGERS, "postgresql": _POSTGRES_TRIGGERS}.get(connection.dialect.name, ())
    for statement in triggers:
        connection.exec_driver_sql(statement)

# -- networks and visits (issue 17): the partnership workbook's Calendar and RSVP tabs --

class CalendarEvent(SheetRowMixin, Base):
    """A network or visit on the partnership's calendar (Calendar tab).

    ``type`` is the policy's words for a known spelling, else as written;
    ``category`` is "network", "visit" or "" (domain/event_cells.py). Schools are
    codes where the cell gives a code, names as written otherwise; ``invited_codes``
    is ["*"] for all schools.
    """

    __tablename__ = "calendar_event"
    __table_args__ = (
        UniqueConstraint("workbook_id", "sheet_id", name="uq_calendar_event_sheet_id"),
        Index("ix_calendar_event_date", "date"),
    )

    date: Mapped[date | None] = mapped_column(Date)
    time: Mapped[str] = mapped_column(Text, default="")  # as written: "09:00-12:00", "AM"
    start_time: Mapped[time | None] = mapped_column(Time)  # None: a whole-day event
    end_time: Mapped[time | None] = mapped_column(Time)
    type: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(20), default="")
    focus: Mapped[str] = mapped_column(Text, default="")
    host_school: Mapped[str] = mapped_column(Text, default="")  # as written
    host_code: Mapped[str] = mapped_column(Text, default="")
    invited_schools: Mapped[str] = mapped_column(Text, default="")  # as written
    invited_codes: Mapped[list] = mapped_column(JSON, default=list)
    lead: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")  # the schedule: an approximate guide

    @property
    def is_visit(self):
        return self.category == "visit"

    @property
    def is_network(self):
        return self.category == "network"


class EventReply(SheetRowMixin, Base):
    """One person's invitation to an event and their reply (RSVP tab): one row each,
    changed in place when they change their mind. ``reply`` is Confirmed, Declined,
    "" (not answered yet) or the words as written."""

    __tablename__ = "event_reply"
    __table_args__ = (
        UniqueConstraint("workbook_id", "sheet_id", name="uq_event_reply_sheet_id"),
        Index("ix_event_reply_event_ref", "event_ref"),
    )

    event_ref: Mapped[str] = mapped_column(Text, default="")  # the event's ID, J-E004
    school: Mapped[str] = mapped_column(Text, default="")  # the person's school's code
    person: Mapped[str] = mapped_column(Text, default="")  # "Ann Smith <ann@school.org>"
    email: Mapped[str] = mapped_column(Text, default="", index=True)  # from Person, lower case
    reply: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    replied: Mapped[str] = mapped_column(Text, default="")  # when, as the sheet shows it
# -- impact forms after networks and visits (issue 17) --------------------------------


class ImpactForm(Base):
    """The impact form of one calendar event (domain/impact_forms.py has its rules).

    state: draft, awaiting (a side confirmed, the other not yet), final (every side
    confirmed: appended to the host's Impact log, ``impact_entry_id``). strengths and
    areas are lists of points; action_row_ids the host's action rows it is linked to.
    """

    __tablename__ = "impact_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("calendar_event.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # network, visit
    state: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[list] = mapped_column(JSON, default=list)
    areas: Mapped[list] = mapped_column(JSON, default=list)
    action_row_ids: Mapped[list] = mapped_column(JSON, default=list)
    impact_note: Mapped[str] = mapped_column(Text, default="")  # added to the linked rows' Impact to date
    impact_entry_id: Mapped[int | None] = mapped_column(ForeignKey("impact_entry.id"))
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Moves on every save and confirmation: two people saving or confirming at once meet here.
    version: Mapped[int] = mapped_column(Integer, default=1)

    event: Mapped[CalendarEvent] = relationship()
    confirmations: Mapped[list[ImpactFormConfirmation]] = relationship(
        back_populates="form", cascade="all, delete-orphan", order_by="ImpactFormConfirmation.at")

    __mapper_args__ = {"version_id_col": version}


class ImpactFormConfirmation(Base):
    """One side's confirmation of an impact form: who, of which school, when.
    side: leader (a network), host or visitor (a visit); one each."""

    __tablename__ = "impact_form_confirmation"
    __table_args__ = (UniqueConstraint("form_id", "side", name="uq_impact_form_confirmation_side"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("impact_form.id"), index=True)
    side: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    who: Mapped[str] = mapped_column(String(300), default="")
    school_code: Mapped[str] = mapped_column(String(20), default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    form: Mapped[ImpactForm] = relationship(back_populates="confirmations")


# -- development visits and the report across partnerships (issue 25) ------------------

class DevelopmentVisit(SheetRowMixin, Base):
    """An officer's development visit to a partnership (the supporter workbook's
    Development visits tab). The points (successes, challenges, lessons, next steps) are
    as written, one a line; ``partnership_id`` is the partnership the cell names, if any."""

    __tablename__ = "development_visit"
    __table_args__ = (UniqueConstraint("workbook_id", "sheet_id", name="uq_development_visit_sheet_id"),)

    date: Mapped[date | None] = mapped_column(Date)
    partnership: Mapped[str] = mapped_column(Text, default="")  # as written
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id"), index=True)
    present: Mapped[str] = mapped_column(Text, default="")
    vision: Mapped[str] = mapped_column(Text, default="")  # the vision and intended outcomes discussed
    successes: Mapped[str] = mapped_column(Text, default="")
    challenges: Mapped[str] = mapped_column(Text, default="")
    lessons: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(Text, default="")


class Report(Base):
    """The report across partnerships for a term or a year (domain/reports.py): drafted
    from the data, edited by an officer, then published. ``sections`` is the draft as
    edited: [{"title", "intro", "points": [{"text", "count", "sources": [[label, path]]}]}].
    Once published it is kept as it was: the database refuses a change (as for a review's
    snapshot)."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    supporter_id: Mapped[int] = mapped_column(ForeignKey("supporter.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    period: Mapped[str] = mapped_column(String(40))  # "Summer 2027", "2026 to 2027"
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date)
    sections: Mapped[list] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(10), default="draft")
    created_by: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_by: Mapped[str] = mapped_column(String(300), default="")


REPORT_KEPT = "A published report is kept as it was published; it cannot be changed."
_REPORT_TRIGGERS = {
    "sqlite": (f"""CREATE TRIGGER report_kept BEFORE UPDATE ON report WHEN OLD.state = 'published'
    BEGIN SELECT RAISE(ABORT, '{REPORT_KEPT}'); END""",),
    "postgresql": (f"""CREATE FUNCTION report_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.state = 'published' THEN
        RAISE EXCEPTION '{REPORT_KEPT}';
      END IF;
      RETURN NEW;
    END $$""", "CREATE TRIGGER report_kept BEFORE UPDATE ON report FOR EACH ROW EXECUTE FUNCTION report_kept()"),
}


@event.listens_for(Report.__table__, "after_create")
def _keep_reports(target, connection, **kw):
    for statement in _REPORT_TRIGGERS.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)




# -- work that leaves the request (issue 26) --

class Job(Base):
    """A piece of work done in the background: a mail, a sheets check, a board pack.

    Kept in the database, so it survives a restart and is done once whichever process
    takes it: a worker claims a queued job with a conditional UPDATE (domain/job_queue.py)
    and holds it for a lease; a job whose worker died is queued again when its lease runs
    out. state: queued, running, done, failed (no attempts left). ``key`` names what the
    job makes (a plan's pack), so that the same work waits at most once.
    """

    __tablename__ = "job"
    __table_args__ = (
        Index("ix_job_state_run_at", "state", "run_at"),
        Index("ix_job_key_id", "key", "id"),  # a person's or a plan's newest job, for its page
        # One queued job a key: asking again while it waits is the same job.
        Index("uq_job_queued_key", "key", unique=True, sqlite_where=text("state = 'queued' AND key != ''"),
              postgresql_where=text("state = 'queued' AND key != ''")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200), default="", server_default="")
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnership.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    run_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime)
    worker: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text, default="")

    STATES = ("queued", "running", "done", "failed")


class BoardPack(Base):
    """A board pack's PDF, made in the background (webapp/summaries/packs.py).

    A confirmed review's pack (``review_id``) is made once and kept for good. The live
    plan's pack (no review) is kept for the plan's content version and day it was made
    from (``made_from``): a request serves it only while both still hold.
    """

    __tablename__ = "board_pack"
    __table_args__ = (UniqueConstraint("workbook_id", "review_id", name="uq_board_pack_workbook_review"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workbook_id: Mapped[int] = mapped_column(ForeignKey("workbook.id"), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id"))
    made_from: Mapped[str] = mapped_column(String(100))
    as_at: Mapped[date] = mapped_column(Date)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    made_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)  # how long WeasyPrint took


# Every session holds to the partnership it serves (domain/scope.py), and moves on the
# versions of what it changes (domain/versions.py): their listeners are registered
# wherever the tables are used.
from . import scope, versions  # noqa: E402,F401
