"""The ledger: immutable movements between locations, and the stock levels projected from them.

A movement moves a quantity of one item (or variant) from one location to another, physical
or virtual. Stock levels (on hand, reserved and value per item x variant x location x bin x
batch x serial) are a projection of the movements, written only by ``ledger.py`` in the same
transaction; what is on order is kept beside them, for the stock reads. ``level_key`` joins
the nullable dimensions into one unique key, since NULLs would make a plain unique
constraint useless on SQLite.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKeyConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stockkeeper.core.db import Base, company_key
from stockkeeper.core.ids import ID_LENGTH
from stockkeeper.core.types import Amount, UTCDateTime, utcnow

_ID = String(ID_LENGTH)


class StockLevel(Base):
    __tablename__ = "stock_level"
    __table_args__ = (
        ForeignKeyConstraint(["company_id", "item_id"], ["item.company_id", "item.id"]),
        ForeignKeyConstraint(
            ["company_id", "variant_id"], ["item_variant.company_id", "item_variant.id"]
        ),
        ForeignKeyConstraint(["company_id", "location_id"], ["location.company_id", "location.id"]),
        ForeignKeyConstraint(["company_id", "bin_id"], ["bin.company_id", "bin.id"]),
        Index("ix_stock_level_company_id_item_id", "company_id", "item_id", "location_id"),
        Index("ix_stock_level_company_id_location_id", "company_id", "location_id", "item_id"),
        # an item's levels in key order (its page), not the company's read in key order
        Index("ix_stock_level_company_id_item_id_level_key", "company_id", "item_id", "level_key"),
    )

    company_id: Mapped[str] = company_key()
    level_key: Mapped[str] = mapped_column(String(6 * ID_LENGTH), primary_key=True)
    item_id: Mapped[str] = mapped_column(_ID)
    variant_id: Mapped[str | None] = mapped_column(_ID)
    location_id: Mapped[str] = mapped_column(_ID)
    bin_id: Mapped[str | None] = mapped_column(_ID)
    batch_id: Mapped[str | None] = mapped_column(_ID)
    serial_id: Mapped[str | None] = mapped_column(_ID)
    physical: Mapped[bool] = mapped_column(default=True)
    on_hand: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    reserved: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    # open purchase order quantities, on the base level (no bin, batch or serial) only
    on_order: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    value: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    last_movement_id: Mapped[str | None] = mapped_column(_ID)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Movement(Base):
    """One immutable ledger row; never updated or deleted (the database refuses both)."""

    __tablename__ = "stock_movement"
    __table_args__ = (
        ForeignKeyConstraint(["company_id", "item_id"], ["item.company_id", "item.id"]),
        ForeignKeyConstraint(
            ["company_id", "variant_id"], ["item_variant.company_id", "item_variant.id"]
        ),
        ForeignKeyConstraint(
            ["company_id", "from_location_id"], ["location.company_id", "location.id"]
        ),
        ForeignKeyConstraint(
            ["company_id", "to_location_id"], ["location.company_id", "location.id"]
        ),
        ForeignKeyConstraint(["company_id", "from_bin_id"], ["bin.company_id", "bin.id"]),
        ForeignKeyConstraint(["company_id", "to_bin_id"], ["bin.company_id", "bin.id"]),
        Index(
            "ix_stock_movement_company_id_item_id", "company_id", "item_id", "effective_date", "id"
        ),
        Index("ix_stock_movement_company_id_effective_date", "company_id", "effective_date", "id"),
        Index(
            "ix_stock_movement_company_id_from_location_id",
            "company_id",
            "from_location_id",
            "item_id",
        ),
        Index(
            "ix_stock_movement_company_id_to_location_id", "company_id", "to_location_id", "item_id"
        ),
        Index("ix_stock_movement_company_id_document_id", "company_id", "document_id"),
        Index("ix_stock_movement_company_id_reference", "company_id", "reference"),
        Index("ix_stock_movement_company_id_reversal_of", "company_id", "reversal_of"),
    )

    company_id: Mapped[str] = company_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    item_id: Mapped[str] = mapped_column(_ID)
    variant_id: Mapped[str | None] = mapped_column(_ID)
    from_location_id: Mapped[str] = mapped_column(_ID)
    to_location_id: Mapped[str] = mapped_column(_ID)
    from_bin_id: Mapped[str | None] = mapped_column(_ID)
    to_bin_id: Mapped[str | None] = mapped_column(_ID)
    batch_id: Mapped[str | None] = mapped_column(_ID)
    serial_id: Mapped[str | None] = mapped_column(_ID)
    quantity: Mapped[Decimal] = mapped_column(Amount)
    unit_cost: Mapped[Decimal] = mapped_column(Amount)
    value: Mapped[Decimal] = mapped_column(Amount)  # quantity x unit cost, as it was booked
    movement_type: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(40))
    reference: Mapped[str | None] = mapped_column(String(100))
    document_type: Mapped[str] = mapped_column(String(30))
    document_id: Mapped[str] = mapped_column(_ID)
    document_line_id: Mapped[str | None] = mapped_column(_ID)
    document_number: Mapped[str | None] = mapped_column(String(40))
    reversal_of: Mapped[str | None] = mapped_column(_ID)  # the movement a reversal undoes
    effective_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    created_by_key_id: Mapped[str | None] = mapped_column(_ID)


class StockReservation(Base):
    """Stock held for a reference (an order, say) at a location. While active, its remaining
    quantity counts in the ``reserved`` figure of the location's base level (no bin), or of
    its batch's or serial's level when it names one; it ends once, as fulfilled, released or
    expired."""

    __tablename__ = "stock_reservation"
    __table_args__ = (
        ForeignKeyConstraint(["company_id", "item_id"], ["item.company_id", "item.id"]),
        ForeignKeyConstraint(
            ["company_id", "variant_id"], ["item_variant.company_id", "item_variant.id"]
        ),
        ForeignKeyConstraint(["company_id", "location_id"], ["location.company_id", "location.id"]),
        Index("ix_stock_reservation_company_id_status", "company_id", "status", "expires_at"),
        Index("ix_stock_reservation_company_id_item_id", "company_id", "item_id", "location_id"),
        Index("ix_stock_reservation_company_id_reference", "company_id", "reference"),
    )

    company_id: Mapped[str] = company_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    item_id: Mapped[str] = mapped_column(_ID)
    variant_id: Mapped[str | None] = mapped_column(_ID)
    location_id: Mapped[str] = mapped_column(_ID)
    batch_id: Mapped[str | None] = mapped_column(_ID)
    serial_id: Mapped[str | None] = mapped_column(_ID)
    quantity: Mapped[Decimal] = mapped_column(Amount)
    quantity_fulfilled: Mapped[Decimal] = mapped_column(Amount)
    reference: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20))  # active | fulfilled | released | expired
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by: Mapped[str | None] = mapped_column(String(100))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def remaining(self) -> Decimal:
        return self.quantity - self.quantity_fulfilled


class Batch(Base):
    """A batch (lot) of a batch-tracked item; its stock is in the levels keyed by it."""

    __tablename__ = "batch"
    __table_args__ = (
        UniqueConstraint("company_id", "item_id", "batch_number"),
        ForeignKeyConstraint(["company_id", "item_id"], ["item.company_id", "item.id"]),
        Index("ix_batch_company_id_item_id_expiry", "company_id", "item_id", "expiry_date"),
    )

    company_id: Mapped[str] = company_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    item_id: Mapped[str] = mapped_column(_ID)
    batch_number: Mapped[str] = mapped_column(String(100))
    external_batch_number: Mapped[str | None] = mapped_column(String(100))
    manufacturer_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SerialNumber(Base):
    """One unit of a serial-tracked item; in stock at most once (its level holds 0 or 1)."""

    __tablename__ = "serial_number"
    __table_args__ = (
        UniqueConstraint("company_id", "item_id", "serial_number"),
        ForeignKeyConstraint(["company_id", "item_id"], ["item.company_id", "item.id"]),
    )

    company_id: Mapped[str] = company_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    item_id: Mapped[str] = mapped_column(_ID)
    serial_number: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
