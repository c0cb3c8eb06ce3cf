"""What the webhook use cases take: a subscription's content, and the deliveries' filter."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from stockkeeper.core.outbox import EventName
from stockkeeper.core.text import free_text
from stockkeeper.core.values import Values

Url = Annotated[str, StringConstraints(min_length=8, max_length=2000, strip_whitespace=True)]
DeliveryStatus = Literal["pending", "succeeded", "failed"]


class WebhookContent(Values):
    """A subscription: where its deliveries go and which events it listens for; what an
    update replaces."""

    url: Url = Field(examples=["https://your-app.com/webhooks/inventory"])
    events: list[EventName] = Field(
        min_length=1, examples=[["inventory.low_stock", "inventory.adjustment"]]
    )
    description: Annotated[str, free_text(500)] | None = None
    active: bool = True

    @field_validator("events")
    @classmethod
    def _once_each(cls, events: list[str]) -> list[str]:
        return sorted(set(events))


class DeliveryFilters(Values):
    status: DeliveryStatus | None = None
