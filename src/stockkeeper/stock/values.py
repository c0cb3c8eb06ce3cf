"""What the stock use cases take: the batches and serial numbers of a document line, and the
filters of the stock list, the ledger and the levels."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from stockkeeper.core.api_model import Number, QueryAmount
from stockkeeper.core.values import Values

LotText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class BatchLine(Values):
    """A batch on a document line: an existing one (by id, or by number), or, for stock
    arriving from outside, a new one with its number and dates."""

    batch_id: str | None = None
    batch_number: LotText | None = Field(default=None, examples=["LOT-2026-11"])
    external_batch_number: LotText | None = None
    manufacturer_date: date | None = None
    expiry_date: date | None = Field(default=None, examples=["2027-06-30"])
    quantity: Annotated[Number, Field(gt=0)] = Field(examples=[10])

    @model_validator(mode="after")
    def _named(self) -> BatchLine:
        if not (self.batch_id or self.batch_number):
            raise ValueError("name the batch by its id or its number")
        return self


class LineLots(Values):
    """The batches or serial numbers of a line, for batch- or serial-tracked items."""

    batches: Sequence[BatchLine] | None = Field(default=None, max_length=1000)
    serial_numbers: Sequence[LotText] | None = Field(
        default=None, max_length=10000, examples=[["SN-0001", "SN-0002"]]
    )


class StockListFilters(Values):
    """The stock list's filters."""

    item_id: str | None = None
    location_id: str | None = None
    category_id: str | None = Field(default=None, description="Includes subcategories")
    low_stock: bool | None = Field(default=None, description="At or below the item's minimumStock")
    out_of_stock: bool | None = Field(default=None, description="At or below zero")
    negative: bool | None = Field(default=None, description="Below zero")
    value_min: QueryAmount | None = Field(
        default=None, description="stockValue at least this, under the company's costing method"
    )
    value_max: QueryAmount | None = Field(
        default=None, description="stockValue at most this, under the company's costing method"
    )


class MovementFilters(Values):
    item_id: str | None = None
    location_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    type: str | None = None
    reference: str | None = None


class LevelFilters(Values):
    item_id: str | None = None
    location_id: str | None = None
    bin_id: str | None = None
    batch_id: str | None = None
    serial_number: str | None = None
    expires_before: date | None = Field(default=None, description="Batches expiring before")
    include_empty: bool = False
