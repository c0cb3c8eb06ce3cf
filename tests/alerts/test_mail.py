"""Alert emails through a real local SMTP server (aiosmtpd): one message per alert for
``immediate`` rules, one digest per rule for ``hourly`` and ``daily`` ones, retried while
the server is away."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from stockkeeper.alerts.models import AlertNotification
from stockkeeper.alerts.service.mail import Mailer
from stockkeeper.core import clock
from stockkeeper.core.db import Database
from stockkeeper.core.settings import Settings
from tests.support import Api

RULES = "/api/v1/inventory/alerts/rules"


@dataclass
class Inbox:
    port: int
    messages: list[tuple[list[str], Message]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with socket.socket() as probe:  # a free port (the controller cannot start on port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    found = Inbox(port)
    controller = Controller(found, hostname="127.0.0.1", port=port)
    controller.start()
    yield found
    controller.stop()


def _mailer(database: Database, settings: Settings, port: int) -> Mailer:
    smtp = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none"}
    return Mailer(
        database, settings.model_copy(update={"smtp_from": "alerts@shop.example.com", **smtp})
    )


def _rule(api: Api, frequency: str, *emails: str) -> dict[str, Any]:
    body = {
        "name": f"Low stock, {frequency}",
        "type": "low_stock",
        "notifications": {"email": list(emails), "frequency": frequency},
    }
    created: dict[str, Any] = api.data(api.post(RULES, body), 201)
    return created


def _low(api: Api, count: int) -> tuple[str, list[dict[str, Any]]]:
    location = api.location()["id"]
    items = [api.item(inventory={"minimumStock": 5}) for _ in range(count)]
    for item in items:
        api.adjust(location, (item["id"], 2, 1))
    return location, items


def _text(message: Message) -> str:
    """The body as written: long lines come folded in the transfer encoding."""
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def test_an_immediate_rule_mails_each_alert_raised_and_resolved(
    api: Api, database: Database, settings: Settings, inbox: Inbox
) -> None:
    _rule(api, "immediate", "buyer@shop.example.com", "store@shop.example.com")
    location, items = _low(api, 2)
    mailer = _mailer(database, settings, inbox.port)
    assert mailer.round() == 2
    assert mailer.round() == 0  # sent once
    assert [sorted(to) for to, _ in inbox.messages] == [
        ["buyer@shop.example.com", "store@shop.example.com"]
    ] * 2
    subjects = sorted(str(m["Subject"]) for _, m in inbox.messages)
    location_name = api.data(api.get(f"/api/v1/locations/{location}"))["name"]
    assert subjects == sorted(f"Low stock: {i['itemCode']} at {location_name}" for i in items)
    first = inbox.messages[0][1]
    assert first["From"] == "alerts@shop.example.com"
    assert "on hand 2, minimum_stock 5" in _text(first)
    api.adjust(location, (items[0]["id"], 10, 1))
    assert mailer.round() == 1
    assert str(inbox.messages[-1][1]["Subject"]).startswith("Resolved, low stock: ")


@pytest.mark.parametrize(("frequency", "later"), [("hourly", 61), ("daily", 24 * 60 + 1)])
def test_digest_rules_gather_their_alerts_into_one_message(
    api: Api, database: Database, settings: Settings, inbox: Inbox, frequency: str, later: int
) -> None:
    rule = _rule(api, frequency, "buyer@shop.example.com")
    _, items = _low(api, 3)
    mailer = _mailer(database, settings, inbox.port)
    assert mailer.round() == 0 and inbox.messages == []  # not due before the digest time
    with clock.moved(timedelta(minutes=later)):
        assert mailer.round() == 3
    [(to, digest)] = inbox.messages
    assert to == ["buyer@shop.example.com"]
    assert digest["Subject"] == f"3 inventory alerts ({frequency} digest: {rule['name']})"
    body = _text(digest)
    assert all(f"Low stock: {i['itemCode']} at " in body for i in items)


def test_mail_waits_while_the_server_is_away_and_goes_once_it_is_back(
    api: Api, database: Database, settings: Settings, inbox: Inbox
) -> None:
    _rule(api, "immediate", "buyer@shop.example.com")
    _low(api, 1)
    away = _mailer(database, settings, 9)  # nothing listens there
    assert away.round() == 1
    with database.unit_of_work() as session:
        [pending] = session.scalars(
            select(AlertNotification).where(AlertNotification.company_id == api.tenant.company_id)
        )
        assert (pending.status, pending.attempts) == ("pending", 1)
        assert pending.last_error and "Connection" in pending.last_error
    back = _mailer(database, settings, inbox.port)
    assert back.round() == 0  # not due again yet
    with clock.moved(timedelta(minutes=2)):
        assert back.round() == 1
    assert len(inbox.messages) == 1
    deadline = time.monotonic() + 1
    while time.monotonic() < deadline and back.round():
        pass
    assert len(inbox.messages) == 1
