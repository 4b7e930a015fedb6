"""People, for partnership coordinators: everyone who signs in, invitations, changes of
role, school or chair, deactivation, password links, and the audit list of all of it."""
from dataclasses import astuple

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from domain import kept, people, plans, school_accounts
from domain.access import PEOPLE_REFUSAL, can_manage_people, manages_person
from domain.models import ROLES, User
from domain.paging import Page
from domain.people import ROLE_NAMES, Filters
from domain.users import UserError

from ..auth.links import mail_to, send_password_link
from ..auth.school_accounts import provider_names
from ..extensions import db
from ..hx import fragment, page, wants_fragment
from ..mail import mail_configured
from ..params import page_number, pager
from .forms import InviteForm, PersonForm

bp = Blueprint("people", __name__, url_prefix="/people")

RECENT_CHANGES = 10  # on the people page; the rest, paged, under "Every change"


@bp.before_request
@login_required
def require_coordinator():
    """Partnership coordinators only; everyone else is told so."""
    if not can_manage_people(current_user):
        abort(403, description=PEOPLE_REFUSAL)


def _filters():
    args = {name: request.args.get(name, "").strip()[:200] for name in ("q", "school", "role")}
    return Filters(**args)


def _managed_or_403(person_id):
    """The person, if this partnership manages them: one its coordinators invited. The
    people of a school in two partnerships are managed by the one that invited them (a
    deactivation would end their access to both)."""
    person = _person_or_404(person_id)
    if not manages_person(g.partnership, person):
        abort(403, description=f"{person.name} was invited by another partnership their school is in: "
                               "its coordinators change their role and access.")
    return person


def _person_or_404(person_id):
    person = db.session.get(User, person_id)
    if person is None:
        abort(404)
    return person


@bp.get("")
def index():
    """Everyone who signs in, a page at a time: searched by name, e-mail, school or role
    and filtered by school and role, in the database; the search and the page in the address."""
    filters = _filters()
    found = people.listed(db.session, filters, page_number())
    number = found.number
    args = {k: v for k, v in vars(filters).items() if v}
    list_only = wants_fragment("people-list")

    def draw():
        shown = people.listing_page(db.session, filters, found)
        return Markup(render_template("people/_list.html", shown=shown, filters=filters, count_oob=list_only,
                                      pager=pager(shown, "people.index", labels=("← Previous", "Next →"), **args)))

    # Drawn once and kept for every coordinator who asks the same: the partnership's versions
    # move with a change to anyone's name, e-mail, role, school or state, and the key holds
    # the count and the page's people with their last sign-in. Not a search (each pause in
    # the typing asks for one): kept, they would crowd out what others read again.
    list_html = draw() if filters.q else kept.for_partnership(
        db.session, ("people drawn", astuple(filters), found, list_only), draw)
    if list_only:
        canonical = url_for("people.index", **args, page=number if number > 1 else None)
        return fragment(list_html, push_url=canonical)
    return page(render_template(
        "people/index.html", list_html=list_html, filters=filters,
        shown=Page([], found.total, number, people.PER_PAGE),  # what the count above the list says
        schools=plans.school_choices(db.session), roles=[(r, ROLE_NAMES[r]) for r in ROLES],
        changes=people.latest_changes(db.session, RECENT_CHANGES)))


@bp.route("/invite", methods=["GET", "POST"])
def invite():
    """A new person: they get a link to choose their password (by e-mail, or passed on)."""
    form = InviteForm().with_schools(plans.schools(db.session))
    if form.validate_on_submit():
        try:
            person, also = people.invite(db.session, current_user, form.email.data, form.name.data,
                                         form.role.data, form.school.data or None, form.chair.data)
        except UserError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            link = send_password_link(person, current_user, invited=True)
            db.session.commit()
            return _link_sent(person, link, f"{person.name} is invited.", also)
    status = 422 if form.is_submitted() else 200
    return render_template("people/invite.html", form=form, mail=mail_configured()), status


