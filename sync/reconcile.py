"""Turn parsed sheet rows into database changes, keeping row identity by ID.

A row keeps its identity however it moves in the sheet; a row whose ID is gone
is archived, and comes back when the ID does. Nothing is ever deleted.
"""
from dataclasses import dataclass

from sqlalchemy import select

from domain.models import ActionRow, ImpactEntry, Objective, OutboxEntry, RowChange, School, SipPriority, Workbook, utcnow

from .contract import ACTION_PLAN, IMPACT_LOG, SIP_PRIORITIES

MODELS = {
    ACTION_PLAN.tab: ActionRow,
    IMPACT_LOG.tab: ImpactEntry,
    SIP_PRIORITIES.tab: SipPriority,
}


@dataclass
class Counts:
    read: int = 0
    added: int = 0
    changed: int = 0
    archived: int = 0

    def __iadd__(self, other):
        self.read += other.read
        self.added += other.added
        self.changed += other.changed
        self.archived += other.archived
        return self


def pending_edits(session, workbook):
    """Browser edits not yet in the sheet: ({sheet ID: attrs being edited}, {IDs being added})."""
    edits, adds = {}, set()
    for entry in session.scalars(
        select(OutboxEntry).where(OutboxEntry.workbook_id == workbook.id, OutboxEntry.state.in_(OutboxEntry.PENDING))
    ):
        if entry.kind == "edit":
            edits.setdefault(entry.sheet_id, set()).update(entry.fields)
        else:
            adds.add(entry.sheet_id)
    return edits, adds


def reconcile_table(session, workbook, parsed, ready_rows, pending=({}, set())):
    """Store ``ready_rows`` (valid rows with IDs) of ``parsed`` for ``workbook``.

    Rows of the table that the sheet still has but cannot be read (invalid, or
    waiting on a duplicate ID) are in ``parsed.rows`` and stay as they were,
    marked stale. Rows whose IDs are in neither are archived, except rows a
    browser has just added. Cells with a browser edit on its way to the sheet
    keep the browser's value: the outbox settles them with the sheet.
    """
    model = MODELS[parsed.table.tab]
    table_name = model.__tablename__
    pending_cells, pending_adds = pending
    existing = {
        record.sheet_id: record
        for record in session.scalars(select(model).where(model.workbook_id == workbook.id))
    }
    counts = Counts(read=len(parsed.rows))
    now = utcnow()
    ready_ids = set()
    for row in ready_rows:
        ready_ids.add(row.sheet_id)
        record = existing.get(row.sheet_id)
        if record is None:
            record = model(workbook_id=workbook.id, sheet_id=row.sheet_id, first_seen_at=now)
            _apply(record, row)
            record.changed_at = now
            session.add(record)
            counts.added += 1
            continue
        if row.sheet_id in pending_adds:
            continue  # the ID of a row the browser is adding: that row is the app's until it lands
        came_back = record.archived_at is not None
        skip = set(pending_cells.get(row.sheet_id, ()))
        if skip:
            skip |= {"last_updated"} | ({"due_date"} if "due" in skip else set())  # derived from the edit
        changed, changes = _apply(record, row, skip=skip)
        if came_back:
            changes.append(("", "archived", "back in the sheet"))
        if changed or came_back or record.stale:
            record.changed_at = now
            counts.changed += 1  # an action row's version moves with the UPDATE
        session.flush()
        for field, old, new in changes:
            session.add(RowChange(table=table_name, row_id=record.id, field=field, old=old, new=new,
                                  source="sheet", who="the sheet"))
        record.archived_at = None
        record.stale = False

    still_in_sheet = {row.sheet_id for row in parsed.rows if row.sheet_id}
    for sheet_id, record in existing.items():
        if sheet_id in ready_ids or sheet_id in pending_adds:
            continue
        if sheet_id in still_in_sheet or (sheet_id in pending_cells and record.archived_at is None):
            # Its last good version stays visible, marked stale; so does a row deleted from
            # the sheet under a browser edit, until a person puts it back or discards the edit.
            record.stale = True
        elif record.archived_at is None:
            record.archived_at = now
            counts.archived += 1
            session.add(RowChange(table=table_name, row_id=record.id, field="", old="in the sheet",
                                  new="archived", source="sheet", who="the sheet"))
    return counts


