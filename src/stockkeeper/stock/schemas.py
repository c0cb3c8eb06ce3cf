"""The Stock Object and movement rows, as the canonical API shows them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from stockkeeper.core.api_model import ApiModel, Number, QueryAmount


class LocationRef(ApiModel):
    id: str
    name: str


class LastMovement(ApiModel):
    date: dt.datetime
    type: str = Field(examples=["sale"])
    quantity: Number = Field(examples=[-10], description="Signed, at this location")
    reference: str | None


class ReorderInfo(ApiModel):
    """The item behind a stock row, with what reordering needs (``includeReorderInfo``)."""

    id: str
    item_code: str
    name: str
    inventory: dict[str, Number | None]
    pricing: dict[str, Number]
    supplier: dict[str, str] | None


class StockRead(ApiModel):
    item_id: str
    item_code: str
    item_name: str
    variant_id: str | None
    location_id: str
    location: LocationRef
    current_stock: Number
    available_stock: Number | None = Field(description="null when includeReserved=false")
    reserved_stock: Number | None = Field(description="null when includeReserved=false")
    on_order_stock: Number
    average_cost: Number
    stock_value: Number
    last_movement: LastMovement | None
    bin_location: str | None
    updated_at: dt.datetime
    item: ReorderInfo | None = Field(default=None, description="With includeReorderInfo=true")


class StockQuery(ApiModel):
    item_id: str | None = None
    location_id: str | None = None
    category_id: str | None = Field(default=None, description="Includes subcategories")
    low_stock: bool | None = Field(default=None, description="At or below the item's minimumStock")
    out_of_stock: bool | None = Field(default=None, description="At or below zero")
    negative: bool | None = Field(default=None, description="Below zero")
    include_reserved: bool = True
    include_reorder_info: bool = False
    value_min: QueryAmount | None = None
    value_max: QueryAmount | None = None
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None


class DocumentRef(ApiModel):
    type: str = Field(examples=["adjustment"])
    id: str
    number: str | None


class MovementRead(ApiModel):
    id: str = Field(description="The movement; a move between two premises shows on both")
    direction: Literal["in", "out"]
    date: dt.date = Field(description="Effective date")
    item_id: str
    item_code: str
    variant_id: str | None
    location_id: str
    bin_id: str | None
    batch_id: str | None
    serial_id: str | None
    quantity: Number = Field(description="Signed: positive in, negative out")
    unit_cost: Number
    value: Number
    type: str = Field(examples=["adjustment"])
    reason: str | None
    reference: str | None
    document: DocumentRef
    created_by: str
    created_at: dt.datetime


class MovementQuery(ApiModel):
    item_id: str | None = None
    location_id: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    type: str | None = None
    reference: str | None = None
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None
