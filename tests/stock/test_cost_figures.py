"""The Sage cost figures on items, and the lock date that closes the past."""

from __future__ import annotations

from decimal import Decimal

from stockkeeper.adjustments.service import create_adjustment
from stockkeeper.adjustments.values import AdjustmentLine, NewAdjustment
from stockkeeper.catalog.models import Item
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.core.db import Database
from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem

ORDERS = "/api/v1/purchase-orders"


def test_items_show_the_sage_cost_figures(api: Api, database: Database) -> None:
    location, supplier = api.location()["id"], api.supplier()["id"]
    item = api.item()["id"]
    fresh = api.data(api.get(f"/api/v1/items/{item}"))["costs"]
    assert fresh == {
        "lastCostPrice": None,
        "averageCostPrice": None,
        "lastCostPriceStockValue": None,
        "averageCostPriceStockValue": None,
        "costPriceLastUpdated": None,
    }
    api.adjust(location, (item, 10, 2), date="2026-05-01")
    po = api.create(
        ORDERS,
        {
            "supplierId": supplier,
            "locationId": location,
            "items": [{"itemId": item, "quantity": 10, "unitCost": 4}],
        },
    )
    api.data(api.put(f"{ORDERS}/{po['id']}", {"status": "ordered"}))
    api.data(api.put(f"{ORDERS}/{po['id']}", {"status": "received", "receivedDate": "2026-05-03"}))
    api.data(
        api.post(f"{ORDERS}/{po['id']}/returns", {"items": [{"itemId": item, "quantity": 2}]}), 201
    )
    sale = {"locationId": location, "items": [{"itemId": item, "quantity": 6}]}
    api.data(api.post("/api/v1/inventory/issues", sale), 201)  # selling buys nothing
    costs = api.data(api.get(f"/api/v1/items/{item}"))["costs"]
    # bought 10 @ 2 and 10 @ 4, sent 2 @ 4 back: 52 for 18; 12 held
    assert (costs["lastCostPrice"], costs["averageCostPrice"]) == (4, 2.888889)
    assert (costs["lastCostPriceStockValue"], costs["averageCostPriceStockValue"]) == (48, 34.67)
    updated = costs["costPriceLastUpdated"]
    api.adjust(location, (item, 1, 9), date="2026-04-01")  # a late entry, dated before
    late = api.data(api.get(f"/api/v1/items/{item}"))["costs"]
    assert (late["lastCostPrice"], late["costPriceLastUpdated"]) == (4, updated)
    assert late["averageCostPrice"] == 3.210526  # 61 for 19
    api.adjust(location, (item, 1, 5), date="2026-05-03")  # the same day as the receipt: later
    assert api.data(api.get(f"/api/v1/items/{item}"))["costs"]["lastCostPrice"] == 5
    assert_ledger_consistent(database, api.tenant.company_id)


def test_the_lock_date_closes_the_past(api: Api, database: Database) -> None:
    location, item = api.location()["id"], api.item()["id"]
    api.adjust(location, (item, 5, 1), date="2026-01-10")
    settings = api.data(api.put("/api/v1/settings", {"lockDate": "2026-01-31"}))
    assert settings["lockDate"] == "2026-01-31"
    body = {
        "reason": "found",
        "locationId": location,
        "date": "2026-01-31",
        "items": [{"itemId": item, "adjustmentQuantity": 1, "unitCost": 1}],
    }
    closed = problem(api.post("/api/v1/inventory/adjustments", body), 409, "period_locked")
    assert closed["lockDate"] == "2026-01-31" and closed["errors"][0]["field"] == "date"
    sale = {
        "locationId": location,
        "date": "2026-01-20",
        "items": [{"itemId": item, "quantity": 1}],
    }
    problem(api.post("/api/v1/inventory/issues", sale), 409, "period_locked")
    assert len(api.data(api.get("/api/v1/inventory/adjustments"))) == 1  # nothing written
    api.data(api.post("/api/v1/inventory/adjustments", body | {"date": "2026-02-01"}), 201)
    problem(api.put("/api/v1/settings", {"lockDate": "2999-01-01"}), 422)
    assert api.data(api.put("/api/v1/settings", {"lockDate": None}))["lockDate"] is None
    api.data(api.post("/api/v1/inventory/adjustments", body), 201)  # open again
    assert_ledger_consistent(database, api.tenant.company_id)


def test_an_item_row_held_through_a_posting_shows_the_new_figures(
    api: Api, database: Database
) -> None:
    """The ledger updates item figures with one statement; the rows a request holds for
    reading (rows_by_id) must not keep the figures of before."""
    location, item_id = api.location()["id"], api.item()["id"]
    with database.unit_of_work() as session:
        item = rows_by_id(session, Item, api.tenant.company_id, {item_id})[item_id]
        assert (item.stock_on_hand, item.last_cost_price) == (0, None)
        line = AdjustmentLine(item_id=item_id, adjustment_quantity=Decimal(3), unit_cost=Decimal(2))
        adjustment = NewAdjustment(reason="found", location_id=location, items=[line])
        create_adjustment(session, api.tenant.actor, adjustment=adjustment)
        assert (item.stock_on_hand, item.purchased_quantity, item.last_cost_price) == (3, 3, 2)
