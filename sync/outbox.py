"""The outbox: browser edits written to the sheet, once, without overwriting anyone.

For each workbook with waiting edits: note its version, read the tabs concerned
in one batched read, find every row by its ID (never by a remembered row
number), compare each cell with what the editor saw, and write the cells that
can be written in one batched request of raw values. Then:

- the sheet already holds the new value: done (a retried write that had landed);
- the sheet holds neither what the editor saw nor what they wrote: conflict, a
  person chooses;
- the row is gone from the sheet: stuck, a person decides;
- the sheet cannot be reached, or its structure changed: wait, retried with backoff;
- the sheet refuses the entry's own values: failed, alone (the rest of the batch
  lands), a person retries or discards it.

Dates land as date cells, text as text. An entry is written only to the workbook
of the plan it was made on, and only while no other plan's workbook is the same
file or spreadsheet. Finished entries are kept for a while and then removed: the
row's history keeps every change.
"""
import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from domain import dates
from domain.contract import Use, WorkbookKind, table_named
from domain.dates import parse_date
from domain.edits import same, sheet_text
from domain.ids import format_id, id_prefix, next_number, plan_ids
from domain.models import JOINT, OutboxEntry, Workbook, utcnow
from domain.themes import split_names, theme_key

from . import lock
from .backends import CellWrite
from .errors import ValuesRefused, WorkbookBusy, WorkbookUnavailable
from .parse import TableUnreadable, parse_table
from .remembered import recall, remember

log = logging.getLogger(__name__)
# The outbox and the sync both write into workbooks: one lock keeps them apart, so
# neither's save can undo the other's, nor a sync read overtake an edit landing.
WRITE_LOCK = lock.LOCK_ID
MAX_BACKOFF = timedelta(minutes=30)
REVIEW_TAB = "review_tab"  # domain/reviews.py TAB_KIND: a confirmed review's dated tab
YEAR_TAB = "year_tab"  # domain/new_year.py: a new school year's tab, with its header row
SCHOOL_REF = "school_ref"  # domain/new_year.py: a school's new workbook, in the Schools tab
# Finished entries show "Saved to the sheet at …" on their row for this long.
KEEP_FINISHED = timedelta(days=14)


@dataclass
class DrainResult:
    entry_id: int
    code: str
    sheet_id: str
    state: str
    reason: str = ""

    def line(self):
        return f"{self.entry_id:>5} {self.code:<8} {self.sheet_id:<10} {self.state:<9} {self.reason}".rstrip()


def drain(session, backend, only_due=True):
    """Try every waiting edit (those due, unless ``only_due`` is False); a result each.

    Returns None if a sync or another drain holds the lock right now.
    """
    holder = lock.new_holder()
    if not lock.acquire(session, holder, lock_id=WRITE_LOCK):
        return None
    try:
        pending = session.scalars(
            select(OutboxEntry).where(OutboxEntry.state.in_(OutboxEntry.PENDING)).order_by(OutboxEntry.id)
        ).all()
        entries = _in_order(pending, only_due)
        by_workbook = {}
        for entry in entries:
            by_workbook.setdefault(entry.workbook_id, []).append(entry)
        results = []
        for workbook_id, group in by_workbook.items():
            workbook = session.get(Workbook, workbook_id)
            try:
                shared = _shares_identity(session, workbook)
                if shared:
                    for entry in group:
                        _pause(entry, shared)
                else:
                    _drain_workbook(session, backend, workbook, group)
            except Exception as error:  # one workbook's trouble must not stop the others
                log.exception("outbox for %s failed", workbook.code)
                session.rollback()  # a database error leaves the session unusable until then
                _retry_later([e for e in group if e.state in OutboxEntry.PENDING], f"Unexpected error: {error}")
            session.commit()
            results += [DrainResult(e.id, workbook.code, e.sheet_id, e.state, e.reason) for e in group]
            if not lock.renew(session, holder, lock_id=WRITE_LOCK):
                break  # the lease was lost: stop rather than write beside another holder
        forget_finished(session)
        session.commit()
        return results
    finally:
        lock.release(session, holder, lock_id=WRITE_LOCK)


