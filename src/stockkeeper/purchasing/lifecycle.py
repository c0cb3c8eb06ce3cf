"""Changing a purchase order's details and status; ``received`` receives every open line."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from stockkeeper.core.audit import record
from stockkeeper.purchasing import orders, receiving
from stockkeeper.stock import levels
from stockkeeper.tenancy.service import Actor


def update_order(session: Session, actor: Actor, order_id: str, values: dict[str, Any]) -> None:
    """Changes the order's details and, with ``status``, moves it on; ``received`` receives
    every open line in full."""
    order = orders.locked_order(session, actor, order_id)
    for key in ("notes", "order_date", "expected_date", "packing_slip_number"):
        if key in values:
            setattr(order, key, values[key])
    status = values.get("status")
    if status is None or status == order.status:
        if values.get("received_date"):
            order.received_date = values["received_date"]
        session.flush()
        return
    orders.WORKFLOW.require(order.status, status)
    if status == "received":
        receiving.receive(
            session,
            actor,
            order,
            None,
            received_on=values.get("received_date"),
            reference=values.get("packing_slip_number"),
        )
        return
    lines = orders.order_lines(session, actor, order.id)
    before = orders.on_order(order, lines, -1)
    order.status = status
    deltas = orders.combine(before, orders.on_order(order, lines))
    if deltas:
        levels.lock_and_change_on_order(session, actor.company_id, deltas)
    record(session, actor, f"purchase_order.{status}", "purchase_order", order.id)
    session.flush()
