"""What the transfer use cases take: a new transfer, a change of its status, the filters of
the list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from stockkeeper.core.api_model import Day, Instant, NonNegative, Positive
from stockkeeper.core.text import code_text
from stockkeeper.core.values import ExternalId, ReasonCode, Reference, Text, Values
from stockkeeper.stock.values import LineLots

TransferStatus = Literal[
    "draft",
    "pending_approval",
    "approved",
    "rejected",
    "shipped",
    "completed",
    "cancelled",
]
# what a status change may ask for: a status, or ``received`` (which completes the transfer)
TargetStatus = Literal[
    "pending_approval", "approved", "rejected", "shipped", "received", "cancelled"
]
Short = Annotated[str, code_text(100, required=False)]  # a shipping method, a tracking number


class TransferLine(LineLots):
    item_id: str = Field(examples=["item_01jd..."])
    variant_id: str | None = None
    quantity: Positive = Field(examples=[25])
    from_bin_id: str | None = Field(default=None, description="A bin of the source location")
    to_bin_id: str | None = Field(default=None, description="A bin of the destination")
    notes: Text | None = None


class Shipping(Values):
    method: Short | None = Field(default=None, examples=["internal_delivery"])
    tracking_number: Short | None = Field(default=None, examples=["INT-002-2024"])
    shipped_at: Instant | None = Field(default=None, description="Defaults to now on shipping")
    estimated_delivery: Instant | None = None
    actual_delivery: Instant | None = Field(default=None, description="Defaults to now on receipt")


class TransferContent(Values):
    """A transfer's content: what a new one holds, and what an edit of a draft replaces."""

    date: Day | None = Field(default=None, description="Today in the company's time zone")
    from_location_id: str
    to_location_id: str
    reference: Reference | None = Field(default=None, examples=["RESTOCK-002"])
    notes: Text | None = None
    items: Sequence[TransferLine] = Field(min_length=1, max_length=1000)


class NewTransfer(TransferContent):
    request_approval: bool = Field(
        default=False, description="Wait in pending_approval for an admin's approval"
    )
    status: Literal["draft"] | None = Field(
        default=None,
        description="draft keeps it a draft. Without this or requestApproval the transfer is "
        "carried out at once, straight from source to destination (status completed).",
    )
    shipping: Shipping | None = None
    external_id: ExternalId | None = Field(
        default=None,
        examples=["POS-7-000123"],
        description="The client's own id of the transfer, unique per company: sent again "
        "(here or in a batch), the transfer already created is the answer",
    )


class LineQuantity(LineLots):
    """How much of one line was shipped or received, when not all of it; for batch- or
    serial-tracked items, which batches or serials (by default: those of the line)."""

    id: str = Field(description="The transfer line's id", examples=["xferitem_01jd..."])
    quantity_shipped: NonNegative | None = None
    quantity_received: NonNegative | None = None
    notes: Text | None = None


class StatusChange(Values):
    status: TargetStatus = Field(examples=["shipped"])
    step: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")] | None = Field(
        default=None,
        examples=["warehouse_manager"],
        description="The sign-off's name in `approvals`; defaults to the new status",
    )
    notes: Text | None = Field(default=None, examples=["Items shipped via internal delivery"])
    shipping: Shipping | None = None
    items: Sequence[LineQuantity] | None = Field(
        default=None,
        description="Shipping: quantityShipped per line (default: as requested). Receiving: "
        "quantityReceived per line (default: as shipped); what is short is written off.",
    )
    reason: ReasonCode | None = Field(
        default=None,
        description="Receiving short: the adjustment reason the shortfall is written off "
        "with (default lost)",
    )


class TransferFilters(Values):
    status: TransferStatus | None = None
    from_location_id: str | None = None
    to_location_id: str | None = None
    location_id: str | None = Field(default=None, description="Either end")
    item_id: str | None = None
    date_from: Day | None = None
    date_to: Day | None = None
    external_id: str | None = None
