"""Flask-Login wiring: sessions that end when the user's session_version moves."""
from flask import flash, redirect, request, url_for

from domain.models import User

from ..extensions import db
from ..hx import fragment, is_htmx


def configure_login_manager(manager):
    manager.login_view = "auth.login"
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(session_id):
        """The user for a session id 'ID:VERSION'; None ends the session."""
        user_id, _, version = session_id.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user

    @manager.unauthorized_handler
    def unauthorized():
        """Send the visitor to sign in, then back to where they were going."""
        flash("Please sign in to see this page.", "info")
        target = url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None)
        if is_htmx():
            return fragment("", redirect=target)  # a whole-page visit, not a swap
        return redirect(target)
