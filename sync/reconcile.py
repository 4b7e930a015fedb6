"""Turn parsed sheet rows into database changes, keeping row identity by ID.

A row keeps its identity however it moves in the sheet; a row whose ID is gone
is archived, and comes back when the ID does. Nothing is ever deleted.
"""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from domain import scope, years
from domain.calendar import Schools
from domain.event_cells import ALL_SCHOOLS, school_code, school_parts
from domain.models import JOINT, Membership, OutboxEntry, RowChange, School, Workbook, utcnow

from .errors import WorkbookUnavailable
from .parse import Problem
from .remembered import forget


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
        elif entry.kind == "add":
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
    model = parsed.table.model
    table_name = parsed.table.history_name
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
            skip |= {"last_updated"} | ({"due_date", "due_by"} if "due" in skip else set())  # derived from the edit
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
_UNAUDITED = {"extra", "objective_refs", "due_date", "due_by", "last_updated"}


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


def reconcile_keyed(session, parsed):
    """Rows keyed by a natural key (a school's Code, an objective's Ref): one whose key
    is gone from the tab is archived, and comes back with it.

    A row with its key but a slip elsewhere (a blank name) keeps its record as it
    was: a slip in a cell never makes a school or an objective disappear. A key
    repeated on a later row is that row's problem (``repeated_keys``); the first counts.
    """
    table = parsed.table
    model, key = table.model, table.key
    attrs = [c.attr for c in table.columns if c.attr != key and c.attr in model.__table__.columns]
    existing = {getattr(record, key): record for record in session.scalars(select(model))}
    counts = Counts(read=len(parsed.rows))
    seen = set()
    for row in parsed.rows:
        value = row.values.get(key)
        if value in (None, "") or value in seen:
            continue
        seen.add(value)
        if not row.valid:
            continue
        # A formula cell with no stored result keeps the value last read (sync/unread.py).
        details = {attr: row.values.get(attr, "") for attr in attrs if attr not in row.unread}
        record = existing.get(value)
        if record is None:
            session.add(model(**{key: value}, **details))
            counts.added += 1
        elif record.archived_at or any(getattr(record, a) != v for a, v in details.items()):
            for attr, v in details.items():
                setattr(record, attr, v)
            record.archived_at = None
            counts.changed += 1
    for value, record in existing.items():
        if value not in seen and record.archived_at is None:
            record.archived_at = utcnow()
            counts.archived += 1
    session.flush()
    return counts


def reconcile_schools(session, parsed, identity):
    """The Schools tab of the partnership the session serves (domain/scope.py): like
    ``reconcile_keyed``, and each school's membership of this partnership besides.

    A code that another partnership's school already has is that school joining this one
    too (one school, one plan, shown in each), but only with the workbook it already has:
    knowing a school's code must not be enough to read its plan. The partnership a school
    joined first keeps its details (name, head, links). A school gone from the tab leaves
    this partnership, and is archived once it is in none. Returns (counts, problems).
    """
    pid = scope.current(session)
    if pid is None:  # a session not held to a partnership: the single-partnership rule
        return reconcile_keyed(session, parsed), []
    table = parsed.table
    attrs = [c.attr for c in table.columns if c.attr != "code" and c.attr in School.__table__.columns]
    schools = {s.code: s for s in session.scalars(
        select(School).options(selectinload(School.workbook)).execution_options(**scope.HUB_WIDE))}
    active = _active_memberships(session)
    first = _first_partnerships(session, active)
    members = {m.school_id: m for m in session.scalars(select(Membership).where(Membership.partnership_id == pid))}
    counts, problems, seen, now = Counts(read=len(parsed.rows)), [], set(), utcnow()
    for row in parsed.rows:
        code = row.values.get("code")
        if code in (None, "") or code in seen:
            continue
        seen.add(code)
        if not row.valid:
            continue
        details = {attr: row.values.get(attr, "") for attr in attrs if attr not in row.unread}
        school = schools.get(code)
        if school is None:
            session.add(School(code=code, **details))  # a member of this partnership (domain/scope.py)
            counts.added += 1
            continue
        membership = members.get(school.id)
        owner = first.get(school.id, pid)
        if membership is None and owner != pid:
            problem = _joining_problem(parsed, row, school, identity)
            if problem:
                problems.append(problem)
                continue
        if membership is None:
            session.add(Membership(partnership_id=pid, school=school))
            counts.added += 1
        elif membership.archived_at is not None:
            membership.archived_at = None
            counts.changed += 1
        if owner == pid and (school.archived_at or any(getattr(school, a) != v for a, v in details.items())):
            for attr, v in details.items():
                setattr(school, attr, v)
            counts.changed += 1
        school.archived_at = None
    by_id = {s.id: s for s in schools.values()}
    for school_id, membership in members.items():
        school = by_id[school_id]
        if school.code in seen or membership.archived_at is not None:
            continue
        membership.archived_at = now
        counts.archived += 1
        if all(p == pid for s, p in active if s == school_id):  # in no other partnership now
            school.archived_at = now
    session.flush()
    return counts, problems


