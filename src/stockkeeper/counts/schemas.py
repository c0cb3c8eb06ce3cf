"""Counts as the canonical API shows them, and its request bodies: the service's values with
the API's names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import Field

from stockkeeper.core.api_model import ApiModel, Number
from stockkeeper.counts.values import (
    CountedLines,
    CountEntry,
    CountFilters,
    CountStatus,
    NewCount,
    Recount,
)

Action = Literal["count", "recount", "submit", "approve", "post", "cancel"]
_HIDDEN = "Hidden (null) from clerks and viewers on a blind count"


class CountCreate(NewCount, ApiModel):
    pass


class CountEntryCreate(CountEntry, ApiModel):
    pass


class CountLinesCreate(CountedLines, ApiModel):
    entries: Sequence[CountEntryCreate] = Field(min_length=1, max_length=10000)


class RecountRequest(Recount, ApiModel):
    pass


class CountListQuery(CountFilters, ApiModel):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None


class CountReadQuery(ApiModel):
    lines: Literal["all", "uncounted", "variances"] = Field(
        default="all",
        description="Every line; the lines not yet counted; or the counted lines whose "
        "variance is not zero",
    )


class LocationRef(ApiModel):
    id: str
    name: str


class CountScope(ApiModel):
    category_ids: list[str] | None = None
    bin_ids: list[str] | None = None
    item_ids: list[str] | None = None


class CountLineRead(ApiModel):
    id: str
    item_id: str
    item_code: str
    item_name: str
    variant_id: str | None
    bin_id: str | None
    batch_number: str | None
    expiry_date: dt.date | None = Field(
        description="Given for a batch the count found first (null on a line of a batch the "
        "ledger knows: the batch keeps its own)"
    )
    serial_number: str | None
    in_snapshot: bool = Field(description="Whether the ledger held stock here at opening")
    expected: Number | None = Field(
        description="Expected at opening plus the stock moved here since, up to the line's "
        "count (up to now while not counted). " + _HIDDEN
    )
    expected_at_opening: Number | None = Field(description=_HIDDEN)
    counted: Number | None = Field(description="null until counted")
    counted_by: str | None
    counted_at: dt.datetime | None
    recount: bool = Field(description="Sent back to be counted again, and not yet counted")
    variance: Number | None = Field(description="Counted less expected. " + _HIDDEN)
    unit_cost: Number | None = Field(description="Average cost at the location. " + _HIDDEN)
    value: Number | None = Field(description="Variance times unit cost. " + _HIDDEN)


class CountRead(ApiModel):
    id: str
    count_number: str = Field(examples=["CNT-2026-0001"])
    date: dt.date
    status: CountStatus
    allowed_actions: list[Action] = Field(examples=[["count", "recount", "submit", "cancel"]])
    location_id: str
    location: LocationRef
    scope: CountScope = Field(description="What is counted; all of the location when empty")
    blind: bool
    reference: str | None
    notes: str | None
    adjustment_id: str | None = Field(description="The adjustment its posting wrote")
    line_count: int
    counted_lines: int
    opened_by: str
    opened_at: dt.datetime
    submitted_by: str | None
    submitted_at: dt.datetime | None
    approved_by: str | None
    approved_at: dt.datetime | None
    posted_by: str | None
    posted_at: dt.datetime | None
    cancelled_by: str | None
    cancelled_at: dt.datetime | None


class CountDetailRead(CountRead):
    variance_quantity: Number | None = Field(description="Over the counted lines. " + _HIDDEN)
    variance_value: Number | None = Field(description=_HIDDEN)
    lines: list[CountLineRead]
