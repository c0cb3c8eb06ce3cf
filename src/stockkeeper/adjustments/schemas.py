"""Adjustments as the canonical API shows them (the Stock Adjustment Object), and its request
bodies: the service's values with the API's names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import Field

from stockkeeper.accounting.schemas import AccountRef
from stockkeeper.adjustments.values import (
    AdjustmentContent,
    AdjustmentFilters,
    AdjustmentKind,
    AdjustmentLine,
    AdjustmentStatus,
    AdjustmentType,
    NewAdjustment,
)
from stockkeeper.adjustments.values import CustomField as CustomFieldValue
from stockkeeper.adjustments.values import StockCount as StockCountValue
from stockkeeper.core.api_model import ApiModel, Number
from stockkeeper.core.text import free_text
from stockkeeper.stock.schemas import (
    BatchInBinsEntry,
    BatchInBinsRead,
    BinQuantityEntry,
    BinQuantityRead,
)

Action = Literal["edit", "delete", "submit", "approve", "reject", "post", "reverse"]


class AdjustmentLineCreate(AdjustmentLine, ApiModel):
    batches: Sequence[BatchInBinsEntry] | None = Field(default=None, max_length=1000)
    bins: Sequence[BinQuantityEntry] | None = Field(
        default=None,
        min_length=1,
        max_length=1000,
        description="Where the line's quantity lies (its absolute value), adding up to it; "
        "for a batch-tracked item each batch names its own bins instead",
    )


class CustomField(CustomFieldValue, ApiModel):
    pass


class AdjustmentDraft(AdjustmentContent, ApiModel):
    """An adjustment's content: what a create sends, and what an edit of a draft replaces."""

    # a factory, so that the OpenAPI document shows no default, as it never did
    custom_fields: Sequence[CustomField] = Field(default_factory=tuple, max_length=50)
    items: Sequence[AdjustmentLineCreate] = Field(min_length=1, max_length=1000)


class AdjustmentCreate(AdjustmentDraft, NewAdjustment):
    pass


class StockCount(StockCountValue, ApiModel):
    """The documented ``PUT /inventory/stock`` body: a counted quantity."""


class Rejection(ApiModel):
    reason: Annotated[str, free_text(500, required=True)]


class LocationRef(ApiModel):
    id: str
    name: str


_REASON_TEXT = (
    "The words sent for the reason where they named no reason of the catalogue, or where "
    "`reasonId` named it"
)


class AdjustmentLineRead(ApiModel):
    id: str
    item_id: str
    item_code: str
    item_name: str
    variant_id: str | None
    location_id: str = Field(description="The line's own location, else the adjustment's")
    location: LocationRef
    bin_id: str | None
    bins: list[BinQuantityRead] | None = Field(
        default=None, description="Where the line's quantity lies, as given"
    )
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
    reason_text: str | None = Field(description=_REASON_TEXT)
    account_id: str | None = Field(description="As sent: an account's id or code")
    account: AccountRef | None = Field(description="What accountId names")
    notes: str | None
    batches: list[BatchInBinsRead] | None = None
    serial_numbers: list[str] | None = None


class AdjustmentRead(ApiModel):
    id: str
    adjustment_number: str = Field(examples=["ADJ-2026-0001"])
    date: dt.date
    type: AdjustmentType
    adjustment_type: AdjustmentKind
    reason: str
    reason_text: str | None = Field(description=_REASON_TEXT)
    status: AdjustmentStatus
    allowed_actions: list[Action] = Field(
        examples=[["edit", "delete", "submit", "post"]],
        description="What its status permits (on a read, what the reader's role may do of it)",
    )
    location_id: str
    location: LocationRef
    reference: str | None
    external_id: str | None = Field(default=None, description="The client's own id, as sent")
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


class AdjustmentListQuery(AdjustmentFilters, ApiModel):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None
