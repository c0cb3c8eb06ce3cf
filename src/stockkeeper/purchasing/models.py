"""Purchase orders from suppliers, their lines, and the receipts and returns against them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
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


class PurchaseOrder(Base):
    """An order to a supplier, received into one location. Deleting one only marks it
    (``deleted_at``): its number stays taken and its movements keep pointing at it."""

    __tablename__ = "purchase_order"
    __table_args__ = (
        UniqueConstraint("company_id", "order_number"),
        ForeignKeyConstraint(["company_id", "supplier_id"], ["supplier.company_id", "supplier.id"]),
        ForeignKeyConstraint(["company_id", "location_id"], ["location.company_id", "location.id"]),
        Index("ix_purchase_order_company_id_order_date", "company_id", "order_date", "id"),
        Index("ix_purchase_order_company_id_supplier_id", "company_id", "supplier_id", "id"),
    )

    company_id: Mapped[str] = company_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    order_number: Mapped[str] = mapped_column(String(40))
    supplier_id: Mapped[str] = mapped_column(_ID)
    location_id: Mapped[str] = mapped_column(_ID)
    status: Mapped[str] = mapped_column(String(20))
    staff_id: Mapped[str | None] = mapped_column(_ID)
    staff_name: Mapped[str] = mapped_column(String(100))
    order_date: Mapped[date] = mapped_column(Date)
    expected_date: Mapped[date | None] = mapped_column(Date)
    received_date: Mapped[date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    exchange_rate: Mapped[Decimal] = mapped_column(Amount)  # company currency per unit
    notes: Mapped[str | None] = mapped_column(Text)
    packing_slip_number: Mapped[str | None] = mapped_column(String(100))
    packing_slip_file: Mapped[str | None] = mapped_column(String(200))
    packing_slip_type: Mapped[str | None] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_line"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "order_id"], ["purchase_order.company_id", "purchase_order.id"]
        ),
        ForeignKeyConstraint(["company_id", "item_id"], ["item.company_id", "item.id"]),
        ForeignKeyConstraint(
            ["company_id", "variant_id"], ["item_variant.company_id", "item_variant.id"]
        ),
        Index("ix_purchase_order_line_company_id_order_id", "company_id", "order_id"),
        Index("ix_purchase_order_line_company_id_item_id", "company_id", "item_id"),
    )

    company_id: Mapped[str] = company_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    order_id: Mapped[str] = mapped_column(_ID)
    position: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[str] = mapped_column(_ID)
    variant_id: Mapped[str | None] = mapped_column(_ID)
    supplier_item_code: Mapped[str | None] = mapped_column(String(64))
    quantity: Mapped[Decimal] = mapped_column(Amount)
    unit_cost: Mapped[Decimal] = mapped_column(Amount)  # in the order's currency
    tolerance_percent: Mapped[Decimal] = mapped_column(Amount)  # over-receipt allowed
    quantity_received: Mapped[Decimal] = mapped_column(Amount)
    quantity_returned: Mapped[Decimal] = mapped_column(Amount)
    description: Mapped[str] = mapped_column(Text)  # what is bought, as the supplier reads it
    notes: Mapped[str | None] = mapped_column(Text)
    # whether what is open on the line counts as on order: its item's stock was tracked when
    # the line was written. Kept, so that an item whose type changes while the order is open
    # takes off what it put on and no more (its movements follow the item as it then stands)
    stocked: Mapped[bool] = mapped_column(Boolean)


class PurchaseReceipt(Base):
    """Goods in against an order (``kind`` receipt) or back to the supplier (``return``)."""

    __tablename__ = "purchase_receipt"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "order_id"], ["purchase_order.company_id", "purchase_order.id"]
        ),
        Index("ix_purchase_receipt_company_id_order_id", "company_id", "order_id"),
    )

    company_id: Mapped[str] = company_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    order_id: Mapped[str] = mapped_column(_ID)
    kind: Mapped[str] = mapped_column(String(10))
    receipt_date: Mapped[date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PurchaseReceiptLine(Base):
    __tablename__ = "purchase_receipt_line"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "receipt_id"], ["purchase_receipt.company_id", "purchase_receipt.id"]
        ),
        ForeignKeyConstraint(
            ["company_id", "order_line_id"],
            ["purchase_order_line.company_id", "purchase_order_line.id"],
        ),
        ForeignKeyConstraint(["company_id", "bin_id"], ["bin.company_id", "bin.id"]),
        Index("ix_purchase_receipt_line_company_id_receipt_id", "company_id", "receipt_id"),
    )

    company_id: Mapped[str] = company_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    receipt_id: Mapped[str] = mapped_column(_ID)
    position: Mapped[int] = mapped_column(Integer)
    order_line_id: Mapped[str] = mapped_column(_ID)
    item_id: Mapped[str] = mapped_column(_ID)
    quantity: Mapped[Decimal] = mapped_column(Amount)
    unit_cost: Mapped[Decimal] = mapped_column(Amount)  # in the company's currency
    total_cost: Mapped[Decimal] = mapped_column(Amount)
    bin_id: Mapped[str | None] = mapped_column(_ID)
    batches: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    serial_numbers: Mapped[list[str] | None] = mapped_column(JSON)
