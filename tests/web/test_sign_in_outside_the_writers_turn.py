"""Signing in checks the password's hash outside the write transaction (in a read one), and
records the try in a short write after it; the throttle still counts guesses sent at once."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from stockkeeper.core.db import Database
from stockkeeper.core.errors import DomainError
from stockkeeper.core.locks import busy_when_locked
from stockkeeper.core.settings import Settings
from stockkeeper.core.types import utcnow
from stockkeeper.people.errors import TooManyAttempts
from stockkeeper.people.service import secrets, signing_in
from stockkeeper.people.service.signing_in import check_password, record_sign_in
from stockkeeper.people.service.throttle import refuse_if_throttled
from stockkeeper.tenancy.service import Role
from tests.support import unique
from tests.web.conftest import Person, Web


def test_another_writer_goes_on_while_a_password_is_checked(
    web: Web,
    person: Callable[[Role], Person],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    someone = person(Role.clerk)
    impatient = Database(
        settings.model_copy(update={"sqlite_busy_timeout_ms": 200, "lock_timeout_ms": 200})
    )
    checking = secrets.password_matches
    others: list[str] = []

    def check_while_another_writes(stored: str | None, password: str) -> bool:
        # a write that takes the turn of the same email's tries, while the hash is checked
        try:
            with busy_when_locked(), impatient.unit_of_work() as other:
                refuse_if_throttled(other, email=someone.email, address="x", now=utcnow())
            others.append("went on")
        except DomainError as error:
            others.append(error.code)
        return checking(stored, password)

    monkeypatch.setattr(signing_in, "password_matches", check_while_another_writes)
    try:
        assert web.sign_in(someone.email, "a wrong password").status_code == 401
        assert web.sign_in(someone.email).status_code == 303
    finally:
        impatient.dispose()
    assert others == ["went on", "went on"]


def test_guesses_checked_at_once_are_each_counted_when_recorded(
    database: Database, person: Callable[[Role], Person]
) -> None:
    email, guesses = person(Role.viewer).email, 10
    together = threading.Barrier(guesses)
    outcomes: list[str] = []

    def guess() -> None:
        address = f"192.0.2.{unique('a')}"
        try:
            with database.unit_of_work(write=False) as reading:
                checked = check_password(reading, email=email, password="wrong!", address=address)
            together.wait()  # every guess checked before any is recorded
            with database.unit_of_work() as writing:
                outcomes.append(type(record_sign_in(writing, checked)).__name__)
        except TooManyAttempts:
            outcomes.append("locked")

    threads = [threading.Thread(target=guess) for _ in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["Refused"] * 5 + ["locked"] * 5
