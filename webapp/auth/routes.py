"""Signing in and out, choosing a password through a link, and "forgot your password?"."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from domain import login_limits, people, reset_limits, school_accounts, user_sessions
from domain.users import authenticate, find_user, normalise_email

from ..extensions import db
from ..mail import mail_configured
from ..partnership_scope import enter_for, enter_the_only
from ..safe_urls import local_path
from .forms import ChoosePasswordForm, ForgotPasswordForm, LoginForm
from .links import LinkExpired, LinkInvalid, read_link, send_password_link
from .school_accounts import SIGNED_IN_WITH, provider_keys, providers
from .sessions import SESSION_TOKEN, start_session

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
        return _login_page(form, next_url), status

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
        return _login_page(form, next_url), 429

    user = authenticate(db.session, form.email.data, form.password.data)
    if user is None:  # the attempt, recorded before the check, stays as a failure
        form.form_errors.append(BAD_CREDENTIALS)
        return _login_page(form, next_url), 422

    login_limits.succeeded(db.session, attempt, form.email.data)
    login_limits.forget_old(db.session, cfg["LOGIN_WINDOW_MINUTES"])
    if _school_account_required(user):  # told only once the password is right: no one learns it otherwise
        db.session.commit()
        form.form_errors.append(f"{user.school.name} signs its staff in with their school account: "
                                "use the button above, not a password.")
        return _login_page(form, next_url), 403
    start_session(user)
    return redirect(next_url or url_for("plans.home"))


LINK_REFUSALS = {
    "expired": ("This link has expired",
                "Password links work for {hours} hours. Ask for a new one below, or ask a coordinator to send one."),
    "invalid": ("This link is not valid",
                "It may have been cut short or mistyped: copy the whole link from the message. "
                "Or ask for a new one below."),
    # Said as plainly as an expired link: whoever holds an old link learns nothing of the
    # account, not even that someone asked for a newer one.
    "replaced": ("This link no longer works",
                 "Ask for a new one below, or ask a coordinator to send one."),
    "used": ("This link has been used already",
             "A password has been chosen with it, or set since it was sent. Sign in with that password, "
             "or ask for a new link below."),
}


def _link_refused(reason):
    enter_the_only()
    title, advice = LINK_REFUSALS[reason]
    advice = advice.format(hours=current_app.config["INVITE_HOURS"])
    return render_template("auth/link_refused.html", title=title, advice=advice, new_link=True,
                           coordinators=people.active_admins(db.session)), 410 if reason != "invalid" else 404


@bp.route("/password/<token>", methods=["GET", "POST"])
def choose_password(token):
    """An invitation or a password link: choose a password, and be signed in."""
    try:
        user = people.user_for_link(db.session, read_link(token))
    except LinkExpired:
        return _link_refused("expired")
    except LinkInvalid:
        return _link_refused("invalid")
    except people.LinkReplaced:
        return _link_refused("replaced")
    except people.LinkUsed:
        return _link_refused("used")
    enter_for(user)
    if _school_account_required(user):  # an invitation: their way in is their school account
        theirs = school_accounts.providers_for(db.session, user, provider_keys())
        return render_template("auth/school_account_required.html", person=user,
                               providers=[p for p in providers() if p.key in theirs])
    form = ChoosePasswordForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("auth/choose_password.html", form=form, person=user), status
    people.choose_password(db.session, user, form.password.data)
    start_session(user)  # commits the password with the new session
    flash(f"Your password is set, {user.name}. You are signed in.", "info")
    return redirect(url_for("plans.home"))


FORGOT_ANSWER = ("If {email} has an account here, a link to choose a new password is on its way to it. "
                 "It works for {hours} hours. Your old password keeps working until you choose a new one.")


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    """Ask for a password link. The answer is the same whether or not the address has an account."""
    form = ForgotPasswordForm()
    cfg = current_app.config
    enter_the_only()
    context = dict(form=form, coordinators=people.active_admins(db.session), mail=mail_configured())
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("auth/forgot_password.html", **context), status
    if not reset_limits.allowed(db.session, form.email.data, request.remote_addr, cfg["LOGIN_WINDOW_MINUTES"],
                                cfg["RESET_MAX_PER_ACCOUNT"], cfg["RESET_MAX_PER_ADDRESS"]):
        form.form_errors.append("Too many requests for password links. Wait a few minutes, "
                                "or ask one of the coordinators below.")
        return render_template("auth/forgot_password.html", **context), 429
    user = find_user(db.session, form.email.data)
    if user is not None and user.active and not _school_account_required(user):
        enter_for(user)
        send_password_link(user, "themselves", asked=True)
        db.session.commit()
    answer = FORGOT_ANSWER.format(email=normalise_email(form.email.data), hours=cfg["INVITE_HOURS"])
    return render_template("auth/forgot_password.html", answer=answer, **context)


def _login_page(form, next_url):
    enter_the_only()
    return render_template("auth/login.html", form=form, next_url=next_url, providers=providers(),
                           coordinators=people.active_admins(db.session))


def _school_account_required(user):
    """Must this person use a school account? Only while the hub offers one that can let them in."""
    return school_accounts.requires_school_account(db.session, user, provider_keys())


@bp.post("/logout")
def logout():
    # Ended on the server, so a copy of the cookie is refused from now on.
    user_sessions.end(db.session, session.get(SESSION_TOKEN))
    db.session.commit()
    provider = session.get(SIGNED_IN_WITH)
    logout_user()
    session.clear()
    flash("You have signed out." + (f" This signs you out of the hub only: you are still signed in to your "
                                    f"{provider} account in this browser. Sign out of it too on a shared computer."
                                    if provider else ""), "info")
    return redirect(url_for("auth.login"))
