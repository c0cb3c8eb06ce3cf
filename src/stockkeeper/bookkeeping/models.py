"""The journal entries kept when the books were closed (decision 26).

Journals are derived from the ledger by the costing replay and are never stored, except
these: when the company's lock date moves forward, every line up to it is kept as it then
stood, and the period is shown from here from then on. Like the ledger, kept lines are never
updated or deleted (the database refuses both)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, Index, Integer, String
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
