"""Tables as downloads: the records the command line and the pages export, and CSV and
XLSX made from them. No Flask: the CLI and the blueprints call the same functions,
so a download holds what the page (or `export`) shows, no more.

A record is {column name: value}; a value is text, a bool, or a date where the table
holds a real date (Due as a date, an impact-log Date). CSV and JSON show dates as
the sheet does (dd/mm/yyyy); XLSX keeps them as date cells.
"""
import csv
import io
from datetime import date

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .contract import ACTION_PLAN, IMPACT_LOG
from .edits import sheet_text

ACTION_PLAN_NAMES = [c.name for c in ACTION_PLAN.columns]
IMPACT_LOG_NAMES = [c.name for c in IMPACT_LOG.columns]
PRIORITY_NAMES = ["ID", "School", "Priority", "Theme", "Status", "Lead", "Shared"]
PROBLEM_NAMES = ["Tab", "Row", "Column", "What is wrong", "How to fix it"]

# A cell starting with one of these is a formula to a spreadsheet program opening
# the CSV (OWASP's CSV injection): the quote makes it plain text, as typed in a sheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")  # full-width ones too
UK_DATE = "DD/MM/YYYY"


def action_plan_records(rows):
    """Action rows keyed by contract column names; Due a date when it is one, else its text."""
    records = []
    for row in rows:
        record = {}
        for column in ACTION_PLAN.columns:
            value = getattr(row, column.attr)
            if column.attr == "due":
                value = row.due_date or sheet_text("due", value)  # stored as ISO when it is a date
            record[column.name] = value if value is not None else ""
        records.append(record)
    return records


def impact_records(entries):
    """Impact-log entries keyed by contract column names; Date a date."""
    return [{c.name: (getattr(e, c.attr) if getattr(e, c.attr) is not None else "") for c in IMPACT_LOG.columns}
            for e in entries]


def priority_records(triples):
    """[(SipPriority, School, theme it is grouped under)] as records."""
    return [{"ID": p.sheet_id, "School": school.code, "Priority": p.priority, "Theme": theme, "Status": p.status,
             "Lead": p.lead, "Shared": bool(p.share)} for p, school, theme in triples]


def problem_records(problems):
    """Sheet problems as the problems page lists them."""
    return [{"Tab": p.tab, "Row": p.row if p.row is not None else "", "Column": p.column or "",
             "What is wrong": p.message, "How to fix it": p.fix or ""} for p in problems]


def plain(value):
    """A value as CSV and JSON carry it: dates as the sheet shows them (dd/mm/yyyy)."""
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else value


def csv_safe(record):
    """The record with dates as text and formula-like text made plain text."""
    safe = {}
    for name, value in record.items():
        value = plain(value)
        # A spreadsheet program skips leading spaces and line breaks before a formula.
        risky = isinstance(value, str) and value.lstrip().startswith(FORMULA_STARTS) or (
            isinstance(value, str) and value.startswith(FORMULA_STARTS))
        safe[name] = "'" + value if risky else value
    return safe


def write_csv(records, names, out):
    """Records as CSV to a text stream, formula-safe."""
    writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_safe(record) for record in records)


def to_csv(records, names):
    """Records as CSV text, formula-safe."""
    out = io.StringIO()
    write_csv(records, names, out)
    return out.getvalue()


def to_xlsx(records, names, title="Export"):
    """Records as .xlsx bytes: a header row, text as text cells (never a formula, even
    starting with =), dates as date cells shown dd/mm/yyyy, True/False as booleans."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for col, name in enumerate(names, start=1):
        sheet.cell(row=1, column=col, value=name)
    for r, record in enumerate(records, start=2):
        for col, name in enumerate(names, start=1):
            value = record.get(name, "")
            if isinstance(value, str):
                cell = sheet.cell(row=r, column=col, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                cell.data_type = "s"  # openpyxl reads a leading = as a formula otherwise
            else:
                cell = sheet.cell(row=r, column=col, value=value)
                if isinstance(value, date):
                    cell.number_format = UK_DATE
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
