"""One sync: read every workbook, store what changed, record what is wrong.

Data flows one way: fetch (backend) -> parse -> assign missing IDs and write them
back -> reconcile into the database -> record problems. Each workbook is its own
transaction, so one bad workbook never stops or undoes the others, and a
workbook that fails leaves its rows exactly as they were.
"""
import logging
from collections import Counter
from dataclasses import asdict, dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.orm.exc import StaleDataError

from domain.ids import format_id, id_prefix, next_number
from domain.models import JOINT, Objective, SheetProblem, SyncRun, Workbook, utcnow

from . import lock
from .backends import CellWrite, WorkbookBusy, WorkbookUnavailable
from .contract import ACTION_PLAN, OBJECTIVES, PARTNERSHIP_TABLES, SCHOOL_TABLES, SCHOOLS, TabSelection
from .parse import Problem, TableUnreadable, find_tab, parse_table
from .reconcile import MODELS, pending_edits, reconcile_objectives, reconcile_schools, reconcile_table
from .unread import unread_problems

log = logging.getLogger(__name__)

# After this many workbooks in a row find the service not answering (each after its
# own bounded retries), the run stops asking: with Google down, 200 workbooks would
# otherwise take an hour of retries while holding the sync lock.
OUTAGE_LIMIT = 3


@dataclass
class WorkbookResult:
    code: str
    ref: str
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

    @property
    def ok(self):
        return not self.busy and all(r.ok for r in self.results)


class WorkbookFailed(Exception):
    """The whole workbook cannot be synced this time (its rows stay as they were).

    ``settled``: the workbook's content is at fault (a tab or column missing), so
    reading the same version again would fail again; a transport failure is not.
    """

    def __init__(self, message, settled=True, transient=False):
        super().__init__(message)
        self.settled = settled
        self.transient = transient

    @classmethod
    def unavailable(cls, error):
        """The backend could not reach the workbook: try the same version again next time."""
        return cls(f"{error.message} {error.fix}".strip(), settled=False, transient=error.transient)


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
    try:
        joint = _workbook(session, JOINT, partnership_ref)
        versions = _versions(backend)
        report.results.append(_sync_one(session, backend, joint, _sync_partnership, versions, full))
        schools = session.scalars(
            select(Workbook).where(Workbook.code != JOINT).order_by(Workbook.code)
        ).all()
        outage = 1 if report.results[0].transient else 0
        for workbook in schools:
            if workbook.school is None or workbook.school.archived_at is not None:
                continue
            if not lock.renew(session, holder):
                log.error("sync lock lost; stopping this run")
                break
            if outage >= OUTAGE_LIMIT and not _unchanged(workbook, versions, full):
                report.results.append(_not_asked(workbook))
                continue
            result = _sync_one(session, backend, workbook, _sync_school, versions, full)
            if not result.skipped:  # an unchanged workbook asked nothing of the service
                outage = outage + 1 if result.transient else 0
            report.results.append(result)
    finally:
        report.calls = dict(Counter(backend.calls) - calls_before)
        _record(run, report)
        session.commit()
        lock.release(session, holder)
    return report


def _unchanged(workbook, versions, full):
    """Known unchanged since its last read without asking the service anything."""
    version = versions.get(workbook.ref)
    return not full and isinstance(version, str) and version == workbook.version


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


def _workbook(session, code, ref):
    workbook = session.scalar(select(Workbook).where(Workbook.code == code))
    if workbook is None:
        workbook = Workbook(code=code, ref=ref)
        session.add(workbook)
    if workbook.ref != ref:
        workbook.ref, workbook.version, workbook.layout = ref, None, None
    session.commit()
    return workbook


