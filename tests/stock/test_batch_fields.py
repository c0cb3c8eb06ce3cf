"""A batch's external (manufacturer's) number and manufacturer date, shown wherever the batch
is: document lines (adjustments, transfers, issues, receipts), levels, stock rows' lots,
movements and an item's stock history, reservations; and given by migration to the lines
posted before posting recorded them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import select, update

from stockkeeper.adjustments import service as adjustments
from stockkeeper.adjustments.models import StockAdjustmentLine
from stockkeeper.adjustments.values import NewAdjustment
from stockkeeper.core.db import Database
from stockkeeper.core.migrate import alembic_config, upgrade
from stockkeeper.core.settings import Settings
from tests.factories import new_item, new_location
from tests.invariants import assert_ledger_consistent
from tests.support import Api, make_tenant

ADJUSTMENTS = "/api/v1/inventory/adjustments"
L1 = {"externalBatchNumber": "MFR-TL-089", "manufacturerDate": "2026-05-12"}
NONE = {"externalBatchNumber": None, "manufacturerDate": None}


def _fields(batch: dict[str, Any]) -> dict[str, Any]:
    return {name: batch[name] for name in L1}


def _by_number(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["batchNumber"]: _fields(row) for row in rows if row["batchNumber"]}


def test_shown_wherever_a_batch_is(api: Api, database: Database) -> None:
    warehouse, store = api.location()["id"], api.location(type="store")["id"]
    item = api.item(inventory={"tracking": "batch"})["id"]
    batches = [
        {"batchNumber": "L1", "expiryDate": "2027-05-12", "quantity": 6, **L1},
        {"batchNumber": "L2", "quantity": 4},
    ]
    line = {"itemId": item, "adjustmentQuantity": 10, "unitCost": 2, "batches": batches}
    body = {"reason": "found", "locationId": warehouse, "items": [line]}
    added = api.create(ADJUSTMENTS, body)
    first, second = added["items"][0]["batches"]
    assert (_fields(first), _fields(second)) == (L1, NONE)
    l1 = first["batchId"]

    levels = api.data(api.get("/api/v1/inventory/levels", params={"itemId": item}))
    assert _by_number(levels) == {"L1": L1, "L2": NONE}
    [row] = api.stock(itemId=item)
    assert _by_number(row["lots"]) == {"L1": L1, "L2": NONE}
    movements = api.data(api.get("/api/v1/inventory/movements", params={"itemId": item}))
    assert _by_number(movements) == {"L1": L1, "L2": NONE}
    page = api.data(api.get(f"/api/v1/items/{item}", params={"includeStockHistory": "true"}))
    assert _by_number(page["stockHistory"]) == {"L1": L1, "L2": NONE}

    held = api.create(
        "/api/v1/inventory/reservations",
        {"itemId": item, "locationId": warehouse, "batchId": l1, "quantity": 1},
    )
    assert (_fields(held), held["expiryDate"]) == (L1, "2027-05-12")

    taken = [{"batchId": l1, "quantity": 1}]
    lost = api.create(
        ADJUSTMENTS,
        {**body, "items": [{"itemId": item, "adjustmentQuantity": -1, "batches": taken}]},
    )
    assert _fields(lost["items"][0]["batches"][0]) == L1
    moved = api.create(
        "/api/v1/inventory/transfers",
        {
            "fromLocationId": warehouse,
            "toLocationId": store,
            "items": [{"itemId": item, "quantity": 2, "batches": [{**taken[0], "quantity": 2}]}],
        },
    )
    assert _fields(moved["items"][0]["batches"][0]) == L1
    issued = api.create(
        "/api/v1/inventory/issues",
        {"locationId": store, "items": [{"itemId": item, "quantity": 1, "batches": taken}]},
    )
    assert _fields(issued["items"][0]["batches"][0]) == L1
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_receipt_and_a_draft_show_them(api: Api, database: Database) -> None:
    supplier, location = api.supplier()["id"], api.location()["id"]
    item = api.item(inventory={"tracking": "batch"})["id"]
    orders = "/api/v1/purchase-orders"
    order = api.create(
        orders,
        {
            "supplierId": supplier,
            "locationId": location,
            "items": [{"itemId": item, "quantity": 3, "unitCost": 2}],
        },
    )
    api.data(api.put(f"{orders}/{order['id']}", {"status": "ordered"}))
    batch = {"batchNumber": "R1", "quantity": 3, **L1}
    received = api.create(
        f"{orders}/{order['id']}/receipts",
        {"items": [{"itemId": item, "quantity": 3, "batches": [batch]}]},
    )
    [entry] = received["receipts"][0]["items"][0]["batches"]
    assert (entry["batchNumber"], _fields(entry)) == ("R1", L1)

    # a draft shows its batches as given, the manufacturer's fields among them
    line = {
        "itemId": item,
        "adjustmentQuantity": 2,
        "batches": [{**batch, "batchNumber": "D1", "quantity": 2}],
    }
    draft = api.create(
        ADJUSTMENTS, {"reason": "found", "locationId": location, "status": "draft", "items": [line]}
    )
    [given] = draft["items"][0]["batches"]
    assert (given["batchId"], given["batchNumber"], _fields(given)) == (None, "D1", L1)
    assert api.data(api.get(f"{ADJUSTMENTS}/{draft['id']}")) == draft
    assert_ledger_consistent(database, api.tenant.company_id)


def test_lines_posted_before_are_given_them_by_migration(tmp_path: Path) -> None:
    settings = Settings(environment="test", database_url=f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(settings)
    database = Database(settings)
    try:
        tenant = make_tenant(database)
        with database.unit_of_work() as session:
            location = new_location(session, tenant.actor)
            item = new_item(session, tenant.actor, inventory={"tracking": "batch"})
            batch = {"batch_number": "OLD", "external_batch_number": "MFR-1", "quantity": 2}
            line = {"item_id": item, "adjustment_quantity": 2, "unit_cost": 1, "batches": [batch]}
            content = {"reason": "found", "location_id": location, "items": [line]}
            adjustments.create_adjustment(
                session, tenant.actor, adjustment=NewAdjustment.model_validate(content)
            )
            # as posting stored a batch before it recorded the manufacturer's fields
            [stored] = session.scalars(select(StockAdjustmentLine.batches)).all()
            assert stored is not None
            older = [
                {
                    k: v
                    for k, v in e.items()
                    if k not in ("external_batch_number", "manufacturer_date")
                }
                for e in stored
            ]
            session.execute(update(StockAdjustmentLine).values(batches=older, location_id=location))
        command.downgrade(alembic_config(settings), "0020")
        upgrade(settings)
        with database.unit_of_work() as session:
            [(batches, line_location)] = session.execute(
                select(StockAdjustmentLine.batches, StockAdjustmentLine.location_id)
            ).all()
    finally:
        database.dispose()
    assert [
        (e["batch_number"], e["external_batch_number"], e["manufacturer_date"]) for e in batches
    ] == [("OLD", "MFR-1", None)]
    assert line_location == location  # the adjustment's, for the lines before
