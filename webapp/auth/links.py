"""Password links: the person, their session_version and their newest link's number,
signed with SECRET_KEY (itsdangerous, as Flask's own session is), good for INVITE_HOURS,
one password, and until a newer link is sent."""
from flask import current_app, render_template
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from domain import job_queue, people, school_accounts, scope
from domain.models import User

from ..background import GiveUp, handles
from ..extensions import db
from ..mail import mail_configured, send
from ..safe_urls import hub_url
from .school_accounts import provider_keys

SALT = "partnership-hub password link"  # a link is never a valid session cookie, or vice versa


class LinkExpired(Exception):
    """A genuine link older than INVITE_HOURS."""


class LinkInvalid(Exception):
    """A link not signed by us: mistyped, cut short or tampered with."""


def _serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def password_link(user):
    """The address, in full, at which ``user`` chooses a password; their older links stop
    working once the caller commits (the link carries a number the database must hold)."""
    return _link_for(people.new_link_payload(db.session, user))


def _link_for(payload):
    return hub_url("auth.choose_password", token=_serializer().dumps(payload))


def read_link(token):
    """The payload of a link we signed within INVITE_HOURS; LinkExpired or LinkInvalid otherwise."""
    try:
        return _serializer().loads(token, max_age=current_app.config["INVITE_HOURS"] * 3600)
    except SignatureExpired:
        raise LinkExpired()
    except BadSignature:
        raise LinkInvalid()


def send_password_link(user, by, asked=False, invited=False, by_hand=False):
    """A password link for ``user``: by e-mail, in the background (a job: the page never
    waits on the mail server, and a server that hangs or refuses is tried again), or,
    with no mail server or ``by_hand``, the link itself for a coordinator to pass on.
    Returns that link, or None when it goes by e-mail. Recorded in the audit list when
    the e-mail goes (or fails for good), or now when the link is shown."""
    what = "Asked for a password link" if asked else ("Sent an invitation" if invited else "Sent a password link")
    key = _mail_key(user)
    if mail_configured() and not by_hand:
        job_queue.enqueue(db.session, "password-link", key=key, partnership_id=scope.current(db.session),
                          requested_by_id=None if isinstance(by, str) else by.id,
                          payload=dict(user_id=user.id, by=by if isinstance(by, str) else people.who(by), what=what,
                                       invited=invited))
        return None
    if asked:  # nobody to show it to: the coordinators see the request in the audit list
        # No link made, so none is cancelled: anyone may type an address into "forgot your password?".
        people.record(db.session, by, user, f"{what} (no mail server: a coordinator can send one)")
        return None
    job_queue.cancel(db.session, key, "A link to pass on by hand was made instead.")
    link = _link_for(people.new_link_payload(db.session, user))
    people.record(db.session, by, user, f"{what} (shown to pass on)")
    return link


def _mail_key(user):
    return f"password-link:{user.id}"  # one e-mail waits at a time a person


def mail_to(session, user):
    """The newest password-link e-mail to ``user`` (a job), for their page; None if none."""
    return job_queue.latest(session, _mail_key(user))


def _link_not_sent(app, job):
    """Tried and failed for good: the audit list says so (the person's page offers a link
    to pass on by hand)."""
    user = db.session.get(User, job.payload["user_id"])
    if user is not None:
        people.record(db.session, job.payload["by"], user, f"{job.payload['what']}; the e-mail could not be sent")


@handles("password-link", gave_up=_link_not_sent)
def _mail_password_link(app, job):
    """The link is made as the e-mail goes, in the job's transaction: an e-mail that fails
    rolls it back, so the person's earlier link keeps working (a coordinator's, when the
    person asked for one themselves)."""
    user = db.session.get(User, job.payload["user_id"])
    if user is None or not user.active:
        raise GiveUp("They are deactivated: nothing was sent.")
    invited = job.payload["invited"]
    link = _link_for(people.new_link_payload(db.session, user))
    # A school that requires school accounts: the link leads to the sign-in buttons, and says so.
    account_only = school_accounts.requires_school_account(db.session, user, provider_keys())
    subject = "You are invited to Partnership Hub" if invited else (
        "Sign in to Partnership Hub" if account_only else "Choose a new Partnership Hub password")
    send(user.email, subject, render_template("auth/password_link.txt", person=user, link=link, invited=invited,
                                              account_only=account_only, hours=app.config["INVITE_HOURS"]))
    people.record(db.session, job.payload["by"], user, f"{job.payload['what']} by e-mail")
    return {"to": user.email}
