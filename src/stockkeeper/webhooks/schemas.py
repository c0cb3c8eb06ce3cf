"""Webhook subscriptions and deliveries as the API shows them, and the bodies and queries
that change and list them: the service's values with the API's names."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from stockkeeper.core.api_model import ApiModel
from stockkeeper.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from stockkeeper.webhooks.values import DeliveryFilters, DeliveryStatus, WebhookContent


class WebhookWrite(WebhookContent, ApiModel):
    """A subscription: what a create sends, and what an update replaces."""


class WebhookRead(ApiModel):
    id: str
    url: str
    events: list[str]
    description: str | None
    active: bool
    disabled_reason: str | None = Field(
        description="Why the subscription was switched off, e.g. its endpoint answered 410 Gone"
    )
    managed_by: str | None = Field(
        description="The alert rule that owns this subscription (change it through the rule), "
        "or null"
    )
    previous_secret_expires_at: dt.datetime | None = Field(
        description="After a rotation: until when deliveries are also signed with the old secret"
    )
    created_at: dt.datetime
    updated_at: dt.datetime


class WebhookCreated(WebhookRead):
    secret: str = Field(
        description="The signing secret (Standard Webhooks, `whsec_...`); shown only here and "
        "when rotated"
    )


class SecretRotated(ApiModel):
    secret: str = Field(description="The new signing secret; shown only here")
    previous_secret_expires_at: dt.datetime = Field(
        description="Until then deliveries carry signatures by both secrets"
    )


class AttemptRead(ApiModel):
    attempted_at: dt.datetime
    status_code: int | None = Field(description="None when no answer came (the error says why)")
    error: str | None
    duration_ms: int


class DeliveryRead(ApiModel):
    id: str
    event_id: str = Field(description="The `webhook-id` header of every attempt")
    event: str
    status: DeliveryStatus
    attempt_count: int
    next_attempt_at: dt.datetime | None
    last_status_code: int | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    attempts: list[AttemptRead]


class DeliveryQuery(DeliveryFilters, ApiModel):
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None
