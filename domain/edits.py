"""Browser edits: saved with their outbox entry in one transaction, never lost.

An edit records what the editor saw. Against another browser edit, the row's
version tells; against a sheet edit, the outbox compares the sheet's cell with
what the editor saw before it writes (sync/outbox.py). Either way nothing is
overwritten silently: a person chooses.
"""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from . import dates
from .contract import ACTION_PLAN, IMPACT_LOG, table_named
from .dates import due_ends, parse_date
from .ids import format_id, id_prefix, next_number, plan_ids
from .models import ActionRow, OutboxEntry, RowChange, utcnow
from .status import normalise_status

# The cells of an action row people may edit in the browser: {attr: column name}.
EDITABLE = ACTION_PLAN.editable
# Cells that hold a date when they hold one (Due, an impact-log Date), compared as UK dates.
DATE_ATTRS = frozenset(c.attr for table in (ACTION_PLAN, IMPACT_LOG) for c in table.columns if c.is_date)


class EditConflict(Exception):
    """Someone else changed the same cells since the editor opened the form."""

    def __init__(self, current, fields):
        super().__init__("changed by someone else")
        self.current = current  # {attr: the value now}
        self.fields = fields  # the attrs both changed


def sheet_text(attr, value):
    """A value as the sheet holds it: UK dates, the status vocabulary, tidy text."""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value or "").replace("\r\n", "\n").strip()
    if attr == "status":
        return normalise_status(text)[0]
    if attr in DATE_ATTRS:
        day = parse_date(text)
        return day.strftime("%d/%m/%Y") if day else text
    return text


def same(attr, a, b):
    """Do two values of a cell read the same in the sheet (UK dates, the status vocabulary)?"""
    return sheet_text(attr, a) == sheet_text(attr, b)


def editable_values(row):
    """{attr: value as the sheet shows it} of the row's editable cells."""
    return {attr: sheet_text(attr, getattr(row, attr)) for attr in EDITABLE}


def _record(session, table, row_id, field, old, new, source, who):
    session.add(RowChange(table=table, row_id=row_id, field=field, old=old or "", new=new or "", source=source,
                          who=who))


def _set_cell(row, attr, text):
    if attr == "due":
        day = parse_date(text)
        row.due, row.due_date = (day.isoformat(), day) if day else (text, None)
        row.due_by = due_ends(day or text)
    else:
        setattr(row, attr, text)


def edit_action_row(session, row, who, changes, seen, seen_version, user_id=None):
    """Apply ``changes`` ({attr: new}) made from ``seen`` at ``seen_version``.

    Returns the outbox entry (None when nothing changed). Raises EditConflict
    when another edit since touched the same cells differently.
    """
    current = editable_values(row)
    changes = {attr: sheet_text(attr, value) for attr, value in changes.items() if attr in EDITABLE}
    changed = {attr: new for attr, new in changes.items() if not same(attr, new, seen.get(attr, current[attr]))}
    if row.version != seen_version:
        clashes = [a for a in changed if not same(a, current[a], seen.get(a)) and not same(a, current[a], changed[a])]
        if clashes:
            raise EditConflict(current, clashes)
    changed = {attr: new for attr, new in changed.items() if not same(attr, new, current[attr])}
    if not changed:
        return None
    for attr, new in changed.items():
        _record(session, "action_row", row.id, attr, current[attr], new, "browser", who)
        _set_cell(row, attr, new)
    row.last_updated = dates.uk_today().strftime("%d/%m/%Y")
    row.changed_at = utcnow()  # the version moves with the UPDATE
    entry = OutboxEntry(
        workbook_id=row.workbook_id, kind="edit", tab=ACTION_PLAN.tab, sheet_id=row.sheet_id, row_id=row.id,
        fields=_replacing_failed(session, row, {attr: {"seen": current[attr], "new": new}
                                                for attr, new in changed.items()}),
        created_by=who, created_by_id=user_id,
    )
    session.add(entry)
    # Flush now: the version moves (UPDATE … WHERE version = …) inside the edit, so a
    # second edit in the same unit of work meets it, and a race raises StaleDataError here.
    session.flush()
    return entry


