"""Non-stock items and services on purchase orders: ordered, received, returned, closed,
cancelled and deleted like stock lines, recorded with their quantities and costs, but with no
movement, nothing on order and no cost layer; a mixed order moves its stock lines only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item
from stockkeeper.catalog.service import suppliers
from stockkeeper.catalog.values import NewSupplier
from stockkeeper.cli.checks import check_everything
from stockkeeper.core import outbox
from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.db import Database
from stockkeeper.core.migrate import alembic_config, upgrade
from stockkeeper.core.settings import Settings
from stockkeeper.purchasing import service
from stockkeeper.purchasing.models import PurchaseOrderLine
from stockkeeper.purchasing.values import NewOrder, OrderChanges, OrderLine, Receipt, ReceiptLine
from stockkeeper.stock.models import Movement, StockLevel
from stockkeeper.tenancy.service import Actor
from tests.factories import new_item, new_location
from tests.invariants import assert_ledger_consistent
from tests.support import Api, Tenant, as_json, make_tenant, problem, unique

ORDERS = "/api/v1/purchase-orders"


def _kinds(api: Api) -> dict[str, dict[str, Any]]:
    """One item of each kind a line can name: a tracked stock item, a service, a non-stock
    item, and a stock item whose stock is not tracked."""
    return {
        "stock": api.item(pricing={"costPrice": 2}),
        "service": api.item(type="service", pricing={"costPrice": 40}),
        "non_stock": api.item(type="non_inventory", pricing={"costPrice": 7}),
        "untracked": api.item(inventory={"tracked": False}),
    }


def _order(api: Api, supplier: str, location: str, *lines: tuple[str, Any, Any]) -> Any:
    items = [{"itemId": i, "quantity": q, "unitCost": c} for i, q, c in lines]
    return api.create(ORDERS, {"supplierId": supplier, "locationId": location, "items": items})


def _status(api: Api, order_id: str, new: str, **fields: Any) -> Any:
    return api.data(api.put(f"{ORDERS}/{order_id}", {"status": new, **fields}))


def _receive(api: Api, order_id: str, *lines: tuple[str, Any]) -> Any:
    body = {"items": [{"lineId": line, "quantity": q} for line, q in lines]}
    return api.data(api.post(f"{ORDERS}/{order_id}/receipts", body), 201)


def _movements(api: Api, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = api.data(api.get("/api/v1/inventory/movements", params=params))
    return found


def _on_order(api: Api, item: str) -> Any:
    rows = api.stock(itemId=item)
    return rows[0]["onOrderStock"] if rows else 0


def _untouched(api: Api, item: dict[str, Any]) -> None:
    """The item has no stock row, no movement, nothing on order and no cost figures."""
    assert api.stock(itemId=item["id"]) == []
    assert _movements(api, itemId=item["id"]) == []
    read = api.data(api.get(f"/api/v1/items/{item['id']}"))
    inventory = read["inventory"]
    assert (inventory["currentStock"], inventory["onOrderStock"], inventory["reservedStock"]) == (
        0,
        0,
        0,
    )
    assert (read["costs"]["lastCostPrice"], read["locations"]) == (None, [])


def test_a_mixed_order_moves_and_puts_on_order_its_stock_lines_only(
    api: Api, database: Database
) -> None:
    supplier, location = api.supplier()["id"], api.location()["id"]
    kinds = _kinds(api)
    stock, service_, non_stock, untracked = (kinds[k]["id"] for k in kinds)
    po = _order(api, supplier, location, (stock, 10, 2), (service_, 3, 40), (non_stock, 4, "7.5"))
    assert [(line["quantity"], line["unitCost"], line["total"]) for line in po["items"]] == [
        (10, 2, 20),
        (3, 40, 120),
        (4, 7.5, 30),
    ]
    assert (po["total"], po["itemCount"], po["totalQuantity"]) == (170, 3, 17)
    lines = api.data(
        api.put(
            f"{ORDERS}/{po['id']}/items",
            {
                "items": [
                    {"itemId": stock, "quantity": 10, "unitCost": 2},
                    {"itemId": service_, "quantity": 3},  # at its cost price
                    {"itemId": non_stock, "quantity": 4, "unitCost": "7.5"},
                    {"itemId": untracked, "quantity": 1, "unitCost": 5},
                ]
            },
        )
    )["items"]
    assert [line["unitCost"] for line in lines] == [2, 40, 7.5, 5]
    ordered = _status(api, po["id"], "ordered")
    assert [line["quantityOpen"] for line in ordered["items"]] == [10, 3, 4, 1]
    assert _on_order(api, stock) == 10
    for kind in ("service", "non_stock", "untracked"):
        _untouched(api, kinds[kind])
    assert_ledger_consistent(database, api.tenant.company_id)

    first = _receive(api, po["id"], (lines[0]["id"], 4), (lines[1]["id"], 1))
    assert first["status"] == "partially_received"
    assert [line["quantityReceived"] for line in first["items"]] == [4, 1, 0, 0]
    assert [line["quantityOpen"] for line in first["items"]] == [6, 2, 4, 1]
    assert [
        (r["lineId"], r["unitCost"], r["totalCost"]) for r in first["receipts"][0]["items"]
    ] == [
        (lines[0]["id"], 2, 8),
        (lines[1]["id"], 40, 40),
    ]
    assert _on_order(api, stock) == 6
    received = _status(api, po["id"], "received")
    assert received["status"] == "received"
    assert [line["quantityReceived"] for line in received["items"]] == [10, 3, 4, 1]
    assert [len(r["items"]) for r in received["receipts"]] == [2, 4]
    movements = _movements(api, reference=po["orderNumber"])
    assert sorted((m["itemId"], m["quantity"], m["type"]) for m in movements) == [
        (stock, 4, "purchase"),
        (stock, 6, "purchase"),
    ]
    [row] = api.stock(itemId=stock)
    assert (row["currentStock"], row["onOrderStock"], row["stockValue"]) == (10, 0, 20)
    for kind in ("service", "non_stock", "untracked"):
        _untouched(api, kinds[kind])
    assert api.data(api.get(f"{ORDERS}/{po['id']}")) == received
    assert_ledger_consistent(database, api.tenant.company_id)


def test_an_order_of_services_only_is_received_in_parts_and_closed(
    api: Api, database: Database
) -> None:
    supplier, location = api.supplier()["id"], api.location()["id"]
    kinds = _kinds(api)
    po = _order(
        api,
        supplier,
        location,
        (kinds["service"]["id"], 5, 10),
        (kinds["non_stock"]["id"], 2, 3),
    )
    service_line, goods_line = (line["id"] for line in po["items"])
    _status(api, po["id"], "ordered")
    part = _receive(api, po["id"], (service_line, 2), (goods_line, 2))
    assert (part["status"], part["allowedStatuses"]) == (
        "partially_received",
        ["received", "closed"],
    )
    over = api.post(
        f"{ORDERS}/{po['id']}/receipts", {"items": [{"lineId": service_line, "quantity": 4}]}
    )
    problem(over, 409, "over_receipt")
    closed = _status(api, po["id"], "closed")
    assert (closed["status"], [line["quantityOpen"] for line in closed["items"]]) == (
        "closed",
        [0, 0],
    )
    whole = _order(api, supplier, location, (kinds["service"]["id"], 1, 10))
    _status(api, whole["id"], "ordered")
    done = _status(api, whole["id"], "received", receivedDate="2026-11-20")
    assert (done["status"], done["receivedDate"], done["items"][0]["quantityReceived"]) == (
        "received",
        "2026-11-20",
        1,
    )
    assert done["receipts"][0]["items"][0]["totalCost"] == 10
    assert _movements(api) == []
    for kind in ("service", "non_stock"):
        _untouched(api, kinds[kind])
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_service_goes_back_to_the_supplier_at_its_receipt_cost_moving_nothing(
    api: Api, database: Database
) -> None:
    supplier, location = api.supplier()["id"], api.location()["id"]
    kinds = _kinds(api)
    stock, non_stock = kinds["stock"]["id"], kinds["non_stock"]["id"]
    po = _order(api, supplier, location, (stock, 5, 2), (non_stock, 4, 6))
    _status(api, po["id"], "ordered")
    _status(api, po["id"], "received")
    back = api.data(
        api.post(
            f"{ORDERS}/{po['id']}/returns",
            {
                "reason": "damaged",
                "items": [{"itemId": non_stock, "quantity": 3}, {"itemId": stock, "quantity": 1}],
            },
        ),
        201,
    )
    assert [line["quantityReturned"] for line in back["items"]] == [1, 3]
    returned = back["receipts"][-1]
    assert returned["kind"] == "return"
    assert [(r["itemId"], r["unitCost"], r["totalCost"]) for r in returned["items"]] == [
        (non_stock, 6, 18),
        (stock, 2, 2),
    ]
    too_many = api.post(
        f"{ORDERS}/{po['id']}/returns", {"items": [{"itemId": non_stock, "quantity": 2}]}
    )
    assert problem(too_many, 409, "more_than_received")["errors"][0]["field"] == "items.0.quantity"
    movements = _movements(api, reference=po["orderNumber"])
    assert sorted((m["itemId"], m["type"], m["quantity"]) for m in movements) == [
        (stock, "purchase", 5),
        (stock, "purchase_return", -1),
    ]
    _untouched(api, kinds["non_stock"])
    assert_ledger_consistent(database, api.tenant.company_id)


@pytest.mark.parametrize(
    "path",
    [
        (),
        ("ordered",),
        ("cancelled",),
        ("ordered", "cancelled"),
        ("ordered", "part"),
        ("ordered", "received"),
        ("ordered", "part", "closed"),
    ],
)
def test_a_mixed_order_is_deleted_in_every_status_reversing_only_its_movements(
    api: Api, database: Database, path: tuple[str, ...]
) -> None:
    supplier, location = api.supplier()["id"], api.location()["id"]
    kinds = _kinds(api)
    stock, service_ = kinds["stock"]["id"], kinds["service"]["id"]
    po = _order(api, supplier, location, (stock, 4, 3), (service_, 2, 40))
    for step in path:
        if step == "part":
            _receive(api, po["id"], *((line["id"], 1) for line in po["items"]))
        else:
            _status(api, po["id"], step)
    received = _movements(api, itemId=stock)
    assert api.data(api.delete(f"{ORDERS}/{po['id']}")) == {"id": po["id"], "deleted": True}
    reversals = [m for m in _movements(api, itemId=stock) if m["type"] == "reversal"]
    assert sorted(m["quantity"] for m in reversals) == sorted(-m["quantity"] for m in received)
    inventory = api.data(api.get(f"/api/v1/items/{stock}"))["inventory"]
    assert (inventory["currentStock"], inventory["onOrderStock"]) == (0, 0)
    _untouched(api, kinds["service"])
    with database.unit_of_work(write=False) as session:
        deleted = session.scalars(
            select(AuditEvent.details).where(
                AuditEvent.company_id == api.tenant.company_id,
                AuditEvent.entity_id == po["id"],
                AuditEvent.action == "purchase_order.deleted",
            )
        ).one()
    assert deleted["reversed_movements"] == len(received)
    assert_ledger_consistent(database, api.tenant.company_id)


def test_replacing_lines_moves_the_on_order_figure_with_the_stock_lines_only(
    api: Api, database: Database
) -> None:
    supplier, location = api.supplier()["id"], api.location()["id"]
    kinds = _kinds(api)
    stock, service_ = kinds["stock"]["id"], kinds["service"]["id"]
    po = _order(api, supplier, location, (stock, 4, 3), (service_, 2, 40))
    _status(api, po["id"], "ordered")
    assert _on_order(api, stock) == 4
    replaced = api.data(
        api.put(f"{ORDERS}/{po['id']}/items", {"items": [{"itemId": service_, "quantity": 6}]})
    )
    assert (replaced["total"], replaced["items"][0]["quantityOpen"]) == (240, 6)
    assert _on_order(api, stock) == 0
    api.data(api.put(f"{ORDERS}/{po['id']}/items", {"items": [{"itemId": stock, "quantity": 7}]}))
    assert _on_order(api, stock) == 7
    _status(api, po["id"], "cancelled")
    assert _on_order(api, stock) == 0
    _untouched(api, kinds["service"])
    assert_ledger_consistent(database, api.tenant.company_id)


def test_lots_bins_and_inactive_items_are_refused_on_lines_that_move_nothing(
    api: Api, database: Database
) -> None:
    supplier, location = api.supplier()["id"], api.location()["id"]
    kinds = _kinds(api)
    stock, service_ = kinds["stock"]["id"], kinds["service"]["id"]
    bin_ = api.create(f"/api/v1/locations/{location}/bins", {"code": unique("B")})
    po = _order(api, supplier, location, (stock, 4, 3), (service_, 2, 40))
    _status(api, po["id"], "ordered")
    receipts = f"{ORDERS}/{po['id']}/receipts"
    for extra, field in (
        ({"batches": [{"batchNumber": "L1", "quantity": 1}]}, "items.0.batches"),
        ({"serialNumbers": ["SN-1"]}, "items.0.serialNumbers"),
        ({"binId": bin_["id"]}, "items.0.binId"),
    ):
        refused = api.post(receipts, {"items": [{"itemId": service_, "quantity": 1, **extra}]})
        body = problem(refused, 422, "invalid_lots")
        assert [(e["field"], e["code"]) for e in body["errors"]] == [(field, "contradicts_item")]
    unchanged = api.data(api.get(f"{ORDERS}/{po['id']}"))
    assert (unchanged["status"], unchanged["receipts"]) == ("ordered", [])

    other = api.item(type="service")
    api.data(api.put(f"/api/v1/items/{other['id']}", {"isActive": False}))
    variant = api.item(variants=[{"name": "Red", "itemCode": unique("V")}])["variants"][0]
    numbered = len(api.data(api.get(ORDERS)))
    refused = api.post(
        ORDERS,
        {
            "supplierId": supplier,
            "locationId": location,
            "items": [
                {"itemId": kinds["non_stock"]["id"], "variantId": variant["id"], "quantity": 1},
                {"itemId": other["id"], "quantity": 1},
                {"itemId": "item_missing", "quantity": 1},
            ],
        },
    )
    body = problem(refused, 422, "item_cannot_move")
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("items.0.variantId", "unknown_reference"),
        ("items.1.itemId", "inactive_item"),
        ("items.2.itemId", "unknown_reference"),
    ]
    assert len(api.data(api.get(ORDERS))) == numbered
    later = _order(api, supplier, location, (service_, 1, 1))
    assert int(later["orderNumber"][4:]) == int(po["orderNumber"][4:]) + 1  # none consumed
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_receipt_that_moves_nothing_is_dated_as_one_that_does(
    api: Api, database: Database
) -> None:
    supplier, location = api.supplier()["id"], api.location()["id"]
    service_ = api.item(type="service")["id"]
    po = _order(api, supplier, location, (service_, 2, 10))
    _status(api, po["id"], "ordered")
    receipts = f"{ORDERS}/{po['id']}/receipts"
    later = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    entry = {"itemId": service_, "quantity": 1}
    problem(api.post(receipts, {"date": later, "items": [entry]}), 422, "future_date")
    api.data(api.put("/api/v1/settings", {"lockDate": "2026-01-31"}))
    locked = api.post(receipts, {"date": "2026-01-15", "items": [entry]})
    assert problem(locked, 409, "period_locked")["errors"][0]["field"] == "date"
    unchanged = api.data(api.get(f"{ORDERS}/{po['id']}"))
    assert (unchanged["status"], unchanged["receipts"]) == ("ordered", [])
    assert _receive(api, po["id"], (po["items"][0]["id"], 1))["status"] == "partially_received"
    assert_ledger_consistent(database, api.tenant.company_id)


def test_receiving_costs_the_same_statements_whatever_the_number_of_service_lines(
    api: Api, database: Database
) -> None:
    supplier, location = api.supplier()["id"], api.location()["id"]
    stock = api.item()["id"]
    services = [api.item(type="service")["id"] for _ in range(20)]

    def statements_for(count: int) -> int:
        lines = [(stock, 1, 1), *((s, 1, 1) for s in services[:count])]
        po = _order(api, supplier, location, *lines)
        _status(api, po["id"], "ordered")
        seen: list[str] = []

        def counted(*args: Any) -> None:
            seen.append(args[2])

        event.listen(database.engine, "before_cursor_execute", counted)
        try:
            _status(api, po["id"], "received")
        finally:
            event.remove(database.engine, "before_cursor_execute", counted)
        return len(seen)

    statements_for(1)  # a first receipt may warm caches (the virtual locations)
    assert statements_for(1) == statements_for(20)
    assert_ledger_consistent(database, api.tenant.company_id)


def test_an_item_whose_type_changes_while_on_order_takes_off_what_it_put_on(
    api: Api, database: Database
) -> None:
    supplier, location = api.supplier()["id"], api.location()["id"]
    becomes_service = api.item()["id"]
    becomes_stock = api.item(type="service")["id"]
    po = _order(api, supplier, location, (becomes_service, 5, 2), (becomes_stock, 3, 4))
    _status(api, po["id"], "ordered")
    assert (_on_order(api, becomes_service), _on_order(api, becomes_stock)) == (5, 0)
    api.data(api.put(f"/api/v1/items/{becomes_service}", {"type": "service"}))
    api.data(api.put(f"/api/v1/items/{becomes_stock}", {"type": "inventory"}))
    assert_ledger_consistent(database, api.tenant.company_id)  # on order as it was put on
    part = _receive(api, po["id"], (po["items"][0]["id"], 2))  # moves nothing, now a service
    assert (part["status"], _on_order(api, becomes_service)) == ("partially_received", 3)
    assert_ledger_consistent(database, api.tenant.company_id)
    received = _status(api, po["id"], "received")
    assert [line["quantityReceived"] for line in received["items"]] == [5, 3]
    assert (_on_order(api, becomes_service), _on_order(api, becomes_stock)) == (0, 0)
    movements = _movements(api, reference=po["orderNumber"])
    assert [(m["itemId"], m["quantity"]) for m in movements] == [(becomes_stock, 3)]
    assert api.stock(itemId=becomes_stock)[0]["currentStock"] == 3
    assert_ledger_consistent(database, api.tenant.company_id)


def test_lines_written_before_the_migration_keep_counting_on_order(tmp_path: Path) -> None:
    settings = Settings(environment="test", database_url=f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(settings)
    config = alembic_config(settings)
    before = ScriptDirectory.from_config(config).get_revision("0022").down_revision
    database = Database(settings)
    try:
        tenant = make_tenant(database)
        actor = tenant.actor
        with database.unit_of_work() as session:
            warehouse, supplier = new_location(session, actor), _supplier(session, actor)
            item = new_item(session, actor)
            line = OrderLine(item_id=item, quantity=Decimal(5), unit_cost=Decimal(2))
            order = NewOrder(supplier_id=supplier, location_id=warehouse, items=[line])
            ident = service.create_order(session, actor, order=order).order.id
            service.update_order(
                session, actor, order_id=ident, changes=OrderChanges(status="ordered")
            )
        # as it could be before the migration: a stock item on order has become a service
        with database.unit_of_work() as session:
            row = session.get(Item, (tenant.company_id, item))
            assert row is not None
            row.type, row.tracked = "service", False
        command.downgrade(config, str(before))
        upgrade(settings)
        with database.unit_of_work(write=False) as session:
            assert session.scalars(select(PurchaseOrderLine.stocked)).all() == [True]
            assert check_everything(session, tenant.company_id) == []
    finally:
        database.dispose()


# --- through the service layer: events and audit rows --------------------------------------


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def _supplier(session: Session, actor: Actor) -> str:
    new = NewSupplier.model_validate({"name": unique("Supplier")})
    return suppliers.create_supplier(session, actor, supplier=new).id


def test_a_service_receipt_is_announced_and_audited_like_any_other(
    session: Session, actor: Actor
) -> None:
    warehouse, supplier = new_location(session, actor), _supplier(session, actor)
    stock = new_item(session, actor)
    service_item = new_item(session, actor, type="service")
    order = NewOrder(
        supplier_id=supplier,
        location_id=warehouse,
        items=[
            OrderLine(item_id=stock, quantity=Decimal(2), unit_cost=Decimal(3)),
            OrderLine(item_id=service_item, quantity=Decimal(1), unit_cost=Decimal(50)),
        ],
    )
    created = service.create_order(session, actor, order=order)
    ident = created.order.id
    ordered = service.update_order(
        session, actor, order_id=ident, changes=OrderChanges(status="ordered")
    )
    levels = [
        m["data"]["object"] for m in outbox.pending(session) if m["event"] == "inventory.level"
    ]
    assert [(lv["itemId"], lv["onOrderStock"]) for lv in levels] == [(stock, 2)]
    receipt = Receipt(items=[ReceiptLine(item_id=service_item, quantity=Decimal(1))])
    received = service.receive_order(session, actor, order_id=ident, receipt=receipt)
    assert received.data["status"] == "partially_received"
    announced = [m for m in outbox.pending(session) if m["event"] == "purchase_order.received"]
    assert [m["data"]["object"] for m in announced] == [as_json(received.data)]
    assert ordered.data["total"] == received.data["total"] == 56
    audit = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.company_id == actor.company_id, AuditEvent.entity_id == ident)
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    ).all()
    assert [(a.action, a.details.get("lines")) for a in audit] == [
        ("purchase_order.created", 2),
        ("purchase_order.ordered", None),
        ("purchase_order.partially_received", 1),
    ]
    moved = session.scalar(
        select(func.count()).select_from(Movement).where(Movement.company_id == actor.company_id)
    )
    service_levels = session.scalar(
        select(func.count())
        .select_from(StockLevel)
        .where(StockLevel.company_id == actor.company_id, StockLevel.item_id == service_item)
    )
    assert (moved, service_levels) == (0, 0)
