"""Password links: the person, their session_version and their newest link's number,
signed with SECRET_KEY (itsdangerous, as Flask's own session is), good for INVITE_HOURS,
one password, and until a newer link is sent."""
import smtplib

from flask import current_app, render_template
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from domain import people

from ..extensions import db
from ..mail import mail_configured, send
from ..safe_urls import hub_url

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


def send_password_link(user, by, asked=False, invited=False):
    """E-mail ``user`` a password link; returns the link if there is no mail to send it by
    (or sending failed), for a coordinator to pass on. Recorded in the audit list."""
    what = "Asked for a password link" if asked else ("Sent an invitation" if invited else "Sent a password link")
    if asked and not mail_configured():  # nobody to show it to: the coordinators see the request in the audit list
        # No link made, so none is cancelled: anyone may type an address into "forgot your password?".
        people.record(db.session, by, user, f"{what} (no mail server: a coordinator can send one)")
        return None
    payload = people.new_link_payload(db.session, user)
    link = _link_for(payload)
    if mail_configured():
        subject = "You are invited to Partnership Hub" if invited else "Choose a new Partnership Hub password"
        try:
            send(user.email, subject, render_template("auth/password_link.txt", person=user, link=link,
                                                      invited=invited, hours=current_app.config["INVITE_HOURS"]))
        except (OSError, smtplib.SMTPException) as error:
            current_app.logger.warning("Password link for user %s not sent: %s", user.id, error)
            people.record(db.session, by, user, f"{what}; the e-mail could not be sent")
            if asked:  # shown to nobody: the link a coordinator passed on must keep working
                people.withdraw_link(db.session, user, payload)
                return None
            return link
        people.record(db.session, by, user, f"{what} by e-mail")
        return None
    people.record(db.session, by, user, f"{what} (shown to pass on)")
    return link
