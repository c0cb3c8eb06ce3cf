"""Emails for alert rules, sent by the worker over SMTP (``STOCKKEEPER_SMTP_*``).

Notifications are rows written with the alert (``raising.py``), due at once for
``immediate`` rules and at the rule's next digest time otherwise. Each round claims the due
ones under a lease (as webhook deliveries are claimed), sends one message per notification
of an immediate rule and one digest per rule otherwise, and records the outcome: sent, or
tried again later with a growing delay until the attempts run out.

TLS (``starttls``, or ``tls`` from the first byte) verifies the server's certificate against
the system's certificate authorities and its host name against ``STOCKKEEPER_SMTP_HOST``:
otherwise anyone on the way could read the mail and the password. A server with a
self-signed certificate is accepted only when ``STOCKKEEPER_SMTP_VERIFY_CERTIFICATE=false``
says so, with a warning each time it is connected to.
"""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from email.message import EmailMessage
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from stockkeeper.alerts.models import AlertNotification, AlertRule
from stockkeeper.core import metrics
from stockkeeper.core.db import Database
from stockkeeper.core.locks import lock_skipping
from stockkeeper.core.settings import Settings
from stockkeeper.core.types import utcnow

log = logging.getLogger(__name__)

BATCH = 500
ATTEMPTS = 8  # then the notification is given up as failed
# OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH and X509_V_ERR_IP_ADDRESS_MISMATCH
_NOT_FOR_THIS_HOST = {62, 64}
TITLES = {
    "low_stock": "Low stock",
    "reorder_point": "Reorder point reached",
    "overstock": "Overstock",
    "out_of_stock": "Out of stock",
    "negative_stock": "Negative stock",
    "expiry_warning": "Expiring soon",
}


@dataclass
class Mail:
    rule_name: str
    frequency: str
    to: list[str]
    notifications: list[tuple[str, int]] = field(default_factory=list)  # id, attempts so far
    alerts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # change, alert

    def message(self, sender: str) -> EmailMessage:
        message = EmailMessage()
        message["From"], message["To"] = sender, ", ".join(self.to)
        lines = [line(change, alert) for change, alert in self.alerts]
        if self.frequency == "immediate":
            change, alert = self.alerts[0]
            message["Subject"] = subject(change, alert)
        else:
            count = len(self.alerts)
            message["Subject"] = (
                f"{count} inventory alert{'s' * (count != 1)} ({self.frequency} digest: "
                f"{self.rule_name})"
            )
        footer = f"\n\nSent for the alert rule {self.rule_name!r} by Stockkeeper."
        message.set_content("\n".join(lines) + footer)
        return message


def subject(change: str, alert: dict[str, Any]) -> str:
    where = f"{alert['itemCode']} at {alert['location']['name']}"
    title = TITLES[alert["type"]]
    return f"{title}: {where}" if change == "raised" else f"Resolved, {title.lower()}: {where}"


def line(change: str, alert: dict[str, Any]) -> str:
    threshold = alert["thresholdQuantity"]
    figure = (
        f"batch {alert['batchNumber']} expires {alert['expiryDate']}, {alert['currentStock']} "
        "on hand"
        if alert["type"] == "expiry_warning"
        else f"on hand {alert['currentStock']}, {alert['threshold']} {threshold}"
    )
    when = alert["raisedAt"] if change == "raised" else alert["resolvedAt"]
    title = f"{subject(change, alert)} ({alert['itemName']})"
    return f"- {title}: {figure}; {change} {when} [{alert['id']}]"


