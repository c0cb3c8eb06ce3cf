"""No movement dated after today in the company's time zone (issue 18): every posting dated
later is a 422 ``future_date`` that writes nothing (no document, no movement, no number), a
document of today posts, and dates that are not movements stay free within the range."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from stockkeeper.core import clock
from stockkeeper.core.db import Database
from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem

ADJUSTMENTS = "/api/v1/inventory/adjustments"
TRANSFERS = "/api/v1/inventory/transfers"
ORDERS = "/api/v1/purchase-orders"
RESERVATIONS = "/api/v1/inventory/reservations"
# the service's clock stands at noon UTC on TODAY, so the company's today is certain: the
# real day (what is written then is as recent as the rest), or on 31 December the day before,
# so that tomorrow falls in the same year and number series
_REAL = clock.now().date()
TODAY = _REAL - dt.timedelta(days=1) if (_REAL.month, _REAL.day) == (12, 31) else _REAL
YEAR = TODAY.year
TOMORROW = TODAY + dt.timedelta(days=1)
LAST_DAY = "9999-12-30"


@pytest.fixture(autouse=True)
def noon_on_today() -> Iterator[None]:
    with clock.moved(dt.datetime.combine(TODAY, dt.time(12), dt.UTC) - clock.now()):
        yield


def _future(response: httpx.Response, today: dt.date = TODAY) -> None:
    body = problem(response, 422, "future_date")
    assert body["today"] == today.isoformat(), body
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("date", "future_date")], body


def _on_hand(api: Api, item: str) -> dict[str, Any]:
    return {row["locationId"]: row["currentStock"] for row in api.stock(itemId=item)}


def _adjustment(location: str, item: str, quantity: int, day: Any = None) -> dict[str, Any]:
    line = {"itemId": item, "adjustmentQuantity": quantity, "unitCost": 2}
    dated = {} if day is None else {"date": str(day)}
    return {"reason": "found", "locationId": location, "items": [line], **dated}


def test_an_adjustment_dated_after_today_is_refused_and_writes_nothing(
    api: Api, database: Database
) -> None:
    location, item = api.location()["id"], api.item()["id"]
    first = api.create(ADJUSTMENTS, _adjustment(location, item, 10, TODAY))
    assert (first["adjustmentNumber"], first["date"]) == (f"ADJ-{YEAR}-0001", str(TODAY))
    for day in (TOMORROW, LAST_DAY):
        _future(api.post(ADJUSTMENTS, _adjustment(location, item, 5, day)))
    assert _on_hand(api, item) == {location: 10}  # not 15: the 15 the tester issued are not there
    issue = {"locationId": location, "items": [{"itemId": item, "quantity": 15}]}
    problem(api.post("/api/v1/inventory/issues", issue), 409, "insufficient_stock")
    second = api.create(ADJUSTMENTS, _adjustment(location, item, 1))
    assert (second["adjustmentNumber"], second["date"]) == (f"ADJ-{YEAR}-0002", str(TODAY))
    moved = api.data(api.get("/api/v1/inventory/movements", params={"itemId": item}))
    assert sorted(m["quantity"] for m in moved) == [1, 10]

    # a draft moves nothing, so it may carry any date; posting it is a movement
    draft = api.create(ADJUSTMENTS, _adjustment(location, item, 5, TOMORROW) | {"status": "draft"})
    _future(api.post(f"{ADJUSTMENTS}/{draft['id']}/post"))
    assert api.data(api.get(f"{ADJUSTMENTS}/{draft['id']}"))["status"] == "draft"
    assert _on_hand(api, item) == {location: 11}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_stock_count_dated_after_today_is_refused(api: Api, database: Database) -> None:
    location, item = api.location()["id"], api.item()["id"]
    count = {"itemId": item, "locationId": location, "newQuantity": 7, "costPrice": 1}
    _future(api.put("/api/v1/inventory/stock", count | {"date": str(TOMORROW)}))
    assert _on_hand(api, item) == {} and api.data(api.get(ADJUSTMENTS)) == []
    api.data(api.put("/api/v1/inventory/stock", count | {"date": str(TODAY)}))
    assert _on_hand(api, item) == {location: 7}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_transfer_ships_on_its_date_and_not_before(api: Api, database: Database) -> None:
    here, there = api.location()["id"], api.location(type="store")["id"]
    item = api.item()["id"]
    api.adjust(here, (item, 10, 1))
    body = {
        "date": str(TOMORROW),
        "fromLocationId": here,
        "toLocationId": there,
        "items": [{"itemId": item, "quantity": 2}],
    }
    _future(api.post(TRANSFERS, body))  # at once: shipped and received on its date
    assert api.data(api.get(TRANSFERS)) == []
    planned = api.create(TRANSFERS, body | {"requestApproval": True})
    assert planned["transferNumber"] == f"XFR-{YEAR}-0001"  # the refusal took no number
    status = f"{TRANSFERS}/{planned['id']}/status"
    api.data(api.request("PATCH", status, json={"status": "approved"}))
    _future(api.request("PATCH", status, json={"status": "shipped"}))
    assert api.data(api.get(f"{TRANSFERS}/{planned['id']}"))["status"] == "approved"
    assert _on_hand(api, item) == {here: 10}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_sales_issues_and_returns_dated_after_today_are_refused(
    api: Api, database: Database
) -> None:
    shop, item = api.location(type="store")["id"], api.item()["id"]
    api.adjust(shop, (item, 10, 1))
    lines = [{"itemId": item, "quantity": 4}]
    _future(
        api.post(
            "/api/v1/inventory/issues", {"date": str(TOMORROW), "locationId": shop, "items": lines}
        )
    )
    issue = api.create("/api/v1/inventory/issues", {"locationId": shop, "items": lines})
    assert issue["documentNumber"] == f"ISS-{YEAR}-0001"
    back = {"date": str(TOMORROW), "issueId": issue["id"], "locationId": shop, "items": lines}
    _future(api.post("/api/v1/inventory/returns", back))
    assert api.data(api.get("/api/v1/inventory/returns")) == []
    assert _on_hand(api, item) == {shop: 6}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_purchase_receipts_and_returns_dated_after_today_are_refused(
    api: Api, database: Database
) -> None:
    supplier, location = api.supplier()["id"], api.location()["id"]
    item = api.item()["id"]
    # an order's own dates are no movement: any day of the range will do
    later = {"supplierId": supplier, "orderDate": str(TOMORROW), "expectedDate": LAST_DAY}
    planned = api.create(ORDERS, later)
    assert (planned["orderDate"], planned["expectedDate"]) == (str(TOMORROW), LAST_DAY)
    lines = [{"itemId": item, "quantity": 10, "unitCost": 3}]
    order = api.create(ORDERS, {"supplierId": supplier, "locationId": location, "items": lines})
    ident = order["id"]
    api.data(api.put(f"{ORDERS}/{ident}", {"status": "ordered"}))
    receipt = {"date": str(TOMORROW), "items": [{"itemId": item, "quantity": 4}]}
    _future(api.post(f"{ORDERS}/{ident}/receipts", receipt))
    _future(api.put(f"{ORDERS}/{ident}", {"status": "received", "receivedDate": str(TOMORROW)}))
    unchanged = api.data(api.get(f"{ORDERS}/{ident}"))
    assert (unchanged["status"], unchanged["receipts"]) == ("ordered", [])
    [row] = api.stock(itemId=item)
    assert (row["currentStock"], row["onOrderStock"]) == (0, 10)
    api.data(api.post(f"{ORDERS}/{ident}/receipts", receipt | {"date": str(TODAY)}), 201)
    back = {"date": str(TOMORROW), "items": [{"itemId": item, "quantity": 1}]}
    _future(api.post(f"{ORDERS}/{ident}/returns", back))
    [row] = api.stock(itemId=item)
    assert (row["currentStock"], row["onOrderStock"]) == (4, 6)
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_reservation_is_fulfilled_today_at_the_latest(api: Api, database: Database) -> None:
    location, item = api.location()["id"], api.item()["id"]
    api.adjust(location, (item, 5, 1))
    held = {
        "itemId": item,
        "locationId": location,
        "quantity": 2,
        "expiresAt": f"{LAST_DAY}T00:00:00Z",
    }
    reservation = api.data(api.post(RESERVATIONS, held), 201)  # an expiry is no movement
    fulfil = f"{RESERVATIONS}/{reservation['id']}/fulfil"
    _future(api.post(fulfil, {"date": str(TOMORROW)}))
    assert api.data(api.get(f"{RESERVATIONS}/{reservation['id']}"))["status"] == "active"
    assert _on_hand(api, item) == {location: 5}
    assert api.data(api.post(fulfil, {"date": str(TODAY)}))["status"] == "fulfilled"
    assert _on_hand(api, item) == {location: 3}
    assert_ledger_consistent(database, api.tenant.company_id)


@pytest.mark.parametrize(
    ("zone", "today"),
    [
        ("Pacific/Kiritimati", TOMORROW),  # UTC+14: 02:00 the next day
        ("Pacific/Pago_Pago", TODAY),  # UTC-11: 01:00 the same day
    ],
)
def test_today_is_the_company_s_own(api: Api, zone: str, today: dt.date) -> None:
    api.data(api.put("/api/v1/settings", {"timezone": zone}))
    location, item = api.location()["id"], api.item()["id"]
    assert api.create(ADJUSTMENTS, _adjustment(location, item, 1))["date"] == str(today)
    assert api.create(ADJUSTMENTS, _adjustment(location, item, 1, today))["date"] == str(today)
    _future(
        api.post(ADJUSTMENTS, _adjustment(location, item, 1, today + dt.timedelta(days=1))), today
    )
    assert _on_hand(api, item) == {location: 2}