def forget_finished(session, keep=KEEP_FINISHED):
    """The retention rule of the outbox: finished entries go after ``keep``."""
    session.execute(delete(OutboxEntry).where(OutboxEntry.state.in_(OutboxEntry.FINISHED),
                                              OutboxEntry.done_at < utcnow() - keep))


def _shares_identity(session, workbook):
    """Why the workbook must not be written to: another plan's current workbook is the same
    file or spreadsheet (checked here, where the write happens, not only where pages are
    drawn). The same plan's workbook of another year may be: a plan's years in one file."""
    if not workbook.identity:
        return None
    others = session.scalars(
        select(Workbook).options(selectinload(Workbook.school))
        .where(Workbook.identity == workbook.identity, Workbook.code != workbook.code, Workbook.is_current)
    ).all()
    for other in others:
        if other.code == JOINT or (other.school is not None and other.school.archived_at is None):
            name = "the partnership workbook" if other.code == JOINT else f"the workbook of school {other.code}"
            return f"This plan's workbook is also {name}; nothing is written to it until each has its own."
    return None


def _in_order(pending, only_due):
    """The entries to try now. A row's edits land in the order they were made: later
    ones wait behind one in conflict or not yet due. Stuck edits are looked at again
    (their row may be back), with backoff."""
    now, chosen, held = utcnow(), [], set()
    for entry in pending:
        key = (entry.workbook_id, entry.tab, entry.sheet_id)
        if key in held:
            continue
        if entry.state in ("conflict", "failed") or (only_due and entry.next_attempt_at > now):
            held.add(key)
            continue
        chosen.append(entry)
    return chosen


def _retry_later(entries, reason):
    now = utcnow()
    for entry in entries:
        entry.attempts += 1
        entry.reason = reason
        entry.paused = False  # _pause sets it again when the sheet's structure is why
        entry.next_attempt_at = now + min(timedelta(seconds=30 * 2 ** (entry.attempts - 1)), MAX_BACKOFF)


