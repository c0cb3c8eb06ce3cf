"""Every state-changing use case, driven through the service layer alone (no HTTP), against
the table of events: the right events, once each, whose object equals what reading that
resource returns afterwards (for a deletion, what it returned just before)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.adjustments import service as adjustments
from stockkeeper.adjustments.values import AdjustmentLine, NewAdjustment, StockCount
from stockkeeper.catalog.service import suppliers
from stockkeeper.catalog.values import ItemChanges, NewItem, NewSupplier, NewVariant, VariantChanges
from stockkeeper.core import clock
from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.db import Database
from stockkeeper.core.errors import NotFound
from stockkeeper.core.json import dump
from stockkeeper.core.outbox import OutboxEvent
from stockkeeper.costing.service import stock_values
from stockkeeper.purchasing import service as purchasing
from stockkeeper.purchasing.values import (
    NewOrder,
    OrderChanges,
    OrderLine,
    Receipt,
    ReceiptLine,
    ReorderRun,
    SupplierReturn,
)
from stockkeeper.sales import service as sales
from stockkeeper.sales.values import NewIssue, NewReturn, SalesLine
from stockkeeper.stock.service import items, reservations
from stockkeeper.stock.values import Fulfilment, NewReservation, StockListFilters
from stockkeeper.stock.views.stock import stock_read
from stockkeeper.tenancy.service import Actor
from stockkeeper.transfers import service as transfers
from stockkeeper.transfers.values import NewTransfer, StatusChange, TransferLine
from tests.factories import new_location
from tests.support import Tenant, as_json, unique

T = TypeVar("T")
ALERTS = "inventory.low_stock inventory.out_of_stock inventory.overstock inventory.negative_stock"
ALERT_EVENTS = {*ALERTS.split(), "inventory.reorder_point", "inventory.alert.resolved"}
LEVEL = "inventory.level"


class Outbox:
    """Runs one use case in a unit of work of its own and reads what it announced."""

    def __init__(self, database: Database, actor: Actor) -> None:
        self.database, self.actor = database, actor

    def step(self, work: Callable[[Session], T], *expected: str) -> tuple[T, list[dict[str, Any]]]:
        """The use case's result and messages, after checking that it announced ``expected``
        (events in any order, once each; alerts aside) and that each object is what reading
        the resource now returns."""
        with self.database.unit_of_work(write=False) as session:
            before = set(session.scalars(self._ids()))
        with self.database.unit_of_work() as session:
            result = work(session)
        with self.database.unit_of_work(write=False) as session:
            rows = session.scalars(
                select(OutboxEvent)
                .where(OutboxEvent.company_id == self.actor.company_id)
                .order_by(OutboxEvent.created_at, OutboxEvent.id)
            ).all()
            messages = [as_json_text(r.message) for r in rows if r.id not in before]
            messages = [m for m in messages if m["event"] not in ALERT_EVENTS]
            assert Counter(m["event"] for m in messages) == Counter(expected), messages
            for message in messages:
                assert_current(session, self.actor, message)
        return result, messages

    def _ids(self) -> Any:
        return select(OutboxEvent.id).where(OutboxEvent.company_id == self.actor.company_id)


def as_json_text(text: str) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(text, parse_float=Decimal)
    return parsed


def assert_current(session: Session, actor: Actor, message: dict[str, Any]) -> None:
    """The event's object equals what reading its resource returns now."""
    event, obj = message["event"], message["data"]["object"]
    if message["data"].get("change") == "deleted" or (
        event == "item.deleted" and _gone(session, actor, obj["id"])
    ):
        return
    assert obj == as_json(_read(session, actor, event, obj)), event


def _gone(session: Session, actor: Actor, item_id: str) -> bool:
    try:
        items.get_item(session, actor, item_id=item_id)
    except NotFound:
        return True
    return False


