"""The item screens in a real browser (headless Chromium), on both engines: a clerk types part
of an item's code and the list narrows without a page load, the address following; the item
opens from its row; neither page scrolls sideways at a phone's width."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from stockkeeper.tenancy.service import Role
from tests.support import Api, unique

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide at 360"


def test_a_clerk_searches_as_they_type_and_opens_the_item(
    browse: Callable[[Role], Page], api: Api
) -> None:
    prefix = unique("TYP").replace("-", "")
    wanted = api.item(itemCode=f"{prefix}-ALPHA", name="Copper elbow")
    other = api.item(itemCode=f"{prefix}-BETA", name="Copper tee")
    page = browse(Role.clerk)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Items").click()
    page.get_by_role("heading", name="Items").wait_for()
    _no_sideways_scroll(page)
    page.evaluate("window.samePage = true")  # gone if the page is loaded again
    search = page.get_by_label("Search")
    search.press_sequentially(prefix.lower())
    rows = page.locator("#item-results tbody tr")
    rows.filter(has_text=other["itemCode"]).wait_for()
    assert rows.count() == 2
    search.press_sequentially("-al")
    rows.filter(has_text=other["itemCode"]).wait_for(state="detached")
    assert rows.count() == 1
    assert page.evaluate("window.samePage") is True
    assert page.url.endswith(f"/items?search={prefix.lower()}-al")
    _no_sideways_scroll(page)
    page.get_by_role("link", name=wanted["itemCode"]).click()
    page.get_by_role("heading", name="Copper elbow").wait_for()
    assert page.url.endswith(f"/items/{wanted['id']}")
    _no_sideways_scroll(page)
    assert page.get_by_role("link", name="Edit").count() == 0  # clerks do not edit items
