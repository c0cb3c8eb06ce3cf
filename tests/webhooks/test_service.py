"""The webhook use cases through the service layer alone (no HTTP), on both engines:
subscriptions for every event there is, refused targets, what only an alert rule may change,
redelivery, and the audit rows of each change."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.core import outbox
from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.errors import NotFound
from stockkeeper.core.ids import new_id
from stockkeeper.core.outbox import OutboxEvent
from stockkeeper.core.types import utcnow
from stockkeeper.tenancy.service import Actor
from stockkeeper.webhooks.errors import WebhookInactive, WebhookManagedByRule, WebhookUrlRefused
from stockkeeper.webhooks.models import WebhookDelivery
from stockkeeper.webhooks.service import subscriptions as service
from stockkeeper.webhooks.values import DeliveryFilters, WebhookContent
from tests.support import Tenant

URL = "https://example.com/hooks"
OPEN = True  # targets are not checked against DNS here (as in the rest of the suite)


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def _content(**fields: Any) -> WebhookContent:
    return WebhookContent.model_validate({"url": URL, "events": ["inventory.adjustment"], **fields})


def _actions(session: Session, actor: Actor, entity_id: str) -> list[str]:
    a = AuditEvent
    return list(
        session.scalars(
            select(a.action)
            .where(a.company_id == actor.company_id, a.entity_id == entity_id)
            .order_by(a.occurred_at, a.id)
        )
    )


def test_a_subscription_can_listen_for_every_event_there_is(session: Session, actor: Actor) -> None:
    announced_by_the_slices = {
        "inventory.level",
        "inventory.issue",
        "inventory.return",
        "inventory.reservation",
        "purchase_order.updated",
        "item.created",
        "item.updated",
        "item.deleted",
    }
    assert announced_by_the_slices <= set(outbox.EVENTS)
    every = [*reversed(outbox.EVENTS), "inventory.level"]
    hook = service.create_webhook(
        session, actor, webhook=_content(events=every), allow_private=OPEN
    )
    assert hook.events == sorted(outbox.EVENTS)  # once each
    assert hook.secret.startswith("whsec_") and hook.managed_by is None


def test_changes_are_audited_and_switching_on_clears_why_it_was_off(
    session: Session, actor: Actor
) -> None:
    hook = service.create_webhook(session, actor, webhook=_content(), allow_private=OPEN)
    hook.active, hook.disabled_reason = False, "the endpoint answered 410 Gone"
    changed = service.update_webhook(
        session,
        actor,
        webhook_id=hook.id,
        webhook=_content(url="https://example.com/v2", events=["inventory.transfer"]),
        allow_private=OPEN,
    )
    assert (changed.url, changed.events, changed.active, changed.disabled_reason) == (
        "https://example.com/v2",
        ["inventory.transfer"],
        True,
        None,
    )
    old_secret = hook.secret
    rotated = service.rotate_secret(session, actor, webhook_id=hook.id, grace=timedelta(hours=1))
    assert rotated.previous_secret == old_secret and rotated.secret != old_secret
    service.delete_webhook(session, actor, webhook_id=hook.id)
    with pytest.raises(NotFound) as gone:
        service.get_webhook(session, actor, webhook_id=hook.id)
    assert gone.value.code == "webhook_not_found"
    assert _actions(session, actor, hook.id) == [
        "webhook.created",
        "webhook.updated",
        "webhook.secret_rotated",
        "webhook.deleted",
    ]


@pytest.mark.parametrize(
    "url", ["ftp://example.com/x", "https://user@example.com/x", "https://example.com:99999/x"]
)
def test_a_target_is_an_http_url_without_credentials(url: str) -> None:
    with pytest.raises(ValidationError, match="must be an http or https URL"):
        _content(url=url)


@pytest.mark.parametrize("url", ["http://10.1.2.3/h", "http://localhost/h", "https://[::1]/h"])
def test_targets_off_the_public_internet_are_refused_naming_the_field(
    session: Session, actor: Actor, url: str
) -> None:
    with pytest.raises(WebhookUrlRefused) as refused:
        service.create_webhook(session, actor, webhook=_content(url=url), allow_private=False)
    assert refused.value.code == "webhook_url_refused"
    assert [e.field for e in refused.value.errors] == ["url"]
    with pytest.raises(WebhookUrlRefused) as for_a_rule:
        service.create_webhook(
            session,
            actor,
            webhook=_content(url=url),
            allow_private=False,
            managed_by="arl_x",
            url_field="notifications.webhook",
        )
    assert [e.field for e in for_a_rule.value.errors] == ["notifications.webhook"]


def test_a_subscription_an_alert_rule_owns_changes_with_the_rule_only(
    session: Session, actor: Actor
) -> None:
    owned = service.create_webhook(
        session, actor, webhook=_content(), allow_private=OPEN, managed_by="arl_1"
    )
    with pytest.raises(WebhookManagedByRule) as refused:
        service.update_webhook(
            session, actor, webhook_id=owned.id, webhook=_content(), allow_private=OPEN
        )
    assert refused.value.detail.startswith(f"webhook {owned.id} belongs to alert rule arl_1")
    with pytest.raises(WebhookManagedByRule):
        service.delete_webhook(session, actor, webhook_id=owned.id)
    service.delete_webhook(session, actor, webhook_id=owned.id, managed_by="arl_1")


def test_redelivery_keeps_the_event_and_refuses_a_switched_off_subscription(
    session: Session, actor: Actor
) -> None:
    hook = service.create_webhook(session, actor, webhook=_content(), allow_private=OPEN)
    event = OutboxEvent(
        company_id=actor.company_id,
        id=new_id("evt"),
        event="inventory.adjustment",
        message="{}",
        created_at=utcnow(),
        dispatched=True,
    )
    session.add(event)
    session.flush()
    row = service.delivery_row(actor.company_id, hook.id, event.id, event.event, utcnow())
    first = WebhookDelivery(**row | {"status": "failed", "next_attempt_at": None})
    session.add(first)
    session.flush()
    again = service.redeliver(session, actor, webhook_id=hook.id, delivery_id=first.id)
    assert (again.delivery.event_id, again.delivery.status) == (event.id, "pending")
    pending = service.list_deliveries(
        session,
        actor,
        webhook_id=hook.id,
        filters=DeliveryFilters(status="pending"),
        limit=10,
        cursor=None,
    )
    assert [view.delivery.id for view in pending.rows] == [again.delivery.id]
    with pytest.raises(NotFound) as unknown:
        service.redeliver(session, actor, webhook_id=hook.id, delivery_id="whd_missing")
    assert unknown.value.code == "webhook_delivery_not_found"
    hook.active = False
    with pytest.raises(WebhookInactive):
        service.redeliver(session, actor, webhook_id=hook.id, delivery_id=first.id)
    assert _actions(session, actor, hook.id) == ["webhook.created", "webhook.redelivered"]
