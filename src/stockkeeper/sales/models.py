"""Goods out to customers and back: sales issues and customer returns, one table for both.
Reservations live with the stock levels they hold (``stock.models.StockReservation``)."""

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


class SalesDocument(Base):
    __tablename__ = "sales_document"
    __table_args__ = (
        UniqueConstraint("company_id", "kind", "document_number"),
        ForeignKeyConstraint(["company_id", "location_id"], ["location.company_id", "location.id"]),
        ForeignKeyConstraint(
            ["company_id", "issue_id"], ["sales_document.company_id", "sales_document.id"]
        ),
        Index(
            "ix_sales_document_company_id_kind_date", "company_id", "kind", "document_date", "id"
        ),
        Index("ix_sales_document_company_id_reference", "company_id", "reference"),
        Index(
            "ix_sales_document_company_id_kind_external_id",
            "company_id",
            "kind",
            "external_id",
            unique=True,
        ),
    )

    company_id: Mapped[str] = company_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # issue | return
    document_number: Mapped[str] = mapped_column(String(40))
    document_date: Mapped[date] = mapped_column(Date)
    location_id: Mapped[str] = mapped_column(_ID)
    issue_id: Mapped[str | None] = mapped_column(_ID)  # the issue a return brings back
    reference: Mapped[str | None] = mapped_column(String(100))
    external_id: Mapped[str | None] = mapped_column(String(255))  # unique per kind
    customer: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    total_value: Mapped[Decimal] = mapped_column(Amount)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SalesDocumentLine(Base):
    __tablename__ = "sales_document_line"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "document_id"], ["sales_document.company_id", "sales_document.id"]
        ),
        ForeignKeyConstraint(["company_id", "item_id"], ["item.company_id", "item.id"]),
        ForeignKeyConstraint(
            ["company_id", "variant_id"], ["item_variant.company_id", "item_variant.id"]
        ),
        ForeignKeyConstraint(["company_id", "location_id"], ["location.company_id", "location.id"]),
        ForeignKeyConstraint(["company_id", "bin_id"], ["bin.company_id", "bin.id"]),
        Index("ix_sales_document_line_company_id_document_id", "company_id", "document_id"),
        Index("ix_sales_document_line_company_id_item_id", "company_id", "item_id"),
    )

    company_id: Mapped[str] = company_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    document_id: Mapped[str] = mapped_column(_ID)
    position: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[str] = mapped_column(_ID)
    variant_id: Mapped[str | None] = mapped_column(_ID)
    location_id: Mapped[str] = mapped_column(_ID)
    bin_id: Mapped[str | None] = mapped_column(_ID)
    quantity: Mapped[Decimal] = mapped_column(Amount)
    unit_cost: Mapped[Decimal] = mapped_column(Amount)
    total_cost: Mapped[Decimal] = mapped_column(Amount)
    notes: Mapped[str | None] = mapped_column(Text)
    # batch-tracked items: [{batch_id, batch_number, ..., quantity}]; serial-tracked: numbers
    batches: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    serial_numbers: Mapped[list[str] | None] = mapped_column(JSON)