def _sync_one(session, backend, workbook, sync_tables, versions, full):
    """Read one workbook and store it in one transaction; failures stay local."""
    result = WorkbookResult(workbook.code, workbook.ref)
    workbook_id, known_version = workbook.id, workbook.version
    version = versions.get(workbook.ref)
    try:
        if not workbook.ref:
            raise WorkbookFailed("No workbook is given for this school in the Schools tab.")
        if isinstance(version, WorkbookUnavailable):
            raise WorkbookFailed.unavailable(version)
        if _unchanged(workbook, versions, full):
            result.skipped = True
            if workbook.last_error:  # broken in itself and not changed since: still broken
                result.ok = False
                result.error = f"{workbook.last_error} (Unchanged since, so not read again.)"
            return result
        if version is None:  # the listing failed: ask for this one, so that writes stay guarded
            try:
                version = backend.current_version(workbook.ref)
            except WorkbookUnavailable as error:
                raise WorkbookFailed.unavailable(error)
        tables = PARTNERSHIP_TABLES if sync_tables is _sync_partnership else SCHOOL_TABLES
        try:
            snapshot = backend.read(workbook.ref, workbook.layout, TabSelection(tables))
        except WorkbookUnavailable as error:
            raise WorkbookFailed.unavailable(error)
        snapshot.version = snapshot.version or version
        problems = sync_tables(session, backend, workbook, snapshot, result)
        # A person's choice in a conflict, or a discarded edit, clears the version while
        # this sync reads, to have the sheet read afresh: that request must outlive this run.
        cleared = session.scalar(
            select(Workbook.version).where(Workbook.id == workbook_id).with_for_update()
        ) != known_version
        _replace_problems(session, workbook, problems)
        result.problems = len(problems)
        workbook.last_read_at = workbook.last_success_at = utcnow()
        workbook.last_error = None
        workbook.version = None if cleared else snapshot.version  # None: read it next time
        workbook.layout = snapshot.layout
        session.commit()
    except Exception as error:  # one workbook's failure must not stop the others
        session.rollback()
        if isinstance(error, StaleDataError):  # a browser edit of one of its rows landed meanwhile
            error = WorkbookFailed("A browser edit of this workbook's rows was saved while the sync stored it; "
                                   "nothing was lost, and the next sync reads it again.", settled=False)
        failed = isinstance(error, WorkbookFailed)
        if not failed:
            log.exception("sync of workbook %s failed", workbook.code)
        result.ok = False
        result.transient = failed and error.transient
        result.error = str(error) if failed else f"Unexpected error: {error}"
        workbook = session.get(Workbook, workbook_id)
        workbook.last_read_at = utcnow()
        workbook.last_error = result.error
        # A workbook broken in itself is not read again until it changes.
        workbook.version = version if failed and error.settled and isinstance(version, str) else None
        session.commit()
    return result


def _replace_problems(session, workbook, problems):
    session.execute(delete(SheetProblem).where(SheetProblem.workbook_id == workbook.id))
    session.add_all(
        SheetProblem(workbook_id=workbook.id, tab=p.tab, row=p.row, column=p.column, message=p.message, fix=p.fix)
        for p in problems
    )


def _sync_partnership(session, backend, workbook, snapshot, result):
    problems = []
    parsed = {}
    for table in PARTNERSHIP_TABLES:
        title = find_tab(snapshot.tabs, table)
        if title is None:
            if table is ACTION_PLAN:
                problems.append(Problem(table.tab, None, "", "There is no 'Action plan' tab, so the joint plan is not shown.",
                                        "Add a tab named 'Action plan' with the joint action plan."))
                continue
            raise WorkbookFailed(f"The partnership workbook has no '{table.tab}' tab.")
        known = _objective_refs(session, parsed) if table is ACTION_PLAN else None
        try:
            parsed[table.tab] = parse_table(table, title, snapshot.tabs[title], known)
        except TableUnreadable as error:
            if table is ACTION_PLAN:
                problems.append(error.problem)
                continue
            raise WorkbookFailed(f"The '{title}' tab cannot be read: {error.problem.message}")
    for table in PARTNERSHIP_TABLES:
        if table.tab in parsed:
            problems += _row_problems(parsed[table.tab])

    id_tables = [parsed[ACTION_PLAN.tab]] if ACTION_PLAN.tab in parsed else []
    ready, id_problems = _write_new_ids(session, backend, workbook, snapshot, id_tables)
    problems += id_problems
    result.add(reconcile_objectives(session, parsed[OBJECTIVES.tab]))
    counts, codes = reconcile_schools(session, parsed[SCHOOLS.tab])
    result.add(counts)
    problems += _repeated_keys(parsed[OBJECTIVES.tab], "ref", "Ref")
    problems += _repeated_keys(parsed[SCHOOLS.tab], "code", "Code")
    problems += _school_workbook_problems(parsed[SCHOOLS.tab])
    _reconcile_id_tables(session, workbook, id_tables, ready, result)
    problems += unread_problems(session, workbook, id_tables, MODELS)  # formula cells never read (sync/unread.py)
    return problems


