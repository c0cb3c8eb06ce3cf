"""Sessions over HTTP: the idle timeout, last_seen written at most once a minute (by a
read page too), the company switcher, and the cookies' flags by environment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace

import pytest
from fastapi import Response
from pydantic import ValidationError
from sqlalchemy import select

from stockkeeper.core import clock
from stockkeeper.core.db import Database
from stockkeeper.core.settings import Settings
from stockkeeper.people.models import WebSession
from stockkeeper.people.service.accounts import NewMember, add_member
from stockkeeper.people.service.secrets import digest
from stockkeeper.stock.service.provisioning import provision_company
from stockkeeper.tenancy.service import Actor, Role
from stockkeeper.web.auth import set_cookie
from tests.support import unique
from tests.web.conftest import Person, Web


def _last_seen(database: Database, account_id: str) -> list[object]:
    with database.unit_of_work(write=False) as session:
        statement = select(WebSession.last_seen_at).where(WebSession.account_id == account_id)
        return list(session.scalars(statement))


def test_a_session_idle_for_eight_hours_sends_its_person_to_sign_in(
    web: Web, person: Callable[[Role], Person], database: Database
) -> None:
    someone = person(Role.viewer)
    web.sign_in(someone.email)
    seen = _last_seen(database, someone.account_id)
    assert web.get("/").status_code == 200
    assert _last_seen(database, someone.account_id) == seen  # not within the minute
    with clock.moved(timedelta(minutes=2)):
        assert web.get("/").status_code == 200  # a read page, writing last_seen aside
    touched = _last_seen(database, someone.account_id)
    assert touched != seen
    with clock.moved(timedelta(hours=8, minutes=1)):  # from the touch: still in time
        assert web.get("/").status_code == 200
    with clock.moved(timedelta(hours=16, minutes=5)):
        answer = web.get("/")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/sign-in")


def test_a_person_of_two_companies_switches_in_the_header(
    web: Web, person: Callable[[Role], Person], database: Database
) -> None:
    someone = person(Role.clerk)
    with database.unit_of_work() as session:
        other = provision_company(session, name=unique("Second Co"), currency="MYR")
        member = NewMember(email=someone.email, role="viewer")
        add_member(session, Actor.system(other.id, "setup"), member=member)
        other_id, other_name = other.id, other.name
    web.sign_in(someone.email)
    home = web.get("/").text
    assert 'id="company-switch"' in home and other_name in home
    assert web.post("/switch-company", {"company_id": other_id}).status_code == 303
    assert f"{other_name}, as viewer" in web.get("/").text
    refused = web.post("/switch-company", {"company_id": "comp_someone_elses"})
    assert refused.status_code == 403


def test_cookies_are_secure_outside_development_and_tests(database_url: str) -> None:
    for environment, secure in (("development", False), ("test", False), ("production", True)):
        settings = Settings(environment=environment, database_url=database_url)
        request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(settings=settings)))
        response = Response()
        set_cookie(request, response, "sk_session", "token")  # type: ignore[arg-type]
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        assert ("secure" in cookie.split("; ")) is secure, cookie


def test_signed_in_pages_are_not_kept_and_no_page_is_framed(
    web: Web, signed_in: Callable[[Role], Web]
) -> None:
    kept = web.get("/sign-in")
    assert kept.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert "no-store" not in kept.headers.get("Cache-Control", "")
    home = signed_in(Role.viewer).get("/")
    assert home.status_code == 200 and home.headers["Cache-Control"] == "no-store"
    assert home.headers["Content-Security-Policy"] == "frame-ancestors 'none'"


def test_links_start_with_the_public_address_or_the_servers_own(database_url: str) -> None:
    own = Settings(database_url=database_url, host="0.0.0.0", port=8080)
    assert own.web_link("/set-password/t") == "http://127.0.0.1:8080/set-password/t"
    proxied = Settings(database_url=database_url, public_url="https://stock.example.com/app/")
    assert proxied.web_link("/set-password/t") == "https://stock.example.com/app/set-password/t"
    for wrong in ("stock.example.com", "ftp://stock.example.com", "https://"):
        with pytest.raises(ValidationError, match="public_url"):
            Settings(database_url=database_url, public_url=wrong)


def test_a_session_ends_seven_days_after_signing_in_however_much_it_is_used(
    web: Web, person: Callable[[Role], Person]
) -> None:
    web.sign_in(person(Role.viewer).email)
    for hours in range(6, 7 * 24, 6):  # used all along: the idle timeout never ends it
        with clock.moved(timedelta(hours=hours)):
            assert web.get("/").status_code == 200
    with clock.moved(timedelta(days=7, minutes=1)):
        answer = web.get("/")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/sign-in")


def test_signing_in_again_ends_the_browsers_old_session(
    web: Web, person: Callable[[Role], Person], database: Database
) -> None:
    first, second = person(Role.viewer), person(Role.clerk)
    web.sign_in(first.email)
    old_token = web.client.cookies.get("sk_session")
    assert old_token
    with clock.moved(timedelta(hours=8, minutes=1)):  # idle: the sign-in form again
        assert web.sign_in(second.email).status_code == 303
    with database.unit_of_work(write=False) as session:
        ended = session.scalars(
            select(WebSession.ended_at).where(WebSession.token_digest == digest(old_token))
        ).all()
    assert len(ended) == 1 and ended[0] is not None
