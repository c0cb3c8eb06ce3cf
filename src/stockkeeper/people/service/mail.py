"""Sending a person their link to set a new password: by email through the alerts' SMTP
settings when a server is set; otherwise only the server's log tells it (in development; in
production the log says to print one with ``stockkeeper user reset``, since a link in a log
would let whoever reads the log in)."""

from __future__ import annotations

import logging
from email.message import EmailMessage

from stockkeeper.alerts.service.mail import deliver
from stockkeeper.core.settings import Settings

log = logging.getLogger(__name__)


def reset_message(settings: Settings, *, to: str, link: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"] = settings.smtp_from, to
    message["Subject"] = "Set a new Stockkeeper password"
    message.set_content(
        "Someone (we hope you) asked to set a new password for this address.\n\n"
        f"Open this link within an hour to choose one; it works once:\n{link}\n\n"
        "If you did not ask, ignore this email: your password stays as it is."
    )
    return message


def send_reset_link(settings: Settings, *, to: str, link: str) -> None:
    """Sends the link (run after the request's transaction committed it)."""
    if settings.smtp_host:
        error = deliver(settings, reset_message(settings, to=to, link=link))
        if error is not None:
            log.warning("the password reset email to %s failed: %s", to, error)
    elif settings.environment != "production":
        log.warning("no SMTP server is set; the password reset link for %s: %s", to, link)
    else:
        log.warning(
            "no SMTP server is set: a password reset for %s was asked and not sent; an "
            "operator can print a link with `stockkeeper user reset --email %s`",
            to,
            to,
        )