def _link_sent(person, link, done, also=()):
    """After an invitation or a new link: by e-mail, a message; otherwise the link, shown this once.
    ``also``: what else changed, in words (the school's previous chair of governors)."""
    also = " ".join(f"{line}." for line in also)
    if link is None:
        flash(f"{done} A link to choose a password is on its way to {person.email}. {also}".strip(), "info")
        return redirect(url_for("people.person", person_id=person.id), 303)
    # Not a redirect: the link is in this page only, never in a URL or the browser's history.
    return render_template("people/link.html", person=person, link=link, done=done, also=also,
                           mail=mail_configured())


@bp.get("/<int:person_id>")
def person(person_id):
    person = _person_or_404(person_id)
    form = PersonForm(data=dict(role=person.role, school=person.school.code if person.school else "",
                                chair=person.chair)).with_schools(plans.schools(db.session))
    return _person_page(person, form)


def _person_page(person, form, status=200):
    return render_template("people/person.html", person=person, form=form,
                           account_links=school_accounts.links_of(db.session, person),
                           provider_names=provider_names(),
                           managed=manages_person(g.partnership, person), mail=mail_to(db.session, person),
                           changes=people.changes_to(db.session, person, RECENT_CHANGES)), status


@bp.get("/<int:person_id>/mail")
def mail_status(person_id):
    """How the newest e-mail to the person is going: the person's page follows it with htmx."""
    person = _person_or_404(person_id)
    return fragment(render_template("people/_mail_status.html", person=person, mail=mail_to(db.session, person),
                                    managed=manages_person(g.partnership, person)))


@bp.post("/<int:person_id>")
def change(person_id):
    """A new role, school or chair."""
    person = _managed_or_403(person_id)
    form = PersonForm().with_schools(plans.schools(db.session))
    if form.validate_on_submit():
        try:
            said = people.change(db.session, current_user, person, form.role.data, form.school.data or None,
                                 form.chair.data)
        except UserError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Saved: {'; '.join(said)}." if said else "Nothing to change.", "info")
            return redirect(url_for("people.person", person_id=person.id), 303)
    return _person_page(person, form, 422)


def _act(person_id, action, done):
    person = _managed_or_403(person_id)
    try:
        action(db.session, current_user, person)
    except UserError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(done.format(name=person.name), "info")
    return redirect(url_for("people.person", person_id=person.id), 303)


@bp.post("/<int:person_id>/deactivate")
def deactivate(person_id):
    return _act(person_id, people.deactivate_person, "{name} is deactivated: they are signed out everywhere "
                                                      "and cannot sign in.")


@bp.post("/<int:person_id>/reactivate")
def reactivate(person_id):
    return _act(person_id, people.reactivate_person, "{name} can sign in again, with their password as it was.")


@bp.post("/<int:person_id>/links/<int:link_id>/remove")
def remove_link(person_id, link_id):
    """Unlink a school account (a wrong one, or one the school has closed): the person's next
    sign-in with a school account links it afresh, by the address its provider vouches for."""
    person = _managed_or_403(person_id)
    if school_accounts.unlink(db.session, current_user, person, link_id, provider_names()):
        db.session.commit()
        flash(f"{person.name}'s school account is no longer linked, and they are signed out everywhere.", "info")
    return redirect(url_for("people.person", person_id=person.id), 303)


@bp.post("/<int:person_id>/password-link")
def password_link(person_id):
    """The same signed link as an invitation; their current password works until they choose a new one."""
    person = _managed_or_403(person_id)
    if not person.active:
        flash(f"{person.name} is deactivated: reactivate them first.", "error")
        return redirect(url_for("people.person", person_id=person.id), 303)
    by_hand = request.form.get("by_hand") == "1"  # the e-mail is not getting through: pass one on instead
    link = send_password_link(person, current_user, by_hand=by_hand)
    db.session.commit()
    return _link_sent(person, link, f"A new password link for {person.name}.")


@bp.get("/changes")
def changes():
    """Every change to people, newest first, 25 a page."""
    changes = people.changes(db.session, page_number())
    return render_template("people/changes.html", changes=changes.items,
                           pager=pager(changes, "people.changes"))
