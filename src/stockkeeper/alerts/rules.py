"""Alert rules: who is told of which alerts, how, and how often.

A rule with a webhook owns a subscription (webhooks/) that carries it, so its deliveries,
retries, secret rotation and redelivery are those of any webhook; the rule's alerts are
queued to it directly, not through the subscription's event list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.alerts.models import AlertRule
from stockkeeper.alerts.raising import THRESHOLDS
from stockkeeper.catalog.models import Category, Location
from stockkeeper.core.errors import Invalid, NotFound, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.stock.levels import PHYSICAL
from stockkeeper.tenancy.service import Actor
from stockkeeper.webhooks import service as webhooks
from stockkeeper.webhooks.models import WebhookSubscription


@dataclass(frozen=True)
class Saved:
    rule: AlertRule
    webhook_url: str | None
    webhook_secret: str | None = None  # when the request created the rule's webhook


def _events(rule_type: str) -> list[str]:
    return [f"inventory.{rule_type}", "inventory.alert.resolved"]


def _checked(session: Session, actor: Actor, values: dict[str, Any]) -> dict[str, Any]:
    """The rule's columns from a request body, after refusing what cannot work."""
    conditions, notifications = values["conditions"], values["notifications"]
    rule_type = values["type"]
    errors = []
    expected = THRESHOLDS[rule_type]
    if conditions.get("threshold") not in (None, expected):
        errors.append(
            field_error(
                "conditions.threshold",
                f"a {rule_type} rule watches {expected}, not {conditions['threshold']}",
            )
        )
    categories = conditions.get("categories") or []
    known = set(
        session.scalars(
            select(Category.id).where(
                Category.company_id == actor.company_id, Category.id.in_(categories)
            )
        )
    )
    errors += [
        field_error("conditions.categories", f"no category {c!r}", "unknown_reference")
        for c in categories
        if c not in known
    ]
    locations = conditions.get("locations") or []
    kinds = dict(
        session.execute(
            select(Location.id, Location.type).where(
                Location.company_id == actor.company_id, Location.id.in_(locations)
            )
        ).all()
    )
    for location_id in locations:
        if location_id not in kinds:
            errors.append(
                field_error(
                    "conditions.locations", f"no location {location_id!r}", "unknown_reference"
                )
            )
        elif kinds[location_id] not in PHYSICAL:
            errors.append(
                field_error(
                    "conditions.locations",
                    f"{location_id} is a {kinds[location_id]} location, not a warehouse or store",
                )
            )
    if not notifications.get("email") and not notifications.get("webhook"):
        errors.append(
            field_error(
                "notifications", "name who is told: an email address, a webhook URL or both"
            )
        )
    if errors:
        raise Invalid(
            "; ".join(e.message for e in errors), code="invalid_alert_rule", errors=errors
        )
    return {
        "name": values["name"],
        "type": rule_type,
        "categories": categories,
        "locations": locations,
        "threshold": expected,
        "emails": sorted(set(notifications.get("email") or [])),
        "frequency": notifications.get("frequency", "immediate"),
        "active": values.get("active", True),
    }


def _webhook_values(rule: AlertRule, url: str) -> dict[str, Any]:
    return {
        "url": url,
        "events": _events(rule.type),
        "description": f"Alert rule {rule.id}: {rule.name}"[:500],
        "active": True,
    }


def create(session: Session, actor: Actor, values: dict[str, Any], *, allow_private: bool) -> Saved:
    rule = AlertRule(company_id=actor.company_id, id=new_id("arl"))
    for name, value in _checked(session, actor, values).items():
        setattr(rule, name, value)
    session.add(rule)
    url = values["notifications"].get("webhook")
    secret = None
    if url:
        secret = _attach_webhook(session, actor, rule, url, allow_private).secret
    session.flush()
    return Saved(rule, url, secret)


def _attach_webhook(
    session: Session, actor: Actor, rule: AlertRule, url: str, allow_private: bool
) -> WebhookSubscription:
    subscription = webhooks.create(
        session,
        actor,
        _webhook_values(rule, url),
        allow_private=allow_private,
        field="notifications.webhook",
        managed_by=rule.id,
    )
    rule.webhook_id = subscription.id
    return subscription


def get(session: Session, actor: Actor, rule_id: str) -> AlertRule:
    found = session.get(AlertRule, (actor.company_id, rule_id))
    if found is None:
        raise NotFound("alert rule", rule_id)
    return found


def webhook_urls(session: Session, actor: Actor, rules: list[AlertRule]) -> dict[str, str]:
    """The webhook URL of each rule that has one, by rule id."""
    ids = {rule.webhook_id for rule in rules if rule.webhook_id}
    if not ids:
        return {}
    s = WebhookSubscription
    return {
        owner: url
        for owner, url in session.execute(
            select(s.managed_by, s.url).where(s.company_id == actor.company_id, s.id.in_(ids))
        )
        if owner
    }


def list_all(session: Session, actor: Actor) -> list[AlertRule]:
    return list(
        session.scalars(
            select(AlertRule)
            .where(AlertRule.company_id == actor.company_id)
            .order_by(AlertRule.created_at, AlertRule.id)
        )
    )


def replace(
    session: Session,
    actor: Actor,
    rule_id: str,
    values: dict[str, Any],
    *,
    allow_private: bool,
) -> Saved:
    """Replaces the rule; its webhook keeps its secret while it has a URL, and is removed
    with its deliveries when the URL is dropped."""
    rule = get(session, actor, rule_id)
    for name, value in _checked(session, actor, values).items():
        setattr(rule, name, value)
    url = values["notifications"].get("webhook")
    secret = None
    current = session.get(WebhookSubscription, (actor.company_id, rule.webhook_id or ""))
    if url and current is not None:
        webhooks.replace(
            session,
            actor,
            current.id,
            _webhook_values(rule, url),
            allow_private=allow_private,
            field="notifications.webhook",
            managed_by=rule.id,
        )
    elif url:
        secret = _attach_webhook(session, actor, rule, url, allow_private).secret
    elif current is not None:
        rule.webhook_id = None
        webhooks.delete(session, actor, current.id, managed_by=rule.id)
    session.flush()
    return Saved(rule, url, secret)


def delete(session: Session, actor: Actor, rule_id: str) -> None:
    """Removes the rule, its webhook, and the emails it still owed."""
    rule = get(session, actor, rule_id)
    if rule.webhook_id:
        webhooks.delete(session, actor, rule.webhook_id, managed_by=rule.id)
    session.delete(rule)
    session.flush()
