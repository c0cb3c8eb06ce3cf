"""What the webhook use cases refuse, one class per error code."""

from __future__ import annotations

from stockkeeper.core.errors import Conflict, Invalid, field_error


class WebhookUrlRefused(Invalid):
    """Not an http(s) URL, or (unless allowed) one whose host is not a public address."""

    code = "webhook_url_refused"
    example = "the webhook URL is refused: its host 'intranet' is not a public address"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(
            f"the webhook URL is refused: {reason}", errors=[field_error(field, reason)]
        )


class WebhookManagedByRule(Conflict):
    """A subscription an alert rule owns changes with the rule only."""

    code = "webhook_managed_by_rule"
    example = "webhook whk_01... belongs to alert rule arl_01...: change or delete the rule instead"

    def __init__(self, webhook_id: str, rule_id: str | None) -> None:
        super().__init__(
            f"webhook {webhook_id} belongs to alert rule {rule_id}: "
            "change or delete the rule instead"
        )


class WebhookInactive(Conflict):
    code = "webhook_inactive"
    example = "the subscription is switched off; switch it on (PUT active: true) to redeliver"

    def __init__(self) -> None:
        super().__init__(self.example)
