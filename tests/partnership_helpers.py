"""A second partnership beside the demo's, for the tests of what crosses (and what may
not cross) a partnership's boundary: its own partnership workbook and school, made
from copies of the demo's files with every long text marked as its own (MARK)."""

from sqlalchemy import select

from domain import partnerships
from domain.models import School, User
from sync.demo import (
    OtherPartnership,
    OtherSchool,
    write_partnership_copy,
    write_supporter_workbook,
)
from webapp.extensions import db
from webapp.syncing import sync_now

from .conftest import _HASH

MARK = "Oakfield-only"  # in the other partnership's sheets, and nowhere else
OTHER_FILE = "oakfield-partnership.xlsx"
OAKFIELD = OtherSchool("OK", "Oakfield Primary School", "oakfield.xlsx", "Olu Oke", "Odette Grey", "BR")
WILLIAM_LILLEY = OtherSchool("WL", "", "william-lilley.xlsx", "", "", "")  # the demo's own, in both
OTHER_PEOPLE = {
    "ok_admin": ("coordinator@oakfield.test.school", "admin", None),
    "ok_head": ("head@ok.test.school", "head", "OK"),
    "ok_staff": ("staff@ok.test.school", "staff", "OK"),
}


def write_other_partnership(folder, schools=(OAKFIELD,)):
    """The Oakfield Cluster's workbook (its Schools tab listing ``schools``) and its schools',
    made as the demo across partnerships makes them, every long text marked as its own."""
    write_partnership_copy(folder, OtherPartnership("Oakfield Cluster", OTHER_FILE, tuple(schools)), mark=MARK)


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
OFFICER = "officer@county.test.gov"


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