def _repeated_keys(parsed, attr, column):
    """Rows that repeat an earlier row's key (an objective's Ref, a school's Code): the
    first one counts, and the school is told which row is left out."""
    problems, first = [], {}
    for row in parsed.rows:
        key = row.values.get(attr)
        if key in (None, ""):
            continue
        if key in first:
            problems.append(Problem(parsed.title, row.number, parsed.column_label(attr),
                                    f"{column} {key} is also on row {first[key]}; this row is left out.",
                                    f"Give this row its own {column}, or delete the repeated row."))
        else:
            first[key] = row.number
    return problems


def _school_workbook_problems(schools):
    """Schools with no workbook, or sharing one with another school (whose rows they would see).
    A row repeating a school's Code is left out, and told so, already."""
    problems, first, codes = [], {}, set()
    for row in schools.rows:
        if not row.valid or row.values["code"] in codes:
            continue
        codes.add(row.values["code"])
        ref = row.values.get("workbook", "").strip()
        if not ref:
            problems.append(Problem(SCHOOLS.tab, row.number, "Workbook", f"School {row.values['code']} has no workbook.",
                                    "Fill in the school's workbook (a file name, or its Google Sheets URL)."))
        elif ref in first:
            problems.append(Problem(SCHOOLS.tab, row.number, "Workbook",
                                    f"School {row.values['code']} has the same workbook as school {first[ref]}.",
                                    "Give each school its own workbook."))
        else:
            first[ref] = row.values["code"]
    return problems


def _sync_school(session, backend, workbook, snapshot, result):
    problems = []
    tables = []
    known = {o.ref for o in session.scalars(select(Objective).where(Objective.archived_at.is_(None)))}
    for table in SCHOOL_TABLES:
        title = find_tab(snapshot.tabs, table)
        if title is None:
            if not table.optional:
                raise WorkbookFailed(f"The workbook has no '{table.tab}' tab.")
            problems.append(Problem(table.tab, None, "", f"There is no '{table.tab}' tab.",
                                    f"Add a tab named '{table.tab}' (see the workbook contract)."))
            continue
        try:
            tables.append(parse_table(table, title, snapshot.tabs[title], known if table is ACTION_PLAN else None))
        except TableUnreadable as error:
            if not table.optional:
                raise WorkbookFailed(f"The '{title}' tab cannot be read: {error.problem.message} {error.problem.fix}")
            problems.append(error.problem)
    for parsed in tables:
        problems += _row_problems(parsed)
    ready, id_problems = _write_new_ids(session, backend, workbook, snapshot, tables)
    _reconcile_id_tables(session, workbook, tables, ready, result)
    problems += unread_problems(session, workbook, tables, MODELS)  # formula cells never read (sync/unread.py)
    return problems + id_problems


def _row_problems(parsed):
    return parsed.problems + [p for row in parsed.rows for p in row.problems]