def _read(session: Session, actor: Actor, event: str, obj: dict[str, Any]) -> dict[str, Any]:
    ident = obj.get("id", "")
    readers: dict[str, Callable[[], dict[str, Any]]] = {
        "inventory.adjustment": lambda: (
            adjustments.get_adjustment(session, actor, adjustment_id=ident).data
        ),
        "inventory.transfer": lambda: (
            transfers.get_transfer(session, actor, transfer_id=ident).data
        ),
        "inventory.issue": lambda: sales.get_issue(session, actor, issue_id=ident).data,
        "inventory.return": lambda: sales.get_return(session, actor, return_id=ident).data,
        "inventory.reservation": lambda: (
            reservations.get_reservation(session, actor, reservation_id=ident).data
        ),
        "purchase_order.updated": lambda: purchasing.get_order(session, actor, order_id=ident).data,
        "purchase_order.received": lambda: (
            purchasing.get_order(session, actor, order_id=ident).data
        ),
        "item.created": lambda: items.get_item(session, actor, item_id=ident).data,
        "item.updated": lambda: items.get_item(session, actor, item_id=ident).data,
        "item.deleted": lambda: items.get_item(session, actor, item_id=ident).data,
        LEVEL: lambda: _stock_row(session, actor, obj),
    }
    return readers[event]()


def _stock_row(session: Session, actor: Actor, level: dict[str, Any]) -> dict[str, Any]:
    """The stock row's figures that ``inventory.level`` carries (zero where it shows none)."""
    filters = StockListFilters(item_id=level["itemId"], location_id=level["locationId"])
    rows = stock_values.list_stock(session, actor, filters=filters, limit=200, cursor=None).rows
    shown = [dump(stock_read(r)) for r in rows if r.variant_id == level["variantId"]]
    row = shown[0] if shown else dict.fromkeys(level, Decimal(0)) | _ids(level)
    return {key: row[key] for key in level}


def _ids(level: dict[str, Any]) -> dict[str, Any]:
    return {k: level[k] for k in ("itemId", "variantId", "locationId")}


@pytest.fixture
def outbox(database: Database, tenant: Tenant) -> Outbox:
    return Outbox(database, tenant.actor)


@pytest.fixture
def place(outbox: Outbox) -> tuple[str, str]:
    """A warehouse and a store."""
    warehouse, _ = outbox.step(lambda s: new_location(s, outbox.actor))
    store, _ = outbox.step(lambda s: new_location(s, outbox.actor, type="store"))
    return warehouse, store


def _item(outbox: Outbox, **fields: Any) -> str:
    values = {"item_code": unique("EV"), "name": unique("Item"), "type": "inventory", **fields}
    view, _ = outbox.step(
        lambda s: items.create_item(s, outbox.actor, item=NewItem.model_validate(values)),
        "item.created",
    )
    return view.item.id


def _stock(outbox: Outbox, item: str, location: str, quantity: int) -> None:
    line = AdjustmentLine(item_id=item, adjustment_quantity=Decimal(quantity), unit_cost=2)
    adjustment = NewAdjustment(reason="found", location_id=location, items=[line])
    outbox.step(
        lambda s: adjustments.create_adjustment(s, outbox.actor, adjustment=adjustment),
        "inventory.adjustment",
        LEVEL,
    )


