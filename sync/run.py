"""One sync: read every workbook, store what changed, record what is wrong.

Data flows one way: fetch (backend) -> parse -> assign missing IDs and write them
back -> reconcile into the database -> record problems. Each workbook is its own
transaction, so one bad workbook never stops or undoes the others, and a
workbook that fails leaves its rows exactly as they were. Which tables a
workbook holds comes from its kind in the registry (domain/contract.py); every
kind is read by the same path.
"""
import logging
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from domain import partnerships, reviews, scope, supporters, years
from domain.contract import CALENDAR, OBJECTIVES, PARTNERSHIP, RSVP, SCHOOL, SCHOOLS, SUPPORTER
from domain.ids import format_id, id_prefix, next_number, plan_ids
from domain.models import JOINT, Objective, SheetProblem, SyncRun, Workbook, utcnow
from domain.versions import move_workbook  # (a name: _sync_one's `versions` are a workbook's)

from . import lock
from .backends import CellWrite
from .errors import ValuesRefused, WorkbookBusy, WorkbookError, WorkbookFailed, WorkbookUnavailable
from .parse import Problem, TableUnreadable, parse_table
from .reconcile import (
    link_school_workbooks,
    pending_edits,
    reconcile_keyed,
    reconcile_schools,
    reconcile_table,
    repeated_keys,
    resolve_hosts,
)
from .remembered import forget, recall, remember
from .unread import unread_problems

log = logging.getLogger(__name__)

# After this many workbooks in a row find the service not answering (each after its
# own bounded retries), the run stops asking: with Google down, 200 workbooks would
# otherwise take an hour of retries while holding the sync lock.
OUTAGE_LIMIT = 3
# The lease is renewed before a workbook is read, and at least this often while
# unchanged ones are passed over (each renewal is a write: not one per workbook).
RENEW_EVERY_SECONDS = 60
# Sync runs are kept this long: the history page and "last synced" need only recent ones.
KEEP_RUNS = timedelta(days=90)


@dataclass
class WorkbookResult:
    code: str
    ref: str
    partnership: str = ""  # the slug of the partnership whose joint plan it is; "" for a school's
    ok: bool = True
    skipped: bool = False  # unchanged since its last read: not read at all
    transient: bool = False  # failed because the service did not answer, not for its content
    error: str = ""
    read: int = 0
    added: int = 0
    changed: int = 0
    archived: int = 0
    problems: int = 0

    def add(self, counts):
        self.read += counts.read
        self.added += counts.added
        self.changed += counts.changed
        self.archived += counts.archived

    def line(self):
        """One line for `sync run`."""
        name = f"{self.code:<8} {self.ref}"
        if not self.ok:
            return f"{name}: FAILED - {self.error}"
        if self.skipped:
            return f"{name}: unchanged since the last sync, not read"
        return (
            f"{name}: {self.read} rows read, {self.added} added, {self.changed} changed, "
            f"{self.archived} archived, {self.problems} problems"
        )


@dataclass
class SyncReport:
    run_id: int | None = None
    busy: bool = False  # another sync held the lock; nothing was done
    results: list = field(default_factory=list)
    calls: dict = field(default_factory=dict)  # API calls this run made, by kind
    outage: int = 0  # workbooks in a row that found the service not answering

    @property
    def ok(self):
        return not self.busy and all(r.ok for r in self.results)


class _Lease:
    """The sync lock's lease, renewed before each read and otherwise about once a minute."""

    def __init__(self, session, holder):
        self.session, self.holder, self.renewed = session, holder, time.monotonic()

    def keep(self, reading):
        if not reading and time.monotonic() - self.renewed < RENEW_EVERY_SECONDS:
            return True
        self.renewed = time.monotonic()
        return lock.renew(self.session, self.holder)


