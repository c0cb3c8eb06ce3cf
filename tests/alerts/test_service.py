"""The alert use cases through the service layer alone (no HTTP), on both engines: rules that
cannot work refused with every reason in the domain's names, a rule's own webhook following
the rule, acknowledging alerts, and the audit rows of each change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.alerts.errors import InvalidAlertRule
from stockkeeper.alerts.service import alerts as service
from stockkeeper.alerts.service import rules
from stockkeeper.alerts.service.raising import STOCK_TYPES, Seen, reconcile
from stockkeeper.alerts.values import AlertFilters, RuleContent
from stockkeeper.alerts.views import alert_read
from stockkeeper.catalog.models import Item, Location
from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.errors import NotFound
from stockkeeper.stock.service.locations import virtual_locations
from stockkeeper.tenancy.service import Actor
from stockkeeper.webhooks.service import subscriptions as webhooks
from tests.factories import new_item, new_location
from tests.support import Tenant

OPEN = True  # webhook targets are not checked against DNS here (as in the rest of the suite)


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def _rule(**fields: Any) -> RuleContent:
    body = {"name": "Low", "type": "low_stock", "notifications": {"email": ["ops@example.com"]}}
    return RuleContent.model_validate(body | fields)


def _actions(session: Session, actor: Actor, entity_id: str) -> list[str]:
    a = AuditEvent
    return list(
        session.scalars(
            select(a.action)
            .where(a.company_id == actor.company_id, a.entity_id == entity_id)
            .order_by(a.occurred_at, a.id)
        )
    )


def test_a_rule_that_cannot_work_is_refused_with_every_reason(
    session: Session, actor: Actor
) -> None:
    loss = virtual_locations(session, actor.company_id)["loss"]
    conditions = {
        "threshold": "maximum_stock",
        "categories": ["cat_nowhere"],
        "locations": ["loc_nowhere", loss],
    }
    wrong = _rule(conditions=conditions, notifications={"frequency": "daily"})
    with pytest.raises(InvalidAlertRule) as refused:
        rules.create_rule(session, actor, rule=wrong, allow_private=OPEN)
    assert refused.value.code == "invalid_alert_rule"
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("conditions.threshold", "contradicts_type"),
        ("conditions.categories", "unknown_reference"),
        ("conditions.locations", "wrong_kind"),  # ids in order: the loss location's first
        ("conditions.locations", "unknown_reference"),
        ("notifications", "no_recipient"),
    ]
    assert refused.value.errors[0].message == (
        "a low_stock rule watches minimum_stock, not maximum_stock"
    )
    assert rules.list_rules(session, actor) == []


def test_a_rule_s_webhook_is_a_subscription_that_follows_the_rule(
    session: Session, actor: Actor
) -> None:
    hooked = _rule(notifications={"webhook": "https://example.com/a"})
    created = rules.create_rule(session, actor, rule=hooked, allow_private=OPEN)
    rule = created.rule
    assert created.webhook_secret and created.webhook_url == "https://example.com/a"
    assert rule.threshold == "minimum_stock" and rule.webhook_id
    hook = webhooks.get_webhook(session, actor, webhook_id=rule.webhook_id)
    assert (hook.managed_by, hook.events) == (
        rule.id,
        ["inventory.alert.resolved", "inventory.low_stock"],
    )
    moved = _rule(notifications={"webhook": "https://example.com/b"})
    updated = rules.update_rule(session, actor, rule_id=rule.id, rule=moved, allow_private=OPEN)
    assert updated.webhook_secret is None and hook.url == "https://example.com/b"
    assert rules.get_rule(session, actor, rule_id=rule.id).webhook_url == "https://example.com/b"
    rules.update_rule(session, actor, rule_id=rule.id, rule=_rule(), allow_private=OPEN)
    assert rule.webhook_id is None
    with pytest.raises(NotFound):
        webhooks.get_webhook(session, actor, webhook_id=hook.id)
    rules.delete_rule(session, actor, rule_id=rule.id)
    with pytest.raises(NotFound) as gone:
        rules.get_rule(session, actor, rule_id=rule.id)
    assert gone.value.code == "alert_rule_not_found"
    assert _actions(session, actor, rule.id) == [
        "alert_rule.created",
        "alert_rule.updated",
        "alert_rule.updated",
        "alert_rule.deleted",
    ]
    assert _actions(session, actor, hook.id) == [
        "webhook.created",
        "webhook.updated",
        "webhook.deleted",
    ]


def test_an_alert_is_acknowledged_once(session: Session, actor: Actor) -> None:
    item_id = new_item(session, actor, inventory={"minimum_stock": 5})
    item = session.get(Item, (actor.company_id, item_id))
    location = session.get(Location, (actor.company_id, new_location(session, actor)))
    assert item is not None and location is not None
    [change] = reconcile(
        session, actor.company_id, [Seen(item, None, location, Decimal(2))], STOCK_TYPES
    )
    alert_id = change.alert.id
    listed = service.list_alerts(
        session, actor, filters=AlertFilters(item_id=item_id), limit=10, cursor=None
    )
    assert [(v.alert.id, v.alert.type) for v in listed.rows] == [(alert_id, "low_stock")]
    seen = service.acknowledge_alert(session, actor, alert_id=alert_id)
    shown = alert_read(seen)
    assert (shown.status, shown.acknowledged_by) == ("acknowledged", actor.name)
    again = alert_read(service.acknowledge_alert(session, actor, alert_id=alert_id))
    assert again.acknowledged_at == shown.acknowledged_at
    assert _actions(session, actor, alert_id) == ["alert.acknowledged"]
    with pytest.raises(NotFound) as missing:
        service.get_alert(session, actor, alert_id="alt_missing")
    assert missing.value.code == "alert_not_found"
