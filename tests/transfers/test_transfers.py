"""Stock transfers as documented: one step at once, or approved, shipped and received."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, select

from stockkeeper.core.db import Database
from stockkeeper.stock.models import Movement
from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem

TRANSFERS = "/api/v1/inventory/transfers"
TODAY = dt.date.today().isoformat()


def _status(api: Api, transfer_id: str, body: dict[str, Any]) -> Any:
    return api.request("PATCH", f"{TRANSFERS}/{transfer_id}/status", json=body)


def _stock_at(api: Api, item_id: str) -> dict[str, tuple[Any, Any]]:
    return {
        row["locationId"]: (row["currentStock"], row["stockValue"])
        for row in api.stock(itemId=item_id)
    }


def _movement_types(database: Database, transfer_id: str) -> list[tuple[str, Any]]:
    with database.unit_of_work(write=False) as session:
        return [
            (m.movement_type, m.quantity)
            for m in session.scalars(
                select(Movement)
                .where(Movement.document_id == transfer_id)
                .order_by(Movement.created_at, Movement.movement_type)
            )
        ]


def test_documented_workflow_transfers_at_once(api: Api, database: Database) -> None:
    warehouse = api.location(name="Main Warehouse")["id"]
    store = api.location(name="Retail Store 1", type="store")["id"]
    item = api.item(pricing={"costPrice": 800})["id"]
    api.adjust(warehouse, (item, 50, 800))
    transfer = api.create(
        TRANSFERS,
        {
            "date": TODAY,
            "fromLocationId": warehouse,
            "toLocationId": store,
            "items": [{"itemId": item, "quantity": 15, "notes": "Restock for retail store"}],
        },
    )
    assert transfer["transferNumber"] == f"XFR-{TODAY[:4]}-0001"
    assert (transfer["status"], transfer["allowedStatuses"]) == ("completed", [])
    assert transfer["fromLocation"] == {"id": warehouse, "name": "Main Warehouse"}
    assert transfer["toLocation"] == {"id": store, "name": "Retail Store 1"}
    (line,) = transfer["items"]
    assert (line["quantityRequested"], line["quantityShipped"], line["quantityReceived"]) == (
        15,
        15,
        15,
    )
    assert (line["unitCost"], line["totalCost"], transfer["totalValue"]) == (800, 12000, 12000)
    assert line["notes"] == "Restock for retail store" and transfer["approvals"] == []
    assert _stock_at(api, item) == {warehouse: (35, 28000), store: (15, 12000)}
    assert _movement_types(database, transfer["id"]) == [("transfer", 15)]
    shown = api.data(api.get(f"/api/v1/items/{item}"))
    assert shown["inventory"]["currentStock"] == 50
    assert api.data(api.get(f"{TRANSFERS}/{transfer['id']}")) == transfer
    assert_ledger_consistent(database, api.tenant.company_id)


def test_the_documented_sequence_an_admin_ships_what_waits_for_approval(
    api: Api, database: Database
) -> None:
    """ "Create Stock Transfer" with ``requestApproval``, then "Update Transfer Status" to
    ``shipped``, as the BigLedger document shows them: the admin's shipping approves it."""
    warehouse, store = api.location()["id"], api.location(type="store")["id"]
    item = api.item()["id"]
    api.adjust(warehouse, (item, 60, 18.5))
    body = {"fromLocationId": warehouse, "toLocationId": store, "requestApproval": True}
    waiting = api.create(TRANSFERS, {**body, "items": [{"itemId": item, "quantity": 50}]})
    shipping = {"method": "internal_delivery", "trackingNumber": "INT-002-2024"}
    change = {"status": "shipped", "notes": "Items shipped", "shipping": shipping}
    shipped = api.data(_status(api, waiting["id"], change))
    assert shipped["status"] == "shipped"
    signed = [(a["step"], a["status"], a["approvedBy"]) for a in shipped["approvals"]]
    assert signed == [("approved", "approved", "admin"), ("shipped", "shipped", "admin")]
    assert _stock_at(api, item)[warehouse] == (10, 185)
    assert _movement_types(database, waiting["id"]) == [("transfer", 50)]
    assert_ledger_consistent(database, api.tenant.company_id)