def test_adjustments_and_counts(outbox: Outbox, place: tuple[str, str]) -> None:
    actor, (warehouse, _) = outbox.actor, place
    item = _item(outbox)
    line = AdjustmentLine(item_id=item, adjustment_quantity=Decimal(4), unit_cost=2)
    draft = NewAdjustment(reason="found", location_id=warehouse, items=[line], status="draft")
    view, _ = outbox.step(lambda s: adjustments.create_adjustment(s, actor, adjustment=draft))
    ident = view.adjustment.id
    outbox.step(
        lambda s: adjustments.update_adjustment(s, actor, adjustment_id=ident, content=draft)
    )
    outbox.step(lambda s: adjustments.submit_adjustment(s, actor, adjustment_id=ident))
    outbox.step(lambda s: adjustments.approve_adjustment(s, actor, adjustment_id=ident))
    post = adjustments.post_adjustment
    outbox.step(lambda s: post(s, actor, adjustment_id=ident), "inventory.adjustment", LEVEL)
    reverse = adjustments.reverse_adjustment
    outbox.step(lambda s: reverse(s, actor, adjustment_id=ident), "inventory.adjustment", LEVEL)
    other, _ = outbox.step(lambda s: adjustments.create_adjustment(s, actor, adjustment=draft))
    ident = other.adjustment.id
    outbox.step(lambda s: adjustments.submit_adjustment(s, actor, adjustment_id=ident))
    reject = adjustments.reject_adjustment
    outbox.step(lambda s: reject(s, actor, adjustment_id=ident, reason="not counted"))
    third, _ = outbox.step(lambda s: adjustments.create_adjustment(s, actor, adjustment=draft))
    outbox.step(
        lambda s: adjustments.delete_adjustment(s, actor, adjustment_id=third.adjustment.id)
    )
    count = StockCount(item_id=item, location_id=warehouse, new_quantity=Decimal(7))
    outbox.step(
        lambda s: adjustments.count_stock(s, actor, count=count), "inventory.adjustment", LEVEL
    )
    outbox.step(lambda s: adjustments.count_stock(s, actor, count=count))  # nothing to post


def test_transfers(outbox: Outbox, place: tuple[str, str]) -> None:
    actor, (warehouse, store) = outbox.actor, place
    item = _item(outbox)
    _stock(outbox, item, warehouse, 10)
    at_once = NewTransfer(
        from_location_id=warehouse,
        to_location_id=store,
        items=[TransferLine(item_id=item, quantity=Decimal(2))],
    )
    create = transfers.create_transfer
    outbox.step(lambda s: create(s, actor, transfer=at_once), "inventory.transfer", LEVEL, LEVEL)
    draft = at_once.model_copy(update={"status": "draft"})
    view, _ = outbox.step(lambda s: create(s, actor, transfer=draft), "inventory.transfer")
    ident = view.transfer.id

    def move(status: str) -> Callable[[Session], object]:
        change = StatusChange.model_validate({"status": status})
        return lambda s: transfers.change_transfer_status(
            s, actor, transfer_id=ident, change=change
        )

    outbox.step(move("pending_approval"), "inventory.transfer")
    outbox.step(move("approved"), "inventory.transfer")
    outbox.step(move("shipped"), "inventory.transfer", LEVEL)  # transit is at no premises
    outbox.step(move("received"), "inventory.transfer", LEVEL)
    cancelled, _ = outbox.step(lambda s: create(s, actor, transfer=draft), "inventory.transfer")
    ident = cancelled.transfer.id
    outbox.step(move("cancelled"), "inventory.transfer")


def test_sales_and_reservations(outbox: Outbox, place: tuple[str, str]) -> None:
    actor, (warehouse, _) = outbox.actor, place
    item = _item(outbox)
    _stock(outbox, item, warehouse, 10)
    issue = NewIssue(location_id=warehouse, items=[SalesLine(item_id=item, quantity=Decimal(3))])
    issued, _ = outbox.step(
        lambda s: sales.create_issue(s, actor, issue=issue), "inventory.issue", LEVEL
    )
    back = NewReturn(
        issue_id=issued.document.id,
        location_id=warehouse,
        items=[SalesLine(item_id=item, quantity=Decimal(1))],
    )
    outbox.step(
        lambda s: sales.create_return(s, actor, customer_return=back), "inventory.return", LEVEL
    )
    hold = NewReservation(item_id=item, location_id=warehouse, quantity=Decimal(4))
    reserve = reservations.create_reservation
    held, _ = outbox.step(
        lambda s: reserve(s, actor, reservation=hold), "inventory.reservation", LEVEL
    )
    ident = held.reservation.id
    part = Fulfilment(quantity=Decimal(1))
    fulfil = reservations.fulfil_reservation
    outbox.step(
        lambda s: fulfil(s, actor, reservation_id=ident, fulfilment=part),
        "inventory.reservation",
        LEVEL,
    )
    release = reservations.release_reservation
    outbox.step(lambda s: release(s, actor, reservation_id=ident), "inventory.reservation", LEVEL)
    soon = clock.now() + dt.timedelta(hours=1)
    expiring = hold.model_copy(update={"expires_at": soon, "quantity": Decimal(1)})
    outbox.step(lambda s: reserve(s, actor, reservation=expiring), "inventory.reservation", LEVEL)
    with clock.moved(dt.timedelta(hours=2)):
        # the next lock of the location expires it: announced beside the new reservation
        outbox.step(
            lambda s: reserve(s, actor, reservation=hold),
            "inventory.reservation",
            "inventory.reservation",
            LEVEL,
        )


