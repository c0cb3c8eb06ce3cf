"""smallbiz's purchasing requests in the domain's values: integer ids back to the records
they number, and smallbiz's four order statuses to and from the six of the core.

smallbiz knows no partial receipt and no order closed short: a partially received order
shows as ``ordered`` (its lines tell what came), one closed short as ``received``. So a
status a client sends is the one it sees: sending the status an order already shows
changes nothing, whatever the core's status behind it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from stockkeeper.compat.smallbiz import ids
from stockkeeper.compat.smallbiz.purchasing_schemas import (
    OrderCreate,
    OrderItem,
    OrderQuery,
    OrderUpdate,
    Status,
)
from stockkeeper.purchasing import service as purchasing
from stockkeeper.purchasing.values import NewOrder, OrderChanges, OrderLine, OrderStatus
from stockkeeper.tenancy.service import Actor

SHOWN: dict[str, Status] = {
    "created": "created",
    "ordered": "ordered",
    "partially_received": "ordered",
    "received": "received",
    "closed": "received",
    "cancelled": "cancelled",
}
# the core's statuses that each of smallbiz's stands for
MEANT: dict[Status, tuple[OrderStatus, ...]] = {
    "created": ("created",),
    "ordered": ("ordered", "partially_received"),
    "received": ("received", "closed"),
    "cancelled": ("cancelled",),
}


def statuses(query: OrderQuery) -> tuple[OrderStatus, ...]:
    """The core's statuses the list's ``status`` filter stands for (none: every one)."""
    return MEANT[query.status] if query.status else ()


def new_order(session: Session, actor: Actor, body: OrderCreate) -> NewOrder:
    return NewOrder(
        supplier_id=ids.record(session, actor, "supplier", body.supplier_id),
        staff_id=ids.optional(session, actor, "staff", body.staff_id),
        notes=body.notes,
        order_date=body.order_date,
        expected_date=body.expected_date,
    )


def order_lines(session: Session, actor: Actor, items: Sequence[OrderItem]) -> list[OrderLine]:
    return [
        OrderLine(
            item_id=ids.record(session, actor, "item", item.product_id),
            quantity=item.quantity,
            unit_cost=item.unit_cost,
        )
        for item in items
    ]


def order_id(session: Session, actor: Actor, number: int) -> str:
    return ids.record(session, actor, "purchase_order", number)


def order_changes(session: Session, actor: Actor, order: str, body: OrderUpdate) -> OrderChanges:
    """The change of the order: the fields sent, and its status unless the order already
    shows it (read afresh: which core status stands behind the shown one decides)."""
    sent = body.model_dump(exclude_unset=True)
    if body.status is not None:
        current = purchasing.get_order(session, actor, order_id=order).order.status
        if SHOWN[current] == body.status:
            del sent["status"]
    return OrderChanges.model_validate(sent)
