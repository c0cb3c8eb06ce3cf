"""The dashboard and a report in headless Chromium at a phone's width: the stock value's chart
is drawn (an SVG) with the table beside it holding the same value, nothing is wider than the
screen, and the value changes once stock is posted."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from stockkeeper.core.db import Database
from stockkeeper.tenancy.service import Role
from stockkeeper.web.item_format import money
from tests.support import Api, Tenant, unique
from tests.web.places import valued

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide at 360"


def _today_in_table(page: Page) -> str:
    row = page.locator("table.figures tr", has=page.get_by_role("rowheader", name="Today"))
    return row.locator("td").first.inner_text()


def test_an_admin_sees_the_stock_value_charted_with_its_table_and_a_report(
    api: Api, browse: Callable[[Role], Page], database: Database, tenant: Tenant
) -> None:
    main = api.location(name=unique("Main"))
    bolt = api.item(itemCode=unique("BOLT"), name="Hex bolt")
    api.adjust(main["id"], (bolt["id"], "8", "2.25"))
    page = browse(Role.admin)
    figure = page.locator("figure.chart").first
    assert figure.locator("svg").count() == 1
    box = figure.locator("svg").bounding_box()
    assert box is not None and 0 < box["width"] <= 360 and box["height"] > 50
    assert figure.locator("figcaption").inner_text().startswith("Stock value")
    value = valued(database, tenant)
    assert value == Decimal("18.00")
    assert _today_in_table(page) == money(value)
    assert page.locator("#stock-value").inner_text().startswith(money(value))
    _fits(page)
    api.adjust(main["id"], (bolt["id"], "2", "3"))  # the stock value changes
    page.reload()
    assert _today_in_table(page) == money(valued(database, tenant)) == "24.00"
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Stock valuation").click()
    page.get_by_role("heading", name="Stock valuation").wait_for()
    assert page.locator("figure.chart svg").count() == 2
    by_location = page.locator("figure.chart", has_text="Value by location")
    assert by_location.get_by_role("rowheader", name=main["name"]).count() == 1
    assert "24.00" in by_location.locator("table").inner_text()
    _fits(page)
