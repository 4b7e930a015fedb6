"""Write the demo partnership's workbooks as .xlsx files (never over existing ones), for
the school year of the day they are written (sync/demo_data.py)."""
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from domain import dates
from domain.dates import parse_date

from . import demo_data as data

PARTNERSHIP_FILE = "partnership.xlsx"

# William Lilley's sheet uses other headers for the same columns, a title row
# and a column of its own, as real school sheets do.
WL_HEADER = [
    "ID", "Area", "Links", "Key Objective/Action", "Specific actions", "Intended outcome",
    "Impact to date", "Lead", "Due date", "RAG", "Last updated", "Evidence folder",
]
WL_EVIDENCE = ["Safeguarding", "Writing/moderation", "", "Staff/dev days", ""]
# The joint plan's columns, as the partnership's own tab for last year lists them.
JOINT_LAST_HEADER = ["ID", "Area", "Key objective", "Specific actions", "Intended outcome", "Impact to date", "Lead",
                     "Due", "Status", "Last updated"]


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


def write_partnership(path, demo):
    """The demo's partnership workbook: schools, objectives, this year's joint plan (and
    last year's, in a tab titled with its year), themes, the calendar and replies."""
    book = Workbook()
    _bold_row(_sheet(book, "Schools", [data.SCHOOLS_HEADER] + data.SCHOOLS, first=True), 1)
    _bold_row(_sheet(book, "Objectives", _objectives()), 1)
    plan = demo.title_rows + [data.JOINT_HEADER] + demo.joint_plan
    _bold_row(_sheet(book, "Action plan", plan), len(demo.title_rows) + 1)
    _bold_row(_sheet(book, f"Action plan {demo.last_tab_year}", [JOINT_LAST_HEADER] + demo.last_joint_plan), 1)
    _bold_row(_sheet(book, "Themes", [data.THEMES_HEADER] + data.THEMES), 1)
    write_calendar(book, demo)
    _sheet(book, "Notes", [["Joint committee (JCC) notes are kept here; the intranet ignores this tab."]])
    book.save(path)


def write_school(path, code, demo):
    """One demo school's workbook: its action plan, impact log and SIP priorities, this
    year's in the tabs' own names and last year's in tabs titled with that year."""
    school = demo.school(code)
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
    last = demo.last_year(code)
    for title, header, rows in (("Action plan", data.SCHOOL_ACTION_HEADER, last["actions"]),
                                ("Impact log", data.IMPACT_HEADER, last["impact"]),
                                ("SIP priorities", data.SIP_HEADER, last["sip"])):
        _bold_row(_sheet(book, f"{title} {demo.last_tab_year}", [header] + rows), 1)
    book.save(path)


def write_demo_workbooks(folder, today=None):
    """Create the demo workbooks that are missing, for the school year of ``today`` (the UK
    day by default); return the paths written. Existing files are left alone: they may
    hold IDs and edits since."""
    demo = data.Demo(today or dates.uk_today())
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    targets = [(folder / PARTNERSHIP_FILE, lambda p: write_partnership(p, demo))]
    targets += [(folder / name, lambda p, c=code: write_school(p, c, demo)) for code, name in data.SCHOOL_FILES.items()]
    for path, write in targets:
        if not path.exists():
            write(path)
            written.append(path)
    return written


def write_calendar(book, demo):
    """The demo's networks and visits, the replies, and the visitor links (issue 17)."""
    schools = book["Schools"]
    for offset, name in enumerate(data.SCHOOL_LINKS_HEADER):
        schools.cell(1, len(data.SCHOOLS_HEADER) + 1 + offset, name)
    for number, row in enumerate(data.SCHOOLS, start=2):
        for offset, link in enumerate(data.SCHOOL_LINKS[row[0]]):
            schools.cell(number, len(data.SCHOOLS_HEADER) + 1 + offset, link or None)
    _bold_row(schools, 1)
    _bold_row(_sheet(book, "Calendar", [data.CALENDAR_HEADER] + demo.calendar, real_dates=True), 1)
    _bold_row(_sheet(book, "RSVP", [data.RSVP_HEADER] + demo.replies), 1)


def add_impact_forms(session):
    """The demo's two finished impact forms (data.IMPACT_FORMS), on the demo's past events
    of the current year; an event that has a form already, or is not in this year's
    calendar (early in September the weeks before are last year's), is left alone.
    Returns how many were added (the caller commits)."""
    from sqlalchemy import select

    from domain import impact_forms
    from domain.models import CalendarEvent, User, Workbook

    added = 0
    for spec in data.IMPACT_FORMS:
        event = session.scalar(select(CalendarEvent).join(Workbook).where(
            Workbook.is_current, CalendarEvent.sheet_id == spec["event"], CalendarEvent.archived_at.is_(None)))
        people = [session.scalar(select(User).where(User.email == email)) for email in spec["confirmed_by"]]
        if event is None or None in people or impact_forms.form_for_event(session, event) is not None \
                or impact_forms.why_not_yet(event):
            continue
        rows = {r.sheet_id: r.id for r in impact_forms.host_plan_rows(session, event)}
        form = impact_forms.start(session, event, people[0].name)
        impact_forms.save(session, form, people[0].name, impact_forms.Changes(
            spec["summary"], spec["strengths"], spec["areas"], [rows[s] for s in spec["rows"] if s in rows],
            spec["impact_note"]))
        for person in people:
            impact_forms.confirm(session, form, event, person, person.name)
        added += 1
    return added


# -- the demo across partnerships (`flask demo authority`, docs/partnerships.md) ---------
# Two more small partnerships beside the demo's, made from its files with their own names,
# codes and IDs, and the county council that supports all three. Riverside lists William
# Lilley too, with its workbook: one school in two partnerships.

