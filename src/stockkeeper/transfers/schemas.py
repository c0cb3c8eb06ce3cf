"""Transfer bodies, in the shapes of the canonical API's Stock Transfer Object."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, StringConstraints

from stockkeeper.core.api_model import ApiModel, Number
from stockkeeper.core.values import ReasonCode, Reference, Text
from stockkeeper.stock.schemas import BatchRead, LotFields

TransferStatus = Literal[
    "draft",
    "pending_approval",
    "approved",
    "rejected",
    "shipped",
    "completed",
    "cancelled",
]
Positive = Annotated[Number, Field(gt=0)]
NonNegative = Annotated[Number, Field(ge=0)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]


class TransferLineCreate(LotFields):
    item_id: str = Field(examples=["item_01jd..."])
    variant_id: str | None = None
    quantity: Positive = Field(examples=[25])
    from_bin_id: str | None = Field(default=None, description="A bin of the source location")
    to_bin_id: str | None = Field(default=None, description="A bin of the destination")
    notes: Text | None = None


class ShippingWrite(ApiModel):
    method: Short | None = Field(default=None, examples=["internal_delivery"])
    tracking_number: Short | None = Field(default=None, examples=["INT-002-2024"])
    shipped_at: AwareDatetime | None = Field(
        default=None, description="Defaults to now on shipping"
    )
    estimated_delivery: AwareDatetime | None = None
    actual_delivery: AwareDatetime | None = Field(
        default=None, description="Defaults to now on receipt"
    )


class TransferCreate(ApiModel):
    date: dt.date | None = Field(default=None, description="Today in the company's time zone")
    from_location_id: str
    to_location_id: str
    reference: Reference | None = Field(default=None, examples=["RESTOCK-002"])
    notes: Text | None = None
    items: list[TransferLineCreate] = Field(min_length=1, max_length=1000)
    request_approval: bool = Field(
        default=False, description="Wait in pending_approval for an admin's approval"
    )
    status: Literal["draft"] | None = Field(
        default=None,
        description="draft keeps it a draft. Without this or requestApproval the transfer is "
        "carried out at once, straight from source to destination (status completed).",
    )
    shipping: ShippingWrite | None = None


class LineQuantity(LotFields):
    """How much of one line was shipped or received, when not all of it; for batch- or
    serial-tracked items, which batches or serials (by default: those of the line)."""

    id: str = Field(description="The transfer line's id", examples=["xferitem_01jd..."])
    quantity_shipped: NonNegative | None = None
    quantity_received: NonNegative | None = None
    notes: Text | None = None


class StatusChange(ApiModel):
    status: Literal[
        "pending_approval", "approved", "rejected", "shipped", "received", "cancelled"
    ] = Field(examples=["shipped"])
    step: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")] | None = Field(
        default=None,
        examples=["warehouse_manager"],
        description="The sign-off's name in `approvals`; defaults to the new status",
    )
    notes: Text | None = Field(default=None, examples=["Items shipped via internal delivery"])
    shipping: ShippingWrite | None = None
    items: list[LineQuantity] | None = Field(
        default=None,
        description="Shipping: quantityShipped per line (default: as requested). Receiving: "
        "quantityReceived per line (default: as shipped); what is short is written off.",
    )
    reason: ReasonCode | None = Field(
        default=None,
        description="Receiving short: the adjustment reason the shortfall is written off "
        "with (default lost)",
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
        examples=[["shipped", "cancelled"]], description="Where the status PATCH may take it"
    )
    from_location_id: str
    from_location: LocationRef
    to_location_id: str
    to_location: LocationRef
    reference: str | None
    notes: str | None
    items: list[TransferLineRead]
    shipping: ShippingRead
    total_value: Number
    approvals: list[ApprovalRead]
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime


class TransferListQuery(ApiModel):
    status: TransferStatus | None = None
    from_location_id: str | None = None
    to_location_id: str | None = None
    location_id: str | None = Field(default=None, description="Either end")
    item_id: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None
