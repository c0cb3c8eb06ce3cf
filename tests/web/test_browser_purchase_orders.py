"""Receiving a purchase order in a real browser (headless Chromium, 360 px wide), on both
engines: a clerk receives part of a sent order, and the stock and the order show it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from stockkeeper.core.db import Database
from stockkeeper.tenancy.service import Role
from tests.support import Tenant
from tests.web.orders import make_order, order_status
from tests.web.places import make_place, on_hand

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide at 360"


def test_a_clerk_receives_part_of_a_purchase_order(
    browse: Callable[[Role], Page], database: Database, tenant: Tenant
) -> None:
    place = make_place(database, tenant)
    ident = make_order(database, tenant, place, "10", sent=True)
    page = browse(Role.clerk)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Documents").click()
    page.get_by_role("heading", name="Documents").wait_for()
    page.get_by_role("link", name="Purchase orders").first.click()
    page.locator(f'a[href="/purchase-orders/{ident}"]').click()
    page.get_by_role("link", name="Receive goods").click()
    _no_sideways_scroll(page)
    quantity = page.get_by_label("Quantity received")
    assert quantity.input_value() == "10"
    quantity.fill("3")
    page.get_by_label("Delivery note").fill("DN-1")
    page.get_by_role("button", name="Receive", exact=True).click()
    page.get_by_role("heading", name="Purchase order").wait_for()
    assert page.locator(".status").inner_text() == "partially received"
    row = page.locator("table.doc-lines tbody tr").first
    assert row.locator("td").nth(2).inner_text() == "3"  # received
    assert row.locator("td").nth(3).inner_text() == "7"  # still open
    _no_sideways_scroll(page)
    assert order_status(database, tenant, ident) == "partially_received"
    assert on_hand(database, tenant, place.item_id, place.location_id) == Decimal(3)