@dataclass
class SaveOutcome:
    """What became of a save: the entry on its way (None: nothing changed), or a clash
    with ``values`` to show the editor again (theirs where they changed a cell, what is
    there now elsewhere). ``row`` is the row as it is now: the editor saves from it next."""

    row: ActionRow
    entry: OutboxEntry | None = None
    clash: EditConflict | None = None
    values: dict = field(default_factory=dict)


def save_row_edit(session, load_row, who, changes, seen, seen_version, user_id=None):
    """Save an editor's changes to a row and commit, or say why not.

    ``load_row()`` gives the row (again after a rollback). A row that moved on under
    the save (a sync storing its row number, another save) raises StaleDataError:
    compare once more with the row as it is now, so only a real clash remains.
    """
    try:
        try:
            row = load_row()
            entry = edit_action_row(session, row, who, changes, seen, seen_version, user_id)
        except StaleDataError:
            session.rollback()
            row = load_row()
            entry = edit_action_row(session, row, who, changes, seen, seen_version, user_id)
        session.commit()
        return SaveOutcome(row, entry)
    except (EditConflict, StaleDataError) as error:
        session.rollback()
        row = load_row()
        current = editable_values(row)
        clash = error if isinstance(error, EditConflict) else EditConflict(current, list(current))
        # Cells they did not touch take what is there now; the ones they changed keep
        # their value: saving again keeps theirs, Cancel keeps the other person's.
        values = {a: current[a] if same(a, changes.get(a), seen.get(a)) else changes.get(a, current[a])
                  for a in EDITABLE}
        return SaveOutcome(row, clash=clash, values=values)


def pending(session):
    """Browser edits not yet in the sheets, oldest first, with their workbooks (one query each)."""
    return session.scalars(
        select(OutboxEntry).where(OutboxEntry.state.in_(OutboxEntry.PENDING))
        .options(selectinload(OutboxEntry.workbook)).order_by(OutboxEntry.id)
    ).all()


def _replacing_failed(session, row, fields):
    """An edit of a row whose earlier edit the sheet refused takes that one's place: the
    cells it did not touch go as the earlier edit had them, and every cell is compared
    with what the sheet had before the refused edit (not with the refused text, which
    never reached it). The earlier edit is dropped, its reason saying why."""
    failed = session.scalars(
        select(OutboxEntry).where(OutboxEntry.kind == "edit", OutboxEntry.tab == ACTION_PLAN.tab,
                                  OutboxEntry.row_id == row.id, OutboxEntry.state == "failed").order_by(OutboxEntry.id)
    ).all()
    merged = {}
    for earlier in failed:
        for attr, cell in earlier.fields.items():
            merged.setdefault(attr, dict(cell))  # the earliest refused edit saw the sheet
        earlier.state, earlier.done_at = "dropped", utcnow()
        earlier.reason = "Replaced by a later edit of the same row."
    for attr, cell in fields.items():
        merged[attr] = {"seen": merged[attr]["seen"] if attr in merged else cell["seen"], "new": cell["new"]}
    return merged


def add_impact_entry(session, workbook, who, values, user_id=None):
    """A new impact-log row, shown at once and written to the sheet by the outbox."""
    values = dict(values, recorded_by=who)
    return add_row(session, workbook, IMPACT_LOG, values, who, user_id, summary=values.get("summary", ""))


def add_row(session, workbook, table, values, who, user_id=None, summary=""):
    """A new row of ``table`` (one with IDs the hub owns), shown at once and written to
    the sheet by the outbox (kind ``add``). Returns (record, outbox entry).

    Its ID is given now, so that a retried write can tell it already landed.
    ``summary``: what the row's history says was added.
    """
    model = table.model
    prefix = id_prefix(workbook.code, table)
    sheet_id = format_id(prefix, next_number(prefix, plan_ids(session, model, workbook.code)))
    record = model(workbook_id=workbook.id, sheet_id=sheet_id, sheet_row=0, **values)
    session.add(record)
    session.flush()
    _record(session, table.history_name, record.id, "", "", summary, "browser", who)
    sheet_attrs = set(table.by_attr)  # derived values (a reply's e-mail) are the sheet's to work out
    outbox = OutboxEntry(
        workbook_id=workbook.id, kind="add", tab=table.tab, sheet_id=sheet_id, row_id=record.id,
        fields={attr: sheet_text(attr, value) for attr, value in values.items() if attr in sheet_attrs},
        created_by=who, created_by_id=user_id,
    )
    session.add(outbox)
    return record, outbox


