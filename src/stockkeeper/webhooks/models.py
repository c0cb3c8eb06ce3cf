"""Webhook subscriptions, the deliveries queued for them from the outbox, and each attempt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKeyConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from stockkeeper.core.db import Base, company_key
from stockkeeper.core.ids import ID_LENGTH
from stockkeeper.core.types import UTCDateTime, utcnow

_ID = String(ID_LENGTH)


class WebhookSubscription(Base):
    __tablename__ = "webhook_subscription"

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    events: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(default=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    secret: Mapped[str] = mapped_column(String(100))
    # the alert rule that owns the subscription: its alerts are queued to it directly
    managed_by: Mapped[str | None] = mapped_column(_ID)
    # after a rotation, deliveries are signed with both secrets until this time
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class WebhookDelivery(Base):
    """One event for one subscription: pending until an attempt succeeds or the retries run
    out. Its ``event_id`` is the ``webhook-id`` of every attempt."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "subscription_id"],
            ["webhook_subscription.company_id", "webhook_subscription.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["company_id", "event_id"], ["outbox_event.company_id", "outbox_event.id"]
        ),
        Index("ix_webhook_delivery_status_next_attempt_at", "status", "next_attempt_at"),
        Index(
            "ix_webhook_delivery_company_id_subscription_id",
            "company_id",
            "subscription_id",
            "created_at",
            "id",
        ),
    )

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    subscription_id: Mapped[str] = mapped_column(_ID)
    event_id: Mapped[str] = mapped_column(_ID)
    event: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default="pending")  # succeeded, failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebhookAttempt(Base):
    __tablename__ = "webhook_attempt"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "delivery_id"],
            ["webhook_delivery.company_id", "webhook_delivery.id"],
            ondelete="CASCADE",
        ),
        Index("ix_webhook_attempt_company_id_delivery_id", "company_id", "delivery_id"),
    )

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    delivery_id: Mapped[str] = mapped_column(_ID)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(String(500))
    duration_ms: Mapped[int]


def listens(subscription: WebhookSubscription, event: str) -> bool:
    return subscription.active and subscription.managed_by is None and event in subscription.events
