"""Officers of the authority that supports the partnerships: what each partnership shares
with it (and nothing it does not), development visits recorded in the browser and read
from the county's own workbook, and the report across partnerships drafted, edited,
published and read back from its PDF and .docx."""
import io
from datetime import timedelta

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, update

from domain import reports, scope, supporters
from domain.models import DevelopmentVisit, Report, SipPriority
from webapp.extensions import db
from webapp.syncing import drain_now, sync_now

from ..conftest import _HASH, SUITE_DAY, csrf_token, signed_in
from ..partnership_helpers import (
    MARK,
    OFFICER,
    SUPPORTER_FILE,
    add_other_partnership,
    add_supporter,
)
from .test_edits import wait_for_outbox

YESTERDAY = SUITE_DAY - timedelta(days=1)


def _uk(day):
    return f"{day:%d/%m/%Y}"


@pytest.fixture
def county(synced_app, workbook_dir):
    """Two partnerships supported by the County Council; only the Oakfield Cluster shares.
    A visit to it is in the county's sheet already, saying what the seed's partnerships said."""
    add_other_partnership(synced_app, workbook_dir)
    typed = ["", _uk(YESTERDAY), "Oakfield Cluster", "Heads of both schools", "A shared vision for writing",
             "Stronger collaborative working\nShared expertise in moderation", "Releasing staff",
             "Plan diary dates", "Appoint an independent chair", "Olwen Officer"]
    add_supporter(synced_app, workbook_dir, rows=[typed])
    return synced_app


def _post(client, path, data, page):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page)})


def test_an_officer_sees_only_what_a_partnership_shares(county):
    officer = signed_in(county, OFFICER)
    home = officer.get("/support").get_data(as_text=True)
    assert "Oakfield Cluster</a>" in home and "Our partnership: " in home and "shares nothing" in home
    assert officer.get("/support/partnerships/our-partnership").status_code == 404  # shares nothing
    shared = officer.get("/support/partnerships/oakfield-cluster").get_data(as_text=True)
    assert MARK in shared and "Oakfield Primary School" in shared  # the priorities its school shares, and whose
    assert "No signed review of its joint plan yet" in shared  # its plan by area comes from signed reviews only
    with county.app_context(), scope.entered(db.session, 2):
        hidden = db.session.scalar(select(SipPriority).order_by(SipPriority.id))
        hidden.share = False
        db.session.commit()
        unshared = hidden.priority
    assert unshared not in officer.get("/support/partnerships/oakfield-cluster").get_data(as_text=True)
    # an officer is in no partnership: its pages are not theirs
    assert officer.get("/").headers["Location"].endswith("/support")
    for path in ("/plans/joint", "/plans/OK", "/priorities", "/calendar", "/people", "/partnerships"):
        assert officer.get(path).status_code == 403, path
    # ...and a partnership's people do not see the officers' pages
    assert signed_in(county, "admin").get("/support").status_code == 403


def test_a_coordinator_chooses_what_is_shared_and_the_heads_see_it_listed(county):
    admin = signed_in(county, "admin")
    page = admin.get("/partnerships").get_data(as_text=True)
    assert "County Council supports Our partnership, and nothing is shared with them" in page
    response = _post(admin, "/partnerships/support", {"supporter": "county-council", "shares": "y"}, "/partnerships")
    assert response.status_code == 303
    head = signed_in(county, "br_head").get("/partnerships").get_data(as_text=True)
    assert "Our partnership shares with County Council" in head and "its signed termly reviews" in head
    officer = signed_in(county, OFFICER)
    assert officer.get("/support/partnerships/our-partnership").status_code == 200
    _post(admin, "/partnerships/support", {"supporter": "county-council"}, "/partnerships")  # unticked: stop
    assert officer.get("/support/partnerships/our-partnership").status_code == 404


def test_a_visit_recorded_in_the_browser_goes_to_the_countys_workbook(county, workbook_dir):
    officer = signed_in(county, OFFICER)
    refused = _post(officer, "/support/visits/new", {"partnership": "oakfield-cluster", "date": ""}, "/support/visits/new")
    assert refused.status_code == 422 and "Enter the day of the visit" in refused.get_data(as_text=True)
    response = _post(officer, "/support/visits/new", {
        "partnership": "oakfield-cluster", "date": YESTERDAY.isoformat(), "present": "Both heads, the chair",
        "successes": "• Increased accountability to each other\n• Shared expertise in moderation",
        "challenges": "Releasing staff", "lessons": "", "next_steps": "Link up with other partnerships",
    }, "/support/visits/new")
    assert response.status_code == 303
    visit = officer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Increased accountability to each other" in visit and "Link up with other partnerships" in visit
    wait_for_outbox(county)  # the drain the save asked for, in the background
    drain_now(county, only_due=False)
    rows = list(load_workbook(workbook_dir / SUPPORTER_FILE)["Development visits"].iter_rows(values_only=True))
    written = [row for row in rows if row[2] == "Oakfield Cluster" and row[3] == "Both heads, the chair"]
    assert written and written[0][0].startswith("D-V")
    assert sync_now(county, "test").ok  # read back: still one visit, with its ID
    with county.app_context():
        assert db.session.scalar(select(DevelopmentVisit).where(DevelopmentVisit.sheet_id == written[0][0])
                                 .execution_options(hub_wide=True)).present == "Both heads, the chair"


