"""Batches and serial numbers: created by stock arriving, named by stock leaving, shown by the
levels and the movements."""

from __future__ import annotations

from typing import Any

from stockkeeper.core.db import Database
from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem

ADJUSTMENTS = "/api/v1/inventory/adjustments"


def _adjust(api: Api, location: str, item: str, quantity: Any, **lots: Any) -> Any:
    return api.post(
        ADJUSTMENTS,
        {
            "reason": "found" if quantity > 0 else "lost",
            "locationId": location,
            "items": [{"itemId": item, "adjustmentQuantity": quantity, "unitCost": 2, **lots}],
        },
    )


def _levels(api: Api, **params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = api.data(api.get("/api/v1/inventory/levels", params=params))
    return rows


def test_batches_are_created_named_and_shown(api: Api, database: Database) -> None:
    location = api.location()["id"]
    item = api.item(inventory={"tracking": "batch"})["id"]
    assert api.data(api.get(f"/api/v1/items/{item}"))["inventory"]["tracking"] == "batch"
    created = api.data(
        _adjust(
            api,
            location,
            item,
            10,
            batches=[
                {
                    "batchNumber": "L1",
                    "expiryDate": "2027-01-31",
                    "manufacturerDate": "2026-01-01",
                    "quantity": 6,
                },
                {"batchNumber": "L2", "externalBatchNumber": "MFR-9", "quantity": 4},
            ],
        ),
        201,
    )
    first, second = created["items"][0]["batches"]
    assert (first["batchNumber"], first["expiryDate"], first["quantity"]) == ("L1", "2027-01-31", 6)
    assert second["batchNumber"] == "L2" and second["batchId"].startswith("batch_")
    rows = _levels(api, itemId=item)
    assert sorted((r["batchNumber"], r["expiryDate"], r["onHand"]) for r in rows) == [
        ("L1", "2027-01-31", 6),
        ("L2", None, 4),
    ]
    assert [r["batchNumber"] for r in _levels(api, expiresBefore="2027-02-01")] == ["L1"]
    [row] = api.stock(itemId=item)
    assert row["currentStock"] == 10
    assert [(lot["batchNumber"], lot["expiryDate"], lot["onHand"]) for lot in row["lots"]] == [
        ("L1", "2027-01-31", 6),
        ("L2", None, 4),
    ]

    more = api.data(
        _adjust(api, location, item, 2, batches=[{"batchNumber": "L1", "quantity": 2}]), 201
    )
    assert more["items"][0]["batches"][0]["batchId"] == first["batchId"]
    problem(_adjust(api, location, item, 1), 422, "invalid_lots")  # arriving: name the batch
    mismatch = problem(
        _adjust(api, location, item, -3, batches=[{"batchId": first["batchId"], "quantity": 2}]),
        422,
        "invalid_lots",
    )
    assert mismatch["errors"][0]["field"] == "items.0.batches"
    problem(
        _adjust(api, location, item, -1, batches=[{"batchNumber": "NOPE", "quantity": 1}]),
        422,
        "unknown_batch",
    )
    short = problem(
        _adjust(api, location, item, -5, batches=[{"batchNumber": "L2", "quantity": 5}]),
        409,
        "insufficient_stock",
    )
    assert (short["shortages"][0]["batchId"], short["shortages"][0]["available"]) == (
        second["batchId"],
        4,
    )
    taken = api.data(
        _adjust(
            api,
            location,
            item,
            -5,
            batches=[
                {"batchNumber": "L1", "quantity": 3},
                {"batchId": second["batchId"], "quantity": 2},
            ],
        ),
        201,
    )
    assert taken["items"][0]["adjustedStock"] == 7
    assert sorted((r["batchNumber"], r["onHand"]) for r in _levels(api, itemId=item)) == [
        ("L1", 5),
        ("L2", 2),
    ]
    movements = api.data(api.get("/api/v1/inventory/movements", params={"itemId": item}))
    assert {(m["batchNumber"], m["expiryDate"]) for m in movements} == {
        ("L1", "2027-01-31"),
        ("L2", None),
    }
    plain = api.item()["id"]
    problem(
        _adjust(api, location, plain, 1, batches=[{"batchNumber": "X", "quantity": 1}]),
        422,
        "invalid_lots",
    )
    retrack = api.put(f"/api/v1/items/{item}", {"inventory": {"tracking": "serial"}})
    problem(retrack, 409, "item_has_stock")
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_serial_is_in_stock_at_most_once(api: Api, database: Database) -> None:
    shop, store = api.location()["id"], api.location(type="store")["id"]
    item = api.item(inventory={"tracking": "serial"})["id"]
    api.data(_adjust(api, shop, item, 3, serialNumbers=["SN-1", "SN-2", "SN-3"]), 201)
    again = problem(_adjust(api, store, item, 1, serialNumbers=["SN-2"]), 409, "serial_in_stock")
    assert again["errors"][0]["field"] == "items.0.serialNumbers"
    problem(_adjust(api, store, item, -1, serialNumbers=["SN-1"]), 409, "serial_not_in_stock")
    problem(_adjust(api, shop, item, 2, serialNumbers=["SN-4"]), 422, "invalid_lots")
    problem(_adjust(api, shop, item, 2, serialNumbers=["SN-5", "SN-5"]), 422, "invalid_lots")
    problem(_adjust(api, shop, item, 1.5, serialNumbers=["SN-6"]), 422, "invalid_lots")
    api.data(_adjust(api, shop, item, -1, serialNumbers=["SN-2"]), 201)
    api.data(_adjust(api, store, item, 1, serialNumbers=["SN-2"]), 201)  # out, so it may come back
    where = {r["serialNumber"]: r["locationId"] for r in _levels(api, itemId=item)}
    assert where == {"SN-1": shop, "SN-2": store, "SN-3": shop}
    at_shop = api.stock(itemId=item, locationId=shop)[0]["lots"]
    assert [(lot["serialNumber"], lot["onHand"]) for lot in at_shop] == [("SN-1", 1), ("SN-3", 1)]
    assert [r["serialNumber"] for r in _levels(api, serialNumber="SN-3")] == ["SN-3"]
    assert api.data(api.get(f"/api/v1/items/{item}"))["inventory"]["currentStock"] == 3
    assert_ledger_consistent(database, api.tenant.company_id)


def test_lots_travel_with_transfers_issues_and_returns(api: Api, database: Database) -> None:
    warehouse, store = api.location()["id"], api.location(type="store")["id"]
    batched = api.item(inventory={"tracking": "batch"})["id"]
    serial = api.item(inventory={"tracking": "serial"})["id"]
    api.data(
        _adjust(
            api,
            warehouse,
            batched,
            10,
            batches=[{"batchNumber": "L1", "quantity": 5}, {"batchNumber": "L2", "quantity": 5}],
        ),
        201,
    )
    api.data(
        _adjust(api, warehouse, serial, 4, serialNumbers=["SN-1", "SN-2", "SN-3", "SN-4"]), 201
    )

    def where(item: str) -> list[tuple[Any, ...]]:
        return sorted(
            (r["locationId"] == store, r["batchNumber"] or r["serialNumber"], r["onHand"])
            for r in _levels(api, itemId=item)
        )

    moved = api.create(
        "/api/v1/inventory/transfers",
        {
            "fromLocationId": warehouse,
            "toLocationId": store,
            "items": [
                {
                    "itemId": batched,
                    "quantity": 3,
                    "batches": [{"batchNumber": "L1", "quantity": 3}],
                }
            ],
        },
    )
    assert moved["items"][0]["batches"][0]["batchNumber"] == "L1"
    assert where(batched) == [(False, "L1", 2), (False, "L2", 5), (True, "L1", 3)]

    transfer = api.create(
        "/api/v1/inventory/transfers",
        {
            "fromLocationId": warehouse,
            "toLocationId": store,
            "status": "draft",
            "items": [{"itemId": serial, "quantity": 3, "serialNumbers": ["SN-1", "SN-2", "SN-3"]}],
        },
    )
    status = f"/api/v1/inventory/transfers/{transfer['id']}/status"
    line = transfer["items"][0]["id"]
    api.data(api.request("PATCH", status, json={"status": "shipped"}))
    assert where(serial) == [(False, "SN-4", 1)]
    unnamed = api.request(
        "PATCH", status, json={"status": "received", "items": [{"id": line, "quantityReceived": 2}]}
    )
    problem(unnamed, 422, "invalid_lots")
    stranger = api.request(
        "PATCH",
        status,
        json={
            "status": "received",
            "items": [{"id": line, "quantityReceived": 1, "serialNumbers": ["SN-4"]}],
        },
    )
    problem(stranger, 422, "invalid_lots")
    received = api.data(
        api.request(
            "PATCH",
            status,
            json={
                "status": "received",
                "items": [{"id": line, "quantityReceived": 2, "serialNumbers": ["SN-1", "SN-3"]}],
            },
        )
    )
    assert (received["status"], received["items"][0]["quantityWrittenOff"]) == ("completed", 1)
    assert where(serial) == [(False, "SN-4", 1), (True, "SN-1", 1), (True, "SN-3", 1)]

    issue = api.create(
        "/api/v1/inventory/issues",
        {
            "locationId": store,
            "items": [
                {"itemId": serial, "quantity": 1, "serialNumbers": ["SN-1"]},
                {
                    "itemId": batched,
                    "quantity": 2,
                    "batches": [{"batchNumber": "L1", "quantity": 2}],
                },
            ],
        },
    )
    assert issue["items"][0]["serialNumbers"] == ["SN-1"]
    problem(
        api.post(
            "/api/v1/inventory/issues",
            {
                "locationId": store,
                "items": [{"itemId": serial, "quantity": 1, "serialNumbers": ["SN-4"]}],
            },
        ),
        409,
        "serial_not_in_stock",
    )
    api.create(
        "/api/v1/inventory/returns",
        {
            "issueId": issue["id"],
            "locationId": warehouse,
            "items": [
                {"itemId": serial, "quantity": 1, "serialNumbers": ["SN-1"]},
                {
                    "itemId": batched,
                    "quantity": 1,
                    "batches": [{"batchNumber": "L1", "quantity": 1}],
                },
            ],
        },
    )
    assert where(serial) == [(False, "SN-1", 1), (False, "SN-4", 1), (True, "SN-3", 1)]
    assert where(batched) == [(False, "L1", 3), (False, "L2", 5), (True, "L1", 1)]
    assert api.data(
        _adjust(api, store, serial, 1, serialNumbers=["SN-2"]), 201
    )  # written off: may turn up
    assert_ledger_consistent(database, api.tenant.company_id)


def test_reserving_a_batch_or_a_serial(api: Api, database: Database) -> None:
    shop = api.location()["id"]
    batched = api.item(inventory={"tracking": "batch"})["id"]
    serial = api.item(inventory={"tracking": "serial"})["id"]
    made = api.data(
        _adjust(
            api,
            shop,
            batched,
            10,
            batches=[{"batchNumber": "OLD", "quantity": 4}, {"batchNumber": "NEW", "quantity": 6}],
        ),
        201,
    )
    old, new = (b["batchId"] for b in made["items"][0]["batches"])
    api.data(_adjust(api, shop, serial, 2, serialNumbers=["A", "B"]), 201)
    reservations = "/api/v1/inventory/reservations"

    held = api.data(
        api.post(
            reservations, {"itemId": batched, "locationId": shop, "batchId": old, "quantity": 3}
        ),
        201,
    )
    assert (held["batchId"], held["batchNumber"]) == (old, "OLD")
    short = problem(
        api.post(
            reservations, {"itemId": batched, "locationId": shop, "batchId": old, "quantity": 2}
        ),
        409,
        "insufficient_stock",
    )
    assert short["shortages"][0]["available"] == 1
    taking = api.post(
        ADJUSTMENTS,
        {
            "reason": "lost",
            "locationId": shop,
            "items": [
                {
                    "itemId": batched,
                    "adjustmentQuantity": -2,
                    "batches": [{"batchId": old, "quantity": 2}],
                }
            ],
        },
    )
    assert problem(taking, 409, "insufficient_stock")["shortages"][0]["batchId"] == old
    api.data(_adjust(api, shop, batched, -6, batches=[{"batchId": new, "quantity": 6}]), 201)
    done = api.data(api.post(f"{reservations}/{held['id']}/fulfil", {}))
    assert done["status"] == "fulfilled"
    assert [
        (r["batchNumber"], r["onHand"], r["reserved"]) for r in _levels(api, itemId=batched)
    ] == [("OLD", 1, 0)]

    unit = api.data(
        api.post(
            reservations, {"itemId": serial, "locationId": shop, "serialNumber": "B", "quantity": 1}
        ),
        201,
    )
    assert unit["serialNumber"] == "B"
    problem(
        api.post(
            reservations, {"itemId": serial, "locationId": shop, "serialNumber": "B", "quantity": 1}
        ),
        409,
        "insufficient_stock",
    )
    problem(
        api.post(
            reservations, {"itemId": serial, "locationId": shop, "serialNumber": "Z", "quantity": 1}
        ),
        422,
        "unknown_serial",
    )
    loose = api.data(
        api.post(reservations, {"itemId": serial, "locationId": shop, "quantity": 1}), 201
    )
    problem(api.post(f"{reservations}/{loose['id']}/fulfil", {}), 422, "invalid_lots")
    problem(
        api.post(f"{reservations}/{loose['id']}/fulfil", {"serialNumbers": ["B"]}),
        409,
        "insufficient_stock",
    )
    api.data(api.post(f"{reservations}/{loose['id']}/fulfil", {"serialNumbers": ["A"]}))
    api.data(api.post(f"{reservations}/{unit['id']}/fulfil", {}))
    assert _levels(api, itemId=serial) == []
    assert_ledger_consistent(database, api.tenant.company_id)