def test_approved_shipped_and_received_short(api: Api, database: Database) -> None:
    warehouse = api.location()["id"]
    store = api.location(type="store")["id"]
    item = api.item()["id"]
    api.adjust(warehouse, (item, 60, 18.5))
    clerk = api.as_key(api.tenant.clerk_key)
    transfer = clerk.create(
        TRANSFERS,
        {
            "date": TODAY,
            "fromLocationId": warehouse,
            "toLocationId": store,
            "reference": "RESTOCK-002",
            "notes": "Emergency restock",
            "items": [{"itemId": item, "quantity": 50, "notes": "High priority item"}],
            "requestApproval": True,
        },
    )
    ident = transfer["id"]
    assert transfer["status"] == "pending_approval"
    assert transfer["allowedStatuses"] == ["approved", "rejected", "shipped", "cancelled"]
    assert _stock_at(api, item) == {warehouse: (60, 1110)}
    # a read lists what its reader may do: a clerk may only cancel it
    read_by_clerk = clerk.data(clerk.get(f"{TRANSFERS}/{ident}"))
    assert read_by_clerk["allowedStatuses"] == ["cancelled"]
    read_by_admin = api.data(api.get(f"{TRANSFERS}/{ident}"))
    assert read_by_admin["allowedStatuses"] == ["approved", "rejected", "shipped", "cancelled"]

    problem(_status(clerk, ident, {"status": "approved"}), 403, "role_too_weak")
    refused = problem(_status(clerk, ident, {"status": "shipped"}), 409, "approval_required")
    assert "approval" in refused["detail"] and "clerk" in refused["detail"]
    assert _stock_at(api, item) == {warehouse: (60, 1110)}  # nothing moved
    approved = api.data(
        _status(
            api,
            ident,
            {"status": "approved", "step": "warehouse_manager", "notes": "Approved for shipment"},
        )
    )
    assert approved["status"] == "approved"
    (approval,) = approved["approvals"]
    assert (approval["step"], approval["status"], approval["approvedBy"]) == (
        "warehouse_manager",
        "approved",
        "admin",
    )
    assert approval["notes"] == "Approved for shipment" and approval["approvedAt"].endswith("Z")

    shipped = clerk.data(
        _status(
            clerk,
            ident,
            {
                "status": "shipped",
                "notes": "Items shipped via internal delivery",
                "shipping": {
                    "method": "internal_delivery",
                    "trackingNumber": "INT-002-2024",
                    "estimatedDelivery": "2024-01-16T14:00:00Z",
                },
            },
        )
    )
    assert shipped["status"] == "shipped" and shipped["allowedStatuses"] == ["received"]
    assert shipped["shipping"]["method"] == "internal_delivery"
    assert shipped["shipping"]["trackingNumber"] == "INT-002-2024"
    assert shipped["shipping"]["estimatedDelivery"] == "2024-01-16T14:00:00.000Z"
    assert shipped["shipping"]["shippedAt"] and shipped["shipping"]["actualDelivery"] is None
    (line,) = shipped["items"]
    assert (line["quantityShipped"], line["unitCost"], line["totalCost"]) == (50, 18.5, 925)
    assert _stock_at(api, item) == {warehouse: (10, 185)}
    assert api.data(api.get(f"/api/v1/items/{item}"))["inventory"]["currentStock"] == 10
    problem(_status(clerk, ident, {"status": "cancelled"}), 409, "illegal_transition")

    too_many = _status(
        clerk, ident, {"status": "received", "items": [{"id": line["id"], "quantityReceived": 51}]}
    )
    assert problem(too_many, 422)["errors"][0]["field"] == "items.0.quantityReceived"
    received = clerk.data(
        _status(
            clerk,
            ident,
            {
                "status": "received",
                "step": "store_manager",
                "notes": "Received with 2 damaged units",
                "reason": "damaged",
                "items": [{"id": line["id"], "quantityReceived": 48}],
            },
        )
    )
    assert received["status"] == "completed" and received["allowedStatuses"] == []
    (line,) = received["items"]
    assert (line["quantityReceived"], line["quantityWrittenOff"], line["writeOffReason"]) == (
        48,
        2,
        "damaged",
    )
    assert received["shipping"]["actualDelivery"]
    assert [a["step"] for a in received["approvals"]] == [
        "warehouse_manager",
        "shipped",
        "store_manager",
    ]
    assert _stock_at(api, item) == {warehouse: (10, 185), store: (48, 888)}
    assert _movement_types(database, ident) == [
        ("transfer", 50),
        ("transfer", 48),
        ("write_off", 2),
    ]
    assert_ledger_consistent(database, api.tenant.company_id)