def test_the_report_is_drafted_from_the_data_edited_published_and_kept(county):
    officer = signed_in(county, OFFICER)
    _post(officer, "/support/visits/new", {
        "partnership": "oakfield-cluster", "date": SUITE_DAY.isoformat(), "successes": "Stronger collaborative working",
        "challenges": "", "lessons": "", "next_steps": ""}, "/support/visits/new")
    _post(officer, "/support/visits/new", {  # a partnership that shares nothing: the visit is the county's own
        "partnership": "our-partnership", "date": SUITE_DAY.isoformat(), "successes": "",
        "challenges": "• releasing staff.", "lessons": "", "next_steps": ""}, "/support/visits/new")
    page = officer.get("/support/reports").get_data(as_text=True)
    period = next(v for v in __import__("re").findall(r'<option[^>]*value="([^"]+)"', page))
    drafted = _post(officer, "/support/reports", {"period": period}, "/support/reports")
    assert drafted.status_code == 303
    draft = officer.get(drafted.headers["Location"]).get_data(as_text=True)
    assert "Point, said by 2 partnerships" in draft  # "Releasing staff", "• releasing staff.": one point
    assert "/support/visits/" in draft  # every point links to its source
    with county.app_context():
        report = db.session.scalar(select(Report).execution_options(hub_wide=True))
        points = [p for s in report.sections for g in s["groups"] for p in g["points"]]
        stronger = next(p for p in points if p["text"] == "Stronger collaborative working")
        assert len(stronger["sources"]) == 2 and stronger["count"] == 1  # two visits, one partnership
        releasing = next(p for p in points if p["text"] == "Releasing staff")
        assert releasing["count"] == 2 and len(releasing["sources"]) == 2
        # what Our partnership does not share is nowhere: no plan, priority or strength of its
        shared_only = [p for s in report.sections[len(reports.CATEGORIES):] for g in s["groups"] for p in g["points"]]
        assert shared_only and not any("Our partnership" in str(p["sources"]) for p in shared_only)
        report_id = report.id
    form = {"title": "Development visits: summary report", "point-0-0-0": "Commitment grew across the cluster"}
    saved = _post(officer, f"/support/reports/{report_id}", form, f"/support/reports/{report_id}")
    assert saved.status_code == 303
    assert _post(officer, f"/support/reports/{report_id}/publish", {}, f"/support/reports/{report_id}").status_code == 303
    pdf = officer.get(f"/support/reports/{report_id}.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Development visits: summary report" in text and "Commitment grew across the cluster" in text
    word = Document(io.BytesIO(officer.get(f"/support/reports/{report_id}.docx").data))
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[0] == "Development visits: summary report"
    assert any(p.startswith("Commitment grew across the cluster") for p in paragraphs)
    assert any("Source: Development visit to Oakfield Cluster" in p and county.config["HUB_URL"] in p
               for p in paragraphs)
    # published: kept as it was, by the page and by the database
    again = _post(officer, f"/support/reports/{report_id}", {"title": "Changed"}, f"/support/reports/{report_id}")
    assert again.status_code == 409
    with county.app_context():
        with pytest.raises(Exception, match="kept as it was published"):
            db.session.execute(update(Report).where(Report.id == report_id).values(title="Changed")
                               .execution_options(hub_wide=True))
            db.session.commit()
        db.session.rollback()


def test_a_head_finds_another_partnerships_school_working_on_the_same_theme(county):
    head = signed_in(county, "br_head")
    closed = head.get("/partnerships/directory?theme=attendance").get_data(as_text=True)
    assert "does not share with an authority or trust" in closed and "Oakfield" not in closed
    admin = signed_in(county, "admin")
    _post(admin, "/partnerships/support", {"supporter": "county-council", "shares": "y"}, "/partnerships")
    found = head.get("/partnerships/directory?theme=Attendance").get_data(as_text=True)
    assert "Oakfield Primary School" in found and "Olu Oke" in found
    assert "Improve attendance of persistent absentees" in found
    assert "Bank Road" not in found.split("<main")[1].split("</main>")[0]  # its own partnership is not listed
    with county.app_context(), scope.entered(db.session, 2):
        attendance = db.session.scalar(select(SipPriority).where(SipPriority.theme == "Attendance"))
        attendance.share = False  # Oakfield keeps it to itself now
        db.session.commit()
    assert "Olu Oke" not in head.get("/partnerships/directory?theme=attendance").get_data(as_text=True)
    assert signed_in(county, "br_staff").get("/partnerships/directory").status_code == 403


def test_another_supporters_officer_sees_none_of_it(county):
    with county.app_context():
        trust = supporters.add(db.session, "Other Trust")
        other = supporters.invite_officer(db.session, trust, "officer@trust.test.org", "Tom Trust")
        other.password_hash = _HASH
        db.session.commit()
        visit = db.session.scalar(select(DevelopmentVisit.id).execution_options(hub_wide=True))
    officer = signed_in(county, OFFICER)
    page = officer.get("/support/reports").get_data(as_text=True)
    period = __import__("re").search(r'<option[^>]*value="([^"]+)"', page).group(1)
    report = _post(officer, "/support/reports", {"period": period}, "/support/reports").headers["Location"]
    stranger = signed_in(county, "officer@trust.test.org")
    assert "Oakfield" not in stranger.get("/support").get_data(as_text=True)
    for path in (f"/support/visits/{visit}", report, "/support/partnerships/oakfield-cluster"):
        assert stranger.get(path).status_code == 404, path
    assert "Releasing staff" not in stranger.get("/support/visits").get_data(as_text=True)
