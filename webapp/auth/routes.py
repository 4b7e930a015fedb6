"""Signing in and out."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from domain import login_limits, user_sessions
from domain.users import authenticate

from ..extensions import db
from ..safe_urls import local_path
from .forms import LoginForm
from .sessions import SESSION_TOKEN

bp = Blueprint("auth", __name__)

BAD_CREDENTIALS = "That e-mail and password do not match an account. Check them and try again."


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("plans.home"))
    form = LoginForm()
    next_url = local_path(request.args.get("next"))
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("auth/login.html", form=form, next_url=next_url), status

    cfg = current_app.config
    attempt = login_limits.begin(
        db.session, form.email.data, request.remote_addr, cfg["LOGIN_WINDOW_MINUTES"],
        cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"], cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"],
    )
    if not attempt.allowed:
        wait = attempt.wait
        form.form_errors.append(
            f"Too many failed sign-ins. Try again in {wait} minute{'s' if wait != 1 else ''}."
        )
        return render_template("auth/login.html", form=form, next_url=next_url), 429

    user = authenticate(db.session, form.email.data, form.password.data)
    if user is None:  # the attempt, recorded before the check, stays as a failure
        form.form_errors.append(BAD_CREDENTIALS)
        return render_template("auth/login.html", form=form, next_url=next_url), 422

    login_limits.succeeded(db.session, attempt, form.email.data)
    login_limits.forget_old(db.session, cfg["LOGIN_WINDOW_MINUTES"])
    token = user_sessions.start(db.session, user)
    user_sessions.forget_expired(db.session, cfg["SESSION_ABSOLUTE_HOURS"])
    db.session.commit()
    session.clear()  # a fresh session at sign-in: nothing carried over from before
    session[SESSION_TOKEN] = token
    login_user(user)
    # Only a permanent session's cookie has an expiry (PERMANENT_SESSION_LIFETIME, renewed by
    # each request); otherwise it lasts as long as the browser, which may restore it for days.
    session.permanent = True
    return redirect(next_url or url_for("plans.home"))


@bp.post("/logout")
def logout():
    # Ended on the server, so a copy of the cookie is refused from now on.
    user_sessions.end(db.session, session.get(SESSION_TOKEN))
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.login"))