def test_drafts_cancel_and_refusals_change_nothing(api: Api, database: Database) -> None:
    warehouse = api.location()["id"]
    store = api.location(type="store")["id"]
    item = api.item()["id"]
    api.adjust(warehouse, (item, 5, 2))

    def body(**fields: Any) -> dict[str, Any]:
        return {
            "fromLocationId": warehouse,
            "toLocationId": store,
            "items": [{"itemId": item, "quantity": 8}],
            **fields,
        }

    short = problem(api.post(TRANSFERS, body()), 409, "insufficient_stock")
    assert short["shortages"][0]["available"] == 5
    assert api.data(api.get(TRANSFERS)) == []
    draft = api.create(TRANSFERS, body(status="draft"))
    assert draft["transferNumber"].endswith("-0001") and draft["status"] == "draft"
    assert draft["allowedStatuses"] == ["pending_approval", "approved", "shipped", "cancelled"]
    assert draft["items"][0]["quantityShipped"] is None
    problem(_status(api, draft["id"], {"status": "shipped"}), 409, "insufficient_stock")
    assert api.data(api.get(f"{TRANSFERS}/{draft['id']}"))["status"] == "draft"
    problem(_status(api, draft["id"], {"status": "received"}), 409, "illegal_transition")
    wrong_items = _status(
        api, draft["id"], {"status": "cancelled", "items": [{"id": "x", "quantityShipped": 1}]}
    )
    problem(wrong_items, 422)
    cancelled = api.data(_status(api, draft["id"], {"status": "cancelled"}))
    assert cancelled["status"] == "cancelled" and cancelled["allowedStatuses"] == []
    refused = problem(_status(api, draft["id"], {"status": "shipped"}), 409, "illegal_transition")
    assert refused["currentStatus"] == "cancelled" and refused["allowedStatuses"] == []

    same = problem(api.post(TRANSFERS, body(toLocationId=warehouse)), 422)
    assert same["errors"][0]["field"] == "toLocationId"
    other_bin = api.create(f"/api/v1/locations/{warehouse}/bins", {"code": "A-01"})["id"]
    wrong_bin = api.post(
        TRANSFERS, body(items=[{"itemId": item, "quantity": 1, "toBinId": other_bin}])
    )
    assert problem(wrong_bin, 422, "unknown_bin")["errors"][0]["field"] == "items.0.toBinId"
    problem(api.post(TRANSFERS, body(fromLocationId="loc_nope")), 422, "unknown_location")
    assert _stock_at(api, item) == {warehouse: (5, 10)}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_partial_shipment_between_bins_and_listing(api: Api, database: Database) -> None:
    warehouse = api.location()["id"]
    store = api.location(type="store")["id"]
    shelf = api.create(f"/api/v1/locations/{store}/bins", {"code": "S-1"})["id"]
    first, second = api.item()["id"], api.item()["id"]
    api.adjust(warehouse, (first, 10, 3), (second, 10, 7))
    transfer = api.create(
        TRANSFERS,
        {
            "fromLocationId": warehouse,
            "toLocationId": store,
            "status": "draft",
            "items": [
                {"itemId": first, "quantity": 4, "toBinId": shelf},
                {"itemId": second, "quantity": 6},
            ],
        },
    )
    lines = transfer["items"]
    shipped = api.data(
        _status(
            api,
            transfer["id"],
            {"status": "shipped", "items": [{"id": lines[1]["id"], "quantityShipped": 0}]},
        )
    )
    assert [line["quantityShipped"] for line in shipped["items"]] == [4, 0]
    assert shipped["totalValue"] == 12
    received = api.data(_status(api, transfer["id"], {"status": "received"}))
    assert [
        (line["quantityReceived"], line["quantityWrittenOff"]) for line in received["items"]
    ] == [
        (4, 0),
        (0, 0),
    ]
    (row,) = [r for r in api.stock(itemId=first, locationId=store)]
    assert (row["currentStock"], row["binLocation"]) == (4, "S-1")
    assert _stock_at(api, second) == {warehouse: (10, 70)}

    listed = api.data(api.get(TRANSFERS, params={"itemId": second, "status": "completed"}))
    assert [t["id"] for t in listed] == [transfer["id"]]
    assert api.data(api.get(TRANSFERS, params={"locationId": store}))[0]["id"] == transfer["id"]
    assert api.data(api.get(TRANSFERS, params={"fromLocationId": store})) == []
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_transfer_costs_a_constant_number_of_statements(api: Api, database: Database) -> None:
    warehouse, store = api.location()["id"], api.location(type="store")["id"]
    items = [api.item()["id"] for _ in range(10)]
    api.adjust(warehouse, *[(item, 1000, 2) for item in items])

    def statements(work: Callable[[], Any]) -> int:
        seen: list[str] = []

        def count(*args: Any) -> None:
            seen.append(args[2])

        event.listen(database.engine, "before_cursor_execute", count)
        try:
            work()
        finally:
            event.remove(database.engine, "before_cursor_execute", count)
        return len(seen)

    def body(lines: int, **fields: Any) -> dict[str, Any]:
        return {
            "fromLocationId": warehouse,
            "toLocationId": store,
            "items": [{"itemId": items[n % len(items)], "quantity": 1} for n in range(lines)],
            **fields,
        }

    def created(lines: int) -> int:
        return statements(lambda: api.create(TRANSFERS, body(lines)))

    def moved(transfer: dict[str, Any], status: str) -> int:
        return statements(lambda: api.data(_status(api, transfer["id"], {"status": status})))

    created(1)  # a first one may warm caches
    assert created(2) == created(200) <= 20  # the transfer's event included
    small, large = (api.create(TRANSFERS, body(n, status="draft")) for n in (2, 200))
    assert moved(small, "shipped") == moved(large, "shipped")
    assert moved(small, "received") == moved(large, "received")
    assert_ledger_consistent(database, api.tenant.company_id)