@dataclass(frozen=True)
class OtherSchool:
    code: str
    name: str
    file: str
    head: str
    chair: str
    copy_of: str  # the demo school whose workbook it starts from ("" to list that school itself)


@dataclass(frozen=True)
class OtherPartnership:
    name: str
    file: str
    schools: tuple


OTHER_PARTNERSHIPS = (
    OtherPartnership("Oakfield Cluster", "oakfield-partnership.xlsx", (
        OtherSchool("OK", "Oakfield Primary School", "oakfield.xlsx", "Olu Oke", "Odette Grey", "BR"),
        OtherSchool("OM", "Oak Meadow Infant School", "oak-meadow.xlsx", "Omar Malik", "Orla Moss", "WL"))),
    OtherPartnership("Riverside Trust", "riverside-partnership.xlsx", (
        OtherSchool("RS", "Riverside Academy", "riverside.xlsx", "Rita Shah", "Ravi Patel", "BR"),
        OtherSchool("WL", "", "william-lilley.xlsx", "", "", ""))),
)
SUPPORTER_FILE = "county.xlsx"
VISITS_HEADER = ["ID", "Date", "Partnership", "Present", "Vision and intended outcomes", "Successes", "Challenges",
                 "Lessons", "Next steps", "Recorded by"]
_DEMO_NAMES = {"BR": "Bank Road", "WL": "William Lilley"}


def _renamed(value, renames, mark):
    """A cell of a copied workbook: the demo schools' names and codes as the copy's."""
    if not isinstance(value, str):
        return value
    for old, new in renames.items():
        value = value.replace(old, new)
    return f"{value} ({mark})" if mark and len(value) > 25 else value


def _renames(schools):
    """{demo's words: the copy's}: full names, then short names, then IDs' and bare codes."""
    renames = {}
    for school in schools:
        if school.copy_of:
            full = next(row[1] for row in data.SCHOOLS if row[0] == school.copy_of)
            renames[full] = school.name
    for school in schools:
        if school.copy_of:
            renames[_DEMO_NAMES[school.copy_of]] = " ".join(school.name.split()[:2])
            renames[f"{school.copy_of}-"] = f"{school.code}-"
    for school in schools:
        if school.copy_of:
            renames[school.copy_of] = school.code
    return renames


def write_partnership_copy(folder, partnership, mark=""):
    """One other partnership's workbook and its schools' (copies of the demo's, renamed),
    never over existing files. ``mark``: a word added to every long text (the tests'
    way to tell a partnership's text from another's). Returns the paths written."""
    from openpyxl import load_workbook

    folder = Path(folder)
    written = []
    for school in partnership.schools:
        path = folder / school.file
        if not school.copy_of or path.exists():
            continue
        book = load_workbook(folder / data.SCHOOL_FILES[school.copy_of])
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    cell.value = _renamed(cell.value, _renames([school]), mark)
        for row in book["SIP priorities"].iter_rows(min_row=2):
            row[6].value = "Yes"  # its schools share every priority with the partnership
        book.save(path)
        written.append(path)
    path = folder / partnership.file
    if not path.exists():
        book = load_workbook(folder / PARTNERSHIP_FILE)
        schools = book["Schools"]
        schools.delete_rows(2, schools.max_row)
        for school in partnership.schools:
            if school.copy_of:
                schools.append([school.code, school.name, school.file, "Primary", school.head, school.chair])
            else:  # a demo school in this partnership too, with the workbook it has
                schools.append(next(row for row in data.SCHOOLS if row[0] == school.code))
        renames = _renames(partnership.schools)
        for title in ("Action plan", "Calendar", "Themes"):
            for row in book[title].iter_rows(min_row=2):
                for cell in row:
                    cell.value = _renamed(cell.value, renames, mark)
        book["RSVP"].delete_rows(2, book["RSVP"].max_row)  # the demo's replies are its own people's
        book.save(path)
        written.append(path)
    return written


def write_supporter_workbook(folder, rows=(), today=None):
    """The county's own workbook, with a Development visits tab (``rows`` under its header);
    never over an existing file."""
    path = Path(folder) / SUPPORTER_FILE
    if path.exists():
        return []
    book = Workbook()
    _bold_row(_sheet(book, "Development visits", [VISITS_HEADER] + [list(r) for r in rows], first=True,
                     real_dates=True), 1)
    book.save(path)
    return [path]


def demo_visits(today):
    """The county's development visits of this term (however early in it today is), in the
    words of seed 003."""
    from domain.reports import periods

    term = periods(today)[0]
    day = lambda weeks: data.uk_date(min(today, term.starts + timedelta(weeks=weeks)))  # noqa: E731
    return [
        ["", day(1), "Our partnership", "Both heads, both chairs, the county's officer",
         "A partnership that lasts beyond its first plan", "Stronger collaborative working\nIncreased accountability "
         "to each other", "Releasing staff\nInvolvement of governors", "Plan diary dates early",
         "Link up with the other partnerships on moderation", "County officer"],
        ["", day(2), "Oakfield Cluster", "Heads of both schools", "Shared expertise across the cluster",
         "Shared expertise\nA range of CPD activities", "Releasing staff\nChanges of staffing and leadership",
         "The benefits of an independent chair", "Appoint an independent chair", "County officer"],
        ["", day(3), "Riverside Trust", "Heads and the trust's school improvement lead",
         "Better transition between Year 6 and Year 7", "Stronger collaborative working",
         "Releasing staff\nWell-being of staff working across schools", "Plan diary dates early",
         "Collective recruitment", "County officer"],
    ]
