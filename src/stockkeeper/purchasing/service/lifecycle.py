"""Changing a purchase order's details and moving it on: ordered, cancelled, closed, or
received (every open line received in full, announced as a receipt)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stockkeeper.purchasing.kind import PURCHASE_ORDERS, combine, on_order
from stockkeeper.purchasing.models import PurchaseOrder
from stockkeeper.purchasing.service.reads import announce, current
from stockkeeper.purchasing.service.receiving import Head, receive_rest
from stockkeeper.purchasing.values import OrderChanges
from stockkeeper.purchasing.views import OrderView
from stockkeeper.stock.service import levels
from stockkeeper.tenancy.service import Actor

_DETAILS = ("notes", "order_date", "expected_date", "packing_slip_number")


def update_order(
    session: Session,
    actor: Actor,
    *,
    order_id: str,
    changes: OrderChanges,
    order_on_the_way: bool = False,
) -> OrderView:
    """Changes the details sent and, with a new status, moves the order on; ``received``
    receives every open line in full, dated ``received_date`` (today if not given). With
    ``order_on_the_way``, a created order moved to ``received`` is ordered first, as a move
    of its own (smallbiz, whose statuses have no order between them, takes it so)."""
    order = PURCHASE_ORDERS.locked(session, actor, order_id)
    changed = [name for name in _DETAILS if changes.given(name)]
    for name in changed:
        setattr(order, name, getattr(changes, name))
    status = changes.status
    if status is None or status == order.status:
        if changes.received_date:
            order.received_date = changes.received_date
            changed.append("received_date")
        PURCHASE_ORDERS.record(session, actor, "edited", order, fields=changed)
        return announce(session, actor, current(session, actor, order), change="details")
    if order_on_the_way and status == "received" and order.status == "created":
        _move(session, actor, order, "ordered", [])
    if status == "received":
        PURCHASE_ORDERS.require(order, status)
        head = Head(changes.received_date, changes.packing_slip_number)
        return receive_rest(session, actor, order, head, changed)
    return _move(session, actor, order, status, changed)


def _move(
    session: Session, actor: Actor, order: PurchaseOrder, status: str, changed: list[str]
) -> OrderView:
    """The order moved to ``status`` (not received), what it has on order changed with it."""
    PURCHASE_ORDERS.require(order, status)
    lines = PURCHASE_ORDERS.line_rows(session, actor.company_id, order.id)
    before = on_order(order, lines, -1)
    order.status = status
    deltas = combine(before, on_order(order, lines))
    if deltas:
        levels.lock_and_change_on_order(session, actor.company_id, deltas)
    # the move's audit row names the details changed with it, as an edit's does
    with_details = {"fields": changed} if changed else {}
    PURCHASE_ORDERS.record(session, actor, status, order, **with_details)
    return announce(session, actor, current(session, actor, order, lines), change="status")
