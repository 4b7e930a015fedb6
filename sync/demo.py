"""Write the demo partnership's workbooks as .xlsx files (never over existing ones)."""
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from domain.dates import parse_date

from . import demo_data as data

PARTNERSHIP_FILE = "partnership.xlsx"

# William Lilley's sheet uses other headers for the same columns, a title row
# and a column of its own, as real school sheets do.
WL_HEADER = [
    "ID", "Area", "Links", "Key Objective/Action", "Specific actions", "Intended outcome",
    "Impact to date", "Lead", "Due date", "RAG", "Last updated", "Evidence folder",
]
WL_EVIDENCE = ["Safeguarding/2026", "Writing/moderation", "", "Staff/dev days", ""]


def _sheet(book, title, rows, first=False, real_dates=False):
    """A tab of rows. ``real_dates``: cells that read as UK dates are stored as date
    cells, as a sheet whose dates were typed into date-formatted cells holds them."""
    sheet = book.active if first else book.create_sheet()
    sheet.title = title
    for row in rows:
        sheet.append([_as_date(v) if real_dates else v for v in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return sheet


def _as_date(value):
    return (parse_date(value) or value) if isinstance(value, str) else value


def _bold_row(sheet, number):
    for cell in sheet[number]:
        cell.font = Font(bold=True)


def _objectives():
    return [["Ref", "Objective"]] + [[n, text] for n, text in enumerate(data.OBJECTIVES, start=1)]


def write_partnership(path):
    """The demo's partnership workbook: schools, objectives, the joint plan, themes."""
    book = Workbook()
    _bold_row(_sheet(book, "Schools", [data.SCHOOLS_HEADER] + data.SCHOOLS, first=True), 1)
    _bold_row(_sheet(book, "Objectives", _objectives()), 1)
    plan = data.PARTNERSHIP_TITLE_ROWS + [data.JOINT_HEADER] + data.JOINT_PLAN
    _bold_row(_sheet(book, "Action plan", plan), len(data.PARTNERSHIP_TITLE_ROWS) + 1)
    _bold_row(_sheet(book, "Themes", [data.THEMES_HEADER] + data.THEMES), 1)
    write_calendar(book)
    _sheet(book, "Notes", [["Joint committee (JCC) notes are kept here; the intranet ignores this tab."]])
    book.save(path)


def write_school(path, code):
    """One demo school's workbook: its action plan, impact log and SIP priorities."""
    school = data.SCHOOL_WORKBOOKS[code]
    book = Workbook()
    if code == "WL":
        actions = [[school["title"]], [], WL_HEADER] + [
            row + [WL_EVIDENCE[i]] for i, row in enumerate(school["actions"])
        ]
        _bold_row(_sheet(book, "Action plan", actions, first=True), 3)
    else:
        _bold_row(_sheet(book, "Action plan", [data.SCHOOL_ACTION_HEADER] + school["actions"], first=True,
                         real_dates=True), 1)
    # Bank Road's dates are date cells; William Lilley's were typed as text: both are real.
    _bold_row(_sheet(book, "Impact log", [data.IMPACT_HEADER] + school["impact"], real_dates=code != "WL"), 1)
    _bold_row(_sheet(book, "SIP priorities", [data.SIP_HEADER] + school["sip"]), 1)
    book.save(path)


def write_demo_workbooks(folder):
    """Create the demo workbooks that are missing; return the paths written.

    Existing files are left alone: they may hold IDs and edits since.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    targets = [(folder / PARTNERSHIP_FILE, write_partnership)]
    targets += [
        (folder / school["file"], lambda p, c=code: write_school(p, c))
        for code, school in data.SCHOOL_WORKBOOKS.items()
    ]
    for path, write in targets:
        if not path.exists():
            write(path)
            written.append(path)
    return written


def write_calendar(book):
    """The demo's term of networks and visits, the replies, and the visitor links (issue 17)."""
    schools = book["Schools"]
    for offset, name in enumerate(data.SCHOOL_LINKS_HEADER):
        schools.cell(1, len(data.SCHOOLS_HEADER) + 1 + offset, name)
    for number, row in enumerate(data.SCHOOLS, start=2):
        for offset, link in enumerate(data.SCHOOL_LINKS[row[0]]):
            schools.cell(number, len(data.SCHOOLS_HEADER) + 1 + offset, link or None)
    _bold_row(schools, 1)
    _bold_row(_sheet(book, "Calendar", [data.CALENDAR_HEADER] + data.CALENDAR, real_dates=True), 1)
    _bold_row(_sheet(book, "RSVP", [data.RSVP_HEADER] + data.RSVP), 1)
