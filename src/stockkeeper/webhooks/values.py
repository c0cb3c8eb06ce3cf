"""What the webhook use cases take: a subscription's content, and the deliveries' filter."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from stockkeeper.core.outbox import EventName
from stockkeeper.core.schema_rules import Matches
from stockkeeper.core.text import free_text
from stockkeeper.core.values import Values


def _ipv6() -> str:
    """RFC 3986's IPv6address: what Python's URL parser takes in brackets, zones aside."""
    h16, octet = "[0-9A-Fa-f]{1,4}", "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
    ls32 = rf"(?:{h16}:{h16}|{octet}(?:\.{octet}){{3}})"
    forms = [rf"(?:{h16}:){{6}}{ls32}", rf"::(?:{h16}:){{5}}{ls32}"]
    for before, after, last in ((0, 4, ls32), (1, 3, ls32), (2, 2, ls32), (3, 1, ls32)):
        head = rf"(?:(?:{h16}:){{0,{before}}}{h16})?" if before else f"(?:{h16})?"
        forms.append(rf"{head}::(?:{h16}:){{{after}}}{last}")
    for before, last in ((4, ls32), (5, h16), (6, "")):
        forms.append(rf"(?:(?:{h16}:){{0,{before}}}{h16})?::{last}")
    return "|".join(f"(?:{form})" for form in forms)


_PORT = "6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}"
_HOST = rf"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[(?:{_ipv6()})\]"
# http or https, a host (a name, an IPv4 address, or an IPv6 one in brackets), no user or
# password, a port that is one; RFC 3986's characters after it
URL_PATTERN = (
    rf"^https?://(?:{_HOST})(?::(?:{_PORT}))?(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*)?$"
)
Url = Annotated[
    str,
    StringConstraints(min_length=8, max_length=2000),
    Matches(
        URL_PATTERN,
        "not_an_http_url",
        "must be an http or https URL with a host, no user or password, and a valid port",
    ),
]
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