def _drain_workbook(session, backend, workbook, entries):
    entries = _add_review_tabs(backend, workbook, entries)
    if not entries:
        return
    tables = [table_named(tab) for tab in sorted({e.tab for e in entries})]
    try:
        version = backend.current_version(workbook.ref)
        kind = WorkbookKind("outbox", tuple(Use(t) for t in tables)).of(workbook)  # its year's tabs
        snapshot = backend.read(workbook.ref, workbook.layout, kind)
        snapshot.version = version
        recall(workbook, snapshot)
    except WorkbookUnavailable as error:
        _retry_later(entries, error.explain())
        return
    parsed = {}
    for table in tables:
        title = kind.find(snapshot.tabs, table)
        if title is None:
            parsed[table.tab] = f"The workbook has no '{kind.tab_name(table)}' tab."
            continue
        try:
            parsed[table.tab] = parse_table(table, title, snapshot.tabs[title])
        except TableUnreadable as error:
            parsed[table.tab] = f"The '{title}' tab cannot be read: {error.problem.message}"

    writes, landing, appends, held = {}, [], {}, set()
    adding = {(e.tab, e.sheet_id) for e in entries if e.kind == "add"}
    for entry in entries:
        if (entry.tab, entry.sheet_id) in held:
            continue  # an earlier edit of this row did not go through: this one waits behind it
        table = parsed[entry.tab]
        if isinstance(table, str):
            _pause(entry, table)
            continue
        if entry.kind == SCHOOL_REF:  # a school's workbook: the Schools tab is keyed by Code, not by ID
            entry.paused = False
            planned = _plan_school_ref(table, entry)
            if planned:
                writes[entry.id] = planned
                landing.append(entry)
            continue
        if entry.kind == "alias":  # a name for a theme: the Themes tab is keyed by Theme, not by ID
            entry.paused = False
            # One name a theme a drain: a second, planned from the same read, would write over
            # the first's cell (or add the theme's row twice). It goes at the next drain.
            held.add((entry.tab, entry.sheet_id))
            planned = _plan_alias(table, entry)
            if isinstance(planned, list) and isinstance(planned[0], CellWrite):
                writes[entry.id] = planned
                landing.append(entry)
            elif planned:
                appends.setdefault(table.title, []).append((entry, planned))
            continue
        if table.id_column is None:
            _pause(entry, f"The '{table.title}' tab has no ID column any more, so rows cannot be found.")
            continue
        if entry.kind == "edit" and (entry.tab, entry.sheet_id) in adding:
            entry.paused = False
            continue  # its row is being added in this very drain (maybe a new tab's first): the edit goes next
        if entry.kind == "edit" and not any(row.sheet_id for row in table.rows):
            _pause(entry, f"The '{table.title}' tab's ID column is empty, so rows cannot be found.")
            continue
        entry.paused = False
        if entry.kind == "edit":
            planned = _plan_edit(table, entry)
            if planned:
                writes[entry.id] = planned
                landing.append(entry)
            elif entry.state != "done":
                held.add((entry.tab, entry.sheet_id))
        else:
            row = _plan_add(session, table, entry)
            if row:
                appends.setdefault(table.title, []).append((entry, row))
    def write_cells(group):
        if snapshot.version is None:
            # Our own write just moved it (Google) and the version after it is unknown: asking
            # now would take a person's edit in between for ours. The rest go at the next try.
            raise WorkbookBusy("Part of this sheet's edits were just written; this one goes at the next try.",
                               "Nothing to do.")
        return backend.write_cells(snapshot, [w for e in group for w in writes[e.id]])

    _land_all(landing, write_cells)
    for title, planned in appends.items():
        header_row = next(t.header_row for t in parsed.values() if not isinstance(t, str) and t.title == title)
        rows = {entry.id: row for entry, row in planned}
        landed = _land_all([entry for entry, _ in planned],
                           lambda group: backend.append_rows(snapshot, title, [rows[e.id] for e in group], header_row))
        for group, first in landed:
            for offset, entry in enumerate(group):
                added = session.get(table_named(entry.tab).model, entry.row_id) if entry.row_id else None
                if added is not None and first is not True:
                    added.sheet_row = first + offset
    remember(workbook, snapshot, tabs=False)  # the locale a date's write asked for, so as not to ask again


def _add_review_tabs(backend, workbook, entries):
    """Add the dated tab of each confirmed review and each new year's tab (kinds
    ``review_tab`` and ``year_tab``, ``fields`` = {"title", "cells"}): a tab of its own,
    nothing else in the workbook touched, never twice (a tab of that title already holding
    the rows is the write that had landed; a year's tab a school made itself is theirs).
    Done before the tables are read, so that a new year's first rows find their tab.
    Returns the other entries, for the tables."""
    rest = []
    for entry in entries:
        if entry.kind not in (REVIEW_TAB, YEAR_TAB):
            rest.append(entry)
            continue
        try:
            answer = backend.add_tab(workbook.ref, entry.fields["title"], entry.fields["cells"])
        except ValuesRefused as error:
            if entry.kind == YEAR_TAB:  # the school made the year's tab already, and wrote in it
                _done(entry)
                entry.reason = "The school's own tab of that name is there already."
                continue
            _fail(entry, error)
        except WorkbookUnavailable as error:
            _retry_later([entry], error.explain())
        else:
            _done(entry)
            if answer == "there":
                entry.reason = "Already in the sheet."
    return rest


def _land_all(entries, write):
    """Write ``entries`` in one request; when the sheet refuses its values, each on its
    own, so that an entry the sheet cannot take fails alone and the rest land.
    Returns [(entries landed together, what the write returned)]."""
    if not entries:
        return []
    try:
        answer = write(entries) or True
    except ValuesRefused as error:
        if len(entries) == 1:
            _fail(entries[0], error)
            return []
        return [landed for entry in entries for landed in _land_all([entry], write)]
    except WorkbookUnavailable as error:  # WorkbookBusy too: the sheet moved under us
        _retry_later(entries, error.explain())
        return []
    for entry in entries:
        _done(entry)
    return [(entries, answer)]


