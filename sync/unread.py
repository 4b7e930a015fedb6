"""Formula cells whose result is not stored in the file (a backend hands them over as UNREAD).

openpyxl saves formulas without their results, so every write the app makes to
an .xlsx drops them, and a workbook made by a program and never opened in a
spreadsheet program has none. Such a cell is not blank: its value is unknown.
So the sync

- keeps the value it last read (reconcile skips the attr, as it skips a cell
  with a browser edit on its way) and writes no history line;
- reports, as a sheet problem, the cells it never knew a value of, one problem
  per column of a tab (a column of 50 formula cells is one thing to fix: open and
  save the workbook), naming the rows;
- makes a row whose required cell is unread wait, like a row with a slip;
- refuses a tab whose row identity (an ID, a school's Code, an objective's Ref)
  is unread, rather than guess which row is which.
"""
from sqlalchemy import select

UNREAD_MESSAGE = "This cell's formula has no stored result, so the app cannot read it."
UNREAD_FIX = ("Open the workbook in a spreadsheet program (Excel, LibreOffice) and save it: that stores "
              "the formulas' results. Or type the value in place of the formula.")

def identity_attrs(table):
    """The attrs that say which row a sheet row is: its ID, or the table's natural key."""
    return {"sheet_id"} if table.has_ids else ({table.key} if table.key else set())


def unread_identity(parsed, row, attrs):
    """The problem of a tab whose row identity is in a formula with no stored result."""
    from .parse import Problem

    attr = sorted(attrs)[0]
    return Problem(parsed.title, row.number, parsed.column_label(attr),
                   f"The '{parsed.title}' tab's {parsed.table.by_attr[attr].name} cells are formulas with no "
                   "stored result, so its rows cannot be told apart; nothing in the tab was synced.",
                   UNREAD_FIX)


def derived_unread(row):
    """Attrs the parser works out from an unread cell: unknown as well, so kept too."""
    derived = set()
    if "linked_objectives" in row.unread:
        derived.add("objective_refs")
        if not row.values.get("area"):  # the area may be folded into the links cell
            derived.add("area")
    if "due" in row.unread:
        derived.add("due_date")
    return derived


def _rows_text(numbers):
    """[5, 6, 7, 9] -> 'rows 5-7 and 9'."""
    spans, start = [], None
    for n in numbers + [None]:
        if start is None:
            start = end = n
        elif n == end + 1:
            end = n
        else:
            spans.append(f"{start}" if start == end else f"{start}-{end}")
            start = end = n
    text = spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + " and " + spans[-1]
    return ("row " if numbers[1:] == [] else "rows ") + text


def unread_problems(session, workbook, tables):
    """One problem per tab and column for unread cells whose value the app has never known
    (a row not stored yet, or stored with the cell blank). Call after reconciling."""
    from .parse import Problem

    problems = []
    for parsed in tables:
        waiting = [row for row in parsed.rows if row.unread]
        if not waiting:
            continue
        model = parsed.table.model
        known = {r.sheet_id: r for r in session.scalars(select(model).where(model.workbook_id == workbook.id))}
        required = {c.attr for c in parsed.table.required}  # those rows wait, with a problem each
        unknown = {}
        for row in waiting:
            record = known.get(row.sheet_id)
            for attr in row.unread & set(parsed.columns) - required:
                if record is None or getattr(record, attr) in (None, ""):
                    unknown.setdefault(attr, []).append(row.number)
        for attr, numbers in sorted(unknown.items(), key=lambda item: parsed.columns[item[0]]):
            if len(numbers) == 1:
                message = ("This cell's formula has no stored result, so the app could not read it; "
                           "it shows as blank in the hub.")
            else:
                message = (f"{len(numbers)} cells of this column ({_rows_text(numbers)}) are formulas with no "
                           "stored result, so the app could not read them; they show as blank in the hub.")
            problems.append(Problem(parsed.title, numbers[0], parsed.column_label(attr), message, UNREAD_FIX))
    return problems
