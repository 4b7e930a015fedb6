"""Outgoing mail with the standard library's smtplib, configured by MAIL_* (config.py).

Mail is sent by background jobs (webapp/background.py), never inside a request: a mail
server that hangs costs a job its MAIL_TIMEOUT_SECONDS, not a person their page."""
import smtplib
import socket
import ssl
from email.message import EmailMessage

from flask import current_app


def mail_configured():
    """Is there a server to send mail through? Without one, links are passed on by hand."""
    return bool(current_app.config["MAIL_SERVER"])


class NotSent(Exception):
    """The message did not go; ``str()`` says why in words a coordinator can act on."""


def in_words(error):
    """Why a message did not go, for the coordinator's page (the log keeps the detail)."""
    # smtplib reports a server that went quiet mid-conversation as a disconnection
    if isinstance(error, (socket.timeout, TimeoutError)) or isinstance(error.__context__, TimeoutError) or (
            isinstance(error, smtplib.SMTPServerDisconnected) and "timed out" in str(error)):
        return "the mail server did not answer in time"
    if isinstance(error, ConnectionRefusedError):
        return "the mail server refused the connection"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "the mail server would not deliver to that address"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"the mail server refused the message ({error.smtp_code})"
    if isinstance(error, smtplib.SMTPException):
        return "the mail server broke off the conversation"
    return "the mail server could not be reached"


def send(to, subject, body):
    """Send a plain-text message; raises NotSent (saying why) if it cannot go."""
    try:
        _send(to, subject, body)
    except (OSError, smtplib.SMTPException) as error:
        current_app.logger.warning("mail to %s not sent: %r", to, error)
        raise NotSent(in_words(error)) from error


def _send(to, subject, body):
    cfg = current_app.config
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = cfg["MAIL_FROM"], to, subject
    message.set_content(body)
    host, port, timeout = cfg["MAIL_SERVER"], cfg["MAIL_PORT"], cfg["MAIL_TIMEOUT_SECONDS"]
    if cfg["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        smtp.send_message(message)