def test_purchase_orders(outbox: Outbox, place: tuple[str, str], tmp_path: Path) -> None:
    actor, (warehouse, _) = outbox.actor, place
    supplier, _ = outbox.step(
        lambda s: suppliers.create_supplier(s, actor, supplier=NewSupplier(name=unique("Sup")))
    )
    item = _item(
        outbox, supplier_id=supplier.id, inventory={"reorder_point": 5, "reorder_quantity": 8}
    )
    order = NewOrder(
        supplier_id=supplier.id,
        location_id=warehouse,
        items=[OrderLine(item_id=item, quantity=Decimal(6), unit_cost=Decimal(3))],
    )
    created, messages = outbox.step(
        lambda s: purchasing.create_order(s, actor, order=order), "purchase_order.updated"
    )
    ident = created.order.id
    changes = [messages[0]["data"]["change"]]

    def changed(work: Callable[[Session], object], *events: str) -> None:
        _, sent = outbox.step(work, *events)
        changes.extend(m["data"].get("change") for m in sent if m["event"] != LEVEL)

    notes = OrderChanges(notes="call first")
    changed(
        lambda s: purchasing.update_order(s, actor, order_id=ident, changes=notes),
        "purchase_order.updated",
    )
    ordered = OrderChanges(status="ordered")
    changed(
        lambda s: purchasing.update_order(s, actor, order_id=ident, changes=ordered),
        "purchase_order.updated",
        LEVEL,
    )
    lines = [OrderLine(item_id=item, quantity=Decimal(5), unit_cost=Decimal(3))]
    changed(
        lambda s: purchasing.replace_order_lines(s, actor, order_id=ident, lines=lines),
        "purchase_order.updated",
        LEVEL,
    )
    receipt = Receipt(items=[ReceiptLine(item_id=item, quantity=Decimal(2))])
    changed(
        lambda s: purchasing.receive_order(s, actor, order_id=ident, receipt=receipt),
        "purchase_order.received",
        LEVEL,
    )
    slip = BytesIO(b"%PDF-1.4 a packing slip")
    changed(
        lambda s: purchasing.attach_packing_slip(
            s, actor, order_id=ident, file=slip, data_dir=tmp_path
        ),
        "purchase_order.updated",
    )
    goods = SupplierReturn(items=[ReceiptLine(item_id=item, quantity=Decimal(1))])
    changed(
        lambda s: purchasing.return_to_supplier(s, actor, order_id=ident, goods=goods),
        "purchase_order.updated",
        LEVEL,
    )
    rest = OrderChanges(status="received")
    changed(
        lambda s: purchasing.update_order(s, actor, order_id=ident, changes=rest),
        "purchase_order.received",
        LEVEL,
    )
    changed(
        lambda s: purchasing.delete_order(s, actor, order_id=ident, data_dir=tmp_path),
        "purchase_order.updated",
        LEVEL,
    )
    assert changes == [
        "created",
        "details",
        "status",
        "lines_replaced",
        None,
        "packing_slip",
        "returned",
        None,
        "deleted",
    ]
    run = ReorderRun(location_id=warehouse)
    changed(
        lambda s: purchasing.create_orders_from_reorder(s, actor, run=run), "purchase_order.updated"
    )
    assert changes[-1] == "created"


