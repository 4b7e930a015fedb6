"""Partnerships: the ones a person works in and which one their pages show; for a
coordinator, their partnership's name and adding another partnership to the hub.
Rules are in domain/partnerships.py; every request is held to one (partnership_scope.py)."""
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from domain import partnerships, supporters
from domain.access import DIRECTORY_REFUSAL, can_manage_schools, can_use_directory
from domain.directory import find as find_in_directory
from domain.directory import others as find_others
from domain.directory import themes as directory_themes
from sync.errors import WorkbookUnavailable

from ..auth.links import send_password_link
from ..extensions import db
from ..mail import mail_configured
from ..partnership_scope import choose as choose_partnership
from ..syncing import backend_for, request_sync
from .forms import ChooseForm, NewPartnershipForm, RenameForm, SupportForm

bp = Blueprint("partnerships", __name__, url_prefix="/partnerships")
COORDINATORS_ONLY = "Partnership coordinators name their partnership and add new ones."


@bp.before_request
@login_required
def require_login():
    """Signed-in people only; what each may do is said by each view."""


def _support_form(form=None):
    form = form or SupportForm(data={"supporter": g.partnership.supporter.slug if g.partnership.supporter else "",
                                     "shares": g.partnership.shares_with_supporter})
    form.supporter.choices = [("", "No authority or trust")] + [
        (s.slug, s.name) for s in supporters.all_supporters(db.session)]
    return form


def _page(add_form=None, rename_form=None, support_form=None, status=200):
    coordinator = can_manage_schools(current_user)
    return render_template(
        "partnerships/index.html", mine=partnerships.of_person(db.session, current_user),
        choose_form=ChooseForm(), coordinator=coordinator, shared=supporters.SHARED,
        add_form=add_form or NewPartnershipForm(),
        rename_form=rename_form or RenameForm(data={"name": g.partnership.name}),
        support_form=_support_form(support_form), mail=mail_configured(),
    ), status


@bp.post("/support")
def support():
    """Who supports the partnership, and whether it shares with them (off until turned on)."""
    if not can_manage_schools(current_user):
        abort(403, description=COORDINATORS_ONLY)
    form = _support_form(SupportForm())
    if not form.validate_on_submit():
        return _page(support_form=form, status=422)
    supporter = supporters.by_slug(db.session, form.supporter.data) if form.supporter.data else None
    partnerships.set_support(db.session, g.partnership, supporter, form.shares.data)
    db.session.commit()
    if supporter is None:
        flash("No authority or trust supports the partnership now: nothing is shared.", "info")
    elif g.partnership.shares_with_supporter:
        flash(f"{g.partnership.name} now shares with {supporter.name} what the page lists.", "info")
    else:
        flash(f"{supporter.name} supports {g.partnership.name}; nothing is shared with them.", "info")
    return redirect(url_for("partnerships.index"), 303)


@bp.get("")
def index():
    """The partnerships the person works in, the one shown marked; a coordinator's tools."""
    return _page()


@bp.get("/directory")
def directory():
    """Who else, in other partnerships, works on a theme: from what they share only."""
    if not can_use_directory(current_user):
        abort(403, description=DIRECTORY_REFUSAL)
    words = request.args.get("theme", "").strip()[:200]
    return render_template("partnerships/directory.html", words=words,
                           others=find_others(db.session, g.partnership),
                           themes=directory_themes(db.session, g.partnership),
                           found=find_in_directory(db.session, g.partnership, words) if words else None)


@bp.post("/choose")
def choose():
    """Show another partnership the person works in; any other is refused."""
    form = ChooseForm()
    if not form.validate_on_submit():
        abort(400)
    wanted = partnerships.by_slug(db.session, form.partnership.data)
    if wanted is None or all(p.id != wanted.id for p in partnerships.of_person(db.session, current_user)):
        abort(404)
    choose_partnership(wanted.id)
    flash(f"Showing {wanted.name}.", "info")
    return redirect(url_for("plans.home"), 303)


@bp.post("/rename")
def rename():
    if not can_manage_schools(current_user):
        abort(403, description=COORDINATORS_ONLY)
    form = RenameForm()
    if not form.validate_on_submit():
        return _page(rename_form=form, status=422)
    try:
        partnerships.rename(db.session, g.partnership, form.name.data)
    except partnerships.PartnershipError as error:
        db.session.rollback()
        form.name.errors.append(str(error))
        return _page(rename_form=form, status=422)
    db.session.commit()
    flash(f"The partnership is now called {g.partnership.name}.", "info")
    return redirect(url_for("partnerships.index"), 303)


def _identity(ref):
    """The workbook a reference opens, as the sync knows it; a reference it refuses is said plainly."""
    try:
        return backend_for(current_app).identity(ref)
    except WorkbookUnavailable as error:
        raise partnerships.PartnershipError(error.message) from None


@bp.post("")
def add():
    """A new partnership with its workbook and first coordinator, who is invited."""
    if not can_manage_schools(current_user):
        abort(403, description=COORDINATORS_ONLY)
    form = NewPartnershipForm()
    if not form.validate_on_submit():
        return _page(add_form=form, status=422)
    try:
        partnership, coordinator = partnerships.add(
            db.session, form.name.data, form.workbook.data, form.coordinator_email.data,
            form.coordinator_name.data, by=f"{current_user.name} <{current_user.email}>", identity=_identity)
    except partnerships.PartnershipError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _page(add_form=form, status=422)
    link = send_password_link(coordinator, current_user, invited=True)
    db.session.commit()
    request_sync(current_app._get_current_object(), current_user.name or "a coordinator")
    done = f"{partnership.name} is added, and {coordinator.name} is invited to coordinate it."
    if link is None:
        flash(f"{done} Their link to choose a password is on its way to {coordinator.email}. "
              "Its workbook is read at the next sync.", "info")
        return redirect(url_for("partnerships.index"), 303)
    # Not a redirect: the link is in this page only, never in a URL or the browser's history.
    return render_template("partnerships/link.html", person=coordinator, link=link, done=done,
                           mail=mail_configured())