def _active_memberships(session):
    """(school id, partnership id) of every school in every partnership, in the order they joined."""
    return session.execute(select(Membership.school_id, Membership.partnership_id)
                           .where(Membership.archived_at.is_(None)).order_by(Membership.id)
                           .execution_options(**scope.HUB_WIDE)).all()


def _first_partnerships(session, active=None):
    """{school id: the partnership it joined first}: that partnership's Schools tab says
    the school's details and how its workbook is written."""
    first = {}
    for school_id, partnership_id in active if active is not None else _active_memberships(session):
        first.setdefault(school_id, partnership_id)
    return first


def _joining_problem(parsed, row, school, identity):
    """Why a school of another partnership cannot join this one from this row, or None."""
    ref = row.values.get("workbook", "").strip()
    held = school.workbook.identity if school.workbook else ""
    try:
        same = bool(ref) and bool(held) and identity(ref) == held
    except WorkbookUnavailable:
        same = False
    if same:
        return None
    return Problem(parsed.title, row.number, parsed.column_label("workbook"),
                   f"School {school.code} is already in another partnership, with another workbook, so it "
                   "is not added to this one.",
                   "A school joins a second partnership with the workbook it already has: put that "
                   "workbook's address here, or give this school another code.")


def repeated_keys(parsed):
    """Rows that repeat an earlier row's natural key: the first one counts, and the
    school is told which row is left out."""
    table = parsed.table
    keyed = table.by_attr.get(table.key) or table.required[0]  # a key the cleaner derives: its source column
    column = keyed.name
    problems, first = [], {}
    for row in parsed.rows:
        key = row.values.get(table.key)
        if key in (None, ""):
            continue
        if key in first:
            shown = row.values.get(keyed.attr, key)
            problems.append(Problem(parsed.title, row.number, parsed.column_label(keyed.attr),
                                    f"{column} {shown} is also on row {first[key]}; this row is left out.",
                                    f"Give this row its own {column}, or delete the repeated row."))
        else:
            first[key] = row.number
    return problems


def link_school_workbooks(session, schools, partnership_identity, identity):
    """Give each school of the Schools tab its Workbook, by the one identity its
    reference resolves to (``identity(ref)``: a file in the folder, a spreadsheet key).

    Two schools on one workbook, or a school on the partnership workbook, would
    read (and write) another plan's rows: the newcomer is a problem and syncs no
    rows under its code. A school that already has the workbook keeps it, whichever
    row comes first, and so does a school whose row has a slip this time (its
    workbook stays as it was). A reference the backend refuses (a file outside the
    folder) is a problem, and the school's sync fails with the reason. Returns problems.
    """
    by_code = {s.code: s for s in session.scalars(select(School).options(selectinload(School.workbook)))}
    # A new year's workbook on its way into the Schools tab (domain/new_year.py): the tab
    # still names last year's until it lands, and the new year must not be pointed back at it.
    moving = set(session.scalars(select(OutboxEntry.sheet_id).where(
        OutboxEntry.kind == "school_ref", OutboxEntry.state.in_(OutboxEntry.PENDING))))
    rows, seen = [], set()
    for row in schools.rows:  # the first row of a code counts (a repeat is repeated_keys' problem)
        code = row.values["code"]
        if code in by_code and code not in seen:
            seen.add(code)
            rows.append(row)
    problems, resolved = [], {}
    pid, first = scope.current(session), _first_partnerships(session)
    for row in rows:
        if not row.valid:
            continue
        code, ref = row.values["code"], row.values.get("workbook", "").strip()
        try:
            resolved[code] = identity(ref) if ref else ""
        except WorkbookUnavailable as error:
            resolved[code] = ""
            problems.append(Problem(schools.title, row.number, schools.column_label("workbook"),
                                    f"School {code}: {error.message}", error.fix))
    holder = {partnership_identity: JOINT} if partnership_identity else {}
    # Every other plan's workbook in the hub, whichever partnership it serves, is taken too.
    for code, held, partnership_id in session.execute(
            select(Workbook.code, Workbook.identity, Workbook.partnership_id)
            .where(Workbook.is_current, Workbook.identity != "").execution_options(**scope.HUB_WIDE)):
        if code not in by_code:
            holder.setdefault(held, JOINT if partnership_id else code)
    for row in rows:  # incumbents first: a workbook a school has (or keeps, its row having a slip)
        school = by_code[row.values["code"]]
        held = school.workbook.identity if school.workbook else ""
        if held and (not row.valid or resolved.get(school.code) == held):
            holder.setdefault(held, school.code)
    for row in rows:
        if not row.valid or row.values["code"] in moving:
            continue
        code, ref = row.values["code"], row.values.get("workbook", "").strip()
        canonical = resolved[code]
        label = schools.column_label("workbook")
        owner = holder.setdefault(canonical, code) if canonical else None
        if not ref:
            problems.append(Problem(schools.title, row.number, label, f"School {code} has no workbook.",
                                    "Fill in the school's workbook (a file name, or its Google Sheets URL)."))
        elif owner not in (None, code):
            other = "the partnership workbook" if owner == JOINT else f"the workbook of school {owner}"
            problems.append(Problem(schools.title, row.number, label,
                                    f"School {code}'s workbook is {other}, so none of its rows are synced.",
                                    "Give each school a workbook of its own."))
            ref = canonical = ""
        school = by_code[code]
        if pid is not None and first.get(school.id, pid) != pid and school.workbook \
                and school.workbook.identity == canonical:
            continue  # its first partnership's tab says how its workbook is written: not two ways in turn
        _set_workbook(session, school, ref, canonical)
    return problems


