"""Transfers as the canonical API shows them (the Stock Transfer Object), and its request
bodies: the service's values with the API's names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import Field

from stockkeeper.core.api_model import ApiModel, Number
from stockkeeper.stock.schemas import BatchEntry, BatchRead
from stockkeeper.transfers.values import LineQuantity as LineQuantityValue
from stockkeeper.transfers.values import (
    NewTransfer,
    Shipping,
    TransferFilters,
    TransferLine,
    TransferStatus,
)
from stockkeeper.transfers.values import StatusChange as StatusChangeValue


class TransferLineCreate(TransferLine, ApiModel):
    batches: Sequence[BatchEntry] | None = Field(default=None, max_length=1000)


class ShippingWrite(Shipping, ApiModel):
    pass


class TransferCreate(NewTransfer, ApiModel):
    items: Sequence[TransferLineCreate] = Field(min_length=1, max_length=1000)
    shipping: ShippingWrite | None = None


class LineQuantity(LineQuantityValue, ApiModel):
    __doc__ = LineQuantityValue.__doc__  # the schema's description

    batches: Sequence[BatchEntry] | None = Field(default=None, max_length=1000)


class StatusChange(StatusChangeValue, ApiModel):
    shipping: ShippingWrite | None = None
    items: Sequence[LineQuantity] | None = Field(
        default=None, description=StatusChangeValue.model_fields["items"].description
    )


class LocationRef(ApiModel):
    id: str
    name: str


class TransferLineRead(ApiModel):
    id: str
    item_id: str
    item_code: str
    item_name: str
    variant_id: str | None
    from_bin_id: str | None
    to_bin_id: str | None
    quantity_requested: Number
    quantity_shipped: Number | None
    quantity_received: Number | None
    quantity_written_off: Number | None
    write_off_reason: str | None
    unit_cost: Number | None = Field(description="Average cost at the source when shipped")
    total_cost: Number | None
    notes: str | None
    batches: list[BatchRead] | None = Field(description="As requested; once shipped, as shipped")
    serial_numbers: list[str] | None


class ShippingRead(ApiModel):
    method: str | None = None
    tracking_number: str | None = None
    shipped_at: dt.datetime | None = None
    estimated_delivery: dt.datetime | None = None
    actual_delivery: dt.datetime | None = None


class ApprovalRead(ApiModel):
    step: str
    status: str
    approved_by: str
    approved_at: dt.datetime
    notes: str | None


class TransferRead(ApiModel):
    id: str
    transfer_number: str = Field(examples=["XFR-2026-0001"])
    date: dt.date
    status: TransferStatus
    allowed_statuses: list[str] = Field(
        examples=[["shipped", "cancelled"]],
        description=("Where the status PATCH may take it (on a read, where the reader's role may)"),
    )
    from_location_id: str
    from_location: LocationRef
    to_location_id: str
    to_location: LocationRef
    reference: str | None
    external_id: str | None = Field(default=None, description="The client's own id, as sent")
    notes: str | None
    items: list[TransferLineRead]
    shipping: ShippingRead
    total_value: Number
    approvals: list[ApprovalRead]
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime


class TransferListQuery(TransferFilters, ApiModel):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None
