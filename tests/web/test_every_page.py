"""Every page of the web UI, as an admin sees it (the most there is to see): each answers,
every input a person fills in has a label, no id is used twice, and every page without an
id in its path is on the list below, so that a new page is held to the same."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

from fastapi.routing import APIRoute

from stockkeeper.tenancy.service import Role
from stockkeeper.web import site
from tests.web.conftest import Web

# the pages that take no id, each opened as an admin
PAGES = (
    "/",
    "/items",
    "/items/new",
    "/stock",
    "/movements",
    "/documents",
    "/adjustments",
    "/adjustments/new",
    "/transfers",
    "/transfers/new",
    "/purchase-orders",
    "/purchase-orders/new",
    "/issues",
    "/issues/new",
    "/returns",
    "/returns/new",
    "/reservations",
    "/reservations/new",
    "/counts",
    "/counts/new",
    "/settings",
    "/people",
    "/api-keys",
    "/reports",
    "/reports/valuation",
    "/reports/movements",
    "/reports/low-stock",
    "/reports/abc",
    "/alerts",
    "/alerts/rules",
    "/alerts/rules/new",
)
# the pages of someone not signed in (their own tests open them)
ELSEWHERE = {"/sign-in", "/forgot-password"}
UNLABELLED = {"hidden", "submit", "button", "reset", "image"}


class _Inputs(HTMLParser):
    """The inputs a person fills in, and what labels them."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []
        self.labelled: set[str] = set()
        self.in_label = 0
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "label":
            self.in_label += 1
            if found.get("for"):
                self.labelled.add(str(found["for"]))
        elif tag in ("input", "select", "textarea") and found.get("type") not in UNLABELLED:
            self.inputs.append(found | {"wrapped": "yes" if self.in_label else None})
        if found.get("id"):
            self.ids.append(str(found["id"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.in_label -= 1


def _unlabelled(html: str) -> list[str]:
    parsed = _Inputs()
    parsed.feed(html)
    return [
        str(found.get("name"))
        for found in parsed.inputs
        if not (
            found["wrapped"]
            or found.get("aria-label")
            or (found.get("id") and found["id"] in parsed.labelled)
        )
    ]


def test_every_page_answers_and_labels_every_input(signed_in: Callable[[Role], Web]) -> None:
    admin = signed_in(Role.admin)
    for path in PAGES:
        page = admin.get(path)
        assert page.status_code == 200, path
        assert _unlabelled(page.text) == [], path
        ids = _Inputs()
        ids.feed(page.text)
        assert len(ids.ids) == len(set(ids.ids)), f"{path}: an id used twice"


def test_every_page_without_an_id_is_opened_above() -> None:
    routes = {
        route.path
        for module in site.PAGES
        for route in module.router.routes
        if isinstance(route, APIRoute) and "GET" in (route.methods or ()) and "{" not in route.path
    }
    assert routes - ELSEWHERE == set(PAGES)