def run_sync(session, backend, partnership_ref, trigger="cli", run_id=None, full=False):
    """Sync the partnership workbook and every school workbook it lists.

    Workbooks whose version has not moved since their last read are skipped,
    unless ``full``. ``run_id``: a SyncRun already recorded as requested.
    """
    holder = lock.new_holder()
    run = session.get(SyncRun, run_id) if run_id else None
    if not lock.acquire(session, holder):
        if run is not None:
            run.finished_at, run.note = utcnow(), "Another sync was already running; this one did nothing."
            session.commit()
        return SyncReport(run_id=run_id, busy=True)
    if run is None:
        run = SyncRun(trigger=trigger, started_at=utcnow())
        session.add(run)
    run.started_at = utcnow()
    session.commit()
    report = SyncReport(run_id=run.id)
    calls_before = Counter(backend.calls)
    lease = _Lease(session, holder)
    try:
        versions, done, outage = None, set(), 0
        for partnership in partnerships.for_sync(session, partnership_ref):
            with scope.entered(session, partnership.id):
                joint = _workbook(session, backend, JOINT, partnership.workbook_ref)
                if versions is None:  # one listing for every partnership's workbooks
                    versions = _versions(backend)
                result = _sync_one(session, backend, joint, PARTNERSHIP, versions, full)
                result.partnership = partnership.slug
                report.results.append(result)
                if not result.skipped:
                    outage = outage + 1 if result.transient else 0
                if not _sync_schools(session, backend, versions, full, lease, report, done, outage):
                    break
                outage = report.outage
        for supporter in supporters.all_supporters(session):  # their development visits
            if supporter.workbook_ref and lease.keep(reading=True):
                workbook = _supporter_workbook(session, backend, supporter)
                report.results.append(_sync_one(session, backend, workbook, SUPPORTER, versions, full))
                supporters.link_visits(session, supporter)
                session.commit()
    except Exception:
        session.rollback()
        report.results.append(WorkbookResult("-", "", ok=False, error="The sync stopped on an unexpected error."))
        raise
    finally:
        report.calls = dict(Counter(backend.calls) - calls_before)
        _record(run, report)
        _forget_old_runs(session)
        session.commit()
        lock.release(session, holder)
    return report


def _sync_schools(session, backend, versions, full, lease, report, done, outage):
    """The current year's workbooks of the partnership's schools, each read once a run
    however many partnerships its school is in. False when the lease is lost."""
    schools = session.scalars(  # the current year's: a year over stays as it was at its end
        select(Workbook).where(Workbook.partnership_id.is_(None), Workbook.is_current)
        .options(selectinload(Workbook.school)).order_by(Workbook.code)
    ).all()
    for workbook in schools:
        if workbook.school is None or workbook.school.archived_at is not None or workbook.id in done:
            continue
        done.add(workbook.id)
        unchanged = _unchanged(workbook, versions, full)
        if not lease.keep(reading=not unchanged):
            log.error("sync lock lost; stopping this run")
            return False
        if outage >= OUTAGE_LIMIT and not unchanged:
            report.results.append(_not_asked(workbook))
            continue
        result = _sync_one(session, backend, workbook, SCHOOL, versions, full)
        if not result.skipped:  # an unchanged workbook asked nothing of the service
            outage = outage + 1 if result.transient else 0
        report.results.append(result)
    report.outage = outage
    return True


def _unchanged(workbook, versions, full):
    """Known unchanged since its last read, and nobody asked for it to be read again,
    without asking the service anything."""
    version = versions.get(workbook.ref)
    return (not full and workbook.reread_requested_at is None
            and isinstance(version, str) and version == workbook.version)


def _not_asked(workbook):
    """A workbook this run did not ask about, the service being down: it waits for the next sync."""
    return WorkbookResult(
        workbook.code, workbook.ref, ok=False, transient=True,
        error=(f"Not read: the last {OUTAGE_LIMIT} workbooks read found Google not answering, so this run "
               "stopped asking. Nothing to do: the next sync tries again."),
    )


def _versions(backend):
    """Every workbook's version, asked once per run; on failure, read them all."""
    try:
        return backend.versions()
    except WorkbookUnavailable as error:  # knowing nothing, the safe course is to ask each workbook
        log.warning("asking which workbooks changed failed (%s); asking each one", error.message)
        return {}
    except Exception:
        log.exception("asking which workbooks changed failed; asking each one")
        return {}


def _record(run, report):
    results = report.results
    run.finished_at = utcnow()
    run.ok = report.ok
    run.results = [asdict(r) for r in results]
    run.workbooks_read = sum(1 for r in results if r.ok and not r.skipped)
    run.workbooks_skipped = sum(1 for r in results if r.skipped and r.ok)
    run.workbooks_failed = sum(1 for r in results if not r.ok)
    run.sheets_reads = report.calls.get("sheets.read", 0)
    run.sheets_writes = report.calls.get("sheets.write", 0)
    run.drive_calls = report.calls.get("drive", 0)
    run.rows_added = sum(r.added for r in results)
    run.rows_changed = sum(r.changed for r in results)
    run.rows_archived = sum(r.archived for r in results)
    run.problems = sum(r.problems for r in results)


def _forget_old_runs(session):
    """The retention rule of sync runs: a run every five minutes is 100,000 a year."""
    session.execute(delete(SyncRun).where(SyncRun.started_at < utcnow() - KEEP_RUNS))