def edit_row(session, table, record, who, changes, user_id=None):
    """Change cells of a row of ``table`` from the browser (kind ``edit``): shown at once,
    and written by ID; the outbox compares each cell with the value the hub held, so a
    change made in the sheet meanwhile is a conflict, not overwritten. A row still on
    its way to the sheet is edited after it lands. Returns the outbox entry, or None."""
    fields = {}
    for attr, new in changes.items():
        old = sheet_text(attr, getattr(record, attr))
        if old == sheet_text(attr, new):
            continue
        fields[attr] = {"seen": old, "new": sheet_text(attr, new)}
        _record(session, table.history_name, record.id, attr, old, sheet_text(attr, new), "browser", who)
        setattr(record, attr, new)
    if not fields:
        return None
    record.changed_at = utcnow()
    entry = OutboxEntry(workbook_id=record.workbook_id, kind="edit", tab=table.tab, sheet_id=record.sheet_id,
                        row_id=record.id, fields=fields, created_by=who, created_by_id=user_id)
    session.add(entry)
    return entry


def keep_mine(session, entry, who):
    """In a conflict: write the browser's values after all, over what the sheet has now."""
    for attr, sheet_value in (entry.sheet_values or {}).items():
        if attr in entry.fields:
            entry.fields = {**entry.fields, attr: {"seen": sheet_value, "new": entry.fields[attr]["new"]}}
            _record(session, table_named(entry.tab).history_name, entry.row_id, attr, sheet_value,
                    entry.fields[attr]["new"], "conflict", f"{who} kept the browser's value")
    entry.state, entry.reason, entry.attempts, entry.next_attempt_at = "waiting", "", 0, utcnow()


def take_sheet(session, entry, who):
    """In a conflict: the sheet's values win where they clash; the browser's are dropped
    there (the history keeps them). Cells that did not clash still go to the sheet."""
    table = table_named(entry.tab)
    row = session.get(table.model, entry.row_id)
    sheet = entry.sheet_values or {}
    clashing = {a for a, f in entry.fields.items()
                if a in sheet and not same(a, sheet[a], f["seen"]) and not same(a, sheet[a], f["new"])}
    for attr in clashing:
        if row is not None:
            _record(session, table.history_name, row.id, attr, entry.fields[attr]["new"], sheet[attr], "conflict",
                    f"{who} took the sheet's value")
            _set_cell(row, attr, sheet[attr])
    entry.workbook.reread_requested_at = utcnow()  # the sheet may have moved on since: read it afresh
    rest = {a: f for a, f in entry.fields.items() if a not in clashing}
    if rest:
        entry.fields, entry.state, entry.reason = rest, "waiting", ""
        entry.attempts, entry.next_attempt_at = 0, utcnow()
    else:
        entry.state, entry.done_at = "dropped", utcnow()
        entry.reason = f"Dropped by {who}: the sheet's values were kept."


# What each kind of outbox entry writes, in words for the pages and `outbox list` (an
# edit's words are its cells'). The last three are about no row, so they have no history.
KIND_WORDS = {"add": "new row", "alias": "also called", "review_tab": "a review's dated tab",
              "year_tab": "a new school year's tab", "school_ref": "a school's new workbook"}
NO_ROW_KINDS = ("review_tab", "year_tab", "school_ref")


def kind_words(entry):
    """What an outbox entry writes, in words: its cells for an edit, else its kind's."""
    return ", ".join(a.replace("_", " ") for a in entry.fields) if entry.kind == "edit" else KIND_WORDS[entry.kind]


