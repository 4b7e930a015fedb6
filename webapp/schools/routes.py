"""Schools and workbooks, for partnership coordinators: every school as the Schools tab
lists it with its workbook's state, the sheets check on request, every edit waiting."""
from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user, login_required

from domain import edits, schools
from domain.access import SCHOOLS_REFUSAL, can_manage_schools
from sync.backends.google import spreadsheet_url
from sync.setup_check import check_partnership, year_kinds

from ..extensions import db
from ..hx import fragment, page, wants_fragment
from ..syncing import backend_for

bp = Blueprint("schools", __name__, url_prefix="/schools")


@bp.before_request
@login_required
def require_admin():
    """Coordinators only: the workbooks' addresses and everyone's edits are theirs."""
    if not can_manage_schools(current_user):
        abort(403, description=SCHOOLS_REFUSAL)


def workbook_link(ref):
    """(href, text) for a workbook's ref: on Google a link to the spreadsheet; on the
    .xlsx backend the file name, with no link (the file is on the server)."""
    if current_app.config["SHEETS_BACKEND"] == "google":
        return spreadsheet_url(ref), ref
    return None, ref


def _context(checks=None):
    lines = schools.workbook_lines(db.session)
    partnership_ref = (lines[0].workbook.ref if lines[0].workbook else "") or current_app.config["PARTNERSHIP_WORKBOOK"]
    return dict(lines=lines, partnership=workbook_link(partnership_ref), workbook_link=workbook_link,
                names={line.code: line.school.name for line in lines if line.school}, checks=checks,
                waiting=edits.pending(db.session))


@bp.get("/")
def index():
    """The page; it never calls the spreadsheet service (the check is a POST)."""
    return page(render_template("schools/index.html", **_context()))


@bp.post("/check")
def check():
    """Run `sheets check`: reads every workbook once, so it may take a while."""
    results = check_partnership(backend_for(current_app), current_app.config["PARTNERSHIP_WORKBOOK"],
                                year_kinds(db.session))
    context = _context(results)
    if wants_fragment("sheets-check"):
        return fragment(render_template("schools/_check.html", focus=True, **context))
    return page(render_template("schools/index.html", **context))