def identity_or_blank(backend, ref):
    """The workbook's canonical identity, or '' for a ref the backend refuses outright."""
    try:
        return backend.identity(ref) if ref else ""
    except WorkbookUnavailable:
        return ""


def _workbook(session, backend, code, ref):
    """The current year's workbook of a plan (made, the first time, with the year)."""
    year = years.ensure_current(session)
    workbook = session.scalar(select(Workbook).where(Workbook.code == code, Workbook.is_current))
    if workbook is None:
        workbook = Workbook(code=code, ref=ref, school_year=year, is_current=True)
        session.add(workbook)
    if workbook.ref != ref:
        workbook.ref = ref
        forget(workbook)
    workbook.identity = identity_or_blank(backend, ref)
    session.commit()
    return workbook


def _supporter_workbook(session, backend, supporter):
    """The supporter's workbook record of the current year (made the first time)."""
    workbook = supporters.visits_workbook(session, supporter)
    if workbook is None:
        workbook = Workbook(code=supporters.workbook_code(supporter), supporter_id=supporter.id, ref="",
                            school_year=years.ensure_current(session), is_current=True)
        session.add(workbook)
    if workbook.ref != supporter.workbook_ref:
        workbook.ref = supporter.workbook_ref
        forget(workbook)
    workbook.identity = identity_or_blank(backend, workbook.ref)
    session.commit()
    return workbook


def _sync_one(session, backend, workbook, kind, versions, full):
    """Read one workbook and store it in one transaction; failures stay local."""
    result = WorkbookResult(workbook.code, workbook.ref)
    kind = kind.of(workbook)  # its year's tabs
    workbook_id = workbook.id
    version = versions.get(workbook.ref)
    started = utcnow()
    try:
        if not workbook.ref:
            raise WorkbookFailed("No workbook is given for this school in the Schools tab, or it is another "
                                 "plan's workbook.", "See the partnership workbook's sheet problems.")
        if isinstance(version, WorkbookUnavailable):
            raise version
        if _unchanged(workbook, versions, full):
            result.skipped = True
            if workbook.last_error:  # broken in itself and not changed since: still broken
                result.ok = False
                result.error = f"{workbook.last_error} (Unchanged since, so not read again.)"
            return result
        if version is None:  # the listing failed: ask for this one, so that writes stay guarded
            version = backend.current_version(workbook.ref)
        snapshot = backend.read(workbook.ref, workbook.layout, kind)
        snapshot.version = snapshot.version or version
        recall(workbook, snapshot)
        problems = _sync_tables(session, backend, workbook, kind, snapshot, result)
        _replace_problems(session, workbook, problems)
        result.problems = len(problems)
        workbook.last_read_at = workbook.last_success_at = utcnow()
        workbook.last_error = None
        workbook.version = snapshot.version  # None: read it next time
        remember(workbook, snapshot)
        session.flush()
        # A person's choice in a conflict asks for the sheet to be read afresh; one made
        # while this sync read it must outlive this run.
        session.execute(
            update(Workbook)
            .where(Workbook.id == workbook_id, Workbook.reread_requested_at <= started)
            .values(reread_requested_at=None)
            .execution_options(synchronize_session=False)
        )
        session.commit()
    except Exception as error:  # one workbook's failure must not stop the others
        session.rollback()
        if isinstance(error, StaleDataError):  # a browser edit of one of its rows landed meanwhile
            error = WorkbookBusy("A browser edit of this workbook's rows was saved while the sync stored it; "
                                 "nothing was lost, and the next sync reads it again.")
        known = isinstance(error, WorkbookError)
        if not known:
            log.exception("sync of workbook %s failed", workbook.code)
        result.ok = False
        result.transient = getattr(error, "transient", False)
        result.error = error.explain() if known else f"Unexpected error: {error}"
        workbook = session.get(Workbook, workbook_id)
        workbook.last_read_at = utcnow()
        workbook.last_error = result.error
        # A workbook broken in itself is not read again until it changes (a request to
        # read it again is answered by this read too).
        settled = isinstance(error, WorkbookFailed) and isinstance(version, str)
        workbook.version = version if settled else None
        if settled and workbook.reread_requested_at and workbook.reread_requested_at <= started:
            workbook.reread_requested_at = None
        session.commit()
    return result


