"""Alert rules, the alerts raised from the items' thresholds, and the notifications the
rules owe for them.

An alert is open from the moment its condition starts to hold until it stops. ``open_key``
(type, item, variant, location, batch) is set while it is open and cleared when it is
resolved: a unique key that lets only one alert be open per condition, however many
postings find it holding.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKeyConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stockkeeper.core.db import Base, company_key
from stockkeeper.core.ids import ID_LENGTH
from stockkeeper.core.types import Amount, UTCDateTime, utcnow

_ID = String(ID_LENGTH)


class AlertRule(Base):
    __tablename__ = "alert_rule"

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))
    categories: Mapped[list[str]] = mapped_column(JSON)  # empty: every category
    locations: Mapped[list[str]] = mapped_column(JSON)  # empty: every warehouse and store
    threshold: Mapped[str] = mapped_column(String(20))
    emails: Mapped[list[str]] = mapped_column(JSON)
    # the subscription (webhooks/) that carries the rule's webhook notifications
    webhook_id: Mapped[str | None] = mapped_column(_ID)
    frequency: Mapped[str] = mapped_column(String(20))  # immediate | hourly | daily
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Alert(Base):
    __tablename__ = "inventory_alert"
    __table_args__ = (
        UniqueConstraint("company_id", "open_key"),
        Index("ix_inventory_alert_company_id_raised_at", "company_id", "raised_at", "id"),
        Index("ix_inventory_alert_company_id_item_id", "company_id", "item_id", "location_id"),
    )

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    type: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[str] = mapped_column(_ID)
    variant_id: Mapped[str | None] = mapped_column(_ID)
    location_id: Mapped[str] = mapped_column(_ID)
    batch_id: Mapped[str | None] = mapped_column(_ID)  # expiry warnings
    expiry_date: Mapped[date | None] = mapped_column(Date)
    open_key: Mapped[str | None] = mapped_column(String(6 * ID_LENGTH))
    threshold: Mapped[str] = mapped_column(String(20))  # which of the item's thresholds
    threshold_quantity: Mapped[Decimal | None] = mapped_column(Amount)
    stock_at_raise: Mapped[Decimal] = mapped_column(Amount)
    stock_at_resolve: Mapped[Decimal | None] = mapped_column(Amount)
    status: Mapped[str] = mapped_column(String(20))  # open | acknowledged | resolved
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AlertNotification(Base):
    """An email a rule owes for an alert raised or resolved: sent at once for ``immediate``
    rules, gathered into the next digest for ``hourly`` and ``daily`` ones."""

    __tablename__ = "alert_notification"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "rule_id"],
            ["alert_rule.company_id", "alert_rule.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["company_id", "alert_id"], ["inventory_alert.company_id", "inventory_alert.id"]
        ),
        Index("ix_alert_notification_status_due_at", "status", "due_at"),
    )

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    rule_id: Mapped[str] = mapped_column(_ID)
    alert_id: Mapped[str] = mapped_column(_ID)
    change: Mapped[str] = mapped_column(String(20))  # raised | resolved
    alert: Mapped[str] = mapped_column(Text)  # as JSON, as the API showed it then
    status: Mapped[str] = mapped_column(String(20), default="pending")  # sent | failed
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # when to send: at once, or with the rule's next digest; later after a failed attempt
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
