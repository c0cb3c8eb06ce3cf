"""Adjustments in a real browser (headless Chromium, 360 px wide), on both engines: a clerk
posts one by item code and sees the stock change; an admin approves a submitted one."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from stockkeeper.adjustments import service
from stockkeeper.adjustments.values import NewAdjustment
from stockkeeper.core.db import Database
from stockkeeper.tenancy.service import Role
from tests.support import Tenant
from tests.web.places import make_place, on_hand

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide at 360"


def test_a_clerk_posts_an_adjustment_and_sees_the_stock_change(
    browse: Callable[[Role], Page], database: Database, tenant: Tenant
) -> None:
    place = make_place(database, tenant)
    page = browse(Role.clerk)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Documents").click()
    page.get_by_role("heading", name="Documents").wait_for()
    page.get_by_role("link", name="Adjustments").first.click()
    page.get_by_role("link", name="New adjustment").click()
    _no_sideways_scroll(page)
    page.get_by_label("Location").select_option(place.location_id)
    page.get_by_label("Reason").select_option("found")
    page.locator("#f-items\\.0\\.code").fill(place.code)
    page.locator("#f-items\\.0\\.quantity").fill("15")
    page.get_by_role("button", name="Post now").click()
    page.get_by_role("heading", name="Adjustment").wait_for()
    assert page.locator(".status").inner_text() == "posted"
    row = page.locator("table.doc-lines tbody tr").first
    assert row.locator("td").nth(2).inner_text() == "0"  # on hand before
    assert row.locator("td").nth(3).inner_text() == "15"  # and after
    _no_sideways_scroll(page)
    assert on_hand(database, tenant, place.item_id, place.location_id) == Decimal(15)


def test_an_admin_approves_a_submitted_adjustment(
    browse: Callable[[Role], Page], database: Database, tenant: Tenant
) -> None:
    place = make_place(database, tenant)
    with database.unit_of_work() as session:
        values = {
            "reason": "found",
            "location_id": place.location_id,
            "status": "draft",
            "items": [{"item_id": place.item_id, "adjustment_quantity": "3"}],
        }
        draft = service.create_adjustment(
            session, tenant.actor, adjustment=NewAdjustment.model_validate(values)
        )
        ident = draft.adjustment.id
        service.submit_adjustment(session, tenant.actor, adjustment_id=ident)
    page = browse(Role.admin)
    page.goto(f"/adjustments/{ident}")
    assert page.locator(".status").inner_text() == "pending approval"
    page.get_by_role("button", name="Approve").click()
    page.get_by_role("button", name="Post").wait_for()
    assert page.locator(".status").inner_text() == "approved"
    page.get_by_role("button", name="Post").click()
    page.get_by_role("button", name="Reverse").wait_for()
    assert page.locator(".status").inner_text() == "posted"
    assert on_hand(database, tenant, place.item_id) == Decimal(3)
