"""Purchase orders as the canonical API shows them, and its request bodies: the service's
values with the API's names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import Field

from stockkeeper.catalog.schemas.entities import SupplierRead
from stockkeeper.core.api_model import ApiModel, Number
from stockkeeper.purchasing.values import (
    NewOrder,
    OrderChanges,
    OrderFilters,
    OrderLine,
    OrderStatus,
    Receipt,
    ReceiptLine,
    ReorderRun,
    SupplierReturn,
)
from stockkeeper.stock.schemas import BatchEntry, BatchRead


class OrderLineWrite(OrderLine, ApiModel):
    pass


class OrderCreate(NewOrder, ApiModel):
    # a factory, so that the OpenAPI document shows no default, as it never did
    items: Sequence[OrderLineWrite] = Field(default_factory=tuple, max_length=1000)


class OrderLines(ApiModel):
    items: Sequence[OrderLineWrite] = Field(max_length=1000)


class OrderUpdate(OrderChanges, ApiModel):
    pass


class ReceiptLineWrite(ReceiptLine, ApiModel):
    batches: Sequence[BatchEntry] | None = Field(default=None, max_length=1000)


class ReceiptCreate(Receipt, ApiModel):
    items: Sequence[ReceiptLineWrite] = Field(min_length=1, max_length=1000)


class SupplierReturnCreate(ReceiptCreate, SupplierReturn):
    pass


class SupplierRef(ApiModel):
    id: str
    name: str
    creditor_number: str


class LocationRef(ApiModel):
    id: str
    name: str


class OrderLineRead(ApiModel):
    id: str
    item_id: str
    item_code: str
    item_name: str
    variant_id: str | None
    supplier_item_code: str | None
    quantity: Number
    unit_cost: Number
    total: Number = Field(description="quantity x unitCost, in the order's currency")
    tolerance_percent: Number
    quantity_received: Number
    quantity_returned: Number
    quantity_open: Number = Field(
        description="Still to come while the order is open: ordered less received (on order, "
        "for an item whose stock is tracked)"
    )
    description: str = Field(description="What is bought, as the supplier reads it")
    notes: str | None


class ReceiptLineRead(ApiModel):
    line_id: str
    item_id: str
    quantity: Number
    unit_cost: Number = Field(description="In the company currency")
    total_cost: Number
    bin_id: str | None
    batches: list[BatchRead] | None
    serial_numbers: list[str] | None


class ReceiptRead(ApiModel):
    id: str
    kind: Literal["receipt", "return"]
    date: dt.date
    reference: str | None
    notes: str | None
    items: list[ReceiptLineRead]
    created_by: str
    created_at: dt.datetime


class PackingSlipRead(ApiModel):
    filename: str = Field(examples=["IO2601_CRED001_20260325.pdf"])
    content_type: str = Field(examples=["application/pdf"])


class OrderSummary(ApiModel):
    id: str
    order_number: str = Field(examples=["IO2601"])
    status: OrderStatus
    supplier_id: str
    supplier_name: str
    location_id: str
    order_date: dt.date
    expected_date: dt.date | None
    received_date: dt.date | None
    currency: str
    total: Number
    item_count: int = Field(description="Number of lines")
    total_quantity: Number


class OrderRead(OrderSummary):
    allowed_statuses: list[str] = Field(
        examples=[["ordered", "cancelled"]],
        description="Where the status may go (on a read, where the reader's role may take it)",
    )
    supplier: SupplierRef
    location: LocationRef
    staff_id: str | None
    staff_name: str
    exchange_rate: Number
    notes: str | None
    packing_slip_number: str | None
    packing_slip: PackingSlipRead | None
    items: list[OrderLineRead]
    receipts: list[ReceiptRead]
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime


class OrderListQuery(OrderFilters, ApiModel):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None


class ReorderRequest(ReorderRun, ApiModel):
    pass


class ReorderDecision(ApiModel):
    item_id: str
    item_code: str
    item_name: str
    location_id: str
    current_stock: Number
    reorder_point: Number
    reorder_quantity: Number | None
    on_order_stock: Number
    supplier_id: str | None
    included: bool
    reason: str | None = Field(
        examples=["already on order"],
        description="Why an item at or below its reorder point was not ordered",
    )
    quantity: Number = Field(description="Ordered: the reorder quantity less what is on order")
    order_id: str | None
    order_number: str | None


class ReorderResult(ApiModel):
    orders: list[OrderSummary] = Field(description="The orders created, in status created")
    items: list[ReorderDecision] = Field(
        description="Every item at or below its reorder point at a location, ordered or not"
    )


class SlipStored(ApiModel):
    ok: bool = True
    filename: str
    content_type: str


class SupplierDetail(SupplierRead):
    recent_orders: list[OrderSummary] = Field(description="The 20 most recent orders")
