"""A second partnership beside the demo's, for the tests of what crosses (and what may
not cross) a partnership's boundary: its own partnership workbook and school, made
from copies of the demo's files with every long text marked as its own (MARK)."""
import shutil
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from domain import partnerships
from domain.models import School, User
from webapp.extensions import db
from webapp.syncing import sync_now

from .conftest import _HASH

MARK = "Oakfield-only"  # in the other partnership's sheets, and nowhere else
OTHER_FILE = "oakfield-partnership.xlsx"
OAKFIELD = ["OK", "Oakfield Primary School", "oakfield.xlsx", "Primary", "Olu Oke", "Odette Grey"]
OTHER_PEOPLE = {
    "ok_admin": ("coordinator@oakfield.test.school", "admin", None),
    "ok_head": ("head@ok.test.school", "head", "OK"),
    "ok_staff": ("staff@ok.test.school", "staff", "OK"),
}


def _mark(sheet, skip_rows=1):
    """Every long text of the tab marked as the other partnership's."""
    for row in sheet.iter_rows(min_row=skip_rows + 1):
        for cell in row:
            if isinstance(cell.value, str) and len(cell.value) > 25:
                cell.value = f"{cell.value} ({MARK})"


def write_other_partnership(folder, schools=(OAKFIELD,)):
    """The other partnership's workbook (its Schools tab listing ``schools``) and Oakfield's."""
    folder = Path(folder)
    book = load_workbook(folder / "partnership.xlsx")
    tab = book["Schools"]
    tab.delete_rows(2, tab.max_row)
    for row in schools:
        tab.append(list(row))
    for title in ("Action plan", "Calendar", "Themes"):
        _mark(book[title])
    calendar = book["Calendar"]
    for row in calendar.iter_rows(min_row=2):
        row[5].value, row[6].value, row[7].value = "OK", "All schools", ""  # host, invited, lead
    rsvp = book["RSVP"]
    rsvp.delete_rows(2, rsvp.max_row)  # the demo's replies are its own people's
    book.save(folder / OTHER_FILE)
    shutil.copy(folder / "bank-road.xlsx", folder / "oakfield.xlsx")
    school = load_workbook(folder / "oakfield.xlsx")
    for title in ("Action plan", "Impact log", "SIP priorities"):
        _mark(school[title])
    for row in school["SIP priorities"].iter_rows(min_row=2):
        row[6].value = "Yes"  # every priority shared with its partnership
    school.save(folder / "oakfield.xlsx")


def add_other_partnership(app, folder, schools=(OAKFIELD,)):
    """The Oakfield Cluster added, synced, with a coordinator, a head and a teacher."""
    write_other_partnership(folder, schools)
    with app.app_context():
        partnership, coordinator = partnerships.add(
            db.session, "Oakfield Cluster", OTHER_FILE, OTHER_PEOPLE["ok_admin"][0], "Olive Coordinator")
        coordinator.password_hash = _HASH
        db.session.commit()
        pid = partnership.id
    report = sync_now(app, "test")
    assert report.ok, [r.line() for r in report.results]
    with app.app_context():
        schools = {s.code: s for s in db.session.scalars(select(School))}
        for email, role, code in OTHER_PEOPLE.values():
            if code:
                db.session.add(User(email=email, role=role, school=schools[code], partnership_id=pid,
                                    name=email.split("@")[0], password_hash=_HASH))
        db.session.commit()
    return pid


SUPPORTER_FILE = "county.xlsx"
VISITS_HEADER = ["ID", "Date", "Partnership", "Present", "Vision and intended outcomes", "Successes", "Challenges",
                 "Lessons", "Next steps", "Recorded by"]
OFFICER = "officer@county.test.gov"


def write_supporter_workbook(folder, rows=()):
    """The county's own workbook: a Development visits tab, with ``rows`` under its header."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Development visits"
    sheet.append(VISITS_HEADER)
    for row in rows:
        sheet.append(list(row))
    book.save(Path(folder) / SUPPORTER_FILE)


def add_supporter(app, folder, sharing=("oakfield-cluster",), rows=()):
    """The County Council supporting both partnerships (those in ``sharing`` share with it),
    its workbook synced, and an officer who can sign in."""
    from domain import supporters

    write_supporter_workbook(folder, rows)
    with app.app_context():
        county = supporters.add(db.session, "County Council", SUPPORTER_FILE)
        for each in partnerships.all_partnerships(db.session):
            partnerships.set_support(db.session, each, county, each.slug in sharing)
        officer = supporters.invite_officer(db.session, county, OFFICER, "Olwen Officer")
        officer.password_hash = _HASH
        db.session.commit()
    report = sync_now(app, "test")
    assert report.ok, [r.line() for r in report.results]
