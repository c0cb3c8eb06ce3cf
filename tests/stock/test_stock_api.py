"""The Stock Management API and the movement list over the ledger."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from stockkeeper.core.db import Database
from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem, unique


def test_stock_rows_and_filters(api: Api, database: Database) -> None:
    electronics = api.category(name="Electronics")
    main, store = api.location(name="Main"), api.location(name="Store", type="store")
    bin_ = api.create(f"/api/v1/locations/{main['id']}/bins", {"code": "A1-B2-C3"})
    widget = api.item(itemCode="W", categoryId=electronics["id"], inventory={"minimumStock": 20})
    gadget = api.item(itemCode="G", inventory={"minimumStock": 5})
    api.create(
        "/api/v1/inventory/adjustments",
        {
            "reason": "found",
            "locationId": main["id"],
            "reference": "R-1",
            "items": [
                {
                    "itemId": widget["id"],
                    "adjustmentQuantity": 15,
                    "unitCost": 2,
                    "binId": bin_["id"],
                },
                {"itemId": widget["id"], "adjustmentQuantity": 5, "unitCost": 4},
            ],
        },
    )
    api.adjust(store["id"], (widget["id"], 30, 3), (gadget["id"], 100, 1))
    rows = {(r["itemCode"], r["location"]["name"]): r for r in api.stock()}
    assert set(rows) == {("W", "Main"), ("W", "Store"), ("G", "Store")}
    main_row = rows[("W", "Main")]
    assert (main_row["currentStock"], main_row["availableStock"], main_row["reservedStock"]) == (
        20,
        20,
        0,
    )
    assert (main_row["averageCost"], main_row["stockValue"], main_row["binLocation"]) == (
        2.5,
        50,
        "A1-B2-C3: 15, no bin: 5",
    )
    [in_bin] = main_row["lots"]
    assert (in_bin["binCode"], in_bin["onHand"], in_bin["batchNumber"]) == ("A1-B2-C3", 15, None)
    assert (
        main_row["lastMovement"]["reference"] == "R-1"
        and main_row["lastMovement"]["type"] == "adjustment"
    )

    def keys(**params: Any) -> set[tuple[str, str]]:
        return {(r["itemCode"], r["location"]["name"]) for r in api.stock(**params)}

    assert keys(itemId=widget["id"]) == {("W", "Main"), ("W", "Store")}
    assert keys(locationId=store["id"]) == {("W", "Store"), ("G", "Store")}
    assert keys(categoryId=electronics["id"]) == {("W", "Main"), ("W", "Store")}
    assert keys(lowStock="true") == {("W", "Main")}  # 20 <= 20
    assert keys(lowStock="true", locationId=main["id"]) == {("W", "Main")}
    assert keys(valueMin=90) == {("W", "Store"), ("G", "Store")}
    assert keys(valueMax=60) == {("W", "Main")}
    assert keys(outOfStock="true") == set() and keys(negative="true") == set()
    hidden = api.stock(includeReserved="false", itemId=gadget["id"])[0]
    assert hidden["reservedStock"] is None and hidden["availableStock"] is None
    reorder = api.stock(lowStock="true", includeReorderInfo="true")[0]
    assert reorder["item"]["inventory"]["minimumStock"] == 20 and reorder["item"]["itemCode"] == "W"
    # the documented example request
    assert {r["itemCode"] for r in api.stock(lowStock="true", locationId=main["id"])} == {"W"}
    page = api.get("/api/v1/inventory/stock", params={"limit": 2}).json()
    rest = api.get(
        "/api/v1/inventory/stock", params={"cursor": page["pagination"]["nextCursor"]}
    ).json()
    assert page["pagination"]["total"] == 3 and len(page["data"]) + len(rest["data"]) == 3
    assert {r["locationId"] for r in api.stock()} <= {
        main["id"],
        store["id"],
    }  # never a virtual one
    problem(api.get("/api/v1/inventory/stock", params={"valueMin": "-1"}), 422)
    assert_ledger_consistent(database, api.tenant.company_id)


def test_movements_are_signed_rows_with_document_links(api: Api) -> None:
    main, store = api.location(), api.location(type="store")
    item, other = api.item(itemCode="M1"), api.item()
    first = api.adjust(main["id"], (item["id"], 10, 2), date="2026-01-05", reference="FIRST")
    api.adjust(store["id"], (other["id"], 3, 1), date="2026-01-06")
    second = api.adjust(main["id"], (item["id"], -4), date="2026-02-01", reason="damaged")
    rows = api.data(api.get("/api/v1/inventory/movements", params={"itemId": item["id"]}))
    assert [(r["quantity"], r["direction"], r["date"]) for r in rows] == [
        (-4, "out", "2026-02-01"),
        (10, "in", "2026-01-05"),
    ]
    newest = rows[0]
    assert newest["document"] == {
        "type": "adjustment",
        "id": second["id"],
        "number": second["adjustmentNumber"],
    }
    assert (newest["reason"], newest["unitCost"], newest["value"], newest["itemCode"]) == (
        "damaged",
        2,
        -8,
        "M1",
    )
    assert newest["locationId"] == main["id"] and newest["createdBy"] == "admin"

    def quantities(**params: Any) -> list[Any]:
        return [
            r["quantity"] for r in api.data(api.get("/api/v1/inventory/movements", params=params))
        ]

    assert quantities(locationId=store["id"]) == [3]
    assert quantities(dateFrom="2026-01-06", dateTo="2026-01-31") == [3]
    assert quantities(reference="FIRST") == [10]
    assert quantities(type="adjustment", itemId=item["id"]) == [-4, 10]
    assert quantities(type="sale") == []
    page = api.get("/api/v1/inventory/movements", params={"limit": 2}).json()
    assert page["pagination"]["total"] == 3 and page["pagination"]["hasMore"] is True
    rest = api.get(
        "/api/v1/inventory/movements", params={"cursor": page["pagination"]["nextCursor"]}
    ).json()
    assert [r["document"]["id"] for r in rest["data"]] == [first["id"]]


def test_item_stock_history(api: Api) -> None:
    warehouse = api.location()
    item = api.item()
    api.adjust(warehouse["id"], (item["id"], 5, 1))
    api.adjust(warehouse["id"], (item["id"], -2))
    history = api.data(
        api.get(f"/api/v1/items/{item['id']}", params={"includeStockHistory": "true"})
    )
    assert [m["quantity"] for m in history["stockHistory"]] == [-2, 5]
    assert "stockHistory" not in api.data(api.get(f"/api/v1/items/{item['id']}"))


def test_item_transactions_are_the_documents_behind_its_latest_movements(api: Api) -> None:
    warehouse, store = api.location()["id"], api.location(type="store")["id"]
    item = api.item()["id"]
    found = api.adjust(warehouse, (item, 5, 2))
    moved = api.create(
        "/api/v1/inventory/transfers",
        {
            "fromLocationId": warehouse,
            "toLocationId": store,
            "items": [{"itemId": item, "quantity": 3}],
        },
    )
    shown = api.data(api.get(f"/api/v1/items/{item}", params={"includeTransactions": "true"}))
    assert "stockHistory" not in shown
    documents = [
        (t["document"]["id"], t["quantityIn"], t["quantityOut"], t["value"])
        for t in shown["transactions"]
    ]
    # the transfer's two movements of the item are one entry: out of one place, into the other
    assert documents == [(moved["id"], 3, 3, 0), (found["id"], 5, 0, 10)]
    assert shown["transactions"][0]["document"]["number"] == moved["transferNumber"]
    both = api.data(
        api.get(
            f"/api/v1/items/{item}",
            params={"includeTransactions": "true", "includeStockHistory": "true"},
        )
    )
    assert len(both["stockHistory"]) == 3 and len(both["transactions"]) == 2


def test_an_item_with_stock_keeps_its_type(api: Api) -> None:
    warehouse = api.location()
    item = api.item()
    api.adjust(warehouse["id"], (item["id"], 1))
    problem(api.put(f"/api/v1/items/{item['id']}", {"type": "service"}), 409, "item_has_stock")
    problem(
        api.put(f"/api/v1/items/{item['id']}", {"inventory": {"tracked": False}}),
        409,
        "item_has_stock",
    )
    api.data(api.put(f"/api/v1/items/{item['id']}", {"name": "still stocked"}))


def test_movements_cannot_be_changed_or_removed(database: Database, api: Api) -> None:
    api.adjust(api.location()["id"], (api.item()["id"], 1))
    for statement in ("UPDATE stock_movement SET quantity = 2", "DELETE FROM stock_movement"):
        with pytest.raises(DBAPIError, match="immutable"), database.unit_of_work() as session:
            session.execute(text(statement))


def test_stock_rows_found_by_search_and_by_bin(api: Api) -> None:
    main = api.location(name="Main")
    shelf = api.create(f"/api/v1/locations/{main['id']}/bins", {"code": "S-1"})
    bolt = api.item(itemCode=unique("BOLT"), name="Hex bolt M8")
    nut = api.item(itemCode=unique("NUT"), name="Hex nut M8")
    api.create(
        "/api/v1/inventory/adjustments",
        {
            "reason": "found",
            "locationId": main["id"],
            "items": [
                {
                    "itemId": bolt["id"],
                    "adjustmentQuantity": 7,
                    "unitCost": 1,
                    "binId": shelf["id"],
                },
                {"itemId": bolt["id"], "adjustmentQuantity": 3, "unitCost": 1},
                {"itemId": nut["id"], "adjustmentQuantity": 4, "unitCost": 1},
            ],
        },
    )
    assert [r["itemCode"] for r in api.stock(search="hex bolt")] == [bolt["itemCode"]]
    assert {r["itemCode"] for r in api.stock(search="m8", locationId=main["id"])} == {
        bolt["itemCode"],
        nut["itemCode"],
    }
    assert api.stock(search="no such thing") == []
    # a bin's rows show what lies in the bin alone
    [in_shelf] = api.stock(binId=shelf["id"])
    assert (in_shelf["itemCode"], in_shelf["currentStock"]) == (bolt["itemCode"], 7)
    page = api.get("/api/v1/inventory/stock", params={"search": "m8", "limit": 1}).json()
    rest = api.stock(search="m8", cursor=page["pagination"]["nextCursor"])
    assert len(page["data"]) == 1 and len(rest) == 1 and rest[0] != page["data"][0]


def test_pages_of_stock_found_a_run_of_items_at_a_time_hold_every_row_once(api: Api) -> None:
    """A page sums the levels of the next items only, in runs that grow while a filter (low
    stock) passes few of them; paged one and two rows at a time, the list is the whole one."""
    main, store = api.location(name="Main"), api.location(name="Store", type="store")
    items = [api.item(inventory={"minimumStock": 10}) for _ in range(9)]
    for n, item in enumerate(items):
        api.adjust(main["id"], (item["id"], 20 if n % 4 else 5, 1))
        if n % 3 == 0:
            api.adjust(store["id"], (item["id"], 2, 1))

    def walked(limit: int, **params: Any) -> list[tuple[str, str]]:
        found, cursor = [], None
        while True:
            asked = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
            response = api.get("/api/v1/inventory/stock", params=asked)
            body = response.json()
            found += [(r["itemId"], r["location"]["id"]) for r in body["data"]]
            assert body["pagination"]["total"] == len(api.stock(**params, limit=200))
            if not body["pagination"]["hasMore"]:
                return found
            cursor = body["pagination"]["nextCursor"]

    for params in ({}, {"lowStock": True}, {"locationId": store["id"]}):
        whole = [(r["itemId"], r["location"]["id"]) for r in api.stock(**params, limit=200)]
        assert whole and len(set(whole)) == len(whole)
        assert walked(1, **params) == whole
        assert walked(2, **params) == whole
    low = {r["itemId"] for r in api.stock(lowStock=True, limit=200)}
    assert low == {item["id"] for n, item in enumerate(items) if n % 4 == 0 or n % 3 == 0}