def _replace_problems(session, workbook, problems):
    """The workbook's sheet problems now; pages keep their counts under the workbook's
    version, so a change to them moves it on (and no change leaves it where it was)."""
    def shown(p):
        return p.tab, p.row, p.column, p.message, p.fix
    were = session.scalars(select(SheetProblem).where(SheetProblem.workbook_id == workbook.id)).all()
    if sorted(map(shown, were), key=repr) == sorted(map(shown, problems), key=repr):
        return
    move_workbook(session, workbook.id)
    session.execute(delete(SheetProblem).where(SheetProblem.workbook_id == workbook.id))
    session.add_all(
        SheetProblem(workbook_id=workbook.id, tab=p.tab, row=p.row, column=p.column, message=p.message, fix=p.fix)
        for p in problems
    )


def _sync_tables(session, backend, workbook, kind, snapshot, result):
    """Parse every table of the workbook's kind, give new rows IDs, store them; the problems."""
    problems, parsed = [], {}
    for use in kind.uses:
        table = use.table
        title = kind.find(snapshot.tabs, table)
        if title is None:
            name = kind.tab_name(table)
            if not use.optional:
                raise WorkbookFailed(f"The workbook has no '{name}' tab.",
                                     f"Add a tab named '{name}' with its header row.")
            if not use.silent:
                problems.append(Problem(name, None, "", f"There is no '{name}' tab.",
                                        f"Add a tab named '{name}' with a header row: "
                                        f"{', '.join(c.name for c in table.columns)}."))
            continue
        known = _objective_refs(session, parsed) if table.cleaner else None
        try:
            parsed[table] = parse_table(table, title, snapshot.tabs[title], known)
        except TableUnreadable as error:
            if not use.optional:
                raise WorkbookFailed(f"The '{title}' tab cannot be read: {error.problem.message}", error.problem.fix)
            problems.append(error.problem)
    for table in parsed.values():
        problems += table.problems + [p for row in table.rows for p in row.problems]

    id_tables = [p for p in parsed.values() if p.table.has_ids]
    ready, id_problems = _write_new_ids(session, backend, workbook, snapshot, id_tables)
    problems += id_problems
    for table in parsed.values():
        if not table.table.has_ids:  # keyed by a natural key: a school's Code, an objective's Ref
            if table.table is SCHOOLS:
                counts, joining = reconcile_schools(session, table, backend.identity)
                problems += joining
            else:
                counts = reconcile_keyed(session, table)
            result.add(counts)
            problems += repeated_keys(table)
            if table.table is SCHOOLS:
                problems += link_school_workbooks(session, table, workbook.identity, backend.identity)
                if counts.archived:  # a joint review waiting only on schools that left moves on
                    reviews.settle_after_leaving(session)
    if CALENDAR in parsed:  # after the Schools tab is stored: a host is one of today's schools
        problems += resolve_hosts(session, parsed[CALENDAR])
    if workbook.code == JOINT:
        _this_years_events(ready, workbook.school_year)
    pending = pending_edits(session, workbook)
    for table in id_tables:
        if table.table in ready:
            result.add(reconcile_table(session, workbook, table, ready[table.table], pending))
    problems += unread_problems(session, workbook, id_tables)  # formula cells never read (sync/unread.py)
    return problems


def _this_years_events(ready, year):
    """The Calendar's events of the workbook's school year, and their replies: an event dated
    before its 1 September is last year's, kept (with its replies and impact form) as last
    year's workbook holds it. Later ones stay: in July the calendar shows next term's."""
    events = ready.get(CALENDAR)
    if not events:
        return
    start = years.first_day(year)
    earlier = {row.sheet_id.upper() for row in events if row.values.get("date") and row.values["date"] < start}
    if not earlier:
        return
    ready[CALENDAR] = [row for row in events if row.sheet_id.upper() not in earlier]
    if RSVP in ready:
        ready[RSVP] = [row for row in ready[RSVP] if row.values.get("event_ref", "").upper() not in earlier]


def _write_new_ids(session, backend, workbook, snapshot, tables):
    """Give new rows IDs, written in one request, before anything changes in the database.

    Network first, so that no database write lock is held while the sheet service
    answers. Returns ({table: rows ready to store}, problems); a table whose IDs have
    gone from the sheet is left out, so that none of its rows is archived or renumbered.
    """
    problems = []
    writes, waiting = [], []
    ready = {}
    for parsed in tables:
        lost = _lost_ids(session, workbook, parsed)
        if lost:
            problems.append(lost)
            continue
        ready[parsed.table], table_writes, duplicates = _assign_ids(session, workbook, parsed)
        writes += table_writes
        problems += duplicates
        waiting += [(parsed, row) for row in ready[parsed.table] if row.new_id]
    if writes:
        try:
            backend.write_cells(snapshot, writes)
        except (WorkbookUnavailable, ValuesRefused) as error:
            snapshot.version = None  # read it again next time, to give these rows their IDs
            for parsed, row in waiting:
                ready[parsed.table].remove(row)
                problems.append(Problem(parsed.title, row.number, "ID",
                                        f"This row has no ID yet and the app could not write one: {error.message}",
                                        error.fix or "The app tries again at the next sync."))
    for parsed, row in waiting:
        if row in ready[parsed.table]:
            row.sheet_id = row.new_id
    return ready, problems


