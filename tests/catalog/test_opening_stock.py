"""A new item's opening stock (``inventory.openingStock``), on both engines: posted through
the ledger from the opening balances in the transaction that makes the item, shown in the
movements with the item as its document; refused input creates nothing at all."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.core import outbox
from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.db import Database
from stockkeeper.core.types import utcnow
from stockkeeper.stock.errors import InvalidLots, ItemCannotMove
from stockkeeper.stock.service import items
from stockkeeper.stock.service.locations import virtual_locations
from stockkeeper.stock.values import NewStockItem
from stockkeeper.tenancy.service import Actor
from tests.factories import new_location
from tests.invariants import assert_ledger_consistent
from tests.support import Api, Tenant, problem, unique


def _create(api: Api, opening: dict[str, Any], **fields: Any) -> Any:
    body = {
        "itemCode": unique("OPEN"),
        "name": unique("Opened"),
        "type": "inventory",
        "inventory": {"minimumStock": 5, "openingStock": opening},
        **fields,
    }
    return api.post("/api/v1/items", body)


def _with_tracking(tracking: str, opening: dict[str, Any]) -> dict[str, Any]:
    return {"inventory": {"tracking": tracking, "openingStock": opening}}


def _nothing_created(api: Api) -> None:
    """No item, no movement, and the next item takes the first article number."""
    assert api.data(api.get("/api/v1/items")) == []
    assert api.data(api.get("/api/v1/inventory/movements")) == []
    assert api.item()["articleNumber"] == "ART_PRODUCT001"


def test_opening_stock_is_posted_with_the_item_into_the_default_warehouse(
    api: Api, database: Database
) -> None:
    warehouse = api.location(name="Main")  # the first warehouse is the default
    body = {"quantity": 50, "unitCost": 4.2}
    created = api.data(_create(api, body, pricing={"costPrice": 9}), 201)
    assert created["inventory"]["currentStock"] == 50
    assert created["inventory"]["minimumStock"] == 5  # the other rules are kept as ever
    assert [(at["locationId"], at["stock"]) for at in created["locations"]] == [
        (warehouse["id"], 50)
    ]
    assert created["costs"]["lastCostPrice"] == 4.2
    (movement,) = api.data(api.get("/api/v1/inventory/movements", params={"itemId": created["id"]}))
    assert movement["type"] == "opening_stock"
    assert movement["reason"] == "initial_stock"
    assert (movement["direction"], movement["quantity"], movement["locationId"]) == (
        "in",
        50,
        warehouse["id"],
    )
    assert (movement["unitCost"], movement["value"]) == (4.2, 210)
    assert movement["document"] == {
        "type": "item",
        "id": created["id"],
        "number": created["articleNumber"],
    }
    assert movement["reference"] == created["itemCode"]
    stock = api.stock(itemId=created["id"])
    assert [(row["locationId"], row["currentStock"], row["stockValue"]) for row in stock] == [
        (warehouse["id"], 50, 210)
    ]
    assert_ledger_consistent(database, api.tenant.company_id)


def test_the_audit_trail_records_the_posting_beside_the_creation(api: Api) -> None:
    warehouse = api.location()
    created = api.data(_create(api, {"quantity": 3, "locationId": warehouse["id"]}), 201)
    events = api.data(
        api.get("/api/v1/audit-events", params={"entityType": "item", "entityId": created["id"]})
    )
    by_action = {event["action"]: event for event in events}
    assert set(by_action) == {"item.created", "item.opening_stock_posted"}
    details = by_action["item.opening_stock_posted"]["details"]
    assert details["location_id"] == warehouse["id"]
    assert (details["quantity"], details["unit_cost"], details["total_value"]) == (3, 0, 0)


def test_a_named_location_and_bin_and_the_cost_price_by_default(
    api: Api, database: Database
) -> None:
    api.location()
    store = api.location(type="store")
    shelf = api.create(f"/api/v1/locations/{store['id']}/bins", {"code": "S-1"})
    opening = {"quantity": "2.5", "locationId": store["id"], "binId": shelf["id"]}
    created = api.data(_create(api, opening, pricing={"costPrice": 8}), 201)
    (movement,) = api.data(api.get("/api/v1/inventory/movements", params={"itemId": created["id"]}))
    assert (movement["locationId"], movement["binId"]) == (store["id"], shelf["id"])
    assert (movement["unitCost"], movement["value"]) == (8, 20)  # at the cost price
    levels = api.data(api.get("/api/v1/inventory/levels", params={"itemId": created["id"]}))
    assert [(level["binId"], level["onHand"]) for level in levels] == [(shelf["id"], 2.5)]
    assert_ledger_consistent(database, api.tenant.company_id)


def test_without_a_location_or_a_default_warehouse_it_is_refused(api: Api) -> None:
    api.location(type="store")  # a store is never the default warehouse
    body = problem(_create(api, {"quantity": 1}), 422, "validation_failed")
    assert [(e["field"], e["message"]) for e in body["errors"]] == [
        ("inventory.openingStock.locationId", "required: the company has no default warehouse")
    ]
    assert "no default warehouse" in body["detail"]
    _nothing_created(api)


def test_unknown_and_virtual_locations_and_other_bins_are_refused(
    api: Api, tenant: Tenant, database: Database
) -> None:
    warehouse, other = api.location(), api.location()
    elsewhere = api.create(f"/api/v1/locations/{other['id']}/bins", {"code": "X"})
    with database.unit_of_work() as session:
        opening_balances = virtual_locations(session, tenant.company_id)["opening"]
    for location_id in ("loc_missing", opening_balances):
        body = problem(_create(api, {"quantity": 1, "locationId": location_id}), 422)
        assert body["code"] == "unknown_location"
        assert body["errors"][0]["field"] == "inventory.openingStock.locationId"
    opening = {"quantity": 1, "locationId": warehouse["id"], "binId": elsewhere["id"]}
    body = problem(_create(api, opening), 422, "unknown_bin")
    assert body["errors"][0]["field"] == "inventory.openingStock.binId"
    _nothing_created(api)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"type": "service"}, "not_stocked"),
        ({"type": "non_inventory"}, "not_stocked"),
        ({"inventory": {"tracked": False, "openingStock": {"quantity": 1}}}, "not_stocked"),
        ({"isActive": False}, "inactive_item"),
    ],
)
def test_an_item_that_holds_no_stock_takes_none(
    api: Api, fields: dict[str, Any], code: str
) -> None:
    api.location()
    body = problem(_create(api, {"quantity": 1}, **fields), 422, "item_cannot_move")
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("inventory.openingStock", code)]
    _nothing_created(api)


def test_batches_and_serial_numbers_come_in_as_on_any_line(api: Api, database: Database) -> None:
    api.location()
    batches = [
        {"batchNumber": "L-1", "expiryDate": "2030-01-31", "quantity": 6},
        {"batchNumber": "L-2", "quantity": 4},
    ]
    opening = {"quantity": 10, "unitCost": 2, "batches": batches}
    batched = api.data(_create(api, opening, **_with_tracking("batch", opening)), 201)
    assert batched["inventory"]["currentStock"] == 10
    levels = api.data(api.get("/api/v1/inventory/levels", params={"itemId": batched["id"]}))
    assert sorted((lv["batchNumber"], lv["expiryDate"], lv["onHand"]) for lv in levels) == [
        ("L-1", "2030-01-31", 6),
        ("L-2", None, 4),
    ]
    serials = {"quantity": 2, "serialNumbers": ["SN-1", "SN-2"]}
    serial = api.data(_create(api, serials, **_with_tracking("serial", serials)), 201)
    levels = api.data(api.get("/api/v1/inventory/levels", params={"itemId": serial["id"]}))
    assert sorted(level["serialNumber"] for level in levels) == ["SN-1", "SN-2"]
    assert_ledger_consistent(database, api.tenant.company_id)


def test_tracked_items_without_their_lots_create_nothing(api: Api) -> None:
    api.location()
    for tracking, opening, field in (
        ("batch", {"quantity": 3}, "inventory.openingStock.batches"),
        ("serial", {"quantity": 2}, "inventory.openingStock.serialNumbers"),
        ("serial", {"quantity": 2, "serialNumbers": ["A"]}, "inventory.openingStock.serialNumbers"),
        (
            "batch",
            {"quantity": 3, "batches": [{"batchNumber": "B", "quantity": 2}]},
            "inventory.openingStock.batches",
        ),
        ("none", {"quantity": 1, "serialNumbers": ["A"]}, "inventory.openingStock.serialNumbers"),
    ):
        body = problem(_create(api, opening, **_with_tracking(tracking, opening)), 422)
        assert body["code"] == "invalid_lots"
        assert [e["field"] for e in body["errors"]] == [field]
    _nothing_created(api)


def test_a_closed_period_refuses_it_and_creates_nothing(api: Api) -> None:
    api.location()
    today = utcnow().date().isoformat()  # the company's time zone is UTC
    assert api.data(api.put("/api/v1/settings", {"lockDate": today}))["lockDate"] == today
    problem(_create(api, {"quantity": 1}), 409, "period_locked")
    _nothing_created(api)


def test_the_opening_stock_is_only_for_a_new_item(api: Api) -> None:
    api.location()
    item = api.item()
    body = {"inventory": {"openingStock": {"quantity": 1}}}
    refused = problem(api.put(f"/api/v1/items/{item['id']}", body), 422, "validation_failed")
    assert [e["field"] for e in refused["errors"]] == ["inventory.openingStock"]
    assert api.data(api.get("/api/v1/inventory/movements")) == []


def test_refused_values_are_checked_before_anything_is_written(api: Api) -> None:
    api.location()
    for opening, field in (
        ({"quantity": 0}, "inventory.openingStock.quantity"),
        ({"quantity": -2}, "inventory.openingStock.quantity"),
        ({"quantity": 1, "unitCost": -1}, "inventory.openingStock.unitCost"),
        ({}, "inventory.openingStock.quantity"),
        ({"quantity": 1, "date": "2026-01-01"}, "inventory.openingStock.date"),
    ):
        body = problem(_create(api, opening), 422, "validation_failed")
        assert [e["field"] for e in body["errors"]] == [field], opening
    _nothing_created(api)


# --- through the service alone ------------------------------------------------------------


def test_the_use_case_announces_the_item_with_its_stock(session: Session, tenant: Tenant) -> None:
    actor: Actor = tenant.actor
    location_id = new_location(session, actor)
    values = {
        "item_code": unique("SVC"),
        "name": unique("Opened"),
        "type": "inventory",
        "inventory": {"opening_stock": {"quantity": 7, "unit_cost": 3}},
    }
    view = items.create_item(session, actor, item=NewStockItem.model_validate(values))
    events = {m["event"]: m["data"]["object"] for m in outbox.pending(session)}
    assert events["item.created"]["inventory"]["currentStock"] == 7
    level = events["inventory.level"]
    assert (level["itemId"], level["locationId"], level["currentStock"]) == (
        view.item.id,
        location_id,
        7,
    )
    actions = session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.company_id == actor.company_id, AuditEvent.entity_id == view.item.id
        )
    ).all()
    assert sorted(actions) == ["item.created", "item.opening_stock_posted"]


def test_the_use_case_refuses_in_the_domain_terms(session: Session, tenant: Tenant) -> None:
    actor: Actor = tenant.actor
    new_location(session, actor)
    service_item = {
        "item_code": unique("SVC"),
        "name": "Fitting",
        "type": "service",
        "inventory": {"opening_stock": {"quantity": 1}},
    }
    with pytest.raises(ItemCannotMove) as refused:
        items.create_item(session, actor, item=NewStockItem.model_validate(service_item))
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("inventory.opening_stock", "not_stocked")
    ]
    batched = {
        "item_code": unique("LOT"),
        "name": "Batched",
        "type": "inventory",
        "inventory": {"tracking": "batch", "opening_stock": {"quantity": Decimal(2)}},
    }
    with pytest.raises(InvalidLots) as lots:
        items.create_item(session, actor, item=NewStockItem.model_validate(batched))
    assert lots.value.errors[0].field == "inventory.opening_stock.batches"
