from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from stockkeeper.core.db import Base
from stockkeeper.core.ids import ID_LENGTH
from stockkeeper.core.types import UTCDateTime, utcnow


class Company(Base):
    """A tenant. Its settings live on the row: there is exactly one set per company."""

    __tablename__ = "company"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    timezone: Mapped[str] = mapped_column(String(64))
    allow_negative_stock: Mapped[bool] = mapped_column(Boolean, default=False)
    # off: stock is only ever counted, never received on purchase orders (smallbiz's
    # purchase_orders_enabled), and a product's quantity may be set directly
    purchase_orders_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    costing_method: Mapped[str] = mapped_column(String(16))
    # the past is closed on and before this day: no movement may be dated then
    lock_date: Mapped[date | None] = mapped_column(Date)
    numbering_formats: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ApiKey(Base):
    """An API key, stored as the SHA-256 digest of the token; the token itself is never kept.

    Looked up by digest alone (the token is what identifies the caller), so the digest is
    unique on its own: this small table is a reference table, not distributed by company.
    """

    __tablename__ = "api_key"
    __table_args__ = (Index("ix_api_key_company_id", "company_id"),)

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    company_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("company.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