def discard(session, entry, who):
    """Give up an edit that cannot land (its row left the sheet, the sheet refuses its
    text, its sheet is paused). It stays in the row's history."""
    if entry.kind in NO_ROW_KINDS:  # a review's or a year's tab, a school's workbook: kept where they are made
        pass  # (a tab's title, a school's code, is no table with a history)
    elif entry.kind == "edit":
        table, row_id = _history_of(entry)
        for attr, field in entry.fields.items():
            _record(session, table, row_id, attr, field["new"], field["seen"], "conflict",
                    f"{who} discarded the browser's edit")
    else:
        table, row_id = _history_of(entry)
        _record(session, table, row_id, "", "added in the browser", "discarded", "conflict",
                f"{who} discarded it before it reached the sheet")
    entry.state, entry.reason, entry.done_at = "dropped", f"Discarded by {who}.", utcnow()
    entry.workbook.reread_requested_at = utcnow()  # read the sheet afresh: a row not in it is archived then


def retry(session, entry, who):
    """Try an entry again now (after the sheet was put right, or its text changed)."""
    entry.state, entry.reason, entry.attempts, entry.next_attempt_at = "waiting", "", 0, utcnow()
    entry.paused = False


def _history_of(entry):
    """(history table name, row id) of the row an entry is about."""
    return table_named(entry.tab).history_name, entry.row_id


# The choices a person may make for an entry, by the states they apply to.
CHOICES = {
    "keep": (("conflict",), keep_mine),
    "take": (("conflict",), take_sheet),
    "discard": (("stuck", "failed"), discard),
    "retry": (("failed",), retry),
}


class ChoiceTaken(Exception):
    """Someone else chose for this entry a moment ago (or it landed meanwhile)."""


def choose(session, entry, choice, who):
    """Carry out a person's ``choice`` for an outbox entry; raises ChoiceTaken when
    another person's choice (or the outbox) got there first, KeyError for no such choice.

    The entry is claimed with a conditional UPDATE, so that of two people choosing at
    the same moment one wins and the other is told, instead of both choices standing.
    """
    states, action = CHOICES[choice]
    claimed = session.execute(
        update(OutboxEntry).where(OutboxEntry.id == entry.id, OutboxEntry.state.in_(states))
        .values(chooser=who)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        session.rollback()
        raise ChoiceTaken()
    session.refresh(entry)
    action(session, entry, who)


def latest_for_rows(session, kind, row_ids, tab=None):
    """{row id: its latest outbox entry}: what the page says of each row's way to the sheet.

    ``tab``: the table the rows are of (row ids are per table); by default the action
    plan's for edits and the impact log's for adds.

    One that needs a person (the earliest conflict, else the earliest stuck) wins: later
    edits of the row wait behind it, so it must stay in sight with its choices. Then
    the latest waiting one, then the latest finished one.
    """
    if not row_ids:
        return {}
    entries = session.scalars(
        select(OutboxEntry).where(OutboxEntry.kind == kind, OutboxEntry.row_id.in_(row_ids),
                                  OutboxEntry.tab == (tab or (ACTION_PLAN if kind == "edit" else IMPACT_LOG).tab))
        .order_by(OutboxEntry.id)
    )
    rank = {"conflict": 0, "stuck": 1, "failed": 1, "waiting": 2}  # finished states: 3
    latest = {}
    for entry in entries:
        current = latest.get(entry.row_id)
        mine, theirs = rank.get(entry.state, 3), rank.get(current.state, 3) if current else 4
        if mine < theirs or (mine == theirs and mine >= 2):
            latest[entry.row_id] = entry
    return latest


def paused_writes(session, workbook):
    """Why writes to a workbook wait on its structure (a column or the IDs gone), or None.

    Shown across the plan's page, not only on rows with an edit: the school should
    put the sheet right before more edits pile up behind it."""
    if workbook is None:
        return None
    return session.scalar(
        select(OutboxEntry.reason)
        .where(OutboxEntry.workbook_id == workbook.id, OutboxEntry.state.in_(OutboxEntry.PENDING),
               OutboxEntry.paused.is_(True))
        .order_by(OutboxEntry.id).limit(1)
    )


def history(session, table, row_id):
    """Every recorded change of one row, newest first."""
    return session.scalars(
        select(RowChange).where(RowChange.table == table, RowChange.row_id == row_id)
        .order_by(RowChange.at.desc(), RowChange.id.desc())
    ).all()