def _write_new_ids(session, backend, workbook, snapshot, tables):
    """Give new rows IDs, written in one request, before anything changes in the database.

    Network first, so that no database write lock is held while the sheet service
    answers. Returns ({tab: rows ready to store}, problems); a table whose IDs have
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
        ready[parsed.table.tab], table_writes, duplicates = _assign_ids(session, workbook, parsed)
        writes += table_writes
        problems += duplicates
        waiting += [(parsed, row) for row in ready[parsed.table.tab] if row.new_id]
    if writes:
        try:
            backend.write_cells(snapshot, writes)
        except WorkbookUnavailable as error:
            snapshot.version = None  # read it again next time, to give these rows their IDs
            for parsed, row in waiting:
                ready[parsed.table.tab].remove(row)
                problems.append(Problem(parsed.title, row.number, "ID",
                                        f"This row has no ID yet and the app could not write one: {error.message}",
                                        error.fix or "The app tries again at the next sync."))
    for parsed, row in waiting:
        if row in ready[parsed.table.tab]:
            row.sheet_id = row.new_id
    return ready, problems


def _lost_ids(session, workbook, parsed):
    """A problem if the table's IDs are gone from the sheet while the app knows its rows.

    A renamed or deleted ID column, or one cleared, would otherwise archive every
    row and give each a new identity: their history and pending edits would be lost.
    """
    if any(row.sheet_id for row in parsed.rows):
        return None
    model = MODELS[parsed.table.tab]
    known = session.scalar(
        select(func.count(model.id)).where(model.workbook_id == workbook.id, model.archived_at.is_(None))
    )
    if not known:
        return None
    where = "has no ID column" if parsed.id_column is None else "has no IDs in its ID column"
    return Problem(parsed.title, parsed.header_row, "ID",
                   f"The '{parsed.title}' tab {where} any more, so its rows cannot be matched; nothing in it was synced.",
                   "Put the ID column back (undo the change, or restore it from the sheet's version history).")


def _reconcile_id_tables(session, workbook, tables, ready, result):
    pending = pending_edits(session, workbook)
    for parsed in tables:
        if parsed.table.tab in ready:
            result.add(reconcile_table(session, workbook, parsed, ready[parsed.table.tab], pending))


def _assign_ids(session, workbook, parsed):
    """Rows ready to store, the cell writes for new IDs, and duplicate-ID problems.

    A row that needs an ID is returned with ``new_id`` set; it takes that as its
    ``sheet_id`` only once the write has landed. IDs are never reused: new
    numbers start above every ID the sheet or the database (archived rows too)
    has ever had.
    """
    table = parsed.table
    prefix = id_prefix(workbook.code, table.tab)
    model = MODELS[table.tab]
    known_ids = set(session.scalars(select(model.sheet_id).where(model.workbook_id == workbook.id)))
    known_ids |= {row.sheet_id for row in parsed.rows if row.sheet_id}
    number = next_number(prefix, known_ids)

    writes, problems, ready, seen = [], [], [], {}
    id_col = parsed.id_column
    if id_col is None and any(row.valid and not row.sheet_id for row in parsed.rows):
        id_col = parsed.width  # append an ID column after the last used column
        writes.append(CellWrite(parsed.title, parsed.header_row, id_col + 1, "ID"))
    for row in parsed.rows:
        if row.sheet_id:
            key = row.sheet_id  # exactly as the database tells rows apart
            if key in seen:
                problems.append(Problem(parsed.title, row.number, parsed.column_label("sheet_id"),
                                        f"The ID {row.sheet_id} is also on row {seen[key]}; this row waits until that is fixed.",
                                        "Clear this row's ID cell (the app gives it a new one) or delete the duplicate row."))
                continue
            seen[key] = row.number
            if row.valid:
                ready.append(row)
        elif row.valid:
            row.new_id = format_id(prefix, number)
            number += 1
            writes.append(CellWrite(parsed.title, row.number, id_col + 1, row.new_id))
            ready.append(row)
    return ready, writes, problems


def _objective_refs(session, parsed):
    """Objective numbers from this read of the Objectives tab, else the database's."""
    if OBJECTIVES.tab in parsed:
        return {row.values["ref"] for row in parsed[OBJECTIVES.tab].rows if row.valid}
    return {o.ref for o in session.scalars(select(Objective).where(Objective.archived_at.is_(None)))}
