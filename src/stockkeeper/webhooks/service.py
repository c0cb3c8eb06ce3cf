"""Webhook subscriptions: register, change, rotate the signing secret, remove; and the
deliveries made for them, each with its attempts."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exists, select, tuple_
from sqlalchemy.orm import Session

from stockkeeper.core import outbox
from stockkeeper.core.errors import Conflict, Invalid, NotFound, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.core.outbox import OutboxEvent
from stockkeeper.core.pagination import Keyset, keyset_page
from stockkeeper.core.types import utcnow
from stockkeeper.tenancy.service import Actor
from stockkeeper.webhooks import targets
from stockkeeper.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _checked_url(url: str, allow_private: bool, field: str) -> str:
    try:
        targets.check(url, allow_private=allow_private)
    except targets.Refused as refused:
        raise Invalid(
            f"the webhook URL is refused: {refused}",
            code="webhook_url_refused",
            errors=[field_error(field, str(refused))],
        ) from refused
    return url


def create(
    session: Session,
    actor: Actor,
    values: dict[str, Any],
    *,
    allow_private: bool,
    field: str = "url",
    managed_by: str | None = None,
) -> WebhookSubscription:
    """A subscription; ``managed_by`` names the alert rule that owns it, if one does, and
    ``field`` the request field its URL came from."""
    subscription = WebhookSubscription(
        company_id=actor.company_id,
        id=new_id("whk"),
        url=_checked_url(values["url"], allow_private, field),
        events=values["events"],
        description=values.get("description"),
        active=values.get("active", True),
        secret=new_secret(),
        managed_by=managed_by,
    )
    session.add(subscription)
    session.flush()
    return subscription


def get(session: Session, actor: Actor, subscription_id: str) -> WebhookSubscription:
    found = session.get(WebhookSubscription, (actor.company_id, subscription_id))
    if found is None:
        raise NotFound("webhook", subscription_id)
    return found


def _owned(
    session: Session, actor: Actor, subscription_id: str, managed_by: str | None
) -> WebhookSubscription:
    """The subscription, to be changed by its owner only: the API for its own, the alert
    rule for one a rule owns."""
    subscription = get(session, actor, subscription_id)
    if subscription.managed_by != managed_by:
        raise Conflict(
            f"webhook {subscription_id} belongs to alert rule {subscription.managed_by}: "
            "change or delete the rule instead",
            code="webhook_managed_by_rule",
        )
    return subscription


def list_all(session: Session, actor: Actor) -> list[WebhookSubscription]:
    return list(
        session.scalars(
            select(WebhookSubscription)
            .where(WebhookSubscription.company_id == actor.company_id)
            .order_by(WebhookSubscription.created_at, WebhookSubscription.id)
        )
    )


def replace(
    session: Session,
    actor: Actor,
    subscription_id: str,
    values: dict[str, Any],
    *,
    allow_private: bool,
    field: str = "url",
    managed_by: str | None = None,
) -> WebhookSubscription:
    """Replaces URL, events, description and active; switching a subscription on again
    clears why it was switched off."""
    subscription = _owned(session, actor, subscription_id, managed_by)
    subscription.url = _checked_url(values["url"], allow_private, field)
    subscription.events = values["events"]
    subscription.description = values.get("description")
    subscription.active = values.get("active", True)
    if subscription.active:
        subscription.disabled_reason = None
    session.flush()
    return subscription


def delete(
    session: Session, actor: Actor, subscription_id: str, *, managed_by: str | None = None
) -> None:
    session.delete(_owned(session, actor, subscription_id, managed_by))
    session.flush()


def rotate_secret(
    session: Session, actor: Actor, subscription_id: str, *, grace: timedelta
) -> WebhookSubscription:
    """A new secret; the old one keeps signing too until the grace period ends."""
    subscription = get(session, actor, subscription_id)
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_expires_at = utcnow() + grace
    subscription.secret = new_secret()
    session.flush()
    return subscription


def signing_secrets(subscription: WebhookSubscription, now: datetime) -> list[str]:
    found = [subscription.secret]
    expires = subscription.previous_secret_expires_at
    if subscription.previous_secret and expires is not None and expires > now:
        found.append(subscription.previous_secret)
    return found


@dataclass(frozen=True)
class DeliveryView:
    delivery: WebhookDelivery
    attempts: list[WebhookAttempt]


def list_deliveries(
    session: Session,
    actor: Actor,
    subscription_id: str,
    *,
    status: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[DeliveryView], str | None, int]:
    """Newest first, each with every attempt made."""
    get(session, actor, subscription_id)
    d = WebhookDelivery
    where: list[Any] = [d.company_id == actor.company_id, d.subscription_id == subscription_id]
    if status:
        where.append(d.status == status)
    found, next_cursor, total = keyset_page(
        session,
        d,
        where,
        Keyset(key=d.created_at, ident=d.id, descending=True),
        kind="webhook_delivery",
        limit=limit,
        cursor=cursor,
        parse=datetime.fromisoformat,
    )
    return _views(session, actor, found), next_cursor, total


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


def redeliver(
    session: Session, actor: Actor, subscription_id: str, delivery_id: str
) -> DeliveryView:
    """Queues the delivery's event again for the subscription, as a new delivery with the
    same ``webhook-id``, attempted at once."""
    subscription = get(session, actor, subscription_id)
    earlier = session.get(WebhookDelivery, (actor.company_id, delivery_id))
    if earlier is None or earlier.subscription_id != subscription.id:
        raise NotFound("webhook delivery", delivery_id)
    if not subscription.active:
        raise Conflict(
            "the subscription is switched off; switch it on (PUT active: true) to redeliver",
            code="webhook_inactive",
        )
    delivery = queue(session, actor.company_id, subscription.id, earlier.event_id, earlier.event)
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


def queue(
    session: Session, company_id: str, subscription_id: str, event_id: str, event: str
) -> WebhookDelivery:
    delivery = WebhookDelivery(
        **delivery_row(company_id, subscription_id, event_id, event, utcnow())
    )
    session.add(delivery)
    return delivery


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
