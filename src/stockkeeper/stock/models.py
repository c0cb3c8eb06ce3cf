"""Stock levels: on hand and reserved per item x variant x location x bin x batch x serial.

A materialised projection of the movement ledger, written only by the ledger in the same
transaction as the movements. ``level_key`` joins the nullable dimensions into one unique key,
since NULLs would make a plain unique constraint useless on SQLite.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from stockkeeper.core.db import Base
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
    )

    company_id: Mapped[str] = mapped_column(
        _ID, ForeignKey("company.id", ondelete="CASCADE"), primary_key=True
    )
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
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
