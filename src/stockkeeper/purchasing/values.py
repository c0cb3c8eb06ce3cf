"""What the purchasing use cases take: a new order and its lines, a change of an order, a
receipt, a return to the supplier, a reorder run, the filters of the list."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from stockkeeper.core.api_model import Day, NonNegative, Percent, Positive
from stockkeeper.core.schema_rules import named
from stockkeeper.core.text import code_text
from stockkeeper.core.values import Currency, ReasonCode, Reference, Text, Values
from stockkeeper.stock.values import LineLots

OrderStatus = Literal["created", "ordered", "partially_received", "received", "cancelled", "closed"]


class OrderLine(Values):
    """A line of an order: an item (or a variant of one) and what is ordered of it."""

    model_config = ConfigDict(json_schema_extra=named("item_id", "variant_id"))

    item_id: str | None = Field(default=None, examples=["item_01jd..."])
    variant_id: str | None = Field(default=None, description="Instead of, or with, itemId")
    quantity: Positive = Field(examples=[10])
    unit_cost: NonNegative | None = Field(
        default=None,
        examples=[4.5],
        description="In the order's currency; defaults to the item's costPrice when the order "
        "is in the company currency",
    )
    supplier_item_code: Annotated[str, code_text(64, required=False)] | None = Field(
        default=None, description="Defaults to the item's, when the item names this supplier"
    )
    tolerance_percent: Percent = Field(
        default=Decimal(0), description="How far beyond the quantity a receipt may go, in percent"
    )
    description: Text | None = Field(
        default=None, description="Defaults to the item's purchaseDescription, else its name"
    )
    notes: Text | None = None

    @model_validator(mode="after")
    def _named(self) -> OrderLine:
        if not (self.item_id or self.variant_id):
            raise ValueError("name the item or its variant")
        return self


class NewOrder(Values):
    supplier_id: str = Field(examples=["supp_01jd..."])
    staff_id: str | None = Field(
        default=None, description="The API key acting as the buyer; defaults to the caller"
    )
    notes: Text | None = None
    order_date: Day | None = Field(default=None, description="Today by default")
    expected_date: Day | None = None
    location_id: str | None = Field(
        default=None, description="Where it is received; the default warehouse if not given"
    )
    currency: Currency | None = Field(default=None, description="The company currency if not given")
    exchange_rate: Positive | None = Field(
        default=None,
        examples=[4.4],
        description="Company currency per unit of the order currency; required when they differ",
    )
    items: Sequence[OrderLine] = Field(default=(), max_length=1000)


class OrderChanges(Values):
    """A change of an order's details (those sent) and, with ``status``, a move."""

    status: Literal["created", "ordered", "received", "cancelled", "closed"] | None = Field(
        default=None,
        description="ordered (sent to the supplier), received (every open line received in "
        "full), cancelled (from created or ordered), closed (a partially received order "
        "closed short); created, the status an order starts in, is never a move (a 409 "
        "unless the order is still created, when it changes nothing)",
    )
    notes: Text | None = None
    order_date: Day | None = None
    expected_date: Day | None = None
    received_date: Day | None = Field(
        default=None, description="With status received: the receipt's date (default today)"
    )
    packing_slip_number: Reference | None = None


class ReceiptLine(LineLots):
    """Goods in (or back) on one line of the order: the line by its id, else by its item."""

    model_config = ConfigDict(json_schema_extra=named("line_id", "item_id", "variant_id"))

    line_id: str | None = Field(
        default=None, description="The order line; needed when the item is on two lines"
    )
    item_id: str | None = None
    variant_id: str | None = None
    quantity: Positive = Field(examples=[4])
    bin_id: str | None = Field(default=None, description="A bin of the receiving location")

    @model_validator(mode="after")
    def _named(self) -> ReceiptLine:
        if not (self.line_id or self.item_id or self.variant_id):
            raise ValueError("name the order line, its item or its variant")
        return self


class Receipt(Values):
    date: Day | None = Field(default=None, description="Today by default")
    reference: Reference | None = Field(default=None, examples=["DN-88231"])
    notes: Text | None = None
    items: Sequence[ReceiptLine] = Field(min_length=1, max_length=1000)


class SupplierReturn(Receipt):
    reason: ReasonCode | None = Field(default=None, examples=["damaged"])


class ReorderRun(Values):
    location_id: str | None = Field(default=None, description="Only this warehouse or store")
    supplier_id: str | None = Field(default=None, description="Only items of this supplier")
    category_id: str | None = Field(default=None, description="Only this category and below")


class OrderFilters(Values):
    status: OrderStatus | None = None
    supplier_id: str | None = None
    location_id: str | None = None
    item_id: str | None = None
    date_from: Day | None = Field(default=None, description="orderDate on or after")
    date_to: Day | None = Field(default=None, description="orderDate on or before")


class ReceiptScan(Values):
    """One scan while receiving an order on the floor: the code scanned (an item's or
    variant's code or barcode), the bin by its code, the batch (and its expiry) or serial
    number the item needs, and the quantity (left out: 1)."""

    code: Annotated[str, code_text(100)]
    bin: Annotated[str, code_text(100)] | None = None
    batch: Annotated[str, code_text(100)] | None = None
    expiry: Day | None = None
    serial: Annotated[str, code_text(100)] | None = None
    quantity: Positive | None = None


class ScannedUnit(Values):
    """A scan accepted against an order's line, kept until the receipt is posted."""

    line_id: str
    quantity: Positive
    bin_id: str | None = None
    batch: Annotated[str, code_text(100)] | None = None
    expiry: Day | None = None
    serial: Annotated[str, code_text(100)] | None = None