def _fail(entry, error):
    """The sheet will not take this entry's values however often it is tried: a person
    changes or discards it."""
    entry.state, entry.attempts = "failed", entry.attempts + 1
    entry.reason = f"The sheet would not take this edit: {error.message} {error.fix}".strip()


def _done(entry):
    entry.state, entry.reason, entry.done_at = "done", "", utcnow()


def _pause(entry, why):
    """The sheet's structure changed: wait (and say so) instead of writing to the wrong place."""
    _retry_later([entry], f"{why} Writes to this sheet wait until it is put right.")
    entry.paused = True


def _find(table, sheet_id):
    return next((row for row in table.rows if row.sheet_id == sheet_id), None)


def _plan_edit(table, entry):
    """The cell writes for an edit, or [] when it is done, in conflict, stuck or paused."""
    matches = [row for row in table.rows if row.sheet_id == entry.sheet_id]
    if len(matches) > 1:  # a pasted copy: which one the editor meant, a person says
        _retry_later([entry], f"The ID {entry.sheet_id} is on rows {', '.join(str(r.number) for r in matches)} "
                              f"of '{table.title}': this edit waits until the copy's ID is cleared.")
        return []
    row = matches[0] if matches else None
    if row is None:
        reason = (f"The row {entry.sheet_id} is no longer in the sheet (deleted, or its ID changed). "
                  "Put the row back, or discard this edit.")
        _retry_later([entry], reason)  # looked at again, with backoff: the row may come back
        entry.state = "stuck"
        return []
    entry.state = "waiting"
    names = table.table.names
    unknown = row.unread & set(entry.fields)
    if unknown:  # a formula whose result is not stored: what the sheet has there is not known
        _pause(entry, f"The sheet's {', '.join(names[a] for a in unknown)} cell of row {row.number} is a formula "
                      "with no stored result, so the app cannot tell whether someone changed it. Open and save "
                      "the workbook in a spreadsheet program.")
        return []
    missing = [names[a] for a in entry.fields if a not in table.columns]
    if missing:
        _pause(entry, f"The '{table.title}' tab has no {', '.join(repr(m) for m in missing)} column.")
        return []
    now_in_sheet = {attr: sheet_text(attr, row.values.get(attr, "")) for attr in entry.fields}
    if all(same(a, now_in_sheet[a], f["new"]) for a, f in entry.fields.items()):
        entry.state, entry.reason, entry.done_at = "done", "Already in the sheet.", utcnow()
        return []
    clashes = [a for a, f in entry.fields.items()
               if not same(a, now_in_sheet[a], f["seen"]) and not same(a, now_in_sheet[a], f["new"])]
    if clashes:
        entry.state = "conflict"
        entry.sheet_values = now_in_sheet
        entry.reason = "Changed in the sheet by someone else: " + ", ".join(names[a] for a in clashes) + "."
        return []
    writes = [
        CellWrite(table.title, row.number, table.columns[attr] + 1, cell_value(table.table, attr, field["new"]))
        for attr, field in entry.fields.items()
        if not same(attr, now_in_sheet[attr], field["new"])
    ]
    if "last_updated" in table.columns:
        writes.append(CellWrite(table.title, row.number, table.columns["last_updated"] + 1, dates.uk_today()))
    for attr, field in entry.fields.items():
        row.values[attr] = field["new"]  # the row as it will be: a later edit of it compares with this
    return writes


def _plan_add(session, table, entry):
    """The new row's values by column, or None when it is there already or paused.

    The row is "already there" when its ID is, with its required cells (an impact
    entry's date and summary, a reply's event and person: a retried write that had
    landed). Another row using the same ID (typed by a person) makes
    this one take the next free ID instead.
    """
    found = _find(table, entry.sheet_id)
    if found is not None and all(
        same(attr, found.values.get(attr, ""), entry.fields.get(attr, "")) for attr in _identity(table.table)
    ):
        entry.state, entry.reason, entry.done_at = "done", "Already in the sheet.", utcnow()
        return None
    if found is not None or any(row.sheet_id == entry.sheet_id for row in table.rows):
        _renumber(session, table, entry)
    missing = [c.name for c in table.table.required if c.attr not in table.columns]
    if missing:
        _pause(entry, f"The '{table.title}' tab has no {', '.join(repr(m) for m in missing)} column.")
        return None
    cells = {table.id_column: entry.sheet_id}
    cells.update({table.columns[attr]: cell_value(table.table, attr, value)
                  for attr, value in entry.fields.items() if attr in table.columns})
    return [cells.get(column, "") for column in range(max(cells) + 1)]


