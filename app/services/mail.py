"""Outgoing e-mail: one plain-text message through the SMTP server the settings name.

Settings (environment or ``instance/config.py``; docs/configuration.md): ``MAIL_SERVER`` (no
server: mail is off and :func:`mail_enabled` is false), ``MAIL_PORT`` (25), ``MAIL_FROM``,
``MAIL_USERNAME`` / ``MAIL_PASSWORD`` (login when given), ``MAIL_USE_TLS`` (STARTTLS),
``MAIL_USE_SSL`` (SMTP over TLS), ``MAIL_TIMEOUT_SECONDS`` (10).
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app


class MailError(Exception):
    """The SMTP server could not be reached or refused the message."""


def mail_enabled() -> bool:
    """Whether a mail server is configured."""
    return bool(current_app.config.get("MAIL_SERVER"))


def build_message(to: str, subject: str, text: str, *, sender: str) -> EmailMessage:
    """The message as sent: UTF-8 plain text (Korean and English bodies alike)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(text)
    return message


def send_mail(to: str, subject: str, text: str) -> None:
    """Send one message now; raises :class:`MailError` naming the server on any failure."""
    config = current_app.config
    server, port = config.get("MAIL_SERVER"), int(config.get("MAIL_PORT") or 25)
    if not server:
        raise MailError("mail is not configured: set MAIL_SERVER")
    sender = config.get("MAIL_FROM") or formataddr(("OneVoice", "onevoice@localhost"))
    message = build_message(to, subject, text, sender=sender)
    timeout = float(config.get("MAIL_TIMEOUT_SECONDS") or 10)
    smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
    try:
        with smtp_class(server, port, timeout=timeout) as smtp:
            if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"mail to {to} via {server}:{port} failed: {error}") from error
