"""Stock adjustments and their lines."""

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


class StockAdjustment(Base):
    """An adjustment document. ``status`` follows the lifecycle in ``lifecycle.py``; the
    figures of its lines (unit cost, stock before and after) are known once it is posted."""

    __tablename__ = "stock_adjustment"
    __table_args__ = (
        UniqueConstraint("company_id", "adjustment_number"),
        ForeignKeyConstraint(["company_id", "location_id"], ["location.company_id", "location.id"]),
        ForeignKeyConstraint(
            ["company_id", "reason"], ["adjustment_reason.company_id", "adjustment_reason.code"]
        ),
        Index("ix_stock_adjustment_company_id_date", "company_id", "adjustment_date", "id"),
        Index(
            "ix_stock_adjustment_company_id_external_id", "company_id", "external_id", unique=True
        ),
    )

    company_id: Mapped[str] = company_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    adjustment_number: Mapped[str] = mapped_column(String(40))
    adjustment_date: Mapped[date] = mapped_column(Date)
    type: Mapped[str] = mapped_column(String(10))
    adjustment_type: Mapped[str] = mapped_column(String(10))  # quantity | value
    reason: Mapped[str] = mapped_column(String(40))
    reason_text: Mapped[str | None] = mapped_column(String(255))  # words filed under `other`
    status: Mapped[str] = mapped_column(String(20))
    location_id: Mapped[str] = mapped_column(_ID)
    reference: Mapped[str | None] = mapped_column(String(100))
    external_id: Mapped[str | None] = mapped_column(String(255))  # the client's own, unique
    notes: Mapped[str | None] = mapped_column(Text)
    custom_fields: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    total_value: Mapped[Decimal] = mapped_column(Amount)  # zero until posted
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by: Mapped[str | None] = mapped_column(String(100))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(100))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejected_by: Mapped[str | None] = mapped_column(String(100))
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    posted_by: Mapped[str | None] = mapped_column(String(100))
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reversed_by: Mapped[str | None] = mapped_column(String(100))
    reversed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class StockAdjustmentLine(Base):
    __tablename__ = "stock_adjustment_line"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "adjustment_id"], ["stock_adjustment.company_id", "stock_adjustment.id"]
        ),
        ForeignKeyConstraint(["company_id", "item_id"], ["item.company_id", "item.id"]),
        ForeignKeyConstraint(
            ["company_id", "variant_id"], ["item_variant.company_id", "item_variant.id"]
        ),
        ForeignKeyConstraint(["company_id", "location_id"], ["location.company_id", "location.id"]),
        ForeignKeyConstraint(["company_id", "bin_id"], ["bin.company_id", "bin.id"]),
        ForeignKeyConstraint(
            ["company_id", "reason"], ["adjustment_reason.company_id", "adjustment_reason.code"]
        ),
        Index("ix_stock_adjustment_line_company_id_adjustment_id", "company_id", "adjustment_id"),
        Index("ix_stock_adjustment_line_company_id_item_id", "company_id", "item_id"),
    )

    company_id: Mapped[str] = company_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    adjustment_id: Mapped[str] = mapped_column(_ID)
    position: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[str] = mapped_column(_ID)
    variant_id: Mapped[str | None] = mapped_column(_ID)
    location_id: Mapped[str] = mapped_column(_ID)  # its own, else the adjustment's
    bin_id: Mapped[str | None] = mapped_column(_ID)
    # the line's quantity over bins of its location, as given: [{bin_id, quantity}]
    bins: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    adjustment_quantity: Mapped[Decimal] = mapped_column(Amount)  # zero on value lines
    value_adjusted: Mapped[Decimal | None] = mapped_column(Amount)  # on value lines only
    # as requested while a draft (may be null), as booked once posted
    unit_cost: Mapped[Decimal | None] = mapped_column(Amount)
    total_cost: Mapped[Decimal | None] = mapped_column(Amount)
    current_stock: Mapped[Decimal | None] = mapped_column(Amount)
    adjusted_stock: Mapped[Decimal | None] = mapped_column(Amount)
    reason: Mapped[str] = mapped_column(String(40))
    reason_text: Mapped[str | None] = mapped_column(String(255))
    account_id: Mapped[str | None] = mapped_column(String(64))  # an account's id or code
    notes: Mapped[str | None] = mapped_column(Text)
    # batch-tracked items: [{batch_id, batch_number, ..., quantity, bins}]; serial-tracked: numbers
    batches: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    serial_numbers: Mapped[list[str] | None] = mapped_column(JSON)
