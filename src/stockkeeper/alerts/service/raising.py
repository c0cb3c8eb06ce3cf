"""Raising and resolving alerts, and announcing them.

Alerts come from the items' own thresholds, at each warehouse or store, whether or not a
rule watches them. The ledger calls ``on_posted`` in the posting's transaction (under the
level locks) with the levels it changed; the scheduled check (``checks.py``) calls
``reconcile`` for what time changes without a movement. An alert is raised when its
condition starts to hold and resolved when it stops: one alert, one event, one
notification per rule watching it, however many postings find the condition holding.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.alerts import values
from stockkeeper.alerts.models import Alert, AlertNotification, AlertRule
from stockkeeper.alerts.views import AlertView, alert_read
from stockkeeper.catalog.models import Item, Location
from stockkeeper.catalog.service.categories import CategoryTree
from stockkeeper.core import outbox
from stockkeeper.core.ids import new_id
from stockkeeper.core.json import dump, render_json
from stockkeeper.core.types import utcnow
from stockkeeper.stock.models import Batch
from stockkeeper.stock.service import ledger
from stockkeeper.webhooks.service.subscriptions import queue_with_event

ZERO = Decimal(0)
STOCK_TYPES = ("low_stock", "reorder_point", "overstock", "out_of_stock", "negative_stock")
THRESHOLDS = values.THRESHOLDS


class Thresholds(Protocol):
    @property
    def minimum_stock(self) -> Decimal | None: ...
    @property
    def maximum_stock(self) -> Decimal | None: ...
    @property
    def reorder_point(self) -> Decimal | None: ...


def holding(item: Thresholds, quantity: Decimal) -> dict[str, Decimal]:
    """The stock alert types whose condition holds for ``quantity`` on hand, with the
    threshold each compares it with."""
    found = {}
    if item.minimum_stock is not None and quantity <= item.minimum_stock:
        found["low_stock"] = item.minimum_stock
    if item.reorder_point is not None and quantity <= item.reorder_point:
        found["reorder_point"] = item.reorder_point
    # a maximum of zero would make an empty shelf overstocked
    if item.maximum_stock is not None and quantity >= item.maximum_stock and quantity > 0:
        found["overstock"] = item.maximum_stock
    if quantity <= 0:
        found["out_of_stock"] = ZERO
    if quantity < 0:
        found["negative_stock"] = ZERO
    return found


def open_key(
    type: str,
    item_id: str,
    variant_id: str | None,
    location_id: str,
    batch_id: str | None = None,
) -> str:
    return "|".join(part or "" for part in (type, item_id, variant_id, location_id, batch_id))


@dataclass(frozen=True)
class Seen:
    """A stock figure found at a warehouse or store (of a batch, for expiry warnings)."""

    item: Item
    variant_id: str | None
    location: Location
    quantity: Decimal
    batch_id: str | None = None
    batch: Batch | None = None
    expiry_date: date | None = None


@dataclass(frozen=True)
class Change:
    alert: Alert
    seen: Seen
    raised: bool  # else resolved


def on_posted(session: Session, company_id: str, changes: list[ledger.LevelChange]) -> None:
    """The ledger's observer: alerts for the levels a posting changed. Only a level where
    what holds changed needs a look at the alerts: the open ones match what held before
    (the scheduled check keeps it so when thresholds change without a movement)."""
    watched = [
        Seen(c.item, c.variant_id, c.location, c.after)
        for c in changes
        if (holding(c.item, c.before) if c.before is not None else {}).keys()
        != holding(c.item, c.after).keys()
    ]
    if watched:
        reconcile(session, company_id, watched, STOCK_TYPES)


def install() -> None:
    """Has the ledger call ``on_posted`` for every posting (once, however often called)."""
    if on_posted not in ledger.observers:
        ledger.observers.append(on_posted)


def reconcile(
    session: Session,
    company_id: str,
    seen: Iterable[Seen],
    types: Iterable[str],
    expiring: set[str] | None = None,
) -> list[Change]:
    """Raises the alerts of ``types`` whose condition holds for what was ``seen`` and is not
    open yet, and resolves the open ones whose condition no longer holds. The caller holds
    the locks that keep the figures true. ``expiring`` names the seen batches that expire
    soon enough for a warning."""
    keyed = {
        open_key(t, s.item.id, s.variant_id, s.location.id, s.batch_id): (t, s)
        for s in seen
        for t in types
    }
    if not keyed:
        return []
    already = {
        a.open_key: a
        for a in session.scalars(
            select(Alert).where(Alert.company_id == company_id, Alert.open_key.in_(keyed))
        )
    }
    now = utcnow()
    changes = []
    for key, (type, s) in sorted(keyed.items()):
        holds, threshold = _holds(type, s, expiring or set())
        alert = already.get(key)
        if holds and alert is None:
            alert = _raised(company_id, key, type, s, threshold, now)
            session.add(alert)
            changes.append(Change(alert, s, raised=True))
        elif not holds and alert is not None:
            alert.status, alert.open_key, alert.resolved_at = "resolved", None, now
            alert.stock_at_resolve = s.quantity
            changes.append(Change(alert, s, raised=False))
    if changes:
        session.flush()
        _announce(session, company_id, changes)
    return changes


def _holds(type: str, seen: Seen, expiring: set[str]) -> tuple[bool, Decimal | None]:
    """Whether the condition of an alert of ``type`` holds for what was seen, and the
    threshold it compares with (none for expiry warnings)."""
    if type == "expiry_warning":
        return seen.batch_id in expiring and seen.quantity > 0, None
    limits = holding(seen.item, seen.quantity)
    return type in limits, limits.get(type)


def _raised(
    company_id: str, key: str, type: str, seen: Seen, threshold: Decimal | None, now: datetime
) -> Alert:
    return Alert(
        company_id=company_id,
        id=new_id("alt"),
        type=type,
        item_id=seen.item.id,
        variant_id=seen.variant_id,
        location_id=seen.location.id,
        batch_id=seen.batch_id,
        expiry_date=seen.expiry_date,
        open_key=key,
        threshold=THRESHOLDS[type],
        threshold_quantity=threshold,
        stock_at_raise=seen.quantity,
        status="open",
        raised_at=now,
    )


def _announce(session: Session, company_id: str, changes: list[Change]) -> None:
    """One event per change, and what each active rule watching it owes: an email to send
    (now or in a digest) and a delivery to its webhook."""
    rules = list(
        session.scalars(
            select(AlertRule)
            .where(
                AlertRule.company_id == company_id,
                AlertRule.active.is_(True),
                AlertRule.type.in_({c.alert.type for c in changes}),
            )
            .order_by(AlertRule.id)
        )
    )
    categories = _watched_categories(session, company_id, rules)
    for change in changes:
        seen = change.seen
        view = AlertView(change.alert, seen.item, seen.location, seen.quantity, seen.batch)
        body = dump(alert_read(view))
        event = outbox.emit(
            session,
            company_id,
            cast(outbox.EventName, f"inventory.{change.alert.type}")
            if change.raised
            else "inventory.alert.resolved",
            body,
        )
        for rule in rules:
            if not _watches(rule, change, categories.get(rule.id)):
                continue
            if rule.emails:
                session.add(_notification(rule, change, body))
            if rule.webhook_id:
                queue_with_event(session, company_id, rule.webhook_id, event)
    session.flush()


def _watched_categories(
    session: Session, company_id: str, rules: list[AlertRule]
) -> dict[str, set[str]]:
    """The categories each rule that names some watches, their subcategories with them."""
    if not any(rule.categories for rule in rules):
        return {}
    tree = CategoryTree.load(session, company_id)
    return {
        rule.id: set().union(*(tree.subtree(c) for c in rule.categories))
        for rule in rules
        if rule.categories
    }


def _watches(rule: AlertRule, change: Change, categories: set[str] | None) -> bool:
    return (
        rule.type == change.alert.type
        and (not rule.locations or change.seen.location.id in rule.locations)
        and (categories is None or change.seen.item.category_id in categories)
    )


def digest_time(frequency: str, now: datetime) -> datetime:
    """When an email of a rule with this frequency goes out: at once, or at the top of the
    next hour, or the next midnight (UTC)."""
    if frequency == "hourly":
        return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if frequency == "daily":
        return now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return now


def _notification(rule: AlertRule, change: Change, body: dict[str, Any]) -> AlertNotification:
    now = utcnow()
    return AlertNotification(
        company_id=rule.company_id,
        id=new_id("ntf"),
        rule_id=rule.id,
        alert_id=change.alert.id,
        change="raised" if change.raised else "resolved",
        alert=render_json(body).decode(),
        status="pending",
        attempts=0,
        created_at=now,
        due_at=digest_time(rule.frequency, now),
    )
