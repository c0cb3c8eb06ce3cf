"""Transfers in a real browser (headless Chromium, 360 px wide), on both engines: a clerk
creates a transfer by item code, ships it and receives it, and the stock follows."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from stockkeeper.core.db import Database
from stockkeeper.tenancy.service import Role
from tests.factories import new_location
from tests.support import Tenant
from tests.web.places import make_place, on_hand, stock_up

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_a_clerk_creates_ships_and_receives_a_transfer(
    browse: Callable[[Role], Page], database: Database, tenant: Tenant
) -> None:
    place = make_place(database, tenant)
    stock_up(database, tenant, place, "8")
    with database.unit_of_work() as session:
        destination = new_location(session, tenant.actor)
    page = browse(Role.clerk)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Documents").click()
    page.get_by_role("heading", name="Documents").wait_for()
    page.get_by_role("link", name="Transfers").first.click()
    page.get_by_role("link", name="New transfer").click()
    page.get_by_label("From", exact=True).select_option(place.location_id)
    page.get_by_label("To", exact=True).select_option(destination)
    page.get_by_role("button", name="Add line").click()  # a third line, by the server
    assert page.locator("#f-items\\.2\\.code").count() == 1
    page.locator("#f-items\\.0\\.code").fill(place.code)
    page.locator("#f-items\\.0\\.quantity").fill("5")
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_role("heading", name="Transfer").wait_for()
    assert page.locator(".status").inner_text() == "draft"
    page.get_by_role("button", name="Ship").click()
    page.get_by_role("button", name="Receive").wait_for()
    assert page.locator(".status").inner_text() == "shipped"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the transfer's page is {width} px wide at 360"
    assert on_hand(database, tenant, place.item_id, place.location_id) == Decimal(3)
    page.get_by_role("button", name="Receive").click()
    page.locator(".status", has_text="completed").wait_for()
    assert on_hand(database, tenant, place.item_id, destination) == Decimal(5)
