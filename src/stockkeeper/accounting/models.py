"""The company's chart of accounts and its tax rates.

Keyed by ``(company_id, id)`` like every table; a code is unique in its company, and is
fixed once made, since items may refer to an account or a rate by its code."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stockkeeper.core.db import Base, company_key
from stockkeeper.core.ids import ID_LENGTH
from stockkeeper.core.types import UTCDateTime, utcnow

ACCOUNT_TYPES = ("asset", "liability", "equity", "income", "expense", "cost_of_sales")
APPLIES_TO = ("sales", "purchases", "both")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Account(Base):
    """An account of the chart: where an item's income, cost and stock value are booked."""

    __tablename__ = "account"
    __table_args__ = (
        UniqueConstraint("company_id", "code"),
        CheckConstraint(_one_of("type", ACCOUNT_TYPES), name="type"),
    )

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TaxRate(Base):
    """A tax rate: named components (``[{"name": ..., "rate": percent}]``) that add up to
    its effective rate."""

    __tablename__ = "tax_rate"
    __table_args__ = (
        UniqueConstraint("company_id", "code"),
        CheckConstraint(_one_of("applies_to", APPLIES_TO), name="applies_to"),
    )

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    components: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    applies_to: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def effective_rate(self) -> Decimal:
        return sum((Decimal(c["rate"]) for c in self.components), Decimal(0))


class AccountingDefaults(Base):
    """The company's default accounts and tax rates, each named as sent (an id or a code),
    as an item names its own: what applies where an item or its place names none."""

    __tablename__ = "accounting_defaults"

    company_id: Mapped[str] = company_key(cascade=True)
    inventory_account_id: Mapped[str | None] = mapped_column(String(64))
    cogs_account_id: Mapped[str | None] = mapped_column(String(64))
    sales_account_id: Mapped[str | None] = mapped_column(String(64))
    grni_account_id: Mapped[str | None] = mapped_column(String(64))
    adjustments_account_id: Mapped[str | None] = mapped_column(String(64))
    price_variance_account_id: Mapped[str | None] = mapped_column(String(64))
    transit_account_id: Mapped[str | None] = mapped_column(String(64))
    sales_tax_code: Mapped[str | None] = mapped_column(String(32))
    purchase_tax_code: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