def _set_workbook(session, school, ref, canonical):
    """The school's current workbook points at ``ref`` (made, for a newcomer, in the current
    year, its tabs named as the partnership workbook's are: with the year or without)."""
    if school.workbook is None:
        joint = session.scalar(select(Workbook).where(Workbook.code == JOINT, Workbook.is_current))
        session.add(Workbook(code=school.code, school=school, ref=ref, identity=canonical,
                             school_year=years.current_year(session), is_current=True,
                             year_tabs=bool(joint and joint.year_tabs)))
        session.flush()
        session.expire(school, ["workbook"])
    elif school.workbook.ref != ref or school.workbook.identity != canonical:
        workbook = school.workbook
        workbook.ref, workbook.identity = ref, canonical
        forget(workbook)


def _could_be(calendar, row, attr, cell, found, fix):
    """The row's problem for a cell that could be several schools: it names them all."""
    could_be = " or ".join(f"{s.name} ({s.code})" for s in found)
    return Problem(calendar.title, row.number, calendar.column_label(attr),
                   f"{cell} could be {could_be}: write the code.", fix)


def _resolve_invited(schools, calendar, row):
    """The Invited schools cell as member schools' codes, as the host's is: a name becomes
    its school's code ("Bank Road Infant and Nursery School" whole, "BR and WL" as two); a
    text that could be two schools stays as written (not in capitals, so no school's code:
    nobody counts as invited by it) and is the row's problem. Names no school answers to
    stay as written, as before (the event's page lists them)."""
    if "invited_schools" in row.unread:
        return []
    resolved, problems = [], []
    for whole, *parts in school_parts(row.values.get("invited_schools")):
        if whole == ALL_SCHOOLS:
            resolved.append(ALL_SCHOOLS)
            continue
        if schools.matches(school_code(whole), left=True) or not parts:
            parts = [whole]  # a school's name with "and" in it, or one school
        for written in parts:
            found = schools.matches(school_code(written), left=True)
            if len(found) == 1:
                code = found[0].code
            elif found:
                code = written
                problems.append(_could_be(calendar, row, "invited_schools", f"Invited school '{written}'", found,
                                          "Write each invited school's code (as in the Schools tab's Code column)."))
            else:
                code = school_code(written)
            if code not in resolved:
                resolved.append(code)
    row.values["invited_codes"] = resolved
    return problems


PLACE_HEADERS = {"venue", "where", "location"}  # domain/contract.py: the Host school column's other names


def resolve_hosts(session, calendar):
    """Each event's Host school cell as one member school's code, and its Invited schools
    as theirs (_resolve_invited), before anything reads them: by code, else by the
    school's name as the Schools tab gives it (case, spacing and punctuation set aside,
    as domain/calendar.py Schools finds one). A school that has left the partnership is
    still the host of its events. A cell that names no member school is kept as written
    and is the row's problem; so is one that could be two schools, with no code (nothing
    may go to the wrong school's impact log). Returns problems."""
    schools = Schools(session)  # the Schools tab as this run stored it
    # Under a Venue, Where or Location header a cell may well be a place ("Village hall"):
    # no school, and nothing wrong. Under Host school, Host or Hosted by it must be one.
    a_place = calendar.headers.get("host_school", "").strip().lower() in PLACE_HEADERS
    problems = []
    for row in calendar.rows:
        if not row.valid:
            continue
        problems += _resolve_invited(schools, calendar, row)
        written = " ".join(str(row.values.get("host_school") or "").split())
        if not written or "host_school" in row.unread:
            continue
        found = schools.matches(school_code(written), left=True)
        if len(found) == 1:
            row.values["host_code"] = found[0].code
            continue
        column = calendar.column_label("host_school")
        if found:
            row.values["host_code"] = ""  # not the code's school by default
            problems.append(_could_be(calendar, row, "host_school", f"Host school '{written}'", found,
                                      "Write the host school's code (as in the Schools tab's Code column)."))
            continue
        if a_place:
            continue
        problems.append(Problem(
            calendar.title, row.number, column,
            f"Host school '{written}' is not a school of the partnership: neither a code nor a name in the "
            "Schools tab, so the event's impact form has no school's impact log to go to.",
            "Write the host school's code (as in the Schools tab's Code column) or its name as the Schools "
            "tab gives it."))
    return problems
