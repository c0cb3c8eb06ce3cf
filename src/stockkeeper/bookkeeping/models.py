"""The journal entries kept when the books were closed (decision 26).

Journals are derived from the ledger by the costing replay and are never stored, except
these: when the company's lock date moves forward, every line up to it is kept as it then
stood, and the period is shown from here from then on. Like the ledger, kept lines are never
updated or deleted (the database refuses both).

Beside them, a cache: each item's lines of a settled month summed per day
(``JournalMonth``), valid while the item's cost revision is the one they were summed
under, as the costing snapshots are."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKeyConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from stockkeeper.core.db import Base, company_key
from stockkeeper.core.ids import ID_LENGTH
from stockkeeper.core.types import Amount, UTCDateTime, utcnow

_ID = String(ID_LENGTH)


class ClosedBooks(Base):
    """How far the company's journals are kept."""

    __tablename__ = "closed_books"

    company_id: Mapped[str] = company_key()
    kept_until: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    closed_by: Mapped[str] = mapped_column(String(100))


class KeptJournalLine(Base):
    __tablename__ = "kept_journal_line"
    __table_args__ = (Index("ix_kept_journal_line_company_id_day", "company_id", "day", "line"),)

    company_id: Mapped[str] = company_key()
    line: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(Date)
    entry_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(Amount)
    item_id: Mapped[str] = mapped_column(_ID)
    variant_id: Mapped[str | None] = mapped_column(_ID)
    location_id: Mapped[str] = mapped_column(_ID)
    movement_type: Mapped[str | None] = mapped_column(String(20))
    document_type: Mapped[str | None] = mapped_column(String(30))
    document_id: Mapped[str | None] = mapped_column(_ID)
    document_number: Mapped[str | None] = mapped_column(String(40))
    document_line_id: Mapped[str | None] = mapped_column(_ID)


class JournalMonth(Base):
    """One item's journal lines of one settled month, summed per day, role, location and
    what names the account (bookkeeping/service/month_totals.py). A cache, never a record."""

    __tablename__ = "journal_month"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "item_id"], ["item.company_id", "item.id"], ondelete="CASCADE"
        ),
        Index("ix_journal_month_company_id_item_id", "company_id", "item_id"),
    )

    # in this order: a month's journals read one method's month of all items
    company_id: Mapped[str] = company_key(cascade=True)
    method: Mapped[str] = mapped_column(String(10), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day
    item_id: Mapped[str] = mapped_column(_ID, primary_key=True)
    revision: Mapped[int]  # the item's cost revision the sums were taken under
    standard_cost: Mapped[Decimal] = mapped_column(Amount)  # and its standard cost
    totals: Mapped[str] = mapped_column(Text)  # month_totals.encode
