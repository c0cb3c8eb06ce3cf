"""The address the sign-in throttle counts: the socket's, or behind trusted proxies the
right-most address of X-Forwarded-For that is not a proxy's."""

from __future__ import annotations

from ipaddress import ip_network

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select

from stockkeeper.core.db import Database
from stockkeeper.core.settings import Settings
from stockkeeper.people.models import SignInAttempt
from tests.support import unique
from tests.web.conftest import Web


def _counted_address(database: Database, email: str) -> list[str]:
    with database.unit_of_work(write=False) as session:
        statement = select(SignInAttempt.address).where(SignInAttempt.email == email)
        return list(session.scalars(statement))


def _guess_from(app: FastAPI, peer: str, forwarded: str | None) -> str:
    """A wrong password for a new email, sent from ``peer`` with that X-Forwarded-For."""
    web = Web(app)
    web.client = TestClient(app, follow_redirects=False, client=(peer, 50000))
    web.get("/sign-in")
    email = f"{unique('guess')}@example.com".lower()
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else None
    form = {"email": email, "password": "not the password"}
    assert web.post("/sign-in", form, headers=headers).status_code == 401
    return email


def test_behind_a_trusted_proxy_the_client_is_the_rightmost_untrusted_address(
    app: FastAPI, database: Database
) -> None:
    settings = app.state.settings
    app.state.settings = settings.model_copy(
        update={"trusted_proxies": [ip_network("10.0.0.0/8"), ip_network("192.0.2.7")]}
    )
    try:
        # the left part is the client's own writing: a guesser cannot choose their address
        email = _guess_from(app, "10.0.0.5", "1.2.3.4, 203.0.113.9, 192.0.2.7, 10.1.1.1")
        assert _counted_address(database, email) == ["203.0.113.9"]
        # a dual-stack socket's IPv4-mapped address is the IPv4 address it maps
        email = _guess_from(app, "::ffff:10.0.0.6", "203.0.113.12")
        assert _counted_address(database, email) == ["203.0.113.12"]
        # a peer that is no trusted proxy: its header is not believed
        email = _guess_from(app, "198.51.100.200", "203.0.113.10")
        assert _counted_address(database, email) == ["198.51.100.200"]
    finally:
        app.state.settings = settings


def test_by_default_no_proxy_is_trusted(app: FastAPI, database: Database) -> None:
    assert app.state.settings.trusted_proxies == []
    email = _guess_from(app, "127.0.0.1", "203.0.113.11")
    assert _counted_address(database, email) == ["127.0.0.1"]


def test_trusted_proxies_are_read_from_a_list_of_networks(database_url: str) -> None:
    settings = Settings(database_url=database_url, trusted_proxies="10.0.0.0/8, 192.0.2.7")
    assert settings.trusted_proxies == [ip_network("10.0.0.0/8"), ip_network("192.0.2.7/32")]
    with pytest.raises(ValidationError, match="trusted_proxies"):
        Settings(database_url=database_url, trusted_proxies="not-an-address")
