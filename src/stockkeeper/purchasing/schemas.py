"""Purchase order bodies, in the canonical API's style (camelCase, the envelope)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from stockkeeper.core.api_model import ApiModel, NonNegative, Number
from stockkeeper.core.values import ReasonCode, Reference, Text
from stockkeeper.stock.schemas import BatchRead, LotFields

OrderStatus = Literal["created", "ordered", "partially_received", "received", "cancelled", "closed"]
Positive = Annotated[Number, Field(gt=0)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class OrderLineWrite(ApiModel):
    item_id: str | None = Field(default=None, examples=["item_01jd..."])
    variant_id: str | None = Field(default=None, description="Instead of, or with, itemId")
    quantity: Positive = Field(examples=[10])
    unit_cost: NonNegative | None = Field(
        default=None,
        examples=[4.5],
        description="In the order's currency; defaults to the item's costPrice when the order "
        "is in the company currency",
    )
    supplier_item_code: Annotated[str, StringConstraints(max_length=64)] | None = Field(
        default=None, description="Defaults to the item's, when the item names this supplier"
    )
    tolerance_percent: Annotated[Number, Field(ge=0, le=100)] = Field(
        default=Decimal(0), description="How far beyond the quantity a receipt may go, in percent"
    )
    notes: Text | None = None

    @model_validator(mode="after")
    def _named(self) -> OrderLineWrite:
        if not (self.item_id or self.variant_id):
            raise ValueError("name the item: itemId or variantId")
        return self


class OrderCreate(ApiModel):
    supplier_id: str = Field(examples=["supp_01jd..."])
    staff_id: str | None = Field(
        default=None, description="The API key acting as the buyer; defaults to the caller"
    )
    notes: Text | None = None
    order_date: dt.date | None = Field(default=None, description="Today by default")
    expected_date: dt.date | None = None
    location_id: str | None = Field(
        default=None, description="Where it is received; the default warehouse if not given"
    )
    currency: Currency | None = Field(default=None, description="The company currency if not given")
    exchange_rate: Positive | None = Field(
        default=None,
        examples=[4.4],
        description="Company currency per unit of the order currency; required when they differ",
    )
    items: list[OrderLineWrite] = Field(default_factory=list, max_length=1000)


class OrderLines(ApiModel):
    items: list[OrderLineWrite] = Field(max_length=1000)


class OrderUpdate(ApiModel):
    status: Literal["ordered", "received", "cancelled", "closed"] | None = Field(
        default=None,
        description="ordered (sent to the supplier), received (every open line received in "
        "full), cancelled (from created or ordered), closed (a partially received order "
        "closed short)",
    )
    notes: Text | None = None
    order_date: dt.date | None = None
    expected_date: dt.date | None = None
    received_date: dt.date | None = Field(
        default=None, description="With status received: the receipt's date (default today)"
    )
    packing_slip_number: Reference | None = None


class ReceiptLineWrite(LotFields):
    line_id: str | None = Field(
        default=None, description="The order line; needed when the item is on two lines"
    )
    item_id: str | None = None
    variant_id: str | None = None
    quantity: Positive = Field(examples=[4])
    bin_id: str | None = Field(default=None, description="A bin of the receiving location")

    @model_validator(mode="after")
    def _named(self) -> ReceiptLineWrite:
        if not (self.line_id or self.item_id or self.variant_id):
            raise ValueError("name the order line: lineId, itemId or variantId")
        return self


class ReceiptCreate(ApiModel):
    date: dt.date | None = Field(default=None, description="Today by default")
    reference: Reference | None = Field(default=None, examples=["DN-88231"])
    notes: Text | None = None
    items: list[ReceiptLineWrite] = Field(min_length=1, max_length=1000)


class ReturnCreate(ReceiptCreate):
    reason: ReasonCode | None = Field(default=None, examples=["damaged"])


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
    quantity_open: Number = Field(description="Still on order: ordered less received")
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
    allowed_statuses: list[str] = Field(examples=[["ordered", "cancelled"]])
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


class OrderListQuery(ApiModel):
    status: OrderStatus | None = None
    supplier_id: str | None = None
    location_id: str | None = None
    item_id: str | None = None
    date_from: dt.date | None = Field(default=None, description="orderDate on or after")
    date_to: dt.date | None = Field(default=None, description="orderDate on or before")
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None


class ReorderRequest(ApiModel):
    location_id: str | None = Field(default=None, description="Only this warehouse or store")
    supplier_id: str | None = Field(default=None, description="Only items of this supplier")
    category_id: str | None = Field(default=None, description="Only this category and below")


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
