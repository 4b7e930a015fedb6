"""Schools and workbooks, for partnership coordinators: every school as the Schools tab
lists it with its workbook's state, the sheets check on request, every edit waiting."""
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from domain import edits, plans, school_accounts, schools
from domain.access import SCHOOLS_REFUSAL, can_manage_schools
from domain.models import School, SchoolSignIn
from sync.backends.google import spreadsheet_url

from ..auth.school_accounts import provider_keys, providers
from ..extensions import db
from ..hx import fragment, page, wants_fragment
from . import checks
from .forms import SchoolSignInForm

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


def _partnership_ref(lines):
    return (lines[0].workbook.ref if lines[0].workbook else "") or g.partnership.workbook_ref or \
        current_app.config["PARTNERSHIP_WORKBOOK"]


def _context(focus=False):
    lines = schools.workbook_lines(db.session)
    job = checks.latest(db.session, g.partnership)
    return dict(lines=lines, partnership=workbook_link(_partnership_ref(lines)), workbook_link=workbook_link,
                names={line.code: line.school.name for line in lines if line.school}, check_job=job,
                checks=checks.results(job), focus=focus, waiting=edits.pending(db.session))


@bp.get("/")
def index():
    """The page; it never calls the spreadsheet service (the check is a POST)."""
    return page(render_template("schools/index.html", **_context()))


@bp.post("/check")
def check():
    """Ask for the sheets check (a background job: it reads every workbook once, which may
    take a minute); the page follows it."""
    checks.ask_for(db.session, g.partnership, _partnership_ref(schools.workbook_lines(db.session)), current_user.id)
    db.session.commit()
    context = _context()
    if wants_fragment("sheets-check"):
        return fragment(render_template("schools/_check.html", **context))
    return page(render_template("schools/index.html", **context))


@bp.get("/check")
def check_status():
    """Where the check has got to: the page follows it with htmx until its result is in."""
    return fragment(render_template("schools/_check.html", **_context(focus=True)))


@bp.get("/sign-in")
def sign_in():
    """Each school's school-account settings: where its accounts come from, and whether its
    staff must use one."""
    rows = {row.school_id: row for row in db.session.scalars(select(SchoolSignIn))}
    return page(render_template("schools/sign_in.html", schools=plans.schools(db.session), rows=rows,
                                providers=providers()))


@bp.route("/<code>/sign-in", methods=["GET", "POST"])
def school_sign_in(code):
    """How this partnership's people of a school sign in (a school in two partnerships: each
    names its own, for the people it invited)."""
    school = db.session.scalar(select(School).where(School.code == code))
    if school is None:
        abort(404)
    row = school_accounts.settings_of(db.session, g.partnership.id, school)
    was_required = row.school_accounts_only
    form = SchoolSignInForm(data=dict(email_domains=row.email_domains, microsoft_tenants=row.microsoft_tenants,
                                      school_accounts_only=row.school_accounts_only))
    if form.validate_on_submit():
        try:
            school_accounts.save_settings(db.session, current_user, g.partnership.id, school,
                                          form.email_domains.data, form.microsoft_tenants.data,
                                          form.school_accounts_only.data, provider_keys())
        except school_accounts.SettingsError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Saved how {school.name}'s people sign in." + (
                " Its staff and head are signed out, and sign in again with their school account."
                if form.school_accounts_only.data and not was_required else ""), "info")
            return redirect(url_for("schools.sign_in"), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("schools/school_sign_in.html", school=school, form=form, providers=providers()), status
