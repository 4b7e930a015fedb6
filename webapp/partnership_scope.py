"""Every request is held to one partnership (domain/scope.py): the one the signed-in
person chose among those they work in, else the one that invited them. A visitor who
is not signed in is held to none: the few pages they may open (signing in, a password
link, a private calendar feed) find their person on purpose, then enter that person's
partnership (``enter_for``); those that name the coordinators to ask name the hub's
partnership's when it holds one (``enter_the_only``), and none when it holds several."""
from flask import abort, g, redirect, request, session, url_for
from flask_login import current_user

from domain import partnerships, scope
from domain.access import is_officer
from domain.models import Partnership

from .extensions import db

CHOSEN = "partnership"  # the key, in Flask's session, of the partnership the person chose
NOBODY = 0  # no partnership has this id: a visitor's queries find nothing of any
OFFICERS_PAGES = {"support", "auth", "school_accounts", "health", None}  # None: the static files


def register(app):
    @app.before_request
    def hold_to_partnership():
        user = current_user._get_current_object()  # loaded whatever the partnership (auth/sessions.py)
        pid = partnerships.chosen(db.session, user, session.get(CHOSEN), _elsewhere())
        enter_for_id(pid)
        if user.is_authenticated and is_officer(user) and request.endpoint and request.blueprint not in OFFICERS_PAGES:
            # An officer is in no partnership: their pages are what partnerships share with them.
            if request.endpoint == "plans.home":
                return redirect(url_for("support.home"))
            abort(403, description="An officer sees what the partnerships share with them, from their own home.")

    @app.context_processor
    def the_partnership():
        return {"partnership": g.get("partnership"), "partnerships_of_mine": _mine}


def enter_for_id(pid):
    scope.enter(db.session, pid if pid is not None else NOBODY)
    g.partnership = db.session.get(Partnership, pid) if pid else None


def enter_for(user):
    """A page opened without a session, once it knows whose it is: their partnership."""
    enter_for_id(user.partnership_id)


def enter_the_only():
    """For a visitor: the hub's partnership, if it holds just one."""
    enter_for_id(partnerships.only(db.session))


def choose(pid):
    """The partnership the person's next pages show (they work in it: checked by the caller)."""
    session[CHOSEN] = pid


def _mine():
    """The partnerships the signed-in person works in (a switcher shows when there are two)."""
    if not current_user.is_authenticated:
        return []
    if "mine" not in g:
        g.mine = partnerships.of_person(db.session, current_user, _elsewhere())
    return g.mine


def _elsewhere():
    """Whether the signed-in person's school is in another partnership, as read with them
    (auth/sessions.py); True (ask) when that was not read for this person."""
    signed_in = g.get("signed_in")
    return signed_in.elsewhere if signed_in and signed_in.user is current_user._get_current_object() else True
