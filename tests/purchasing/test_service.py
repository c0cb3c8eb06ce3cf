"""The purchasing use cases through the service layer alone (no HTTP), on both engines: an
order's lifecycle, its rules, its errors, and what each change announces."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.service import suppliers
from stockkeeper.catalog.values import NewSupplier
from stockkeeper.core import outbox
from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.errors import IllegalTransition, Invalid, NotFound
from stockkeeper.purchasing import service
from stockkeeper.purchasing.errors import (
    InactiveSupplier,
    MoreThanReceived,
    NothingToReceive,
    OrderNotEditable,
    OrderNotOpen,
    OrderNotReceived,
    OverReceipt,
    UnknownOrderLine,
    UnknownStaff,
)
from stockkeeper.purchasing.values import (
    NewOrder,
    OrderChanges,
    OrderLine,
    Receipt,
    ReceiptLine,
    ReorderRun,
    SupplierReturn,
)
from stockkeeper.purchasing.views import OrderView
from stockkeeper.tenancy.service import Actor
from tests.factories import new_item, new_location
from tests.support import Tenant, as_json, unique

PDF = b"%PDF-1.7\n" + b"\x00" * 64


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


@pytest.fixture
def warehouse(session: Session, actor: Actor) -> str:
    return new_location(session, actor)


@pytest.fixture
def supplier(session: Session, actor: Actor) -> str:
    return _supplier(session, actor)


def _supplier(session: Session, actor: Actor, **fields: Any) -> str:
    new = NewSupplier.model_validate({"name": unique("Supplier"), **fields})
    return suppliers.create_supplier(session, actor, supplier=new).id


def _order(supplier: str, warehouse: str, *lines: tuple[str, int, int], **fields: Any) -> NewOrder:
    items = [OrderLine(item_id=i, quantity=Decimal(q), unit_cost=Decimal(c)) for i, q, c in lines]
    return NewOrder.model_validate(
        {"supplier_id": supplier, "location_id": warehouse, "items": items, **fields}
    )


def _ordered(session: Session, actor: Actor, order: NewOrder) -> OrderView:
    created = service.create_order(session, actor, order=order)
    return _change(session, actor, created.order.id, status="ordered")


def _receipt(*lines: tuple[str, int], **fields: Any) -> Receipt:
    items = [ReceiptLine(item_id=i, quantity=Decimal(q)) for i, q in lines]
    return Receipt.model_validate({"items": items, **fields})


def _change(session: Session, actor: Actor, order_id: str, **changes: Any) -> OrderView:
    values = OrderChanges.model_validate(changes)
    return service.update_order(session, actor, order_id=order_id, changes=values)


def _goods(*lines: tuple[str, int]) -> SupplierReturn:
    return SupplierReturn(items=[ReceiptLine(item_id=i, quantity=Decimal(q)) for i, q in lines])


def _events(session: Session) -> list[tuple[str, str | None, dict[str, Any]]]:
    """What the transaction announces of purchase orders: each event, its change, its order."""
    return [
        (m["event"], m["data"].get("change"), m["data"]["object"])
        for m in outbox.pending(session)
        if m["event"].startswith("purchase_order.")
    ]


def _last(session: Session) -> tuple[str, str | None, dict[str, Any]]:
    return _events(session)[-1]


def test_an_order_is_announced_at_every_change_as_it_reads_after(
    session: Session, actor: Actor, warehouse: str, supplier: str
) -> None:
    widget, gadget = new_item(session, actor), new_item(session, actor)
    created = service.create_order(session, actor, order=_order(supplier, warehouse))
    ident = created.order.id
    assert created.data["allowedStatuses"] == ["ordered", "cancelled"]
    lines = [
        OrderLine(item_id=widget, quantity=Decimal(10), unit_cost=Decimal("4.5")),
        OrderLine(item_id=gadget, quantity=Decimal(2), unit_cost=Decimal(12)),
    ]
    views = [
        created,
        service.replace_order_lines(session, actor, order_id=ident, lines=lines),
        _change(session, actor, ident, status="ordered"),
        _change(session, actor, ident, notes="call first"),
        service.receive_order(
            session, actor, order_id=ident, receipt=_receipt((widget, 4), reference="DN-1")
        ),
        _change(session, actor, ident, status="received"),
        service.return_to_supplier(session, actor, order_id=ident, goods=_goods((gadget, 1))),
    ]
    events = _events(session)
    assert [(name, change) for name, change, _ in events] == [
        ("purchase_order.updated", "created"),
        ("purchase_order.updated", "lines_replaced"),
        ("purchase_order.updated", "status"),
        ("purchase_order.updated", "details"),
        ("purchase_order.received", None),
        ("purchase_order.received", None),
        ("purchase_order.updated", "returned"),
    ]
    assert [obj for _, _, obj in events] == [as_json(view.data) for view in views]
    statuses = [obj["status"] for _, _, obj in events]
    assert statuses[-3:] == ["partially_received", "received", "received"]
    session.expire_all()  # read back from the database, as a later request would
    final = service.get_order(session, actor, order_id=ident).data
    assert as_json(final) == events[-1][2]
    assert [r["kind"] for r in final["receipts"]] == ["receipt", "receipt", "return"]
    assert [line["quantityReceived"] for line in final["items"]] == [10, 2]
    assert final["items"][1]["quantityReturned"] == 1


def test_moves_the_status_does_not_allow_are_refused_with_what_it_does(
    session: Session, actor: Actor, warehouse: str, supplier: str
) -> None:
    item = new_item(session, actor)
    created = service.create_order(session, actor, order=_order(supplier, warehouse, (item, 1, 1)))
    before = _events(session)
    with pytest.raises(IllegalTransition) as refused:
        _change(session, actor, created.order.id, status="closed")
    assert refused.value.details == {
        "current_status": "created",
        "allowed_statuses": ["ordered", "cancelled"],
    }
    with pytest.raises(OrderNotOpen) as not_open:
        service.receive_order(
            session, actor, order_id=created.order.id, receipt=_receipt((item, 1))
        )
    assert not_open.value.details == {"current_status": "created"}
    with pytest.raises(OrderNotReceived):
        service.return_to_supplier(
            session, actor, order_id=created.order.id, goods=_goods((item, 1))
        )
    assert _events(session) == before


def test_receipts_beyond_the_tolerance_or_returns_beyond_the_receipts_are_refused(
    session: Session, actor: Actor, warehouse: str, supplier: str
) -> None:
    item = new_item(session, actor)
    line = OrderLine(item_id=item, quantity=Decimal(10), unit_cost=2, tolerance_percent=10)
    ident = _ordered(session, actor, _order(supplier, warehouse, items=[line])).order.id
    with pytest.raises(OverReceipt) as over:
        service.receive_order(
            session, actor, order_id=ident, receipt=_receipt((item, 6), (item, 6))
        )
    assert [(e.field, e.code) for e in over.value.errors] == [("items.0.quantity", "over_receipt")]
    received = service.receive_order(session, actor, order_id=ident, receipt=_receipt((item, 11)))
    assert received.data["status"] == "received"  # within the tolerance
    with pytest.raises(MoreThanReceived) as too_many:
        service.return_to_supplier(session, actor, order_id=ident, goods=_goods((item, 12)))
    assert too_many.value.errors[0].message == "at most 11 left to return"


def test_entries_name_lines_of_the_order_and_errors_use_the_domains_names(
    session: Session, actor: Actor, warehouse: str, supplier: str
) -> None:
    item, stranger = new_item(session, actor), new_item(session, actor)
    ident = _ordered(
        session, actor, _order(supplier, warehouse, (item, 2, 1), (item, 3, 1))
    ).order.id
    with pytest.raises(UnknownOrderLine) as unknown:
        service.receive_order(
            session, actor, order_id=ident, receipt=_receipt((item, 1), (stranger, 1))
        )
    assert [(e.field, e.code) for e in unknown.value.errors] == [
        ("items.0.item_id", "ambiguous_line"),
        ("items.1.item_id", "not_on_order"),
    ]
    _change(session, actor, ident, status="cancelled")
    with pytest.raises(OrderNotEditable) as not_editable:
        service.replace_order_lines(session, actor, order_id=ident, lines=[])
    assert not_editable.value.details == {"current_status": "cancelled"}
    with pytest.raises(UnknownStaff) as staff:
        service.create_order(session, actor, order=_order(supplier, warehouse, staff_id="key_x"))
    assert [e.field for e in staff.value.errors] == ["staff_id"]
    lines = [OrderLine(item_id=item, quantity=Decimal(1))]  # no cost: the item's is in MYR
    foreign_order = _order(supplier, warehouse, currency="USD", exchange_rate=4, items=lines)
    with pytest.raises(Invalid) as foreign:
        service.create_order(session, actor, order=foreign_order)
    assert [e.field for e in foreign.value.errors] == ["items.0.unit_cost"]
    asleep = _supplier(session, actor, active=False)
    with pytest.raises(InactiveSupplier):
        service.create_order(session, actor, order=_order(asleep, warehouse))


def test_an_order_with_nothing_open_cannot_be_received(
    session: Session, actor: Actor, warehouse: str, supplier: str
) -> None:
    ident = _ordered(session, actor, _order(supplier, warehouse)).order.id
    with pytest.raises(NothingToReceive):
        _change(session, actor, ident, status="received")


def _audit(session: Session, actor: Actor, order_id: str) -> list[tuple[str, list[str] | None]]:
    """The order's audit rows, in order: each action and the details it names as changed."""
    a = AuditEvent
    rows = session.execute(
        select(a.action, a.details)
        .where(a.company_id == actor.company_id, a.entity_id == order_id)
        .order_by(a.occurred_at, a.id)
    )
    return [(action, details.get("fields")) for action, details in rows]


