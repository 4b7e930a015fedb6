"""The demo across partnerships (`flask demo authority`): three small partnerships, one
school in two of them, the county council that supports all three with its officer and
visits; and the report across them drafted from it, read back from its PDF and .docx."""
import io

from docx import Document
from pypdf import PdfReader
from sqlalchemy import func, select

from domain import partnerships
from domain.models import Membership, School
from webapp.extensions import db

from ..conftest import csrf_token, signed_in


def test_the_demo_across_partnerships_and_its_report(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "init"]).exit_code == 0
    result = runner.invoke(args=["demo", "authority"])
    assert result.exit_code == 0, result.output
    assert "Demo County Council supports 3 partnerships, all sharing" in result.output
    again = runner.invoke(args=["demo", "authority"])
    assert again.exit_code == 0 and "Wrote" not in again.output  # never overwrites
    with app.app_context():
        assert [p.name for p in partnerships.all_partnerships(db.session)] == [
            "Oakfield Cluster", "Our partnership", "Riverside Trust"]
        wl = db.session.scalar(select(School).where(School.code == "WL").execution_options(hub_wide=True))
        assert db.session.scalar(select(func.count(Membership.id)).where(Membership.school_id == wl.id)) == 2
    officer = signed_in(app, "officer@county.demo.gov", "partnership-demo")
    home = officer.get("/support").get_data(as_text=True)
    assert all(name in home for name in ("Oakfield Cluster", "Our partnership", "Riverside Trust"))
    page = officer.get("/support/reports").get_data(as_text=True)
    term = __import__("re").search(r'<option[^>]*value="([^"]+)"', page).group(1)  # this term: the visits'
    drafted = officer.post("/support/reports", data={"period": term, "csrf_token": csrf_token(officer, "/support/reports")})
    report = drafted.headers["Location"]
    officer.post(f"{report}/publish", data={"csrf_token": csrf_token(officer, report)})
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(officer.get(f"{report}.pdf").data)).pages)
    word = "\n".join(p.text for p in Document(io.BytesIO(officer.get(f"{report}.docx").data)).paragraphs)
    for text in (" ".join(pdf.split()), word):
        assert "Releasing staff (3 partnerships)" in text  # said at every visit: one point, counted
        assert "Stronger collaborative working (2 partnerships)" in text
        assert "Plan progress by area" in text and "Shared priorities across partnerships" in text
