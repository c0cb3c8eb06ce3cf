"""Posted stock adjustments as documented, with the ledger's rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import event, func, select

from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.db import Database
from stockkeeper.stock.models import Movement, StockLevel
from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem, unique

TODAY = dt.date.today().isoformat()


def test_documented_workflow_initial_stock(api: Api, database: Database) -> None:
    warehouse = api.location(name="Main Warehouse")
    item = api.create(
        "/api/v1/items",
        {
            "itemCode": "LAPTOP-001",
            "name": "Business Laptop",
            "description": "Professional laptop",
            "type": "inventory",
            "pricing": {"costPrice": 800.00, "sellingPrice": 1200.00},
            "inventory": {
                "tracked": True,
                "minimumStock": 5,
                "reorderPoint": 10,
                "reorderQuantity": 20,
            },
        },
    )
    adjustment = api.create(
        "/api/v1/inventory/adjustments",
        {
            "date": TODAY,
            "type": "positive",
            "reason": "initial_stock",
            "locationId": warehouse["id"],
            "items": [
                {
                    "itemId": item["id"],
                    "adjustmentQuantity": 50,
                    "unitCost": 800.00,
                    "notes": "Initial stock purchase",
                }
            ],
        },
    )
    assert adjustment["adjustmentNumber"] == f"ADJ-{TODAY[:4]}-0001"
    assert (adjustment["type"], adjustment["status"], adjustment["date"]) == (
        "positive",
        "posted",
        TODAY,
    )
    assert adjustment["location"] == {"id": warehouse["id"], "name": "Main Warehouse"}
    (line,) = adjustment["items"]
    assert (line["itemCode"], line["itemName"]) == ("LAPTOP-001", "Business Laptop")
    assert (line["currentStock"], line["adjustedStock"], line["adjustmentQuantity"]) == (0, 50, 50)
    assert (line["unitCost"], line["totalCost"], line["reason"]) == (800, 40000, "initial_stock")
    assert adjustment["totalValue"] == 40000
    assert adjustment["createdBy"] == "admin" and adjustment["postedAt"].endswith("Z")
    assert adjustment["createdAt"] <= adjustment["postedAt"]

    shown = api.data(api.get(f"/api/v1/items/{item['id']}"))
    assert shown["inventory"]["currentStock"] == 50 and shown["inventory"]["availableStock"] == 50
    assert shown["locations"] == [
        {
            "locationId": warehouse["id"],
            "stock": 50,
            "available": 50,
            "reserved": 0,
            "onOrder": 0,
            "binLocation": None,
            "bins": [],
        }
    ]
    (row,) = api.stock(itemId=item["id"])
    assert (row["currentStock"], row["averageCost"], row["stockValue"], row["onOrderStock"]) == (
        50,
        800,
        40000,
        0,
    )
    assert row["lastMovement"]["quantity"] == 50 and row["lastMovement"]["type"] == "adjustment"
    assert api.data(api.get(f"/api/v1/inventory/adjustments/{adjustment['id']}")) == adjustment
    assert_ledger_consistent(database, api.tenant.company_id)


def test_documented_mixed_adjustment(api: Api, database: Database) -> None:
    warehouse = api.location()
    widget = api.item(itemCode="WDG-001", name="Premium Widget", pricing={"costPrice": 18.5})
    advanced = api.item(itemCode="WDG-002", name="Advanced Widget")
    api.adjust(warehouse["id"], (widget["id"], 150, 18.5), (advanced["id"], 75, 25))
    body = {
        "date": "2024-01-15",
        "type": "mixed",
        "reason": "stock_count",
        "locationId": warehouse["id"],
        "reference": "SC-2024-001",
        "notes": "Monthly stock count",
        "items": [
            {
                "itemId": widget["id"],
                "adjustmentQuantity": -2,
                "unitCost": 18.50,
                "reason": "damaged",
                "notes": "Damaged during handling",
            },
            {
                "itemId": advanced["id"],
                "adjustmentQuantity": 5,
                "unitCost": 25.00,
                "reason": "found",
                "notes": "Found in back storage",
            },
        ],
    }
    adjustment = api.create("/api/v1/inventory/adjustments", body)
    assert adjustment["adjustmentNumber"] == "ADJ-2024-0001"  # its own year's series
    assert adjustment["type"] == "mixed" and adjustment["reference"] == "SC-2024-001"
    first, second = adjustment["items"]
    assert (first["currentStock"], first["adjustedStock"], first["totalCost"]) == (150, 148, -37)
    assert (second["currentStock"], second["adjustedStock"], second["totalCost"]) == (75, 80, 125)
    assert (first["reason"], second["notes"]) == ("damaged", "Found in back storage")
    assert adjustment["totalValue"] == 88
    assert_ledger_consistent(database, api.tenant.company_id)


def test_shortage_is_409_naming_every_short_line_and_leaves_nothing(
    api: Api, database: Database
) -> None:
    warehouse = api.location(name="WH")
    a, b, c = api.item(itemCode="A"), api.item(itemCode="B"), api.item(itemCode="C")
    api.adjust(warehouse["id"], (a["id"], 3, 1), (c["id"], 10, 1))
    before = api.data(api.get("/api/v1/inventory/movements"))
    response = api.post(
        "/api/v1/inventory/adjustments",
        {
            "reason": "lost",
            "locationId": warehouse["id"],
            "items": [
                {"itemId": a["id"], "adjustmentQuantity": -5},
                {"itemId": b["id"], "adjustmentQuantity": -1},
                {"itemId": c["id"], "adjustmentQuantity": -4},
            ],
        },
    )
    error = problem(response, 409, "insufficient_stock")
    assert [(s["itemCode"], s["requested"], s["available"]) for s in error["shortages"]] == [
        ("A", 5, 3),
        ("B", 1, 0),
    ]
    assert all(
        s["locationId"] == warehouse["id"] and s["locationName"] == "WH" for s in error["shortages"]
    )
    assert "A at WH: asked 5, available 3" in error["detail"]
    assert api.data(api.get("/api/v1/inventory/movements")) == before
    assert len(api.data(api.get("/api/v1/inventory/adjustments"))) == 1
    # no number was consumed by the failed request
    assert api.adjust(warehouse["id"], (c["id"], -4))["adjustmentNumber"].endswith("-0002")
    assert_ledger_consistent(database, api.tenant.company_id)


def test_negative_stock_when_the_company_allows_it(api: Api, database: Database) -> None:
    api.data(api.put("/api/v1/settings", {"allowNegativeStock": True}))
    warehouse = api.location()
    item = api.item(pricing={"costPrice": 4})
    adjustment = api.adjust(warehouse["id"], (item["id"], -3))
    assert adjustment["items"][0]["adjustedStock"] == -3 and adjustment["items"][0]["unitCost"] == 4
    (row,) = api.stock(negative="true")
    assert row["currentStock"] == -3
    assert api.stock(outOfStock="true")[0]["itemId"] == item["id"]
    assert_ledger_consistent(database, api.tenant.company_id)


def test_only_active_stocked_items_move(api: Api) -> None:
    warehouse = api.location()
    service = api.item(type="service")
    non_stock = api.item(type="non_inventory")
    inactive = api.item(isActive=False)
    for item, code in (
        (service, "not_stocked"),
        (non_stock, "not_stocked"),
        (inactive, "inactive_item"),
    ):
        error = problem(
            api.post(
                "/api/v1/inventory/adjustments",
                {
                    "reason": "found",
                    "locationId": warehouse["id"],
                    "items": [
                        {"itemId": api.item()["id"], "adjustmentQuantity": 1},
                        {"itemId": item["id"], "adjustmentQuantity": 1},
                    ],
                },
            ),
            422,
            "item_cannot_move",
        )
        assert (
            error["errors"][0]["field"] == "items.1.itemId" and error["errors"][0]["code"] == code
        )
    problem(
        api.post(
            "/api/v1/inventory/adjustments",
            {
                "reason": "found",
                "locationId": warehouse["id"],
                "items": [{"itemId": "item_nope", "adjustmentQuantity": 1}],
            },
        ),
        422,
        "item_cannot_move",
    )
    assert api.data(api.get("/api/v1/inventory/adjustments")) == []


def test_validation(api: Api) -> None:
    warehouse = api.location()
    item = api.item()
    base = {
        "reason": "found",
        "locationId": warehouse["id"],
        "items": [{"itemId": item["id"], "adjustmentQuantity": 1}],
    }
    problem(api.post("/api/v1/inventory/adjustments", {**base, "items": []}), 422)
    problem(
        api.post(
            "/api/v1/inventory/adjustments",
            {**base, "items": [{"itemId": item["id"], "adjustmentQuantity": 0}]},
        ),
        422,
    )
    problem(api.post("/api/v1/inventory/adjustments", {**base, "type": "negative"}), 422)
    problem(
        api.post("/api/v1/inventory/adjustments", {**base, "reason": " "}),
        422,
        "validation_failed",
    )
    problem(
        api.post("/api/v1/inventory/adjustments", {**base, "locationId": "loc_nope"}),
        422,
        "unknown_location",
    )
    problem(api.as_key(api.tenant.viewer_key).post("/api/v1/inventory/adjustments", base), 403)
    assert (
        api.as_key(api.tenant.clerk_key).create("/api/v1/inventory/adjustments", base)["status"]
        == "posted"
    )


def test_default_location_and_unit_costs(api: Api) -> None:
    warehouse = api.location(type="warehouse")  # the company's default warehouse
    item = api.item(pricing={"costPrice": 7})
    first = api.create(
        "/api/v1/inventory/adjustments",
        {"reason": "found", "items": [{"itemId": item["id"], "adjustmentQuantity": 10}]},
    )
    assert first["locationId"] == warehouse["id"]
    assert first["items"][0]["unitCost"] == 7  # nothing there yet: the item's cost price
    api.adjust(warehouse["id"], (item["id"], 10, 9))  # now 20 at an average of 8
    third = api.adjust(warehouse["id"], (item["id"], 5))
    assert third["items"][0]["unitCost"] == 8  # the average at the location
    out = api.adjust(warehouse["id"], (item["id"], -5, 100))
    assert (
        out["items"][0]["unitCost"] == 8 and out["items"][0]["totalCost"] == -40
    )  # leaves at average
    (row,) = api.stock(itemId=item["id"])
    assert (row["currentStock"], row["stockValue"], row["averageCost"]) == (20, 160, 8)


def test_moving_average_leaves_no_rounding_residue(api: Api, database: Database) -> None:
    warehouse = api.location()
    item = api.item()
    api.adjust(warehouse["id"], (item["id"], 3, 3.333333), (item["id"], 0.5, 1))
    api.adjust(warehouse["id"], (item["id"], -1), (item["id"], -1))
    api.adjust(warehouse["id"], (item["id"], -1.5))
    assert api.stock(itemId=item["id"]) == []  # nothing held: no row
    with database.unit_of_work(write=False) as session:
        level = session.scalars(
            select(StockLevel).where(
                StockLevel.item_id == item["id"], StockLevel.physical.is_(True)
            )
        ).one()
    assert (level.on_hand, level.value) == (Decimal(0), Decimal(0))
    assert_ledger_consistent(database, api.tenant.company_id)


def test_count_sets_the_quantity(api: Api, database: Database) -> None:
    warehouse = api.location()
    item = api.item(pricing={"costPrice": 18.5})
    body = {
        "itemId": item["id"],
        "locationId": warehouse["id"],
        "newQuantity": 200,
        "reason": "stock_count",
        "notes": "Physical count adjustment",
        "costPrice": 18.50,
        "reference": "SC-2024-001",
    }
    row = api.data(api.put("/api/v1/inventory/stock", body))
    assert (row["currentStock"], row["averageCost"], row["stockValue"]) == (200, 18.5, 3700)
    row = api.data(api.put("/api/v1/inventory/stock", {**body, "newQuantity": 150}))
    assert row["currentStock"] == 150 and row["lastMovement"]["quantity"] == -50
    assert row["lastMovement"]["reference"] == "SC-2024-001"
    api.data(
        api.put("/api/v1/inventory/stock", {**body, "newQuantity": 150})
    )  # no difference, no document
    adjustments = api.data(api.get("/api/v1/inventory/adjustments"))
    assert [a["items"][0]["adjustmentQuantity"] for a in adjustments] in ([-50, 200], [200, -50])
    assert all(
        a["reason"] == "stock_count" and a["notes"] == "Physical count adjustment"
        for a in adjustments
    )
    movements = api.data(api.get("/api/v1/inventory/movements", params={"type": "count"}))
    assert sorted(m["quantity"] for m in movements) == [-50, 200]
    zero = api.data(api.put("/api/v1/inventory/stock", {**body, "newQuantity": 0}))
    assert zero["currentStock"] == 0 and zero["stockValue"] == 0
    problem(api.put("/api/v1/inventory/stock", {**body, "newQuantity": -1}), 422)
    assert_ledger_consistent(database, api.tenant.company_id)


def test_list_filters_and_reasons(api: Api) -> None:
    a_loc, b_loc = api.location(), api.location()
    item, other = api.item(), api.item()
    api.create("/api/v1/inventory/adjustment-reasons", {"code": "shrinkage", "name": "Shrinkage"})
    codes = [r["code"] for r in api.data(api.get("/api/v1/inventory/adjustment-reasons"))]
    assert codes[:8] == [
        "damaged",
        "expired",
        "found",
        "initial_stock",
        "internal_consumption",
        "lost",
        "other",
        "stock_count",
    ]
    assert "shrinkage" in codes
    api.adjust(a_loc["id"], (item["id"], 5), date="2026-01-10")
    api.adjust(b_loc["id"], (other["id"], 5), date="2026-02-10", reason="shrinkage")
    api.adjust(a_loc["id"], (item["id"], -1), date="2026-03-10", reason="damaged")

    def numbers(**params: Any) -> list[str]:
        return [
            a["adjustmentNumber"]
            for a in api.data(api.get("/api/v1/inventory/adjustments", params=params))
        ]

    assert numbers() == ["ADJ-2026-0003", "ADJ-2026-0002", "ADJ-2026-0001"]
    assert numbers(dateFrom="2026-02-01", dateTo="2026-02-28") == ["ADJ-2026-0002"]
    assert numbers(type="negative") == ["ADJ-2026-0003"]
    assert numbers(reason="shrinkage") == ["ADJ-2026-0002"]
    assert numbers(locationId=a_loc["id"]) == ["ADJ-2026-0003", "ADJ-2026-0001"]
    assert numbers(itemId=other["id"]) == ["ADJ-2026-0002"]
    assert numbers(status="draft") == []
    page = api.get("/api/v1/inventory/adjustments", params={"limit": 2}).json()
    rest = api.get(
        "/api/v1/inventory/adjustments", params={"cursor": page["pagination"]["nextCursor"]}
    ).json()
    assert [a["adjustmentNumber"] for a in rest["data"]] == ["ADJ-2026-0001"]
    problem(api.delete("/api/v1/inventory/adjustment-reasons/shrinkage"), 409, "reason_in_use")
    problem(api.delete("/api/v1/inventory/adjustment-reasons/damaged"), 409, "reason_in_use")
    api.data(api.put("/api/v1/inventory/adjustment-reasons/shrinkage", {"isActive": False}))
    problem(
        api.post(
            "/api/v1/inventory/adjustments",
            {
                "reason": "shrinkage",
                "locationId": a_loc["id"],
                "items": [{"itemId": item["id"], "adjustmentQuantity": 1}],
            },
        ),
        422,
        "unknown_reason",
    )


def test_a_500_line_adjustment_costs_a_constant_number_of_statements(
    api: Api, database: Database
) -> None:
    warehouse = api.location()
    items = [api.item()["id"] for _ in range(25)]

    def statements_for(lines: int) -> int:
        seen: list[str] = []

        def count(*args: Any) -> None:
            seen.append(args[2])

        body = {
            "reason": "found",
            "locationId": warehouse["id"],
            "items": [
                {"itemId": items[n % len(items)], "adjustmentQuantity": 1, "unitCost": 2}
                for n in range(lines)
            ],
        }
        key = {"Idempotency-Key": unique("count")}  # as clients post: the key costs two
        event.listen(database.engine, "before_cursor_execute", count)
        try:
            api.data(api.post("/api/v1/inventory/adjustments", body, headers=key), 201)
        finally:
            event.remove(database.engine, "before_cursor_execute", count)
        return len(seen)

    statements_for(1)  # a first posting may warm caches (the virtual locations)
    # a one-line posting ran 17 statements before its events came from the service (BEGIN,
    # the key, the response kept for the Idempotency-Key included); its two events, the
    # adjustment and the stock level, go in one statement
    assert statements_for(1) <= 17
    small, large = statements_for(2), statements_for(500)
    assert large == small <= 18  # the 17, and the level rows of items that never moved
    with database.unit_of_work(write=False) as session:
        moved = session.scalar(
            select(func.sum(Movement.quantity)).where(Movement.company_id == api.tenant.company_id)
        )
    assert moved == Decimal(504)
    assert_ledger_consistent(database, api.tenant.company_id)


def test_each_posting_writes_an_audit_row(api: Api, database: Database) -> None:
    warehouse = api.location()
    adjustment = api.adjust(warehouse["id"], (api.item()["id"], 2))
    with database.unit_of_work(write=False) as session:
        events = session.scalars(
            select(AuditEvent).where(
                AuditEvent.company_id == api.tenant.company_id,
                AuditEvent.entity_id == adjustment["id"],
            )
        ).all()
    assert [(e.action, e.actor_name, e.details["number"]) for e in events] == [
        ("adjustment.posted", "admin", adjustment["adjustmentNumber"])
    ]