def _identity(table):
    """The cells that tell an added row is the one this entry added."""
    return [c.attr for c in table.required]


def cell_value(table, attr, text):
    """What lands in the cell: a date cell for a date in a date column, else the text."""
    if table.by_attr[attr].is_date:
        return parse_date(text) or text
    return text


def _plan_alias(table, entry):
    """A theme's new other name: the cell writes that add it to the theme's Also called,
    or the cells of a new Themes row; None when it is there already or writes pause."""
    theme, name = entry.fields["theme"], _one_name(entry.fields["also_called"])
    missing = [c for c in ("name", "also_called") if c not in table.columns]
    if missing:
        names = " or ".join(repr(table.table.names[c]) for c in missing)
        _pause(entry, f"The '{table.title}' tab has no {names} column.")
        return None
    column = table.columns["also_called"]
    row = next((r for r in table.rows if r.values.get("key") == theme_key(theme)), None)
    if row is None:
        cells = {table.columns["name"]: theme, column: name}
        return [cells.get(c, "") for c in range(max(cells) + 1)]
    names = split_names(row.values.get("also_called", ""))
    if any(theme_key(n) == theme_key(name) for n in names):
        entry.state, entry.reason, entry.done_at = "done", "Already in the sheet.", utcnow()
        return None
    return [CellWrite(table.title, row.number, column + 1, "; ".join(names + [name]))]


def _plan_school_ref(table, entry):
    """The cell write that puts a school's new workbook in its Schools row, or None when it
    is there already, or the row says another workbook now (the Schools tab is the record:
    the sync follows what it says)."""
    code, seen, new = entry.fields["code"], entry.fields["seen"], entry.fields["new"]
    if "workbook" not in table.columns:
        _pause(entry, f"The '{table.title}' tab has no 'Workbook' column.")
        return None
    row = next((r for r in table.rows if r.values.get("code") == code), None)
    if row is None:
        _retry_later([entry], f"School {code} is not in the '{table.title}' tab: its new workbook waits for its row.")
        entry.state = "stuck"
        return None
    now = (row.values.get("workbook") or "").strip()
    if now == new or now != seen:
        entry.state, entry.done_at = "done", utcnow()
        entry.reason = "Already in the sheet." if now == new else (
            f"The Schools tab gives another workbook for {code} now, which the hub follows.")
        return None
    return [CellWrite(table.title, row.number, table.columns["workbook"] + 1, new)]


def _one_name(name):
    """A name as Also called lists it: its own commas and semicolons would split it into
    names of its own, so they become spaces (themes compare past punctuation anyway)."""
    return " ".join(re.sub(r"[;,]", " ", name).split())


def _renumber(session, table, entry):
    """Give a new row the next ID free in both the sheet and the database."""
    prefix = id_prefix(entry.workbook.code, table.table)
    model = table.table.model
    known = {row.sheet_id for row in table.rows} | plan_ids(session, model, entry.workbook.code)
    new_id = format_id(prefix, next_number(prefix, known))
    impact = session.get(model, entry.row_id)
    if impact is not None:
        impact.sheet_id = new_id
    entry.sheet_id = new_id
    session.commit()  # the new ID is kept before the append: a retry finds it, never a third ID


def waiting_count(session):
    """Browser edits not yet in the sheet (waiting, in conflict or stuck)."""
    return session.scalar(select(func.count(OutboxEntry.id)).where(OutboxEntry.state.in_(OutboxEntry.PENDING))) or 0
