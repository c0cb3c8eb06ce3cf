"""Webhook subscriptions: register, change, rotate the signing secret, remove; and the
deliveries made for them, each with its attempts, sent again on request.

A subscription an alert rule owns (``managed_by``) changes through the rule only: the rule's
use cases pass its id, and name the field of the rule its URL came from."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exists, select, tuple_
from sqlalchemy.orm import Session

from stockkeeper.core import audit, outbox
from stockkeeper.core.errors import NotFound
from stockkeeper.core.ids import new_id
from stockkeeper.core.outbox import OutboxEvent
from stockkeeper.core.pagination import Keyset, Listed, instant, keyset_page, resume
from stockkeeper.core.types import utcnow
from stockkeeper.tenancy.service import Actor
from stockkeeper.webhooks.errors import WebhookInactive, WebhookManagedByRule, WebhookUrlRefused
from stockkeeper.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from stockkeeper.webhooks.service import targets
from stockkeeper.webhooks.values import DeliveryFilters, WebhookContent
from stockkeeper.webhooks.views import DeliveryView


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _checked_url(url: str, allow_private: bool, field: str) -> str:
    try:
        targets.check(url, allow_private=allow_private)
    except targets.Refused as refused:
        raise WebhookUrlRefused(field, str(refused)) from refused
    return url


# --- subscriptions ----------------------------------------------------------------------------


def create_webhook(
    session: Session,
    actor: Actor,
    *,
    webhook: WebhookContent,
    allow_private: bool,
    managed_by: str | None = None,
    url_field: str = "url",
) -> WebhookSubscription:
    """A subscription, with a new signing secret."""
    subscription = WebhookSubscription(
        company_id=actor.company_id,
        id=new_id("whk"),
        url=_checked_url(webhook.url, allow_private, url_field),
        events=list(webhook.events),
        description=webhook.description,
        active=webhook.active,
        secret=new_secret(),
        managed_by=managed_by,
    )
    session.add(subscription)
    _record(session, actor, "created", subscription)
    session.flush()
    return subscription


def list_webhooks(session: Session, actor: Actor) -> list[WebhookSubscription]:
    s = WebhookSubscription
    return list(
        session.scalars(
            select(s).where(s.company_id == actor.company_id).order_by(s.created_at, s.id)
        )
    )


def get_webhook(session: Session, actor: Actor, *, webhook_id: str) -> WebhookSubscription:
    found = session.get(WebhookSubscription, (actor.company_id, webhook_id))
    if found is None:
        raise NotFound("webhook", webhook_id)
    return found


def update_webhook(
    session: Session,
    actor: Actor,
    *,
    webhook_id: str,
    webhook: WebhookContent,
    allow_private: bool,
    managed_by: str | None = None,
    url_field: str = "url",
) -> WebhookSubscription:
    """Replaces URL, events, description and active; switching a subscription on again
    clears why it was switched off."""
    subscription = _owned(session, actor, webhook_id, managed_by)
    subscription.url = _checked_url(webhook.url, allow_private, url_field)
    subscription.events = list(webhook.events)
    subscription.description = webhook.description
    subscription.active = webhook.active
    if subscription.active:
        subscription.disabled_reason = None
    _record(session, actor, "updated", subscription, active=subscription.active)
    session.flush()
    return subscription


def delete_webhook(
    session: Session, actor: Actor, *, webhook_id: str, managed_by: str | None = None
) -> None:
    """Removes the subscription with its deliveries."""
    subscription = _owned(session, actor, webhook_id, managed_by)
    session.delete(subscription)
    _record(session, actor, "deleted", subscription)
    session.flush()


def rotate_secret(
    session: Session, actor: Actor, *, webhook_id: str, grace: timedelta
) -> WebhookSubscription:
    """A new secret; the old one keeps signing too until the grace period ends."""
    subscription = get_webhook(session, actor, webhook_id=webhook_id)
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_expires_at = utcnow() + grace
    subscription.secret = new_secret()
    audit.record(session, actor, "webhook.secret_rotated", "webhook", subscription.id)
    session.flush()
    return subscription


def signing_secrets(subscription: WebhookSubscription, now: datetime) -> list[str]:
    found = [subscription.secret]
    expires = subscription.previous_secret_expires_at
    if subscription.previous_secret and expires is not None and expires > now:
        found.append(subscription.previous_secret)
    return found


def _owned(
    session: Session, actor: Actor, webhook_id: str, managed_by: str | None
) -> WebhookSubscription:
    """The subscription, to be changed by its owner only: the API for its own, the alert
    rule for one a rule owns."""
    subscription = get_webhook(session, actor, webhook_id=webhook_id)
    if subscription.managed_by != managed_by:
        raise WebhookManagedByRule(webhook_id, subscription.managed_by)
    return subscription


def _record(
    session: Session, actor: Actor, done: str, subscription: WebhookSubscription, **details: Any
) -> None:
    audit.record(
        session,
        actor,
        f"webhook.{done}",
        "webhook",
        subscription.id,
        url=subscription.url,
        events=subscription.events,
        managed_by=subscription.managed_by,
        **details,
    )


# --- deliveries -------------------------------------------------------------------------------


def list_deliveries(
    session: Session,
    actor: Actor,
    *,
    webhook_id: str,
    filters: DeliveryFilters,
    limit: int,
    cursor: str | None,
) -> Listed[DeliveryView]:
    """Newest first, each with every attempt made."""
    get_webhook(session, actor, webhook_id=webhook_id)
    listing = resume("webhook_delivery", filters, cursor)
    filters = listing.filters
    d = WebhookDelivery
    where: list[Any] = [d.company_id == actor.company_id, d.subscription_id == webhook_id]
    if filters.status:
        where.append(d.status == filters.status)
    found, next_cursor, total = keyset_page(
        session,
        d,
        where,
        Keyset(key=d.created_at, ident=d.id, descending=True),
        listing,
        limit=limit,
        key=instant,
    )
    return Listed(_views(session, actor, found), next_cursor, total)


def _views(session: Session, actor: Actor, deliveries: list[WebhookDelivery]) -> list[DeliveryView]:
    attempts: dict[str, list[WebhookAttempt]] = {d.id: [] for d in deliveries}
    if deliveries:
        a = WebhookAttempt
        for attempt in session.scalars(
            select(a)
            .where(a.company_id == actor.company_id, a.delivery_id.in_(list(attempts)))
            .order_by(a.attempted_at, a.id)
        ):
            attempts[attempt.delivery_id].append(attempt)
    return [DeliveryView(d, attempts[d.id]) for d in deliveries]


def redeliver(session: Session, actor: Actor, *, webhook_id: str, delivery_id: str) -> DeliveryView:
    """Queues the delivery's event again for the subscription, as a new delivery with the
    same ``webhook-id``, attempted at once."""
    subscription = get_webhook(session, actor, webhook_id=webhook_id)
    earlier = session.get(WebhookDelivery, (actor.company_id, delivery_id))
    if earlier is None or earlier.subscription_id != subscription.id:
        raise NotFound("webhook delivery", delivery_id)
    if not subscription.active:
        raise WebhookInactive()
    row = delivery_row(actor.company_id, subscription.id, earlier.event_id, earlier.event, utcnow())
    delivery = WebhookDelivery(**row)
    session.add(delivery)
    audit.record(
        session,
        actor,
        "webhook.redelivered",
        "webhook",
        subscription.id,
        delivery_id=delivery.id,
        event_id=delivery.event_id,
    )
    session.flush()
    return DeliveryView(delivery, [])


def delivery_row(
    company_id: str, subscription_id: str, event_id: str, event: str, now: datetime
) -> dict[str, Any]:
    """A new delivery, due at once."""
    return {
        "company_id": company_id,
        "id": new_id("whd"),
        "subscription_id": subscription_id,
        "event_id": event_id,
        "event": event,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


def queue_with_event(
    session: Session, company_id: str, subscription_id: str, emitted: outbox.Emitted
) -> None:
    """Queues a delivery of an event emitted in this transaction, written after it."""
    row = delivery_row(company_id, subscription_id, emitted.id, emitted.event, utcnow())
    outbox.follow(session, WebhookDelivery, row)


def purge(session: Session, before: datetime) -> int:
    """Forgets finished deliveries (with their attempts) and dispatched events with no
    delivery left, made before ``before``; what is still pending is kept. How many events
    went."""
    d, a, e = WebhookDelivery, WebhookAttempt, OutboxEvent
    finished = [d.status != "pending", d.created_at < before]
    session.execute(
        sa.delete(a).where(
            tuple_(a.company_id, a.delivery_id).in_(select(d.company_id, d.id).where(*finished))
        )
    )
    session.execute(sa.delete(d).where(*finished))
    left = exists().where(d.company_id == e.company_id, d.event_id == e.id)
    gone = session.execute(sa.delete(e).where(e.dispatched.is_(True), e.created_at < before, ~left))
    return int(gone.rowcount)  # type: ignore[attr-defined]
