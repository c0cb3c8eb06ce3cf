"""A purchase order as the API returns it and its events carry it; the reorder run's result;
a supplier with its recent orders."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from stockkeeper.catalog.models import Item, Location, Supplier
from stockkeeper.catalog.schemas.entities import SupplierRead
from stockkeeper.core.json import dump
from stockkeeper.core.types import normalize
from stockkeeper.purchasing.kind import EDITABLE, OPEN, PURCHASE_ORDERS, ZERO, open_quantity
from stockkeeper.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
)
from stockkeeper.purchasing.schemas import (
    LocationRef,
    OrderLineRead,
    OrderRead,
    OrderSummary,
    PackingSlipRead,
    ReceiptLineRead,
    ReceiptRead,
    ReorderDecision,
    ReorderResult,
    SlipStored,
    SupplierDetail,
    SupplierRef,
)
from stockkeeper.tenancy.service import Role

Receipts = list[tuple[PurchaseReceipt, list[PurchaseReceiptLine]]]


@dataclass(frozen=True)
class OrderView:
    """An order with what its read shows: its supplier, location, lines with their items,
    and its receipts and returns (left out of the views a list shows as summaries)."""

    order: PurchaseOrder
    supplier: Supplier
    location: Location
    lines: list[tuple[PurchaseOrderLine, Item]]
    receipts: Receipts
    # whose read it is: its allowed statuses are those this role may give (None: all the
    # status allows, as the events carry them)
    role: Role | None = None

    @property
    def actions(self) -> list[str]:
        """What the reader may do with the order (the web's buttons): the statuses it may
        give, and changing its details or lines, receiving goods and deleting it, as the
        status and the reader's role allow."""
        status, role = self.order.status, self.role or Role.admin
        doable = [*PURCHASE_ORDERS.allowed(status, role), "details", "delete"]
        doable += ["edit"] if status in EDITABLE else []
        doable += ["receive", "scan"] if status in OPEN else []  # scan: receiving by scanner
        return [move for move in doable if role >= PURCHASE_ORDERS.least_role(move, status)]

    @property
    def total(self) -> Decimal:
        return normalize(sum((line_total(line) for line, _ in self.lines), ZERO))

    @cached_property
    def data(self) -> dict[str, Any]:
        """The order in the API's shape, rendered once for its response and its event."""
        return dump(order_read(self))


def order_summary(view: OrderView) -> OrderSummary:
    return OrderSummary(**_summary(view))


def _summary(view: OrderView) -> dict[str, Any]:
    o = view.order
    return {
        "id": o.id,
        "order_number": o.order_number,
        "status": o.status,
        "supplier_id": o.supplier_id,
        "supplier_name": view.supplier.name,
        "location_id": o.location_id,
        "order_date": o.order_date,
        "expected_date": o.expected_date,
        "received_date": o.received_date,
        "currency": o.currency,
        "total": view.total,
        "item_count": len(view.lines),
        "total_quantity": sum((line.quantity for line, _ in view.lines), ZERO),
    }


def order_read(view: OrderView) -> OrderRead:
    o, supplier = view.order, view.supplier
    slip = (
        PackingSlipRead(filename=o.packing_slip_file, content_type=o.packing_slip_type)
        if o.packing_slip_file and o.packing_slip_type
        else None
    )
    return OrderRead(
        **_summary(view),
        allowed_statuses=PURCHASE_ORDERS.allowed(o.status, view.role),
        supplier=SupplierRef(
            id=supplier.id, name=supplier.name, creditor_number=supplier.creditor_number
        ),
        location=LocationRef(id=view.location.id, name=view.location.name),
        staff_id=o.staff_id,
        staff_name=o.staff_name,
        exchange_rate=o.exchange_rate,
        notes=o.notes,
        packing_slip_number=o.packing_slip_number,
        packing_slip=slip,
        items=[_line_read(o, line, item) for line, item in view.lines],
        receipts=[receipt_read(receipt, lines) for receipt, lines in view.receipts],
        created_by=o.created_by,
        created_at=o.created_at,
        updated_at=o.updated_at,
    )


def line_total(line: PurchaseOrderLine) -> Decimal:
    """What a line costs: its quantity at its unit cost, written as the figure it is (69,
    not the 69.00 of a product's places)."""
    return normalize(line.quantity * line.unit_cost)


def _line_read(order: PurchaseOrder, line: PurchaseOrderLine, item: Item) -> OrderLineRead:
    return OrderLineRead(
        id=line.id,
        item_id=item.id,
        item_code=item.item_code,
        item_name=item.name,
        variant_id=line.variant_id,
        supplier_item_code=line.supplier_item_code,
        quantity=line.quantity,
        unit_cost=line.unit_cost,
        total=line_total(line),
        tolerance_percent=line.tolerance_percent,
        quantity_received=line.quantity_received,
        quantity_returned=line.quantity_returned,
        quantity_open=open_quantity(order, line),
        description=line.description,
        notes=line.notes,
    )


def receipt_read(receipt: PurchaseReceipt, lines: list[PurchaseReceiptLine]) -> ReceiptRead:
    """A receipt (goods in) or a return (goods back to the supplier) of an order."""
    return ReceiptRead(
        id=receipt.id,
        kind=receipt.kind,
        date=receipt.receipt_date,
        reference=receipt.reference,
        notes=receipt.notes,
        items=[receipt_line_read(line) for line in lines],
        created_by=receipt.created_by,
        created_at=receipt.created_at,
    )


def receipt_line_read(line: PurchaseReceiptLine) -> ReceiptLineRead:
    return ReceiptLineRead.model_validate(
        {
            "line_id": line.order_line_id,
            "item_id": line.item_id,
            "quantity": line.quantity,
            "unit_cost": line.unit_cost,
            "total_cost": line.total_cost,
            "bin_id": line.bin_id,
            "batches": line.batches,
            "serial_numbers": line.serial_numbers,
        }
    )


def slip_stored(view: OrderView) -> SlipStored:
    """What an upload of a packing slip answers: the file it was stored as."""
    o = view.order
    assert o.packing_slip_file, "a stored slip has a file"
    assert o.packing_slip_type, "and a type"
    return SlipStored(filename=o.packing_slip_file, content_type=o.packing_slip_type)


# --- the reorder run ----------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """An item at or below its reorder point at a location: how much to order (none, and
    why, when it is skipped), and the order it went on."""

    item: Item
    location_id: str
    on_hand: Decimal
    on_order: Decimal
    quantity: Decimal = ZERO
    reason: str | None = None
    order: PurchaseOrder | None = None

    @property
    def included(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class ReorderView:
    decisions: list[Decision]
    orders: list[OrderView]  # those the run created


def reorder_result(view: ReorderView) -> ReorderResult:
    return ReorderResult(
        orders=[order_summary(order) for order in view.orders],
        items=[_decision(d) for d in view.decisions],
    )


def _decision(d: Decision) -> ReorderDecision:
    return ReorderDecision(
        item_id=d.item.id,
        item_code=d.item.item_code,
        item_name=d.item.name,
        location_id=d.location_id,
        current_stock=d.on_hand,
        reorder_point=d.item.reorder_point,
        reorder_quantity=d.item.reorder_quantity,
        on_order_stock=d.on_order,
        supplier_id=d.item.supplier_id,
        included=d.included,
        reason=d.reason,
        quantity=d.quantity if d.included else ZERO,
        order_id=d.order.id if d.order is not None else None,
        order_number=d.order.order_number if d.order is not None else None,
    )


@dataclass(frozen=True)
class SupplierWithOrders:
    supplier: Supplier
    recent: list[OrderView]


def supplier_detail(view: SupplierWithOrders) -> SupplierDetail:
    return SupplierDetail(
        **SupplierRead.model_validate(view.supplier).model_dump(),
        recent_orders=[order_summary(order) for order in view.recent],
    )
