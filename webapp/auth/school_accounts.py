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
from sqlalchemy.exc import IntegrityError

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


def _names(config):
    """{key: (settings' prefix, name)} of every provider the hub knows, in the page's order."""
    return {GOOGLE: ("GOOGLE", "Google"), MICROSOFT: ("MICROSOFT", "Microsoft"),
            OTHER: ("OIDC", config.get("OIDC_NAME") or "OpenID")}


def configured(config):
    """The providers whose client id and secret are set, in the order the page offers them."""
    return [Provider(key, name, config[f"{prefix}_ISSUER"].rstrip("/"), config[f"{prefix}_CLIENT_ID"],
                     config[f"{prefix}_CLIENT_SECRET"])
            for key, (prefix, name) in _names(config).items()
            if config.get(f"{prefix}_CLIENT_ID") and config.get(f"{prefix}_CLIENT_SECRET")]


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
    found = configured(app.config)
    for provider in found:
        oauth.register(
            provider.key, client_id=provider.client_id, client_secret=provider.client_secret,
            server_metadata_url=f"{provider.issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256",
                           "default_timeout": app.config["OIDC_TIMEOUT_SECONDS"]},
        )
        # The browser's note of a sign-in begun lasts as long as the sign-in may (Authlib: an hour).
        oauth.create_client(provider.key).framework.expires_in = STATE_MINUTES * 60
    app.extensions["school_account_providers"] = {p.key: p for p in found}


def providers():
    """The configured providers, for the sign-in page's buttons."""
    return list(current_app.extensions["school_account_providers"].values())


def provider_keys():
    """The configured providers' keys, as domain/school_accounts.py asks for them."""
    return list(current_app.extensions["school_account_providers"])


def provider_names():
    """{key: name} of every provider a link may name, configured now or not."""
    return {key: name for key, (_, name) in _names(current_app.config).items()}


def _provider_or_404(key):
    provider = current_app.extensions["school_account_providers"].get(key)
    if provider is None:
        abort(404)
    return provider, current_app.extensions["authlib.integrations.flask_client"].create_client(key)


# What a provider's unexpected answer raises from Authlib, beyond its own errors: a network
# failure; a discovery document or key set without a field (KeyError, RuntimeError); a
# document that is no JSON (ValueError); claims of the wrong type (TypeError).
PROVIDER_FAULTS = (requests.RequestException, KeyError, ValueError, TypeError, RuntimeError)


@bp.get("/sign-in/<key>")
def begin(key):
    """Off to the provider's own sign-in page; it sends the person back to ``done``."""
    provider, client = _provider_or_404(key)
    if current_user.is_authenticated:
        return redirect(url_for("plans.home"))
    session[NEXT] = local_path(request.args.get("next"))
    for begun in [name for name in session if name.startswith("_state_")]:
        session.pop(begun)  # one sign-in at a time: the cookie does not grow with abandoned ones
    extra = {"prompt": "select_account"} if key in (GOOGLE, MICROSOFT) else {}
    try:
        # The address the provider sends back to: the hub's configured one, never the request's Host.
        return client.authorize_redirect(hub_url("school_accounts.done", key=key), **extra)
    except PROVIDER_FAULTS as error:
        log.warning("Sign-in with %s: the provider's document could not be read: %r", provider.name, error)
        return _refused(provider, "unreachable", 503)


def _token_checks(client):
    """Authlib's checks of the ID token's ``iss`` (Microsoft's ``{tenantid}`` read as the token's
    own ``tid``) and ``aud`` (this hub's client id: Authlib itself checks ``azp`` only)."""
    expected = client.load_server_metadata()["issuer"]
    return {"iss": {"essential": True, "validate": lambda claims, _: school_accounts.issuer_matches(expected, claims)},
            "aud": {"essential": True, "value": client.client_id}}


