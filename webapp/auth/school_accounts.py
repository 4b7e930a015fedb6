"""Sign in with the school's own account: OpenID Connect with Google, Microsoft or another
provider, through Authlib's Flask client (authorisation code with PKCE, ``state`` and
``nonce``; the provider's discovery document and keys fetched once and kept).

Authlib checks the ID token (signature by the provider's keys, issuer, audience, expiry,
nonce); domain/school_accounts.py decides whom its claims name. What a sign-in begun
carries (state, nonce, PKCE verifier) is kept in the database, not the cookie, and taken
out as it is read: a callback replayed, even with a copy of the cookie, finds nothing.
"""
import logging
from dataclasses import dataclass
from datetime import timedelta

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from joserfc.errors import JoseError
from sqlalchemy import delete

from domain import login_limits, people, school_accounts
from domain.models import SignInState, utcnow
from domain.school_accounts import GOOGLE, MICROSOFT, OTHER, Refused

from ..extensions import db
from ..partnership_scope import enter_for, enter_the_only
from ..safe_urls import hub_url, local_path
from .sessions import start_session

log = logging.getLogger(__name__)
bp = Blueprint("school_accounts", __name__)

STATE_MINUTES = 10  # time to sign in at the provider
NEXT = "sign_in_next"  # the key, in Flask's session, of the page to go to once signed in
SIGNED_IN_WITH = "signed_in_with"  # the provider's name, for the sign-out message


@dataclass(frozen=True)
class Provider:
    """A provider the hub is registered with (config.py's settings)."""

    key: str  # GOOGLE, MICROSOFT or OTHER; also the address's part: /sign-in/google
    name: str  # "Google", "Microsoft", or OIDC_NAME
    issuer: str
    client_id: str
    client_secret: str


def configured(config):
    """The providers whose client id and secret are set, in the order the page offers them."""
    found = []
    for key, prefix, name in ((GOOGLE, "GOOGLE", "Google"), (MICROSOFT, "MICROSOFT", "Microsoft"),
                              (OTHER, "OIDC", config["OIDC_NAME"])):
        if config.get(f"{prefix}_CLIENT_ID") and config.get(f"{prefix}_CLIENT_SECRET"):
            found.append(Provider(key, name, config[f"{prefix}_ISSUER"].rstrip("/"),
                                  config[f"{prefix}_CLIENT_ID"], config[f"{prefix}_CLIENT_SECRET"]))
    return found


class SignInStates:
    """Authlib's cache of sign-ins begun, in the database: every worker sees it, and each
    entry is read once (the read deletes it; a second read, racing or replayed, gets None)."""

    def get(self, key):
        row = db.session.get(SignInState, key)
        if row is None:
            return None
        taken = db.session.execute(delete(SignInState).where(SignInState.key == key)).rowcount
        db.session.commit()
        return row.value if taken == 1 and row.expires_at > utcnow() else None

    def set(self, key, value, expires=None):
        db.session.execute(delete(SignInState).where(SignInState.expires_at < utcnow()))  # abandoned ones
        db.session.add(SignInState(key=key, value=value,
                                   expires_at=utcnow() + timedelta(minutes=STATE_MINUTES)))
        db.session.commit()

    def delete(self, key):
        db.session.execute(delete(SignInState).where(SignInState.key == key))
        db.session.commit()


def init_app(app):
    """Register the configured providers with Authlib (their documents are fetched when first used)."""
    oauth = OAuth(app, cache=SignInStates())
    for provider in configured(app.config):
        oauth.register(
            provider.key, client_id=provider.client_id, client_secret=provider.client_secret,
            server_metadata_url=f"{provider.issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256",
                           "timeout": app.config["OIDC_TIMEOUT_SECONDS"]},
        )
    app.extensions["school_account_providers"] = {p.key: p for p in configured(app.config)}


def providers():
    """The configured providers, for the sign-in page's buttons."""
    return list(current_app.extensions["school_account_providers"].values())


def _provider_or_404(key):
    provider = current_app.extensions["school_account_providers"].get(key)
    if provider is None:
        abort(404)
    return provider, current_app.extensions["authlib.integrations.flask_client"].create_client(key)


@bp.get("/sign-in/<key>")
def begin(key):
    """Off to the provider's own sign-in page; it sends the person back to ``done``."""
    provider, client = _provider_or_404(key)
    if current_user.is_authenticated:
        return redirect(url_for("plans.home"))
    session[NEXT] = local_path(request.args.get("next"))
    extra = {"prompt": "select_account"} if key in (GOOGLE, MICROSOFT) else {}
    try:
        # The address the provider sends back to: the hub's configured one, never the request's Host.
        return client.authorize_redirect(hub_url("school_accounts.done", key=key), **extra)
    except requests.RequestException as error:
        log.warning("Sign-in with %s: the provider's document could not be read: %s", provider.name, error)
        return _refused(provider, "unreachable", 503)


