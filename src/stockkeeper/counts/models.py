"""Stock counts: a count of a location (or part of it), and its lines, each holding what the
ledger expected when the count was opened and what the clerks counted."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

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


class StockCount(Base):
    """A count document. ``opened_at`` is its ledger position: the expected quantities of its
    lines are the stock when it was opened, and movements written after it are the stock
    that moved during the count. ``scope`` is what it covers beside the location:
    ``category_ids``, ``bin_ids`` or ``item_ids`` (one of them at most), all of it if none."""

    __tablename__ = "stock_count"
    __table_args__ = (
        UniqueConstraint("company_id", "count_number"),
        ForeignKeyConstraint(["company_id", "location_id"], ["location.company_id", "location.id"]),
        Index("ix_stock_count_company_id_date", "company_id", "count_date", "id"),
    )

    company_id: Mapped[str] = company_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    count_number: Mapped[str] = mapped_column(String(40))
    count_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    location_id: Mapped[str] = mapped_column(_ID)
    scope: Mapped[dict[str, list[str]]] = mapped_column(JSON)
    blind: Mapped[bool] = mapped_column(Boolean, default=False)
    reference: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    adjustment_id: Mapped[str | None] = mapped_column(_ID)  # the posting's adjustment
    opened_by: Mapped[str] = mapped_column(String(100))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_by: Mapped[str | None] = mapped_column(String(100))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(100))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    posted_by: Mapped[str | None] = mapped_column(String(100))
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by: Mapped[str | None] = mapped_column(String(100))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class StockCountLine(Base):
    """One place an item's stock is counted in: item (and variant) x bin x batch x serial at
    the count's location, ``line_key`` joining them as a level's key does. A line of the
    snapshot has the quantity expected at opening; a line counted first has 0. ``counted``
    stays null until a clerk counts it (again, after a recount is asked for). ``variance``
    and ``unit_cost`` are set when the count is posted, as its adjustment booked them."""

    __tablename__ = "stock_count_line"
    __table_args__ = (
        UniqueConstraint("company_id", "count_id", "line_key"),
        ForeignKeyConstraint(
            ["company_id", "count_id"], ["stock_count.company_id", "stock_count.id"]
        ),
        ForeignKeyConstraint(["company_id", "item_id"], ["item.company_id", "item.id"]),
        ForeignKeyConstraint(
            ["company_id", "variant_id"], ["item_variant.company_id", "item_variant.id"]
        ),
        ForeignKeyConstraint(["company_id", "bin_id"], ["bin.company_id", "bin.id"]),
        Index("ix_stock_count_line_company_id_count_id", "company_id", "count_id", "position"),
    )

    company_id: Mapped[str] = company_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    count_id: Mapped[str] = mapped_column(_ID)
    position: Mapped[int] = mapped_column(Integer)
    line_key: Mapped[str] = mapped_column(String(400))
    item_id: Mapped[str] = mapped_column(_ID)
    variant_id: Mapped[str | None] = mapped_column(_ID)
    bin_id: Mapped[str | None] = mapped_column(_ID)
    batch_id: Mapped[str | None] = mapped_column(_ID)  # null for a batch first seen here
    batch_number: Mapped[str | None] = mapped_column(String(100))
    expiry_date: Mapped[date | None] = mapped_column(Date)  # of a batch first seen here
    serial_number: Mapped[str | None] = mapped_column(String(100))
    expected: Mapped[Decimal] = mapped_column(Amount)
    in_snapshot: Mapped[bool] = mapped_column(Boolean)
    counted: Mapped[Decimal | None] = mapped_column(Amount)
    counted_by: Mapped[str | None] = mapped_column(String(100))
    counted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recount: Mapped[bool] = mapped_column(Boolean, default=False)  # asked for, not yet done
    variance: Mapped[Decimal | None] = mapped_column(Amount)
    unit_cost: Mapped[Decimal | None] = mapped_column(Amount)