class Mailer:
    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.settings = settings

    def round(self) -> int:
        """Sends what is due; how many notifications it handled."""
        if not self.settings.smtp_host:
            return 0
        now = utcnow()
        n = AlertNotification
        due = select(n.id).where(n.status == "pending", n.due_at <= now).limit(1)
        with self.database.unit_of_work(write=False) as session:
            if session.execute(due).first() is None:
                return 0
        mails = self.claim(now)
        outcomes = [(mail, self.send(mail)) for mail in mails]
        self.record(outcomes)
        return sum(len(mail.notifications) for mail in mails)

    def claim(self, now: datetime) -> list[Mail]:
        n, r = AlertNotification, AlertRule
        with self.database.unit_of_work() as session:
            statement = (
                select(n, r.name, r.frequency, r.emails)
                .join(r, (r.company_id == n.company_id) & (r.id == n.rule_id))
                .where(n.status == "pending", n.due_at <= now)
                .order_by(n.due_at, n.id)
                .limit(BATCH)
            )
            # one mail per notification of an immediate rule, one per rule otherwise
            mails: dict[str, Mail] = {}
            lease = now + timedelta(seconds=self.settings.worker_lease_seconds)
            for notification, name, frequency, emails in lock_skipping(session, statement, of=n):
                notification.due_at = lease
                key = notification.id if frequency == "immediate" else notification.rule_id
                mail = mails.get(key)
                if mail is None:
                    mail = mails[key] = Mail(name, frequency, emails)
                mail.notifications.append((notification.id, notification.attempts))
                alert = json.loads(notification.alert, parse_float=Decimal)
                mail.alerts.append((notification.change, alert))
            return list(mails.values())

    def send(self, mail: Mail) -> str | None:
        """Sends the mail; the error, if it failed."""
        error = deliver(self.settings, mail.message(self.settings.smtp_from))
        return None if error is None else self._failed(mail, error)

    def _failed(self, mail: Mail, error: str) -> str:
        log.warning("alert email to %s failed: %s", mail.to, error)
        metrics.email_failed()
        return error[:500]

    def record(self, outcomes: list[tuple[Mail, str | None]]) -> None:
        now = utcnow()
        n = AlertNotification
        with self.database.unit_of_work() as session:
            for mail, error in outcomes:
                for notification_id, attempts in mail.notifications:
                    tried = attempts + 1
                    if error is None:
                        change: dict[str, Any] = {"status": "sent", "sent_at": now}
                    elif tried >= ATTEMPTS:
                        change = {"status": "failed", "last_error": error}
                    else:
                        delay = timedelta(minutes=min(2**attempts, 60))
                        change = {"due_at": now + delay, "last_error": error}
                    session.execute(
                        update(n)
                        .where(n.id == notification_id, n.attempts == attempts)
                        .values(attempts=tried, **change)
                    )


def deliver(settings: Settings, message: EmailMessage) -> str | None:
    """Sends one message over the configured SMTP server (an alert's, or another slice's,
    such as a password reset link); the error, if it failed."""
    try:
        with _connect(settings) as client:
            if settings.smtp_security == "starttls":
                client.starttls(context=_tls(settings))
            if settings.smtp_username and settings.smtp_password:
                client.login(settings.smtp_username, settings.smtp_password.get_secret_value())
            client.send_message(message)
    except ssl.SSLCertVerificationError as failure:
        return _unverified(failure)
    except (OSError, smtplib.SMTPException) as failure:
        return f"{type(failure).__name__}: {failure}"
    metrics.email_sent()
    return None


def _connect(settings: Settings) -> smtplib.SMTP:
    host, port, timeout = (
        settings.smtp_host or "",
        settings.smtp_port,
        settings.smtp_timeout_seconds,
    )
    if settings.smtp_security == "tls":
        return smtplib.SMTP_SSL(host, port, timeout=timeout, context=_tls(settings))
    return smtplib.SMTP(host, port, timeout=timeout)


def _tls(settings: Settings) -> ssl.SSLContext:
    """The server's certificate verified against the system's authorities, and its host
    name against the certificate; both skipped only when the settings opt out."""
    context = ssl.create_default_context()
    if not settings.smtp_verify_certificate:
        log.warning(
            "connecting to the mail server %s:%s without verifying its certificate "
            "(STOCKKEEPER_SMTP_VERIFY_CERTIFICATE=false): anyone between the two can "
            "read and change the mail, and learn the SMTP password",
            settings.smtp_host,
            settings.smtp_port,
        )
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _unverified(failure: ssl.SSLCertVerificationError) -> str:
    hint = (
        "STOCKKEEPER_SMTP_HOST must be a name the certificate is for"
        if failure.verify_code in _NOT_FOR_THIS_HOST
        else "a server with a self-signed certificate needs STOCKKEEPER_SMTP_VERIFY_CERTIFICATE"
        "=false"
    )
    return f"the mail server's certificate was refused: {failure.verify_message} ({hint})"


def purge(session: Session, before: datetime) -> int:
    """Forgets emails sent or given up before ``before``; how many."""
    n = AlertNotification
    gone = session.execute(delete(n).where(n.status != "pending", n.created_at < before))
    return int(gone.rowcount)  # type: ignore[attr-defined]