def _issuer_check(client):
    """Authlib's check of ``iss``, with Microsoft's ``{tenantid}`` read as the token's ``tid``."""
    expected = client.load_server_metadata()["issuer"]
    return {"iss": {"essential": True, "validate": lambda claims, _: school_accounts.issuer_matches(expected, claims)}}


@bp.get("/sign-in/<key>/done")
def done(key):
    """The provider's answer: check it, find the person, sign them in (or say why not)."""
    provider, client = _provider_or_404(key)
    if len(request.args.get("state", "")) > 100:
        return _refused(provider, "expired", 400)
    try:
        token = client.authorize_access_token(claims_options=_issuer_check(client))
    except MismatchingStateError:
        return _refused(provider, "expired", 400)
    except OAuthError as error:
        if error.error == "access_denied":
            return _refused(provider, "cancelled", 400)
        log.warning("Sign-in with %s refused by the provider: %s %s", provider.name, error.error, error.description)
        return _refused(provider, "failed", 400)
    except JoseError as error:
        log.warning("Sign-in with %s: the ID token failed its checks: %r", provider.name, error)
        return _refused(provider, "failed", 400)
    except requests.RequestException as error:
        log.warning("Sign-in with %s: the provider could not be reached: %s", provider.name, error)
        return _refused(provider, "unreachable", 503)
    claims = token.get("userinfo")
    if not claims:
        return _refused(provider, "failed", 400)
    try:
        account = school_accounts.vouched(key, claims["iss"], claims)
        person = school_accounts.person_for(db.session, account)
    except Refused as refusal:
        db.session.rollback()
        # Counted as a failed sign-in, so that someone signing in again and again with an account
        # nobody has is slowed down as a password guesser is, and cannot fill the audit list.
        cfg = current_app.config
        attempt = login_limits.begin(db.session, claims.get("email"), request.remote_addr, cfg["LOGIN_WINDOW_MINUTES"],
                                     cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"], cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"])
        if not attempt.allowed:
            return _refused(provider, "too_many", 429, minutes=attempt.wait)
        if refusal.person is not None:
            enter_for(refusal.person)
        school_accounts.refused(db.session, provider.name, _account_words(claims), refusal)
        db.session.commit()
        return _refused(provider, refusal.reason, 403, email=claims.get("email") or "")
    enter_for(person)
    next_page = session.pop(NEXT, None)
    start_session(person)  # commits the link with the session; a fresh session, nothing carried over
    session[SIGNED_IN_WITH] = provider.name  # signing out says the provider's session is its own
    flash(f"Signed in with your {provider.name} account.", "info")
    return redirect(next_page or url_for("plans.home"))


def _account_words(claims):
    """The account as the audit list names it: its address, and its organisation."""
    where = claims.get("hd") or (f"tenant {claims['tid']}" if claims.get("tid") else "")
    return f"{claims.get('email') or 'no address'}{f', {where}' if where else ''}"


# What a person is told, by reason: what happened, and what to do.
REFUSALS = {
    "expired": ("This sign-in has expired",
                "It was already used, or took more than {minutes} minutes. Start again."),
    "cancelled": ("Sign-in cancelled",
                  "{provider} says you did not finish signing in. Start again when you are ready."),
    "failed": ("{provider} sign-in did not work",
               "The hub could not confirm the answer from {provider}. Start again; if it keeps happening, "
               "sign in with your password or tell a coordinator."),
    "unreachable": ("{provider} cannot be reached",
                    "Try again in a few minutes, or sign in with your password."),
    "incomplete": ("{provider} sign-in did not work",
                   "{provider} did not say which account you used. Start again, or tell a coordinator."),
    "no_address": ("No e-mail address from {provider}",
                   "{provider} did not give the hub your e-mail address. Ask a coordinator."),
    "unknown": ("No account for {email}",
                "Nobody in the hub has that address, so it cannot sign you in. Ask your partnership "
                "coordinator to invite you: they have been told of this attempt."),
    "unverified": ("{provider} has not confirmed {email}",
                   "The hub signs you in with a {provider} account only when {provider} vouches for its address. "
                   "Use your school account, or sign in with your password."),
    "deactivated": ("This account cannot sign in", "Ask a coordinator if you think this is wrong."),
    "wrong_source": ("Not your school's {provider} account",
                     "This account is not from your school's organisation. Sign in with the account your school "
                     "gave you, or ask a coordinator."),
    "no_tenant": ("Your school does not yet sign in with {provider}",
                  "A coordinator needs to add your school's {provider} organisation first. Until then, sign in "
                  "with your password."),
    "too_many": ("Too many refused sign-ins", "Try again in {minutes} minutes, or ask a coordinator."),
    "linked_elsewhere": ("Another {provider} account is linked to you",
                         "Your hub account signs in with a different {provider} account. Use that one, or ask a "
                         "coordinator to remove the link."),
}


def _refused(provider, reason, status, email="", minutes=STATE_MINUTES):
    enter_the_only()
    title, advice = (text.format(provider=provider.name, email=email, minutes=minutes)
                     for text in REFUSALS[reason])
    return render_template("auth/school_account_refused.html", title=title, advice=advice,
                           coordinators=people.active_admins(db.session)), status