def test_items_and_variants(outbox: Outbox, place: tuple[str, str]) -> None:
    actor, (warehouse, _) = outbox.actor, place
    item = _item(outbox)
    rename = ItemChanges(name="Renamed")
    outbox.step(lambda s: items.update_item(s, actor, item_id=item, changes=rename), "item.updated")
    variant = NewVariant(name="Red", item_code=unique("RED"))
    view, _ = outbox.step(
        lambda s: items.create_variant(s, actor, item_id=item, variant=variant), "item.updated"
    )
    ident = view.variant.id
    redder = VariantChanges(name="Redder")
    outbox.step(
        lambda s: items.update_variant(s, actor, item_id=item, variant_id=ident, changes=redder),
        "item.updated",
    )
    outbox.step(
        lambda s: items.delete_variant(s, actor, item_id=item, variant_id=ident), "item.updated"
    )
    outbox.step(lambda s: items.delete_item(s, actor, item_id=item), "item.deleted")
    kept = _item(outbox)
    _stock(outbox, kept, warehouse, 1)
    # history keeps it: deactivated, announced as deleted, and still read as it now is
    outbox.step(lambda s: items.delete_item(s, actor, item_id=kept), "item.deleted")


def test_a_posting_raises_its_alerts_through_the_services_alone(
    database: Database, tenant: Tenant, place: tuple[str, str]
) -> None:
    actor, (warehouse, _) = tenant.actor, place
    values = {"item_code": unique("LOW"), "name": "Low", "type": "inventory"}
    with database.unit_of_work() as session:
        item = items.create_item(
            session,
            actor,
            item=NewItem.model_validate(values | {"inventory": {"minimum_stock": 5}}),
        ).item.id
    line = AdjustmentLine(item_id=item, adjustment_quantity=Decimal(2), unit_cost=2)
    with database.unit_of_work() as session:
        adjustments.create_adjustment(
            session,
            actor,
            adjustment=NewAdjustment(reason="found", location_id=warehouse, items=[line]),
        )
    with database.unit_of_work(write=False) as session:
        raised = [
            as_json_text(m)
            for m in session.scalars(
                select(OutboxEvent.message).where(
                    OutboxEvent.company_id == actor.company_id,
                    OutboxEvent.event == "inventory.low_stock",
                )
            )
        ]
    assert [
        (a["data"]["object"]["itemId"], a["data"]["object"]["currentStock"]) for a in raised
    ] == [(item, 2)]


def test_the_worker_expires_reservations_when_nothing_else_moves(
    outbox: Outbox, place: tuple[str, str], database: Database
) -> None:
    actor, (warehouse, _) = outbox.actor, place
    item = _item(outbox)
    _stock(outbox, item, warehouse, 5)
    soon = clock.now() + dt.timedelta(hours=1)
    hold = NewReservation(item_id=item, location_id=warehouse, quantity=Decimal(2), expires_at=soon)
    reserve = reservations.create_reservation
    held, _ = outbox.step(
        lambda s: reserve(s, actor, reservation=hold), "inventory.reservation", LEVEL
    )
    worker = Actor.system(actor.company_id, "worker")
    with clock.moved(dt.timedelta(hours=2)):
        with database.unit_of_work(write=False) as session:
            assert actor.company_id in reservations.companies_with_expiry(session)
        expired, sent = outbox.step(
            lambda s: reservations.expire_reservations(s, worker), "inventory.reservation", LEVEL
        )
        again, _ = outbox.step(lambda s: reservations.expire_reservations(s, worker))
    assert (expired, again) == (1, 0)
    (expiry,) = [m["data"]["object"] for m in sent if m["event"] == "inventory.reservation"]
    assert (expiry["status"], expiry["quantityRemaining"]) == ("expired", 0)
    with database.unit_of_work(write=False) as session:
        rows = session.scalars(
            select(AuditEvent).where(
                AuditEvent.company_id == actor.company_id,
                AuditEvent.entity_id == held.reservation.id,
            )
        ).all()
    assert [(r.action, r.actor_name) for r in rows] == [
        ("reservation.created", "admin"),
        ("reservation.expired", "expiry"),
    ]
