"""Reordering: the canonical API's "Automated Reorder Management" example run as written,
and the same made a feature by ``POST /api/v1/purchase-orders/from-reorder``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from stockkeeper.core.db import Database
from tests.invariants import assert_ledger_consistent
from tests.support import Api

ORDERS = "/api/v1/purchase-orders"


def _stocked(api: Api, location: str, quantity: int, **inventory: Any) -> dict[str, Any]:
    item = api.item(**inventory)
    if quantity:
        api.adjust(location, (item["id"], quantity, 1))
    return item


def _setting(api: Api) -> dict[str, Any]:
    """A warehouse (the default) and a store; items at, below and above their reorder points."""
    main = api.location()["id"]
    store = api.location(type="store")["id"]
    supplier = api.supplier()["id"]
    other = api.supplier()["id"]
    levels = {"minimumStock": 10, "reorderPoint": 10, "reorderQuantity": 20}
    low = _stocked(
        api,
        main,
        5,
        inventory=levels,
        pricing={"costPrice": 2},
        supplierId=supplier,
        supplierItemCode="S-LOW",
    )
    covered = _stocked(
        api,
        main,
        3,
        inventory=levels | {"reorderQuantity": 10},
        pricing={"costPrice": 1},
        supplierId=supplier,
    )
    po = api.create(
        ORDERS,
        {
            "supplierId": supplier,
            "locationId": main,
            "items": [{"itemId": covered["id"], "quantity": 10, "unitCost": 1}],
        },
    )
    api.data(api.put(f"{ORDERS}/{po['id']}", {"status": "ordered"}))
    orphan = _stocked(
        api, store, 1, inventory=levels | {"reorderQuantity": 4}, pricing={"costPrice": 3}
    )
    _stocked(api, main, 50, inventory=levels, supplierId=supplier)  # well stocked
    never = api.item(  # no stock anywhere yet: reordered into the default warehouse
        inventory={"reorderPoint": 2, "reorderQuantity": 6},
        pricing={"costPrice": 5},
        supplierId=other,
        leadTimeDays=7,
    )
    return {
        "main": main,
        "store": store,
        "supplier": supplier,
        "other": other,
        "low": low,
        "covered": covered,
        "orphan": orphan,
        "never": never,
    }


def test_the_documented_reorder_example_runs_as_written(api: Api, database: Database) -> None:
    s = _setting(api)

    # the example, line by line, with the API in place of its client
    low_stock_items = api.get(
        "/api/v1/inventory/stock", params={"lowStock": True, "includeReorderInfo": True}
    ).json()
    reorder_requests = []
    for stock in low_stock_items["data"]:
        item = stock["item"]
        if stock["onOrderStock"] >= item["inventory"]["reorderQuantity"]:
            continue
        current_stock = stock["currentStock"]
        reorder_point = item["inventory"]["reorderPoint"]
        reorder_qty = item["inventory"]["reorderQuantity"]
        reorder_requests.append(
            {
                "itemId": item["id"],
                "itemCode": item["itemCode"],
                "itemName": item["name"],
                "currentStock": current_stock,
                "reorderPoint": reorder_point,
                "suggestedQuantity": reorder_qty,
                "supplierId": item.get("supplier", {}).get("id"),
                "estimatedCost": reorder_qty * item["pricing"]["costPrice"],
            }
        )

    assert sorted(
        (
            r["itemCode"],
            r["currentStock"],
            r["suggestedQuantity"],
            r["supplierId"],
            r["estimatedCost"],
        )
        for r in reorder_requests
    ) == sorted(
        [
            (s["low"]["itemCode"], 5, 20, s["supplier"], 40),
            (s["orphan"]["itemCode"], 1, 4, None, 12),
        ]
    )
    assert sum(r["estimatedCost"] for r in reorder_requests) == 52


def test_orders_are_created_from_reorder_points(api: Api, database: Database) -> None:
    s = _setting(api)
    result = api.data(api.post(f"{ORDERS}/from-reorder"), 201)
    by_code = {d["itemCode"]: d for d in result["items"]}
    low, covered, orphan, never = (
        by_code[s[k]["itemCode"]] for k in ("low", "covered", "orphan", "never")
    )
    assert (low["included"], low["quantity"], low["locationId"]) == (True, 20, s["main"])
    assert (covered["included"], covered["reason"], covered["onOrderStock"]) == (
        False,
        "already on order",
        10,
    )
    assert (orphan["included"], orphan["reason"], orphan["locationId"]) == (
        False,
        "no supplier",
        s["store"],
    )
    assert (never["included"], never["quantity"], never["locationId"]) == (True, 6, s["main"])
    assert len(by_code) == 4  # the well-stocked item is not considered

    made = {o["supplierId"]: o for o in result["orders"]}
    assert set(made) == {s["supplier"], s["other"]}
    first = api.data(api.get(f"{ORDERS}/{made[s['supplier']]['id']}"))
    assert first["status"] == "created" and low["orderId"] == first["id"]
    assert [
        (line["itemId"], line["quantity"], line["unitCost"], line["supplierItemCode"])
        for line in first["items"]
    ] == [(s["low"]["id"], 20, 2, "S-LOW")]
    second = made[s["other"]]  # expected after the lead time, from the order date
    expected = dt.date.fromisoformat(second["orderDate"]) + dt.timedelta(days=7)
    assert second["expectedDate"] == expected.isoformat()

    again = api.data(api.post(f"{ORDERS}/from-reorder", {"locationId": s["main"]}), 201)
    assert again["orders"] == []
    reasons = {d["itemCode"]: d["reason"] for d in again["items"]}
    assert reasons == {
        s["low"]["itemCode"]: "already on order",  # on the order just created
        s["covered"]["itemCode"]: "already on order",
        s["never"]["itemCode"]: "already on order",
        s["orphan"]["itemCode"]: "no supplier",  # none at the warehouse either
    }
    assert_ledger_consistent(database, api.tenant.company_id)
