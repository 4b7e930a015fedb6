"""Flask-Login wiring: a session counts only while the server still holds it.

The cookie carries the user's id and session_version (``User.get_id``) and the
token of their ``UserSession`` row; the user loader checks both in one query,
so sign-out, the absolute lifetime, a password change and deactivation all end
a session even for someone holding a copy of the cookie.
"""
from flask import current_app, flash, g, redirect, request, session, url_for
from flask_login import login_user

from domain import user_sessions
from domain.models import utcnow

from ..extensions import db
from ..hx import fragment, is_htmx

SESSION_TOKEN = "session_token"  # the key, in Flask's session, of the UserSession token


def configure_login_manager(manager):
    manager.login_view = "auth.login"
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(session_id):
        """The user for a session id 'ID:VERSION' and a live session token; None ends the session."""
        user_id, _, version = session_id.partition(":")
        if not user_id.isdigit() or not version.isdigit() or len(user_id) > 18 or len(version) > 18:
            return None
        g.signed_in = user_sessions.signed_in_user(  # held for the request: the session's identity
            db.session, int(user_id), int(version), session.get(SESSION_TOKEN),  # map holds weakly
            current_app.config["SESSION_ABSOLUTE_HOURS"],
        )
        return g.signed_in.user

    @manager.unauthorized_handler
    def unauthorized():
        """Send the visitor to sign in, then back to where they were going."""
        flash("Please sign in to see this page.", "info")
        target = url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None)
        if is_htmx():
            return fragment("", redirect=target)  # a whole-page visit, not a swap
        return redirect(target)


def start_session(user):
    """Sign ``user`` in here: a new server-side session, a fresh cookie, the time noted."""
    token = user_sessions.start(db.session, user)
    user_sessions.forget_expired(db.session, current_app.config["SESSION_ABSOLUTE_HOURS"])
    user.last_sign_in_at = utcnow()
    db.session.commit()
    session.clear()  # a fresh session at sign-in: nothing carried over from before
    g.pop("signed_in", None)  # whoever the request began as (auth/sessions.load_user) is not this person
    session[SESSION_TOKEN] = token
    login_user(user)
    # Only a permanent session's cookie has an expiry (PERMANENT_SESSION_LIFETIME, renewed by
    # each request); otherwise it lasts as long as the browser, which may restore it for days.
    session.permanent = True
