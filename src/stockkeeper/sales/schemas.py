"""Bodies of reservations, sales issues and customer returns."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, StringConstraints

from stockkeeper.core.api_model import ApiModel, Number
from stockkeeper.core.values import Reference, Text
from stockkeeper.stock.schemas import BatchRead, LotFields

Positive = Annotated[Number, Field(gt=0)]
ReservationStatus = Literal["active", "fulfilled", "released", "expired"]


class ReservationCreate(ApiModel):
    item_id: str = Field(examples=["item_01jd..."])
    variant_id: str | None = None
    location_id: str
    batch_id: str | None = Field(default=None, description="Reserve of this batch only")
    serial_number: str | None = Field(
        default=None, description="Reserve this one unit (quantity 1)"
    )
    quantity: Positive = Field(examples=[3])
    reference: Reference | None = Field(default=None, examples=["SO-2026-0042"])
    expires_at: AwareDatetime | None = Field(
        default=None, description="After this instant the reservation stops counting"
    )
    notes: Text | None = None


class Fulfilment(LotFields):
    """Send `{}` to fulfil all that is still reserved. For a batch- or serial-tracked item
    reserved without naming one, name the batches or serials that go."""

    quantity: Positive | None = Field(default=None, description="Defaults to all that is left")
    bin_id: str | None = Field(default=None, description="The bin the goods are picked from")
    reference: Reference | None = Field(
        default=None, description="Of the sale (an invoice number); defaults to the reservation's"
    )
    date: dt.date | None = None


class ItemRef(ApiModel):
    id: str
    item_code: str
    name: str


class LocationRef(ApiModel):
    id: str
    name: str


class ReservationRead(ApiModel):
    id: str
    item_id: str
    item: ItemRef
    variant_id: str | None
    location_id: str
    location: LocationRef
    batch_id: str | None
    batch_number: str | None
    serial_number: str | None
    quantity: Number
    quantity_fulfilled: Number
    quantity_remaining: Number
    reference: str | None
    notes: str | None
    expires_at: dt.datetime | None
    status: ReservationStatus = Field(description="As of now: past expiresAt it is expired")
    allowed_actions: list[str] = Field(examples=[["fulfil", "release"]])
    created_by: str
    created_at: dt.datetime
    closed_by: str | None
    closed_at: dt.datetime | None


class ReservationListQuery(ApiModel):
    item_id: str | None = None
    location_id: str | None = None
    status: ReservationStatus | None = None
    reference: str | None = None
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None


class IssueLineCreate(LotFields):
    item_id: str = Field(examples=["item_01jd..."])
    variant_id: str | None = None
    quantity: Positive = Field(examples=[2])
    location_id: str | None = Field(default=None, description="Defaults to the document's")
    bin_id: str | None = None
    notes: Text | None = None


class IssueCreate(ApiModel):
    date: dt.date | None = Field(default=None, description="Today in the company's time zone")
    location_id: str | None = Field(default=None, description="Defaults to the default warehouse")
    reference: Reference | None = Field(default=None, examples=["INV-2026-0107"])
    customer: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    notes: Text | None = None
    items: list[IssueLineCreate] = Field(min_length=1, max_length=1000)


class ReturnCreate(IssueCreate):
    issue_id: str | None = Field(
        default=None,
        description="The issue the goods went out on: they come back at its cost, and no "
        "more than went out. Without it they come back at their latest sale's cost.",
    )


class DocumentLineRead(ApiModel):
    id: str
    item_id: str
    item_code: str
    item_name: str
    variant_id: str | None
    location_id: str
    bin_id: str | None
    quantity: Number
    unit_cost: Number
    total_cost: Number
    notes: str | None
    batches: list[BatchRead] | None
    serial_numbers: list[str] | None


class DocumentRead(ApiModel):
    id: str
    document_number: str = Field(examples=["ISS-2026-0001"])
    date: dt.date
    location_id: str
    location: LocationRef
    issue_id: str | None = Field(description="Returns: the issue the goods went out on")
    reference: str | None
    customer: str | None
    notes: str | None
    items: list[DocumentLineRead]
    total_value: Number
    created_by: str
    created_at: dt.datetime


class DocumentListQuery(ApiModel):
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    reference: str | None = None
    location_id: str | None = None
    item_id: str | None = None
    issue_id: str | None = None
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None
