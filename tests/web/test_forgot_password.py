"""Asking for a password reset link: throttled per email and per address like signing in
(429), and the same work before the same answer for a known email and an unknown one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from stockkeeper.tenancy.service import Role
from stockkeeper.web import passwords
from tests.support import unique
from tests.web.conftest import Person, Web


def _ask(web: Web, email: str) -> Any:
    web.get("/forgot-password")
    return web.post("/forgot-password", {"email": email})


def test_the_sixth_ask_for_one_email_within_fifteen_minutes_is_refused(
    web: Web, person: Callable[[Role], Person]
) -> None:
    someone = person(Role.viewer)
    for _ in range(5):
        assert _ask(web, someone.email).status_code == 200
    refused = _ask(web, someone.email.upper())
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 900
    assert "too many asks for a link" in refused.text
    # counted apart from signing in: the person still signs in
    assert web.sign_in(someone.email).status_code == 303


def test_the_twenty_first_ask_from_one_address_is_refused(web: Web) -> None:
    for _ in range(20):
        assert _ask(web, f"{unique('nobody')}@example.com").status_code == 200
    assert _ask(web, f"{unique('nobody')}@example.com").status_code == 429


def test_a_known_and_an_unknown_email_take_the_same_path_to_the_answer(
    web: Web, person: Callable[[Role], Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page does the same work for both (records the ask) and leaves the link to a task
    run after the answer, for both."""
    sent: list[str] = []
    monkeypatch.setattr(passwords, "send_reset", lambda *_, email: sent.append(email))
    someone = person(Role.viewer)
    known = _ask(web, someone.email)
    unknown = _ask(web, "nobody-at-all@example.com")
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    assert sent == [someone.email, "nobody-at-all@example.com"]