def _lost_ids(session, workbook, parsed):
    """A problem if the table's IDs are gone from the sheet while the app knows its rows.

    A renamed or deleted ID column, or one cleared, would otherwise archive every
    row and give each a new identity: their history and pending edits would be lost.
    """
    if any(row.sheet_id for row in parsed.rows):
        return None
    model = parsed.table.model
    known = session.scalar(
        select(func.count(model.id)).where(model.workbook_id == workbook.id, model.archived_at.is_(None))
    )
    if not known:
        return None
    where = "has no ID column" if parsed.id_column is None else "has no IDs in its ID column"
    return Problem(parsed.title, parsed.header_row, "ID",
                   f"The '{parsed.title}' tab {where} any more, so its rows cannot be matched; "
                   "nothing in it was synced.",
                   "Put the ID column back (undo the change, or restore it from the sheet's version history).")


def _assign_ids(session, workbook, parsed):
    """Rows ready to store, the cell writes for new IDs, and duplicate-ID problems.

    A row that needs an ID is returned with ``new_id`` set; it takes that as its
    ``sheet_id`` only once the write has landed. IDs are never reused: new
    numbers start above every ID the sheet or the database (archived rows too)
    has ever had. An ID on two rows stays with the row the app holds under it
    (the one whose cells match it best, wherever the sort put it); the other waits.
    """
    table = parsed.table
    prefix = id_prefix(workbook.code, table)
    model = table.model
    known_ids = plan_ids(session, model, workbook.code) | {row.sheet_id for row in parsed.rows if row.sheet_id}
    number = next_number(prefix, known_ids)
    holders = _id_holders(session, workbook, parsed)

    writes, problems, ready = [], [], []
    id_col = parsed.id_column
    if id_col is None and any(row.valid and not row.sheet_id for row in parsed.rows):
        id_col = parsed.width  # append an ID column after the last used column
        writes.append(CellWrite(parsed.title, parsed.header_row, id_col + 1, "ID"))
    for row in parsed.rows:
        if row.sheet_id:
            holder = holders[row.sheet_id]  # exactly as the database tells rows apart
            if holder is not row:
                problems.append(Problem(parsed.title, row.number, parsed.column_label("sheet_id"),
                                        f"The ID {row.sheet_id} is also on row {holder.number}, which keeps it; "
                                        "this row waits until that is fixed.",
                                        "Clear this row's ID cell (the app gives it a new one) "
                                        "or delete the duplicate row."))
                continue
            if row.valid:
                ready.append(row)
        elif row.valid:
            row.new_id = format_id(prefix, number)
            number += 1
            writes.append(CellWrite(parsed.title, row.number, id_col + 1, row.new_id))
            ready.append(row)
    return ready, writes, problems


def _id_holders(session, workbook, parsed):
    """{sheet ID: the row that keeps it}. A repeated ID goes to the row most like the
    one the app holds under it; with nothing held, to the first."""
    rows_by_id = {}
    for row in parsed.rows:
        if row.sheet_id:
            rows_by_id.setdefault(row.sheet_id, []).append(row)
    repeated = [sheet_id for sheet_id, rows in rows_by_id.items() if len(rows) > 1]
    model = parsed.table.model
    held = {}
    if repeated:
        held = {r.sheet_id: r for r in session.scalars(
            select(model).where(model.workbook_id == workbook.id, model.sheet_id.in_(repeated)))}
    holders = {}
    for sheet_id, rows in rows_by_id.items():
        record = held.get(sheet_id)
        # max() keeps the first of equals: with nothing to go on, the first row keeps the ID.
        holders[sheet_id] = max(rows, key=lambda row: _likeness(record, row)) if record else rows[0]
    return holders


def _likeness(record, row):
    """How many of a sheet row's cells equal what the app holds for ``record``."""
    return sum(1 for attr, value in row.values.items() if getattr(record, attr, None) == value)


def _objective_refs(session, parsed):
    """Objective numbers from this read of the Objectives tab, else the database's."""
    if OBJECTIVES in parsed:
        return {row.values["ref"] for row in parsed[OBJECTIVES].rows if row.valid}
    return {o.ref for o in session.scalars(select(Objective).where(Objective.archived_at.is_(None)))}