# Columns whose changes are not worth a line in a row's history.
_UNAUDITED = {"extra", "objective_refs", "due_date", "last_updated"}


def _apply(record, row, skip=()):
    """Copy a sheet row onto a record, but for the ``skip`` attrs.

    Returns (changed, audit): whether anything a person would see changed, and
    [(attr, old, new)] worth a line in the row's history.
    """
    changed, audit = False, []
    skip = set(skip) | row.unread  # formula cells with no stored result keep the value last read (sync/unread.py)
    values = dict(row.values, extra=row.extra, sheet_row=row.number)
    for attr, value in values.items():
        old = getattr(record, attr)
        if attr in skip or old == value:
            continue
        setattr(record, attr, value)
        if attr == "sheet_row":
            continue  # rows move; that is not a change
        changed = True
        if attr not in _UNAUDITED:
            audit.append((attr, _text(old), _text(value)))
    return changed, audit


def _text(value):
    return "" if value is None else str(value)


def reconcile_objectives(session, parsed):
    """Objectives are keyed by their number; one that is gone is archived.

    A row with a number but something wrong elsewhere keeps its objective as it
    was: a slip in a cell never makes an objective disappear.
    """
    existing = {o.ref: o for o in session.scalars(select(Objective))}
    counts = Counts(read=len(parsed.rows))
    seen = set()
    for row in parsed.rows:
        ref = row.values.get("ref")
        if not isinstance(ref, int) or ref in seen:
            continue
        seen.add(ref)
        if not row.valid:
            continue
        record = existing.get(ref)
        if record is None:
            session.add(Objective(ref=ref, text=row.values["text"]))
            counts.added += 1
        elif record.text != row.values["text"] or record.archived_at:
            record.text, record.archived_at = row.values["text"], None
            counts.changed += 1
    for ref, record in existing.items():
        if ref not in seen and record.archived_at is None:
            record.archived_at = utcnow()
            counts.archived += 1
    return counts


def reconcile_schools(session, parsed):
    """Schools are keyed by their code; each gets a Workbook row for its sheet.

    A school whose row has a slip (a blank name) stays as it was, never archived.
    A workbook already listed for another school is not given to a second one,
    which would otherwise see the first school's rows.
    Returns the counts and the codes of the schools now in the Schools tab.
    """
    existing = {s.code: s for s in session.scalars(select(School))}
    counts = Counts(read=len(parsed.rows))
    seen, refs = [], set()
    for row in parsed.rows:
        values = row.values
        code = values.get("code", "")
        if not code or code in seen:
            continue
        seen.append(code)
        if not row.valid:
            continue
        school = existing.get(code)
        if school is None:
            school = School(code=code, name=values["name"])
            session.add(school)
            counts.added += 1
        details = {
            attr: values.get(attr, "") for attr in ("name", "phase", "head_teacher", "chair_of_governors")
        }
        if any(getattr(school, k) != v for k, v in details.items()) or school.archived_at:
            if school.id is not None:
                counts.changed += 1
            for attr, value in details.items():
                setattr(school, attr, value)
            school.archived_at = None
        ref = values.get("workbook", "").strip()
        if ref in refs:
            ref = ""  # shared with another school: see the Schools problem
        refs.add(ref)
        if school.workbook is None:
            school.workbook = Workbook(code=school.code, ref=ref)
        elif school.workbook.ref != ref:
            school.workbook.ref, school.workbook.version, school.workbook.layout = ref, None, None
    for code, school in existing.items():
        if code not in seen and school.archived_at is None:
            school.archived_at = utcnow()
            counts.archived += 1
    return counts, seen
