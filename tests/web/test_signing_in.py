"""Signing in and out over HTTP: redirects, CSRF, role checks, the throttle's 429."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest

from stockkeeper.core.db import Database
from stockkeeper.people.service.links import issue_link
from stockkeeper.tenancy.service import Role
from stockkeeper.web.pages import safe_next
from tests.web.conftest import Person, Web


def test_a_page_sends_someone_not_signed_in_to_sign_in(web: Web) -> None:
    answer = web.get("/?tab=1")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/sign-in?next=/%3Ftab%3D1"


def test_a_person_signs_in_sees_the_home_page_and_signs_out(
    web: Web, person: Callable[[Role], Person]
) -> None:
    someone = person(Role.clerk)
    web.get("/sign-in?next=/")
    answer = web.post("/sign-in", {"email": someone.email.upper(), "password": someone.password})
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    home = web.get("/")
    assert home.status_code == 200
    assert someone.email in home.text and "clerk" in home.text
    again = web.get("/sign-in?next=/people")
    assert again.status_code == 303 and again.headers["location"] == "/people"
    assert web.post("/sign-out").status_code == 303
    assert web.get("/").status_code == 303


def test_a_wrong_password_is_refused_without_saying_which_is_wrong(
    web: Web, person: Callable[[Role], Person]
) -> None:
    someone = person(Role.viewer)
    wrong = web.sign_in(someone.email, "not the password")
    unknown = web.sign_in("nobody@example.com", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "the email or the password is wrong" in wrong.text
    assert web.get("/").status_code == 303


def test_a_form_without_its_csrf_token_is_refused(
    signed_in: Callable[[Role], Web],
) -> None:
    clerk = signed_in(Role.clerk)
    for csrf in (None, "forged"):
        answer = clerk.post("/sign-out", csrf=csrf)
        assert answer.status_code == 403
        assert "text/html" in answer.headers["content-type"]
    assert clerk.get("/").status_code == 200  # still signed in


def test_the_sign_in_form_needs_its_csrf_token_too(
    web: Web, person: Callable[[Role], Person]
) -> None:
    someone = person(Role.clerk)
    web.get("/sign-in")
    answer = web.post("/sign-in", {"email": someone.email, "password": someone.password}, csrf="x")
    assert answer.status_code == 403


def test_the_throttle_refuses_the_sixth_try_with_429(
    web: Web, person: Callable[[Role], Person]
) -> None:
    someone = person(Role.clerk)
    for _ in range(5):
        assert web.sign_in(someone.email, "wrong password").status_code == 401
    refused = web.sign_in(someone.email, someone.password)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 900
    assert "too many failed sign-ins" in refused.text


def test_next_never_leads_to_another_site(web: Web, person: Callable[[Role], Person]) -> None:
    someone = person(Role.clerk)
    web.get("/sign-in")
    form = {"email": someone.email, "password": someone.password, "next": "//evil.example/x"}
    assert web.post("/sign-in", form).headers["location"] == "/"


def test_the_api_keeps_its_json_404_and_the_web_its_html(web: Web) -> None:
    api = web.get("/api/v1/nothing")
    assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"
    link = web.get("/set-password/unknown-token")
    assert link.status_code == 404 and "text/html" in link.headers["content-type"]
    assert "not valid" in link.text
    page = web.get("/no/such/page")  # outside the APIs: the web's error page
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert "there is no page at /no/such/page" in page.text
    assert web.get("/apiary").headers["content-type"].startswith("text/html")
    assert web.get("/static/site.css").status_code == 200
    # the pages name their icon, which browsers would otherwise ask for at /favicon.ico
    assert '<link rel="icon" href="/static/icon.svg"' in page.text
    assert web.get("/static/icon.svg").headers["content-type"] == "image/svg+xml"
    assert web.get("/static/..%2Fpages.py").status_code == 404


def test_forgot_password_answers_the_same_for_any_email(
    web: Web, person: Callable[[Role], Person], caplog: pytest.LogCaptureFixture
) -> None:
    someone = person(Role.viewer)
    web.get("/forgot-password")
    with caplog.at_level("WARNING", logger="stockkeeper.people.service.mail"):
        # the link leads to the server's own address, whatever Host the request named
        forged = {"Host": "evil.example"}
        known = web.post("/forgot-password", {"email": someone.email}, headers=forged)
        unknown = web.post("/forgot-password", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    assert "evil.example" not in caplog.text
    links = re.findall(r"http://127.0.0.1:8000(/set-password/[\w-]+)", caplog.text)
    assert len(links) == 1  # development without SMTP: the server's log has the link
    web.post(links[0], {"password": "a brand new password"})
    assert web.get("/").status_code == 200
    assert web.sign_in(someone.email, "a brand new password").status_code == 303


def test_a_sign_in_link_signs_in_once_by_a_button(
    web: Web, person: Callable[[Role], Person], database: Database
) -> None:
    someone = person(Role.clerk)
    with database.unit_of_work() as session:
        token = issue_link(
            session, account_id=someone.account_id, purpose="sign_in", lifetime=timedelta(hours=1)
        )
    page = web.get(f"/sign-in/link/{token}")
    assert page.status_code == 200 and web.get("/").status_code == 303  # a GET spends nothing
    assert web.post(f"/sign-in/link/{token}").status_code == 303
    assert web.get("/").status_code == 200
    assert web.get(f"/sign-in/link/{token}").status_code == 404


@pytest.mark.parametrize(
    "given", ["//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example", ""]
)
def test_safe_next_keeps_to_this_sites_paths(given: str) -> None:
    assert safe_next(given) == "/"
    assert safe_next("/items?q=a") == "/items?q=a"
