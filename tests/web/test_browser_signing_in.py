"""Signing in, in a real browser (headless Chromium), on both engines: a person made with
the service signs in, sees the home page at a phone's width and signs out; the throttle's
429 after five failures; an admin finds the People page, a viewer neither finds it nor gets a
forged form through."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from stockkeeper.tenancy.service import Role
from tests.web.conftest import Person, sign_in_page

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Response


def _posted(live: str) -> Callable[[Response], bool]:
    """The answer to the sign-in form (not to the GET of the page)."""
    return lambda r: r.url == f"{live}/sign-in" and r.request.method == "POST"


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide at 360"


def test_a_person_signs_in_sees_home_and_signs_out(
    browser: Browser, live: str, person: Callable[[Role], Person]
) -> None:
    someone = person(Role.clerk)
    context = browser.new_context(base_url=live, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto("/")
    assert page.url.endswith("/sign-in?next=/")
    _no_sideways_scroll(page)
    sign_in_page(page, someone.email, someone.password)
    page.get_by_role("heading", name="Welcome").wait_for()
    assert page.url == f"{live}/"
    assert someone.email.split("@")[0] in page.locator("header").inner_text()
    _no_sideways_scroll(page)
    page.keyboard.press("Tab")  # the first stop is the skip link, outlined when focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()
    page.goto("/")
    assert "/sign-in" in page.url
    context.close()


def test_the_sixth_try_is_refused_with_429(
    browser: Browser, live: str, person: Callable[[Role], Person]
) -> None:
    someone = person(Role.viewer)
    context = browser.new_context(base_url=live)
    page = context.new_page()
    statuses = []
    for _ in range(5):
        with page.expect_response(_posted(live)) as answer:
            sign_in_page(page, someone.email, "not the password")
        statuses.append(answer.value.status)
    assert statuses == [401] * 5
    assert page.get_by_role("alert").inner_text() == "the email or the password is wrong"
    with page.expect_response(_posted(live)) as answer:
        sign_in_page(page, someone.email, someone.password)
    assert answer.value.status == 429
    assert "too many failed sign-ins" in page.get_by_role("alert").inner_text()
    context.close()


def test_an_admin_finds_the_people_page_and_a_viewer_does_not(
    browse: Callable[[Role], Page],
) -> None:
    admin = browse(Role.admin)
    admin.get_by_role("link", name="Settings").first.click()  # People is among its sections
    admin.get_by_role("link", name="People").first.click()
    admin.get_by_role("heading", name="Add a person").wait_for()
    _no_sideways_scroll(admin)
    viewer = browse(Role.viewer)
    assert viewer.get_by_role("link", name="People").count() == 0


def test_a_viewers_forged_form_is_refused_in_the_browser(browse: Callable[[Role], Page]) -> None:
    viewer = browse(Role.viewer)
    # a form the page never offered, posted with the viewer's own valid CSRF token
    forged = """() => {
        const form = document.createElement("form");
        form.method = "post";
        form.action = "/people";
        for (const [name, value] of [["email", "x@example.com"], ["role", "admin"],
            ["csrf_token", document.querySelector("input[name=csrf_token]").value]]) {
            const input = document.createElement("input");
            input.name = name;
            input.value = value;
            form.append(input);
        }
        document.body.append(form);
        form.submit();
    }"""
    with viewer.expect_navigation() as answer:
        viewer.evaluate(forged)
    assert answer.value is not None and answer.value.status == 403
    viewer.get_by_role("heading", name="Not allowed").wait_for()
