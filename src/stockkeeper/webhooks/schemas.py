"""Webhook subscription and delivery bodies (camelCase, the envelope)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from stockkeeper.core.api_model import ApiModel
from stockkeeper.core.outbox import EventName
from stockkeeper.core.pagination import DEFAULT_LIMIT, MAX_LIMIT

Url = Annotated[str, StringConstraints(min_length=8, max_length=2000, strip_whitespace=True)]


class WebhookWrite(ApiModel):
    url: Url = Field(examples=["https://your-app.com/webhooks/inventory"])
    events: list[EventName] = Field(
        min_length=1, examples=[["inventory.low_stock", "inventory.adjustment"]]
    )
    description: Annotated[str, StringConstraints(max_length=500)] | None = None
    active: bool = True

    @field_validator("events")
    @classmethod
    def _once_each(cls, events: list[str]) -> list[str]:
        return sorted(set(events))


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
    status: Literal["pending", "succeeded", "failed"]
    attempt_count: int
    next_attempt_at: dt.datetime | None
    last_status_code: int | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    attempts: list[AttemptRead]


class DeliveryQuery(ApiModel):
    status: Literal["pending", "succeeded", "failed"] | None = None
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None
