"""Outgoing mail with the standard library's smtplib, configured by MAIL_* (config.py)."""
import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app


def mail_configured():
    """Is there a server to send mail through? Without one, links are passed on by hand."""
    return bool(current_app.config["MAIL_SERVER"])


def send(to, subject, body):
    """Send a plain-text message; raises OSError or smtplib.SMTPException if it cannot go."""
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
