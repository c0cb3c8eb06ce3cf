"""A reset link by email through a real local SMTP server, or, without one, in the log of a
development server only."""

from __future__ import annotations

import logging
import socket

import pytest

from stockkeeper.core.settings import Settings
from stockkeeper.people.service.mail import send_reset_link
from tests.alerts.test_mail import Inbox, inbox

__all__ = ["inbox"]  # the SMTP server fixture of the alerts' tests

LINK = "http://127.0.0.1:8000/set-password/abc"


def _settings(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(update=changes)


def test_the_link_is_emailed_when_a_mail_server_is_set(settings: Settings, inbox: Inbox) -> None:
    smtp = _settings(
        settings,
        smtp_host="127.0.0.1",
        smtp_port=inbox.port,
        smtp_security="none",
        smtp_from="ops@shop.example.com",
    )
    send_reset_link(smtp, to="ana@example.com", link=LINK)
    ((to, message),) = inbox.messages
    assert to == ["ana@example.com"] and message["From"] == "ops@shop.example.com"
    assert LINK in message.get_payload()


def test_a_mail_server_away_is_logged_not_raised(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there
    away = _settings(settings, smtp_host="127.0.0.1", smtp_port=port, smtp_security="none")
    with caplog.at_level(logging.WARNING):
        send_reset_link(away, to="ana@example.com", link=LINK)
    assert "the password reset email to ana@example.com failed" in caplog.text
    assert LINK not in caplog.text


def test_without_a_mail_server_only_development_logs_the_link(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        send_reset_link(_settings(settings, smtp_host=None), to="ana@example.com", link=LINK)
    assert LINK in caplog.text
    caplog.clear()
    production = _settings(settings, smtp_host=None, environment="production")
    with caplog.at_level(logging.WARNING):
        send_reset_link(production, to="ana@example.com", link=LINK)
    assert LINK not in caplog.text
    assert "stockkeeper user reset --email ana@example.com" in caplog.text
