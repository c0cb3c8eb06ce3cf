"""Subscriptions and their deliveries as the API returns them."""

from __future__ import annotations

from dataclasses import dataclass

from stockkeeper.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from stockkeeper.webhooks.schemas import (
    AttemptRead,
    DeliveryRead,
    SecretRotated,
    WebhookCreated,
    WebhookRead,
)


@dataclass(frozen=True)
class DeliveryView:
    delivery: WebhookDelivery
    attempts: list[WebhookAttempt]


def webhook_read(subscription: WebhookSubscription) -> WebhookRead:
    return WebhookRead.model_validate(subscription)


def webhook_created(subscription: WebhookSubscription) -> WebhookCreated:
    """With the signing secret: shown only here and when it is rotated."""
    return WebhookCreated.model_validate(subscription)


def secret_rotated(subscription: WebhookSubscription) -> SecretRotated:
    assert subscription.previous_secret_expires_at is not None, "rotated: the old one expires"
    return SecretRotated(
        secret=subscription.secret,
        previous_secret_expires_at=subscription.previous_secret_expires_at,
    )


def delivery_read(view: DeliveryView) -> DeliveryRead:
    d = view.delivery
    return DeliveryRead(
        id=d.id,
        event_id=d.event_id,
        event=d.event,
        status=d.status,
        attempt_count=d.attempts,
        next_attempt_at=d.next_attempt_at,
        last_status_code=d.last_status_code,
        created_at=d.created_at,
        finished_at=d.finished_at,
        attempts=[AttemptRead.model_validate(a) for a in view.attempts],
    )
