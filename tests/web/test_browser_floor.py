"""The floor in a real browser (headless Chromium, 360 px wide), on both engines: a clerk
receives a purchase order by scanning codes (one unknown, a batch with its expiry, two serial
numbers) and counts a shelf with one variance; an admin approves and posts the count; the
stock changes each time. Scans are typed with Enter, as a keyboard-wedge scanner sends them,
and the focus stays in the scan field."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from stockkeeper.core.db import Database
from stockkeeper.tenancy.service import Role
from stockkeeper.web.item_format import money
from tests.support import Tenant
from tests.web.orders import make_delivery
from tests.web.places import make_place, on_hand, stock_up, valued

if TYPE_CHECKING:
    from playwright.sync_api import Page

SCAN = "Scan or type a code"


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide at 360"


def _focused(page: Page) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def _scan(page: Page, code: str) -> None:
    """A scanner's scan: the code, then Enter, into the field that has the focus."""
    assert _focused(page) == "s-code"
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def _ready(page: Page) -> None:
    """The scan field is there and the page's script has taken over the scans."""
    page.get_by_label(SCAN).wait_for()
    page.locator("html[data-scan-ready]").wait_for(state="attached")


def _answer(page: Page, text: str) -> None:
    page.locator("[data-scan] [data-scan-result]", has_text=text).wait_for()


def test_a_clerk_receives_a_purchase_order_by_scanning(
    browse: Callable[[Role], Page], database: Database, tenant: Tenant
) -> None:
    delivery = make_delivery(database, tenant)
    page = browse(Role.clerk)
    page.goto(f"/purchase-orders/{delivery.order_id}")
    page.get_by_role("link", name="Receive by scanning").click()
    _ready(page)
    _no_sideways_scroll(page)
    code = delivery.place.code
    _scan(page, code)
    _scan(page, code)  # at once, as a scanner does: it waits its turn
    _answer(page, "scanned 2")
    _scan(page, "NOT-A-CODE")
    _answer(page, "is no item's code")
    page.get_by_label(SCAN).fill("")
    _scan(page, delivery.batch_code)
    _answer(page, "enter its batch")
    assert _focused(page) == "s-batch"  # asked for in place, no dialog
    page.keyboard.type("L-9")
    page.get_by_label("Batch expiry").fill("2027-06-30")
    page.get_by_label("Batch expiry").press("Enter")
    _answer(page, "expires 2027-06-30")
    for serial in ("S-1", "S-2"):
        page.get_by_label("Serial number").fill(serial)
        page.get_by_label(SCAN).focus()
        _scan(page, delivery.serial_code)
        _answer(page, f"serial {serial}")
    assert _focused(page) == "s-code"
    row = page.locator("[data-scan] table tbody tr").first
    assert row.locator("td").nth(4).inner_text() == "8"  # still open: 10 less 2
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Receive 5 scans").click()
    page.get_by_role("heading", name="Purchase order").wait_for()
    assert on_hand(database, tenant, delivery.place.item_id) == Decimal(2)
    assert "batch L-9" in page.content()


def test_a_clerk_counts_a_shelf_and_an_admin_approves_and_posts_the_variance(
    browse: Callable[[Role], Page], database: Database, tenant: Tenant
) -> None:
    place = make_place(database, tenant)
    stock_up(database, tenant, place, "5")
    clerk = browse(Role.clerk)
    clerk.get_by_role("link", name="Documents").first.click()  # the counts are a document
    clerk.get_by_role("link", name="Counts").first.click()
    clerk.get_by_role("link", name="New count").click()
    clerk.get_by_label("Location").select_option(place.location_id)
    clerk.get_by_role("button", name="Open count").click()
    _ready(clerk)
    _no_sideways_scroll(clerk)
    for _ in range(4):
        _scan(clerk, place.code)
    _answer(clerk, "counted 4")  # one short of the 5 expected
    assert _focused(clerk) == "s-code"
    # the lines under the scan field follow the scans, the page not reloaded
    clerk.locator('td[data-label="Counted"]', has_text="4").wait_for()
    assert clerk.locator('td[data-label="Variance"]').inner_text() == "-1"
    assert clerk.locator("#scan-log li").count() == 4  # a reload would have emptied it
    _no_sideways_scroll(clerk)
    clerk.get_by_role("button", name="Submit for review").click()
    clerk.locator(".status", has_text="submitted").wait_for()
    count_path = urlparse(clerk.url).path
    assert clerk.locator('td[data-label="Variance"]').inner_text() == "-1"
    admin = browse(Role.admin)
    admin.goto("/")  # the dashboard
    before = admin.locator("#stock-value").inner_text()
    assert before.startswith(money(valued(database, tenant)))
    admin.goto(count_path)
    admin.get_by_role("button", name="Approve").click()
    admin.locator(".status", has_text="approved").wait_for()
    admin.get_by_role("button", name="Post the variances").click()
    admin.locator(".status", has_text="posted").wait_for()
    _no_sideways_scroll(admin)
    assert on_hand(database, tenant, place.item_id) == Decimal(4)
    admin.goto("/")  # the count's variance shows in the stock's value
    after = admin.locator("#stock-value").inner_text()
    assert after != before and after.startswith(money(valued(database, tenant)))