@bp.get("/sign-in/<key>/done")
def done(key):
    """The provider's answer: check it, find the person, sign them in (or say why not)."""
    provider, client = _provider_or_404(key)
    if len(request.args.get("state", "")) > 100:
        return _refused(provider, "expired", 400)
    try:
        # The provider's document is read inside the try: another worker than the one the
        # sign-in began in may not have it yet, and the provider may be down by now.
        token = client.authorize_access_token(claims_options=_token_checks(client))
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
    except PROVIDER_FAULTS as error:
        log.warning("Sign-in with %s: the provider's answer could not be used: %r", provider.name, error)
        return _refused(provider, "unreachable", 503)
    claims = token.get("userinfo")
    if not claims:
        return _refused(provider, "failed", 400)
    account = None
    try:
        account = school_accounts.vouched(key, claims["iss"], claims)
        person = _person_for(account, provider)
    except Refused as refusal:
        return _refusal(provider, account, refusal)
    enter_for(person)
    next_page = session.pop(NEXT, None)
    start_session(person)  # commits the link with the session; a fresh session, nothing carried over
    session[SIGNED_IN_WITH] = provider.name  # signing out says the provider's session is its own
    flash(f"Signed in with your {provider.name} account.", "info")
    return redirect(next_page or url_for("plans.home"))


def _person_for(account, provider):
    """domain.school_accounts.person_for, its link flushed: of two first sign-ins at once with
    one account (two tabs), the second finds the link the first made."""
    for attempt in (1, 2):
        try:
            person = school_accounts.person_for(db.session, account, provider.name)
            db.session.flush()
            return person
        except IntegrityError:
            db.session.rollback()
            if attempt == 2:
                raise


def _refusal(provider, account, refusal):
    db.session.rollback()
    # Counted as a failed sign-in, so that someone signing in again and again with an account
    # nobody has is slowed down as a password guesser is, and cannot fill the audit list.
    cfg = current_app.config
    attempt = login_limits.begin(db.session, account.email if account else "", request.remote_addr,
                                 cfg["LOGIN_WINDOW_MINUTES"], cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
                                 cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"])
    if not attempt.allowed:
        return _refused(provider, "too_many", 429, minutes=attempt.wait)
    if refusal.person is not None:
        enter_for(refusal.person)
    words = _account_words(account)
    school_accounts.refused(db.session, provider.name, account, words, refusal)
    db.session.commit()
    log.info("Sign-in with %s refused (%s): %s", provider.name, words, refusal.reason)
    return _refused(provider, refusal.reason, 403)


def _account_words(account):
    """The account as the audit list names it: its address, and its organisation."""
    if account is None:
        return "an account the provider did not identify"
    where = f"tenant {account.tenant}" if account.tenant else account.domain
    return f"{account.email or 'no address'}{f', {where}' if where else ''}"


# Whom an account names and why it may not sign in are said alike, whatever the reason: a
# person is told what to do, and nobody learns from the answer who has an account here (the
# audit list and the server's log say which it was).
NOT_THIS_ACCOUNT = ("The hub cannot sign you in with this {provider} account",
                    "Use the account your school gave you. If you work at or govern one of the partnership's "
                    "schools, ask your coordinator to invite you, or to check how your school signs in; or sign "
                    "in with your password.")
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
    "unverified": ("{provider} does not vouch for this address",
                   "The hub signs you in with a {provider} account only when {provider} vouches for its "
                   "address, as it does for your school's own accounts. Use your school account, or sign in "
                   "with your password."),
    "too_many": ("Too many refused sign-ins", "Try again in {minutes} minutes, or ask a coordinator."),
    **dict.fromkeys(("not_ours", "unknown", "deactivated", "wrong_source", "no_tenant", "linked_elsewhere"),
                    NOT_THIS_ACCOUNT),
}


def _refused(provider, reason, status, minutes=STATE_MINUTES):
    enter_the_only()
    title, advice = (text.format(provider=provider.name, minutes=minutes)
                     for text in REFUSALS[reason])
    return render_template("auth/link_refused.html", title=title, advice=advice, new_link=False,
                           coordinators=people.active_admins(db.session)), status
