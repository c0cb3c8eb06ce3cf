"""The stock and movements pages in headless Chromium at a phone's width: filters chosen as a
person would choose them, rows that link on, and no page wider than the screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from stockkeeper.tenancy.service import Role
from tests.support import Api
from tests.web.test_stock_pages import _stocked

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _item_codes(page: Page) -> list[str]:
    return page.locator("tbody a[href^='/items/']").all_inner_texts()


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide at 360"


def test_a_viewer_filters_the_stock_and_opens_an_items_movements(
    api: Api, browse: Callable[[Role], Page]
) -> None:
    made = _stocked(api)
    page = browse(Role.viewer)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Stock").click()
    page.get_by_role("heading", name="Stock").wait_for()
    _fits(page)
    page.get_by_label("Item").fill("hex")
    page.get_by_label("Location").select_option(label=made["main"]["name"])
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/stock?*")
    assert sorted(_item_codes(page)) == sorted([made["bolt"]["itemCode"], made["nut"]["itemCode"]])
    # the location chosen, its bins are offered; below minimum stock leaves the nut
    assert page.get_by_label("Bin").locator("option").all_inner_texts()[1:] == [
        made["shelf"]["code"]
    ]
    page.get_by_label("At or below minimum stock").check()
    page.keyboard.press("Enter")  # the form sent from the keyboard
    page.wait_for_url("**low_stock=true*")
    assert _item_codes(page) == [made["nut"]["itemCode"]]
    _fits(page)
    page.get_by_role("link", name=f"Movements of {made['nut']['itemCode']}").click()
    page.get_by_role("heading", name="Movements").wait_for()
    assert _item_codes(page) == [made["nut"]["itemCode"]]
    assert page.get_by_role("link", name=made["adjustment"]["adjustmentNumber"]).count() == 1
    _fits(page)


def test_the_movements_filters_keep_the_item_and_name_a_bad_date(
    api: Api, browse: Callable[[Role], Page]
) -> None:
    made = _stocked(api)
    page = browse(Role.clerk)
    page.goto(f"/movements?item_id={made['bolt']['id']}")
    assert _item_codes(page) == [made["bolt"]["itemCode"]] * 2
    page.get_by_label("Type").select_option("adjustment")
    page.get_by_label("Reference").fill("REF-1")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**reference=REF-1*")
    assert "item_id=" in page.url and _item_codes(page) == [made["bolt"]["itemCode"]] * 2
    page.get_by_label("Type").select_option("sale")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**type=sale*")
    assert _item_codes(page) == []
    assert page.get_by_text("No movements match these filters.").is_visible()
    _fits(page)
