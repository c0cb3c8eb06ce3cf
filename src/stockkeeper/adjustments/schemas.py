"""Adjustment bodies, in the shapes of the canonical API's Stock Adjustment Object."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from stockkeeper.core.api_model import ApiModel, NonNegative, Number
from stockkeeper.stock.schemas import BatchRead, LotFields

AdjustmentType = Literal["positive", "negative", "mixed"]
AdjustmentKind = Literal["quantity", "value"]
AdjustmentStatus = Literal[
    "draft", "pending_approval", "approved", "rejected", "posted", "reversed"
]
Action = Literal["edit", "delete", "submit", "approve", "reject", "post", "reverse"]
ReasonCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Text = Annotated[str, StringConstraints(max_length=2000)]
Reference = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]


class AdjustmentLineCreate(LotFields):
    item_id: str = Field(examples=["item_01jd..."])
    variant_id: str | None = None
    bin_id: str | None = Field(default=None, description="A bin of the adjustment's location")
    adjustment_quantity: Number | None = Field(
        default=None,
        examples=[-2],
        description="Quantity adjustments: positive adds stock, negative removes it; never zero",
    )
    value_adjusted: Number | None = Field(
        default=None,
        examples=[-120.5],
        description="Value adjustments: the amount by which the stock at the location is "
        "revalued, its quantity unchanged; never zero",
    )
    unit_cost: NonNegative | None = Field(
        default=None,
        examples=[18.5],
        description="Cost of stock added; omitted, it is the average cost at the location, "
        "else the item's costPrice. Stock removed always goes at the average cost.",
    )
    reason: ReasonCode | None = Field(
        default=None, description="Defaults to the adjustment's reason"
    )
    notes: Text | None = None

    @field_validator("adjustment_quantity", "value_adjusted")
    @classmethod
    def _not_zero(cls, value: Decimal | None) -> Decimal | None:
        if value == 0:
            raise ValueError("must not be zero")
        return value


class CustomField(ApiModel):
    customfield_id: Annotated[str, StringConstraints(max_length=40)] | None = None
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    value: Annotated[str, StringConstraints(max_length=1000)] | bool | Number | None = None


class AdjustmentDraft(ApiModel):
    """An adjustment's content: what a create sends, and what an edit of a draft replaces."""

    date: dt.date | None = Field(
        default=None,
        description="Effective date of the movements; today in the company's time zone",
    )
    type: AdjustmentType | None = Field(
        default=None, description="Derived from the lines; if sent, it must agree with them"
    )
    adjustment_type: AdjustmentKind = Field(
        default="quantity",
        description="quantity lines carry adjustmentQuantity; value lines carry valueAdjusted",
    )
    reason: ReasonCode = Field(examples=["stock_count"])
    location_id: str | None = Field(default=None, description="Defaults to the default warehouse")
    reference: Reference | None = Field(default=None, examples=["SC-2024-001"])
    notes: Text | None = None
    custom_fields: list[CustomField] = Field(default_factory=list, max_length=50)
    items: list[AdjustmentLineCreate] = Field(min_length=1, max_length=1000)


class AdjustmentCreate(AdjustmentDraft):
    status: Literal["draft", "posted"] = Field(
        default="posted",
        description="draft keeps it a draft, to edit, submit for approval or post later",
    )


class Rejection(ApiModel):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class LocationRef(ApiModel):
    id: str
    name: str


class AdjustmentLineRead(ApiModel):
    id: str
    item_id: str
    item_code: str
    item_name: str
    variant_id: str | None
    bin_id: str | None
    current_stock: Number | None = Field(
        description="On hand at the location before the line; null until posted"
    )
    adjusted_stock: Number | None = Field(
        description="On hand at the location after the line; null until posted"
    )
    adjustment_quantity: Number = Field(description="Zero on value lines")
    value_adjusted: Number | None = Field(description="On value lines")
    unit_cost: Number | None = Field(description="As requested until posted, as booked after")
    total_cost: Number | None
    reason: str
    notes: str | None
    batches: list[BatchRead] | None = None
    serial_numbers: list[str] | None = None


class AdjustmentRead(ApiModel):
    id: str
    adjustment_number: str = Field(examples=["ADJ-2026-0001"])
    date: dt.date
    type: AdjustmentType
    adjustment_type: AdjustmentKind
    reason: str
    status: AdjustmentStatus
    allowed_actions: list[Action] = Field(
        examples=[["edit", "delete", "submit", "post"]], description="What its status permits"
    )
    location_id: str
    location: LocationRef
    reference: str | None
    notes: str | None
    custom_fields: list[CustomField]
    items: list[AdjustmentLineRead]
    total_value: Number | None = Field(description="null until posted")
    created_by: str
    created_at: dt.datetime
    submitted_by: str | None
    submitted_at: dt.datetime | None
    approved_by: str | None
    approved_at: dt.datetime | None
    rejected_by: str | None
    rejected_at: dt.datetime | None
    rejection_reason: str | None
    posted_by: str | None
    posted_at: dt.datetime | None
    reversed_by: str | None
    reversed_at: dt.datetime | None


class AdjustmentListQuery(ApiModel):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    type: AdjustmentType | None = None
    reason: str | None = None
    status: AdjustmentStatus | None = None
    adjustment_type: AdjustmentKind | None = None
    location_id: str | None = None
    item_id: str | None = None
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None


class ReasonCreate(ApiModel):
    code: ReasonCode = Field(examples=["shrinkage"])
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class ReasonUpdate(ApiModel):
    name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
        | None
    ) = None
    is_active: bool | None = None


class ReasonRead(ApiModel):
    code: str
    name: str
    is_system: bool
    is_active: bool


class StockCount(ApiModel):
    """The documented ``PUT /inventory/stock`` body: a counted quantity."""

    item_id: str
    variant_id: str | None = None
    location_id: str
    bin_id: str | None = None
    new_quantity: Annotated[Number, Field(ge=0)] = Field(examples=[200])
    reason: ReasonCode = "stock_count"
    notes: Text | None = None
    cost_price: NonNegative | None = Field(default=None, description="Unit cost of units found")
    reference: Reference | None = None
    date: dt.date | None = None
