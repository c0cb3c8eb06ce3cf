"""The transfer use cases through the service layer alone (no HTTP), on both engines: the
lifecycle, its rules, its errors, and what each change announces."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from stockkeeper.adjustments.service import create_adjustment
from stockkeeper.adjustments.values import AdjustmentLine, NewAdjustment
from stockkeeper.core import outbox
from stockkeeper.core.errors import IllegalTransition, Invalid, Kind, UnknownReference
from stockkeeper.stock.errors import InsufficientStock
from stockkeeper.tenancy.service import Actor, Role
from stockkeeper.transfers import service
from stockkeeper.transfers.errors import (
    AdminOnly,
    ArrivalsUnnamed,
    ItemsNotExpected,
    NothingToShip,
    SameLocations,
)
from stockkeeper.transfers.values import (
    LineQuantity,
    NewTransfer,
    Shipping,
    StatusChange,
    TransferFilters,
    TransferLine,
)
from stockkeeper.transfers.views import TransferView
from tests.factories import new_item, new_location
from tests.support import Tenant, as_json


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


@pytest.fixture
def warehouse(session: Session, actor: Actor) -> str:
    return new_location(session, actor)


@pytest.fixture
def store(session: Session, actor: Actor) -> str:
    return new_location(session, actor, type="store")


def _stocked(
    session: Session, actor: Actor, location: str, quantity: int, *, serial: bool = False
) -> str:
    """A new item with ``quantity`` at ``location`` (unit cost 2, serials SN-0...); its id."""
    ident = new_item(session, actor, **({"inventory": {"tracking": "serial"}} if serial else {}))
    serials = [f"SN-{n}" for n in range(quantity)] if serial else None
    line = AdjustmentLine(
        item_id=ident,
        adjustment_quantity=Decimal(quantity),
        unit_cost=Decimal(2),
        serial_numbers=serials,
    )
    adjustment = NewAdjustment(reason="found", location_id=location, items=[line])
    create_adjustment(session, actor, adjustment=adjustment)
    return ident


def _transfer(source: str, target: str, *lines: tuple[str, int], **fields: Any) -> NewTransfer:
    items = [TransferLine(item_id=item, quantity=Decimal(quantity)) for item, quantity in lines]
    return NewTransfer.model_validate(
        {"from_location_id": source, "to_location_id": target, "items": items, **fields}
    )


def _move(
    session: Session, actor: Actor, transfer_id: str, status: str, **fields: Any
) -> TransferView:
    change = StatusChange.model_validate({"status": status, **fields})
    return service.change_transfer_status(session, actor, transfer_id=transfer_id, change=change)


def _announced(session: Session) -> list[dict[str, Any]]:
    """The transfers the transaction announces, in order."""
    return [
        m["data"]["object"] for m in outbox.pending(session) if m["event"] == "inventory.transfer"
    ]


def test_a_transfer_carried_out_at_once_is_announced_once_as_it_reads(
    session: Session, actor: Actor, warehouse: str, store: str
) -> None:
    item = _stocked(session, actor, warehouse, 10)
    view = service.create_transfer(session, actor, transfer=_transfer(warehouse, store, (item, 4)))
    assert (view.data["status"], view.data["allowedStatuses"]) == ("completed", [])
    (line,) = view.data["items"]
    assert (line["quantityShipped"], line["quantityReceived"], line["totalCost"]) == (4, 4, 8)
    assert _announced(session) == [as_json(view.data)]
    shown = service.get_transfer(session, actor, transfer_id=view.transfer.id)
    assert as_json(shown.data) == as_json(view.data)


def test_approved_shipped_and_received_short_each_change_announced_once(
    session: Session, actor: Actor, warehouse: str, store: str
) -> None:
    item = _stocked(session, actor, warehouse, 10)
    created = service.create_transfer(
        session, actor, transfer=_transfer(warehouse, store, (item, 6), request_approval=True)
    )
    ident = created.transfer.id
    clerk = replace(actor, name="clerk", role=Role.clerk)
    with pytest.raises(AdminOnly) as refused:
        _move(session, clerk, ident, "approved")
    assert (refused.value.kind, refused.value.code) == (Kind.FORBIDDEN, "role_too_weak")
    approved = _move(session, actor, ident, "approved", step="warehouse_manager")
    shipping = Shipping(method="internal_delivery", tracking_number="INT-1")
    shipped = _move(session, clerk, ident, "shipped", shipping=shipping)
    assert shipped.data["shipping"]["trackingNumber"] == "INT-1"
    assert shipped.data["shipping"]["shippedAt"] is not None
    line = shipped.lines[0][0].id
    arrived = [LineQuantity(id=line, quantity_received=Decimal(5))]
    received = _move(session, clerk, ident, "received", items=arrived, reason="damaged")
    (read,) = received.data["items"]
    assert (read["quantityReceived"], read["quantityWrittenOff"]) == (5, 1)
    assert read["writeOffReason"] == "damaged"
    assert [a["step"] for a in received.data["approvals"]] == [
        "warehouse_manager",
        "shipped",
        "received",
    ]
    views = [created, approved, shipped, received]
    assert _announced(session) == [as_json(view.data) for view in views]
    assert [view.data["status"] for view in views] == [
        "pending_approval",
        "approved",
        "shipped",
        "completed",
    ]
    shown = service.get_transfer(session, actor, transfer_id=ident)
    assert as_json(shown.data) == as_json(received.data)


def test_moves_the_status_does_not_allow_are_refused_with_what_it_does(
    session: Session, actor: Actor, warehouse: str, store: str
) -> None:
    item = _stocked(session, actor, warehouse, 1)
    draft = service.create_transfer(
        session, actor, transfer=_transfer(warehouse, store, (item, 1), status="draft")
    )
    with pytest.raises(IllegalTransition) as refused:
        _move(session, actor, draft.transfer.id, "received")
    assert refused.value.details == {
        "current_status": "draft",
        "allowed_statuses": ["pending_approval", "approved", "shipped", "cancelled"],
    }
    assert len(_announced(session)) == 1  # the draft's creation


def test_refusals_name_fields_in_the_domains_terms(
    session: Session, actor: Actor, warehouse: str, store: str
) -> None:
    item = _stocked(session, actor, warehouse, 3)
    with pytest.raises(SameLocations) as same:
        service.create_transfer(session, actor, transfer=_transfer(store, store, (item, 1)))
    assert (same.value.code, [e.field for e in same.value.errors]) == (
        "validation_failed",
        ["to_location_id"],
    )
    with pytest.raises(UnknownReference) as unknown:
        service.create_transfer(session, actor, transfer=_transfer("loc_nope", store, (item, 1)))
    assert (unknown.value.code, unknown.value.errors[0].field) == (
        "unknown_location",
        "from_location_id",
    )
    draft = service.create_transfer(
        session, actor, transfer=_transfer(warehouse, store, (item, 2), status="draft")
    )
    ident, line = draft.transfer.id, draft.lines[0][0].id
    with pytest.raises(ItemsNotExpected) as unexpected:
        _move(session, actor, ident, "cancelled", items=[LineQuantity(id=line)])
    assert unexpected.value.errors[0].field == "items"
    with pytest.raises(NothingToShip):
        _move(session, actor, ident, "shipped", items=[LineQuantity(id=line, quantity_shipped=0)])
    too_many = [LineQuantity(id=line, quantity_shipped=Decimal(3)), LineQuantity(id="x")]
    with pytest.raises(Invalid) as invalid:
        _move(session, actor, ident, "shipped", items=too_many)
    assert [(e.field, e.code) for e in invalid.value.errors] == [
        ("items.0.quantity_shipped", "too_large"),
        ("items.1.id", "unknown_reference"),
    ]
    assert len(_announced(session)) == 1  # the draft's creation


def test_stock_short_at_the_source_moves_nothing_and_announces_nothing(
    session: Session, actor: Actor, warehouse: str, store: str
) -> None:
    item = _stocked(session, actor, warehouse, 2)
    with pytest.raises(InsufficientStock) as short:
        service.create_transfer(session, actor, transfer=_transfer(warehouse, store, (item, 3)))
    (shortage,) = short.value.shortages
    assert (shortage.requested, shortage.available) == (Decimal(3), Decimal(2))
    assert _announced(session) == []


def test_serials_received_short_must_be_named(
    session: Session, actor: Actor, warehouse: str, store: str
) -> None:
    item = _stocked(session, actor, warehouse, 2, serial=True)
    line = TransferLine(item_id=item, quantity=Decimal(2), serial_numbers=["SN-0", "SN-1"])
    new = NewTransfer(
        from_location_id=warehouse, to_location_id=store, items=[line], status="draft"
    )
    ident = service.create_transfer(session, actor, transfer=new).transfer.id
    shipped = _move(session, actor, ident, "shipped")
    line_id = shipped.lines[0][0].id
    arrived = [LineQuantity(id=line_id, quantity_received=Decimal(1))]
    with pytest.raises(ArrivalsUnnamed) as unnamed:
        _move(session, actor, ident, "received", items=arrived)
    assert (unnamed.value.code, unnamed.value.errors[0].field) == ("invalid_lots", "items.0")
    named = [LineQuantity(id=line_id, quantity_received=Decimal(1), serial_numbers=["SN-1"])]
    received = _move(session, actor, ident, "received", items=named)
    (read,) = received.data["items"]
    assert (read["quantityReceived"], read["quantityWrittenOff"]) == (1, 1)
    assert read["serialNumbers"] == ["SN-0", "SN-1"]


def test_the_list_filters_by_either_end_item_and_status_newest_first(
    session: Session, actor: Actor, warehouse: str, store: str
) -> None:
    first = _stocked(session, actor, warehouse, 5)
    second = _stocked(session, actor, warehouse, 5)
    # a day apart: ids made in the same millisecond are in no order
    days = [dt.date.today() - dt.timedelta(days=n) for n in (3, 2, 1)]
    out = service.create_transfer(
        session, actor, transfer=_transfer(warehouse, store, (first, 1), date=days[0])
    )
    back = service.create_transfer(
        session, actor, transfer=_transfer(store, warehouse, (first, 1), date=days[1])
    )
    kept = service.create_transfer(
        session,
        actor,
        transfer=_transfer(warehouse, store, (second, 1), status="draft", date=days[2]),
    )

    def listed(**filters: Any) -> list[str]:
        page = service.list_transfers(
            session, actor, filters=TransferFilters(**filters), limit=50, cursor=None
        )
        return [view.transfer.id for view in page.rows]

    ids = [view.transfer.id for view in (out, back, kept)]
    assert listed() == ids[::-1]
    assert listed(location_id=store) == ids[::-1]
    assert listed(from_location_id=store) == [back.transfer.id]
    assert listed(item_id=first) == [back.transfer.id, out.transfer.id]
    assert listed(status="draft") == [kept.transfer.id]
    assert listed(date_from=days[1], date_to=days[1]) == [back.transfer.id]
    page = service.list_transfers(session, actor, filters=TransferFilters(), limit=2, cursor=None)
    assert (page.total, page.next_cursor is not None) == (3, True)
    rest = service.list_transfers(
        session, actor, filters=TransferFilters(), limit=2, cursor=page.next_cursor
    )
    assert [view.transfer.id for view in rest.rows] == [out.transfer.id]
