"""Stock transfers between the company's own locations, with their lines and approvals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from stockkeeper.core.db import Base, company_key
from stockkeeper.core.ids import ID_LENGTH
from stockkeeper.core.types import Amount, UTCDateTime, utcnow

_ID = String(ID_LENGTH)


class StockTransfer(Base):
    __tablename__ = "stock_transfer"
    __table_args__ = (
        UniqueConstraint("company_id", "transfer_number"),
        ForeignKeyConstraint(
            ["company_id", "from_location_id"], ["location.company_id", "location.id"]
        ),
        ForeignKeyConstraint(
            ["company_id", "to_location_id"], ["location.company_id", "location.id"]
        ),
        Index("ix_stock_transfer_company_id_date", "company_id", "transfer_date", "id"),
        Index("ix_stock_transfer_company_id_external_id", "company_id", "external_id", unique=True),
    )

    company_id: Mapped[str] = company_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    transfer_number: Mapped[str] = mapped_column(String(40))
    transfer_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    from_location_id: Mapped[str] = mapped_column(_ID)
    to_location_id: Mapped[str] = mapped_column(_ID)
    reference: Mapped[str | None] = mapped_column(String(100))
    external_id: Mapped[str | None] = mapped_column(String(255))  # the client's own, unique
    notes: Mapped[str | None] = mapped_column(Text)
    # method, trackingNumber, shippedAt, estimatedDelivery, actualDelivery
    shipping: Mapped[dict[str, Any]] = mapped_column(JSON)
    total_value: Mapped[Decimal] = mapped_column(Amount)  # of what was shipped
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class StockTransferLine(Base):
    __tablename__ = "stock_transfer_line"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "transfer_id"], ["stock_transfer.company_id", "stock_transfer.id"]
        ),
        ForeignKeyConstraint(["company_id", "item_id"], ["item.company_id", "item.id"]),
        ForeignKeyConstraint(
            ["company_id", "variant_id"], ["item_variant.company_id", "item_variant.id"]
        ),
        ForeignKeyConstraint(["company_id", "from_bin_id"], ["bin.company_id", "bin.id"]),
        ForeignKeyConstraint(["company_id", "to_bin_id"], ["bin.company_id", "bin.id"]),
        ForeignKeyConstraint(
            ["company_id", "write_off_reason"],
            ["adjustment_reason.company_id", "adjustment_reason.code"],
        ),
        Index("ix_stock_transfer_line_company_id_transfer_id", "company_id", "transfer_id"),
        Index("ix_stock_transfer_line_company_id_item_id", "company_id", "item_id"),
    )

    company_id: Mapped[str] = company_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    transfer_id: Mapped[str] = mapped_column(_ID)
    position: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[str] = mapped_column(_ID)
    variant_id: Mapped[str | None] = mapped_column(_ID)
    from_bin_id: Mapped[str | None] = mapped_column(_ID)
    to_bin_id: Mapped[str | None] = mapped_column(_ID)
    quantity_requested: Mapped[Decimal] = mapped_column(Amount)
    quantity_shipped: Mapped[Decimal | None] = mapped_column(Amount)
    quantity_received: Mapped[Decimal | None] = mapped_column(Amount)
    quantity_written_off: Mapped[Decimal | None] = mapped_column(Amount)
    write_off_reason: Mapped[str | None] = mapped_column(String(40))
    # batch-tracked items: [{batch_id, batch_number, ..., quantity}]; serial-tracked: numbers
    batches: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    serial_numbers: Mapped[list[str] | None] = mapped_column(JSON)
    unit_cost: Mapped[Decimal | None] = mapped_column(Amount)  # known once shipped
    total_cost: Mapped[Decimal | None] = mapped_column(Amount)
    notes: Mapped[str | None] = mapped_column(Text)


class TransferApproval(Base):
    """One sign-off on a transfer's way: who moved it to which status, when, with what notes."""

    __tablename__ = "stock_transfer_approval"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "transfer_id"], ["stock_transfer.company_id", "stock_transfer.id"]
        ),
        Index("ix_stock_transfer_approval_company_id_transfer_id", "company_id", "transfer_id"),
    )

    company_id: Mapped[str] = company_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    transfer_id: Mapped[str] = mapped_column(_ID)
    step: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    approved_by: Mapped[str] = mapped_column(String(100))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    notes: Mapped[str | None] = mapped_column(Text)
