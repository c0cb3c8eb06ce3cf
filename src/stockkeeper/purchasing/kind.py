"""Purchase orders as a kind of document: created -> ordered -> partially_received ->
received, cancelled from created or ordered, and a partially received order closed short.
Its workflow's moves are the statuses an order may become. While an order is ordered or
partially received, what is still open on its lines (ordered less received) counts as on
order at its location, for the lines written for items whose stock is tracked (``stocked``):
a line of a non-stock item or a service is ordered and received like the others, but is
never on order."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from stockkeeper.core.workflow import Workflow
from stockkeeper.purchasing.models import PurchaseOrder, PurchaseOrderLine
from stockkeeper.stock.service import levels
from stockkeeper.stock.service.documents import DocumentKind, equals, since, until
from stockkeeper.tenancy.service import Role

ZERO = Decimal(0)
OPEN = ("ordered", "partially_received")  # what is open on their lines is on order
EDITABLE = ("created", "ordered")  # their lines may be replaced
RECEIVED = ("partially_received", "received")  # a packing slip belongs to them
RETURNABLE = (*RECEIVED, "closed")

_O = PurchaseOrder

PURCHASE_ORDERS = DocumentKind(
    name="purchase_order",
    model=PurchaseOrder,
    line=PurchaseOrderLine,
    parent="order_id",
    sequence="purchase_order",
    dated_by="order_date",
    number="order_number",
    workflow=Workflow(
        "purchase order",
        {
            "created": ("ordered", "cancelled"),
            "ordered": ("received", "cancelled"),
            "partially_received": ("received", "closed"),
            "received": (),
            "cancelled": (),
            "closed": (),
        },
        listed_as="allowed_statuses",
    ),
    filters={
        "status": equals(_O.status),
        "supplier_id": equals(_O.supplier_id),
        "location_id": equals(_O.location_id),
        "date_from": since(_O.order_date),
        "date_to": until(_O.order_date),
    },
    live=lambda: _O.deleted_at.is_(None),
    reference=lambda order: order.order_number,
    # an order's moves and changes are an admin's (as the API's routes allow them); receiving
    # goods is a clerk's
    needs={
        move: Role.admin
        for move in ("ordered", "received", "closed", "cancelled", "edit", "details", "delete")
    },
)


def open_quantity(order: PurchaseOrder, line: PurchaseOrderLine) -> Decimal:
    """What of a line is still to come (on order, for an item whose stock is tracked)."""
    if order.status not in OPEN:
        return ZERO
    return max(ZERO, line.quantity - line.quantity_received)


def on_order(
    order: PurchaseOrder, lines: list[PurchaseOrderLine], sign: int = 1
) -> dict[levels.GroupKey, Decimal]:
    """The on-order figures the order's stocked lines add (``sign`` -1: take away) at its
    location."""
    deltas: dict[levels.GroupKey, Decimal] = defaultdict(Decimal)
    for line in (line for line in lines if line.stocked):
        key = (line.item_id, line.variant_id, order.location_id)
        deltas[key] += sign * open_quantity(order, line)
    return deltas


def combine(*parts: dict[levels.GroupKey, Decimal]) -> dict[levels.GroupKey, Decimal]:
    """The changes together, those that cancel out left out."""
    total: dict[levels.GroupKey, Decimal] = defaultdict(Decimal)
    for part in parts:
        for key, delta in part.items():
            total[key] += delta
    return {key: delta for key, delta in total.items() if delta}