def test_a_status_move_records_the_details_changed_with_it(
    session: Session, actor: Actor, warehouse: str, supplier: str
) -> None:
    item = new_item(session, actor)
    ident = service.create_order(
        session, actor, order=_order(supplier, warehouse, (item, 2, 3))
    ).order.id
    _change(session, actor, ident, status="ordered", notes="call first")
    _change(session, actor, ident, expected_date="2030-01-31")
    _change(session, actor, ident, status="received", packing_slip_number="DN-7")
    assert _audit(session, actor, ident) == [
        ("purchase_order.created", None),
        ("purchase_order.ordered", ["notes"]),
        ("purchase_order.edited", ["expected_date"]),
        ("purchase_order.received", ["packing_slip_number"]),
    ]


def test_a_packing_slip_and_deleting_are_announced_with_the_order(
    session: Session, actor: Actor, warehouse: str, supplier: str, tmp_path: Path
) -> None:
    item = new_item(session, actor)
    ident = _ordered(session, actor, _order(supplier, warehouse, (item, 2, 3))).order.id
    service.receive_order(session, actor, order_id=ident, receipt=_receipt((item, 2)))
    stored = service.attach_packing_slip(
        session, actor, order_id=ident, file=io.BytesIO(PDF), data_dir=tmp_path
    )
    assert _last(session) == ("purchase_order.updated", "packing_slip", as_json(stored.data))
    slip = service.packing_slip_file(session, actor, order_id=ident, data_dir=tmp_path)
    assert (slip.path.read_bytes(), slip.content_type) == (PDF, "application/pdf")
    was = as_json(service.get_order(session, actor, order_id=ident).data)
    service.delete_order(session, actor, order_id=ident, data_dir=tmp_path)
    assert _last(session) == ("purchase_order.updated", "deleted", was)
    assert not slip.path.exists()
    with pytest.raises(NotFound):
        service.get_order(session, actor, order_id=ident)


def test_a_reorder_run_announces_each_order_it_creates(
    session: Session, actor: Actor, warehouse: str, supplier: str
) -> None:
    low = new_item(
        session,
        actor,
        supplier_id=supplier,
        inventory={"reorder_point": 5, "reorder_quantity": 8},
        pricing={"cost_price": 2},
    )
    run = service.create_orders_from_reorder(session, actor, run=ReorderRun(location_id=warehouse))
    [decision] = run.decisions
    [made] = run.orders
    assert (decision.item.id, decision.quantity) == (low, Decimal(8))
    assert decision.order is made.order
    assert _events(session) == [("purchase_order.updated", "created", as_json(made.data))]
    again = service.create_orders_from_reorder(
        session, actor, run=ReorderRun(location_id=warehouse)
    )
    assert (again.orders, again.decisions[0].reason) == ([], "already on order")
    assert len(_events(session)) == 1
