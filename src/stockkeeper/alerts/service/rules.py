"""Alert rules: who is told of which alerts, how, and how often.

A rule with a webhook owns a subscription (webhooks/) that carries it, so its deliveries,
retries, secret rotation and redelivery are those of any webhook; the rule's alerts are
queued to it directly, not through the subscription's event list.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.alerts.errors import InvalidAlertRule
from stockkeeper.alerts.models import AlertRule
from stockkeeper.alerts.service.raising import THRESHOLDS
from stockkeeper.alerts.values import Conditions, RuleContent
from stockkeeper.alerts.views import RuleView
from stockkeeper.catalog.models import Category, Location
from stockkeeper.core import audit
from stockkeeper.core.errors import FieldError, NotFound, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.stock.service.levels import PHYSICAL
from stockkeeper.tenancy.service import Actor
from stockkeeper.webhooks.models import WebhookSubscription
from stockkeeper.webhooks.service import subscriptions as webhooks
from stockkeeper.webhooks.values import WebhookContent

_URL_FIELD = "notifications.webhook"
_LOCATIONS = "conditions.locations"


def create_rule(
    session: Session, actor: Actor, *, rule: RuleContent, allow_private: bool
) -> RuleView:
    row = AlertRule(company_id=actor.company_id, id=new_id("arl"))
    _fill(session, actor, row, rule)
    session.add(row)
    url, secret = rule.notifications.webhook, None
    if url:
        secret = _attach_webhook(session, actor, row, url, allow_private).secret
    _record(session, actor, "created", row)
    session.flush()
    return RuleView(row, url, secret)


def list_rules(session: Session, actor: Actor) -> list[RuleView]:
    r = AlertRule
    rules = list(
        session.scalars(
            select(r).where(r.company_id == actor.company_id).order_by(r.created_at, r.id)
        )
    )
    urls = _webhook_urls(session, actor, rules)
    return [RuleView(rule, urls.get(rule.id)) for rule in rules]


def get_rule(session: Session, actor: Actor, *, rule_id: str) -> RuleView:
    rule = _rule(session, actor, rule_id)
    return RuleView(rule, _webhook_urls(session, actor, [rule]).get(rule.id))


def update_rule(
    session: Session, actor: Actor, *, rule_id: str, rule: RuleContent, allow_private: bool
) -> RuleView:
    """Replaces the rule; its webhook keeps its secret while it has a URL, and is removed
    with its deliveries when the URL is dropped."""
    row = _rule(session, actor, rule_id)
    _fill(session, actor, row, rule)
    url, secret = rule.notifications.webhook, None
    current = session.get(WebhookSubscription, (actor.company_id, row.webhook_id or ""))
    if url and current is not None:
        webhooks.update_webhook(
            session,
            actor,
            webhook_id=current.id,
            webhook=_webhook(row, url),
            allow_private=allow_private,
            managed_by=row.id,
            url_field=_URL_FIELD,
        )
    elif url:
        secret = _attach_webhook(session, actor, row, url, allow_private).secret
    elif current is not None:
        row.webhook_id = None
        webhooks.delete_webhook(session, actor, webhook_id=current.id, managed_by=row.id)
    _record(session, actor, "updated", row)
    session.flush()
    return RuleView(row, url, secret)


def delete_rule(session: Session, actor: Actor, *, rule_id: str) -> None:
    """Removes the rule, its webhook, and the emails it still owed."""
    rule = _rule(session, actor, rule_id)
    if rule.webhook_id:
        webhooks.delete_webhook(session, actor, webhook_id=rule.webhook_id, managed_by=rule.id)
    session.delete(rule)
    _record(session, actor, "deleted", rule)
    session.flush()


def _rule(session: Session, actor: Actor, rule_id: str) -> AlertRule:
    found = session.get(AlertRule, (actor.company_id, rule_id))
    if found is None:
        raise NotFound("alert rule", rule_id)
    return found


def _record(session: Session, actor: Actor, done: str, rule: AlertRule) -> None:
    audit.record(
        session,
        actor,
        f"alert_rule.{done}",
        "alert_rule",
        rule.id,
        name=rule.name,
        type=rule.type,
        active=rule.active,
    )


def _webhook_urls(session: Session, actor: Actor, rules: list[AlertRule]) -> dict[str, str]:
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


# --- the rule's content, and its webhook ------------------------------------------------------


def _fill(session: Session, actor: Actor, row: AlertRule, rule: RuleContent) -> None:
    """Writes the rule's content into its row, after refusing what cannot work."""
    conditions, notifications = rule.conditions, rule.notifications
    errors = [
        *_threshold_errors(rule),
        *_category_errors(session, actor, conditions),
        *_location_errors(session, actor, conditions),
    ]
    if not notifications.email and not notifications.webhook:
        errors.append(
            field_error(
                "notifications",
                "name who is told: an email address, a webhook URL or both",
                "no_recipient",
            )
        )
    if errors:
        raise InvalidAlertRule(errors)
    row.name, row.type, row.active = rule.name, rule.type, rule.active
    row.categories, row.locations = conditions.categories, conditions.locations
    row.threshold = THRESHOLDS[rule.type]
    row.emails = sorted(set(notifications.email))
    row.frequency = notifications.frequency


def _threshold_errors(rule: RuleContent) -> list[FieldError]:
    expected, given = THRESHOLDS[rule.type], rule.conditions.threshold
    if given in (None, expected):
        return []
    message = f"a {rule.type} rule watches {expected}, not {given}"
    return [field_error("conditions.threshold", message, "contradicts_type")]


def _category_errors(session: Session, actor: Actor, conditions: Conditions) -> list[FieldError]:
    c = Category
    known = set(
        session.scalars(
            select(c.id).where(c.company_id == actor.company_id, c.id.in_(conditions.categories))
        )
    )
    return [
        field_error("conditions.categories", f"no category {ident!r}", "unknown_reference")
        for ident in conditions.categories
        if ident not in known
    ]


def _location_errors(session: Session, actor: Actor, conditions: Conditions) -> list[FieldError]:
    """Every location named must be the company's warehouse or store."""
    loc = Location
    kinds = dict(
        session.execute(
            select(loc.id, loc.type).where(
                loc.company_id == actor.company_id, loc.id.in_(conditions.locations)
            )
        ).all()
    )
    errors = []
    for ident in conditions.locations:
        if ident not in kinds:
            errors.append(field_error(_LOCATIONS, f"no location {ident!r}", "unknown_reference"))
        elif kinds[ident] not in PHYSICAL:
            message = f"{ident} is a {kinds[ident]} location, not a warehouse or store"
            errors.append(field_error(_LOCATIONS, message, "wrong_kind"))
    return errors


def _webhook(rule: AlertRule, url: str) -> WebhookContent:
    """The content of the subscription that carries the rule's webhooks."""
    content: dict[str, Any] = {
        "url": url,
        "events": [f"inventory.{rule.type}", "inventory.alert.resolved"],
        "description": f"Alert rule {rule.id}: {rule.name}"[:500],
    }
    return WebhookContent.model_validate(content)


def _attach_webhook(
    session: Session, actor: Actor, rule: AlertRule, url: str, allow_private: bool
) -> WebhookSubscription:
    subscription = webhooks.create_webhook(
        session,
        actor,
        webhook=_webhook(rule, url),
        allow_private=allow_private,
        managed_by=rule.id,
        url_field=_URL_FIELD,
    )
    rule.webhook_id = subscription.id
    return subscription
