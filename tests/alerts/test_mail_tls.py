"""Alert emails over TLS check who they talk to: a real local SMTP server (aiosmtpd) with a
self-signed certificate is refused by default, for STARTTLS and for TLS from the first
byte, and accepted only by the explicit opt-out, which warns each time. A certificate the
system trusts must also be for the host name the mailer was given."""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from stockkeeper.alerts.models import AlertNotification
from stockkeeper.alerts.service.mail import Mailer
from stockkeeper.core import clock
from stockkeeper.core.db import Database
from stockkeeper.core.settings import Settings
from tests.alerts.test_mail import Inbox, _low, _rule
from tests.scraping import count_into, scrape
from tests.support import Api


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for ``localhost`` (not for 127.0.0.1), and its key."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-nodes", "-days", "1", "-subj", "/CN=localhost"),
            *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@contextmanager
def _server(certificate: tuple[Path, Path], security: str) -> Iterator[Inbox]:
    """An SMTP server offering STARTTLS (and requiring it), or speaking TLS at once."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    with socket.socket() as probe:  # a free port (the controller cannot start on port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox(port)
    tls: dict[str, Any] = (
        {"tls_context": context, "require_starttls": True}
        if security == "starttls"
        else {"ssl_context": context}
    )
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **tls)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def _mailer(
    database: Database, settings: Settings, port: int, security: str, **more: Any
) -> Mailer:
    smtp = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": security, **more}
    return Mailer(database, settings.model_copy(update=smtp))


def _notifications(api: Api, database: Database) -> list[AlertNotification]:
    n = AlertNotification
    with database.unit_of_work(write=False) as session:
        return list(session.scalars(select(n).where(n.company_id == api.tenant.company_id)))


@pytest.fixture
def gives_up(api: Api, database: Database) -> Iterator[None]:
    """Emails this test leaves waiting are given up afterwards: they would fall due in the
    other tests that move the clock."""
    yield
    n = AlertNotification
    with database.unit_of_work() as session:
        session.execute(
            update(n)
            .where(n.company_id == api.tenant.company_id, n.status == "pending")
            .values(status="failed")
        )


@pytest.mark.parametrize("security", ["starttls", "tls"])
@pytest.mark.usefixtures("gives_up")
def test_a_self_signed_server_is_refused_and_the_email_waits_saying_why(
    api: Api,
    database: Database,
    settings: Settings,
    certificate: tuple[Path, Path],
    security: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    count_into(monkeypatch, tmp_path)
    _rule(api, "immediate", "buyer@shop.example.com")
    _low(api, 1)
    with _server(certificate, security) as inbox:
        assert _mailer(database, settings, inbox.port, security).round() == 1
    assert inbox.messages == []
    [waiting] = _notifications(api, database)
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    assert waiting.last_error == (
        "the mail server's certificate was refused: self-signed certificate (a server with a "
        "self-signed certificate needs STOCKKEEPER_SMTP_VERIFY_CERTIFICATE=false)"
    )
    assert f"failed: {waiting.last_error}" in caplog.text
    found = scrape(database)
    assert found['stockkeeper_alert_emails_total{outcome="failed"}'] == 1
    assert 'stockkeeper_alert_emails_total{outcome="sent"}' not in found


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_the_explicit_opt_out_sends_to_a_self_signed_server_and_warns(
    api: Api,
    database: Database,
    settings: Settings,
    certificate: tuple[Path, Path],
    security: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _rule(api, "immediate", "buyer@shop.example.com")
    _, items = _low(api, 2)
    with _server(certificate, security) as inbox:
        mailer = _mailer(database, settings, inbox.port, security, smtp_verify_certificate=False)
        assert mailer.round() == 2
    subjects = " ".join(str(message["Subject"]) for _, message in inbox.messages)
    assert len(inbox.messages) == 2 and all(i["itemCode"] in subjects for i in items)
    assert [n.status for n in _notifications(api, database)] == ["sent", "sent"]
    warned = [r for r in caplog.records if "without verifying its certificate" in r.message]
    assert len(warned) == 2  # each time it connects
    assert all(r.levelname == "WARNING" and f"127.0.0.1:{inbox.port}" in r.message for r in warned)


@pytest.mark.usefixtures("gives_up")
def test_a_trusted_certificate_must_be_for_the_host_name_the_mailer_uses(
    api: Api,
    database: Database,
    settings: Settings,
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # the system trusts it now
    _rule(api, "immediate", "buyer@shop.example.com")
    _low(api, 1)
    with _server(certificate, "tls") as inbox:
        assert _mailer(database, settings, inbox.port, "tls").round() == 1  # to 127.0.0.1
        [waiting] = _notifications(api, database)
        assert waiting.last_error == (
            "the mail server's certificate was refused: IP address mismatch, certificate is "
            "not valid for '127.0.0.1'. (STOCKKEEPER_SMTP_HOST must be a name the certificate "
            "is for)"
        )
        by_name = _mailer(database, settings, inbox.port, "tls", smtp_host="localhost")
        with clock.moved(timedelta(minutes=2)):  # when it is due again
            assert by_name.round() == 1
    assert len(inbox.messages) == 1
    assert [n.status for n in _notifications(api, database)] == ["sent"]
