"""What the services give the faces that page by number and group statuses (the smallbiz
dialect): orders and suppliers from an offset, orders in any of several statuses, and
``created`` as a status an order never moves to."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from stockkeeper.catalog.service import suppliers
from stockkeeper.catalog.values import NewSupplier, SupplierFilters
from stockkeeper.core.errors import IllegalTransition
from stockkeeper.purchasing import service
from stockkeeper.purchasing.values import (
    NewOrder,
    OrderChanges,
    OrderFilters,
    OrderLine,
    OrderStatus,
)
from stockkeeper.tenancy.service import Actor
from tests.factories import new_item, new_location
from tests.support import Tenant


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def _supplier(session: Session, actor: Actor, name: str) -> str:
    new = NewSupplier(name=name)
    return suppliers.create_supplier(session, actor, supplier=new).id


def test_orders_from_an_offset_and_in_several_statuses(session: Session, actor: Actor) -> None:
    new_location(session, actor)
    supplier, item = _supplier(session, actor, "Acme"), new_item(session, actor)
    made = []
    line = OrderLine(item_id=item, quantity=Decimal(2))
    for day in ("2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"):
        values = {"supplier_id": supplier, "order_date": day, "items": [line]}
        order = service.create_order(session, actor, order=NewOrder.model_validate(values))
        made.append(order.order.id)
    service.update_order(session, actor, order_id=made[1], changes=OrderChanges(status="ordered"))
    service.update_order(session, actor, order_id=made[2], changes=OrderChanges(status="cancelled"))

    def listed(
        offset: int = 0, limit: int = 10, statuses: tuple[OrderStatus, ...] = ()
    ) -> list[str]:
        page = service.list_orders(
            session,
            actor,
            filters=OrderFilters(),
            limit=limit,
            cursor=None,
            offset=offset,
            statuses=statuses,
        )
        return [view.order.id for view in page.rows]

    newest_first = made[::-1]
    assert listed() == newest_first
    assert listed(offset=1, limit=2) == newest_first[1:3]
    assert listed(offset=4) == []
    assert listed(statuses=("created", "ordered")) == [made[3], made[1], made[0]]
    assert listed(statuses=("cancelled",)) == [made[2]]
    assert listed(offset=1, statuses=("created", "ordered")) == [made[1], made[0]]


def test_suppliers_from_an_offset(session: Session, actor: Actor) -> None:
    for name in ("delta", "Alpha", "charlie", "Bravo"):
        _supplier(session, actor, name)

    def names(offset: int, limit: int) -> list[str]:
        rows, _, total = suppliers.list_suppliers(
            session, actor, filters=SupplierFilters(), limit=limit, cursor=None, offset=offset
        )
        assert total == 4
        return [row.name for row in rows]

    assert names(0, 10) == ["Alpha", "Bravo", "charlie", "delta"]
    assert names(1, 2) == ["Bravo", "charlie"]
    assert names(3, 2) == ["delta"]


def test_created_is_never_a_move(session: Session, actor: Actor) -> None:
    new_location(session, actor)
    supplier = _supplier(session, actor, "Acme")
    order = service.create_order(session, actor, order=NewOrder(supplier_id=supplier)).order
    same = service.update_order(
        session, actor, order_id=order.id, changes=OrderChanges(status="created", notes="n")
    )
    assert (same.order.status, same.order.notes) == ("created", "n")
    service.update_order(session, actor, order_id=order.id, changes=OrderChanges(status="ordered"))
    with pytest.raises(IllegalTransition) as refused:
        service.update_order(
            session, actor, order_id=order.id, changes=OrderChanges(status="created")
        )
    assert refused.value.details["allowed_statuses"] == ["received", "cancelled"]
