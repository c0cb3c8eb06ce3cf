"""Alerts and alert rules as the API returns them (and an alert as its events carry it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from stockkeeper.alerts.models import Alert, AlertRule
from stockkeeper.alerts.schemas import (
    AlertRead,
    RuleConditions,
    RuleNotificationsRead,
    RuleRead,
    RuleSaved,
)
from stockkeeper.catalog.models import Item, Location
from stockkeeper.stock.models import Batch
from stockkeeper.stock.schemas import LocationRef


@dataclass(frozen=True)
class AlertView:
    """An alert with its item and location, and the stock on hand there now (of the batch,
    for an expiry warning)."""

    alert: Alert
    item: Item
    location: Location
    current: Decimal
    batch: Batch | None = None


@dataclass(frozen=True)
class RuleView:
    rule: AlertRule
    webhook_url: str | None
    webhook_secret: str | None = None  # when the request created the rule's webhook


def alert_read(view: AlertView) -> AlertRead:
    alert, item, location = view.alert, view.item, view.location
    return AlertRead(
        id=alert.id,
        type=alert.type,
        status=alert.status,
        item_id=item.id,
        item_code=item.item_code,
        item_name=item.name,
        variant_id=alert.variant_id,
        location_id=location.id,
        location=LocationRef(id=location.id, name=location.name),
        batch_id=alert.batch_id,
        batch_number=view.batch and view.batch.batch_number,
        external_batch_number=view.batch and view.batch.external_batch_number,
        manufacturer_date=view.batch and view.batch.manufacturer_date,
        expiry_date=alert.expiry_date,
        current_stock=alert.stock_at_resolve if alert.status == "resolved" else view.current,
        stock_at_raise=alert.stock_at_raise,
        threshold=alert.threshold,
        threshold_quantity=alert.threshold_quantity,
        auto_reorder=reorders(item),
        reorder_quantity=item.reorder_quantity,
        raised_at=alert.raised_at,
        acknowledged_at=alert.acknowledged_at,
        acknowledged_by=alert.acknowledged_by,
        resolved_at=alert.resolved_at,
    )


def reorders(item: Item) -> bool:
    """Whether the reorder run orders the item when it runs low (it says why not, else)."""
    return (
        item.reorder_point is not None
        and bool(item.reorder_quantity)
        and item.supplier_id is not None
    )


def rule_read(view: RuleView) -> RuleRead:
    rule = view.rule
    return RuleRead(
        id=rule.id,
        name=rule.name,
        type=rule.type,
        conditions=RuleConditions(
            categories=rule.categories, locations=rule.locations, threshold=rule.threshold
        ),
        notifications=RuleNotificationsRead(
            email=rule.emails,
            webhook=view.webhook_url,
            webhook_id=rule.webhook_id,
            frequency=rule.frequency,
        ),
        active=rule.active,
        created_at=rule.created_at,
        updated_at=rule.updated_at,
    )


def rule_saved(view: RuleView) -> RuleSaved:
    """The rule as a create or an update returns it: with its webhook's secret, when the
    request created the webhook."""
    return RuleSaved(**rule_read(view).__dict__, webhook_secret=view.webhook_secret)
