"""Fixtures for the web UI's tests, shared by every screen's tests.

- ``person(role)``: a person of the test's tenant with that role and a password.
- ``web``: a browser-like client of its own (its own cookies) that speaks HTML forms; and
  ``signed_in(role)``: such a client, signed in as a new person of that role. Its ``post``
  sends the page's CSRF token unless told not to.
- In a real browser (headless Chromium): ``live`` is the app served by uvicorn on the test
  database (one server a module); ``browser`` one Chromium a module; ``browse(role)`` a page
  of a new browser context (its own cookies), signed in as a new person of that role, on
  the home page, 360 px wide. Browser tests are skipped only where Debian's chromium is
  missing.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from stockkeeper.core.db import Database
from stockkeeper.people.service.accounts import NewMember, add_member
from stockkeeper.people.service.signing_in import set_password_with_link
from stockkeeper.tenancy.service import Actor, Role
from tests.api.server import serving
from tests.support import Tenant, unique

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

PASSWORD = "correct horse battery"
_addresses = itertools.count(1)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Person:
    account_id: str
    email: str
    password: str
    role: Role


def make_person(
    database: Database, company_id: str, role: Role, *, email: str | None = None
) -> Person:
    """A member of the company with ``role``, whose password is ``PASSWORD``."""
    email = email or f"{unique('person')}@example.com".lower()
    with database.unit_of_work() as session:
        added = add_member(
            session,
            Actor.system(company_id, "setup"),
            member=NewMember(email=email, name=email.split("@")[0], role=role.name),
        )
        if added.link_token is not None:
            set_password_with_link(session, token=added.link_token, password=PASSWORD)
    return Person(added.member.account_id, email, PASSWORD, role)


class Web:
    """A client with its own cookies, as one browser; ``post`` sends a form with the CSRF
    token of the last page it read (``csrf=None`` sends none, a string sends that)."""

    def __init__(self, app: FastAPI) -> None:
        # an address of its own: the throttle counts failures per address, and the tests'
        # failures together would otherwise lock every client out
        address = f"198.51.100.{next(_addresses)}"
        self.client = TestClient(app, follow_redirects=False, client=(address, 50000))
        self.csrf = ""

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        response: httpx.Response = self.client.get(path, **kwargs)
        found = _CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def post(
        self,
        path: str,
        data: dict[str, str] | None = None,
        *,
        csrf: str | bool | None = True,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        form = dict(data or {})
        if csrf is True:
            form["csrf_token"] = self.csrf
        elif isinstance(csrf, str):
            form["csrf_token"] = csrf
        answer: httpx.Response = self.client.post(path, data=form, headers=headers)
        return answer

    def sign_in(self, email: str, password: str = PASSWORD) -> httpx.Response:
        self.get("/sign-in")
        return self.post("/sign-in", {"email": email, "password": password})


@pytest.fixture
def person(database: Database, tenant: Tenant) -> Callable[[Role], Person]:
    return lambda role: make_person(database, tenant.company_id, role)


@pytest.fixture
def web(app: FastAPI) -> Web:
    return Web(app)


@pytest.fixture
def signed_in(app: FastAPI, person: Callable[[Role], Person]) -> Callable[[Role], Web]:
    """A client signed in as a new person of the role, having read the home page."""

    def sign_in(role: Role) -> Web:
        client = Web(app)
        answer = client.sign_in(person(role).email)
        assert answer.status_code == 303, answer.text
        assert client.get("/").status_code == 200
        return client

    return sign_in


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def live(app: FastAPI) -> Iterator[str]:
    """The app under a real server on the test database: its base URL."""
    with serving(app) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def browse(
    browser: Browser, live: str, person: Callable[[Role], Person]
) -> Iterator[Callable[[Role], Page]]:
    """A signed-in page for a new person of the role; the contexts close after the test."""
    contexts: list[BrowserContext] = []

    def open_as(role: Role) -> Page:
        someone = person(role)
        context = browser.new_context(base_url=live, viewport={"width": 360, "height": 740})
        contexts.append(context)
        page = context.new_page()
        sign_in_page(page, someone.email, someone.password)
        page.get_by_role("heading", name="Welcome").wait_for()
        return page

    yield open_as
    for context in contexts:
        context.close()


def sign_in_page(page: Page, email: str, password: str) -> None:
    """Fills and sends the sign-in form, as a person would."""
    page.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
