"""Raised alerts as the API lists them, and their acknowledgement."""

from __future__ import annotations

import operator
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from stockkeeper.alerts.models import Alert
from stockkeeper.alerts.values import AlertFilters
from stockkeeper.alerts.views import AlertView
from stockkeeper.catalog.models import Item, Location
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.core import audit
from stockkeeper.core.errors import NotFound
from stockkeeper.core.filters import given
from stockkeeper.core.pagination import Keyset, Listed, instant, keyset_page, resume
from stockkeeper.core.types import utcnow
from stockkeeper.stock.models import Batch, StockLevel
from stockkeeper.tenancy.service import Actor


def list_alerts(
    session: Session, actor: Actor, *, filters: AlertFilters, limit: int, cursor: str | None
) -> Listed[AlertView]:
    """Newest first."""
    listing = resume("alert", filters, cursor)
    filters = listing.filters
    a = Alert
    where: list[Any] = [
        a.company_id == actor.company_id,
        *given(
            (filters.type, a.type, operator.eq),
            (filters.status, a.status, operator.eq),
            (filters.location_id, a.location_id, operator.eq),
            (filters.item_id, a.item_id, operator.eq),
        ),
    ]
    found, next_cursor, total = keyset_page(
        session,
        a,
        where,
        Keyset(key=a.raised_at, ident=a.id, descending=True),
        listing,
        limit=limit,
        key=instant,
    )
    return Listed(_views(session, actor.company_id, found), next_cursor, total)


def get_alert(session: Session, actor: Actor, *, alert_id: str) -> AlertView:
    return _views(session, actor.company_id, [_alert(session, actor, alert_id)])[0]


def acknowledge_alert(session: Session, actor: Actor, *, alert_id: str) -> AlertView:
    """Marks the alert seen; an open alert becomes acknowledged (until it resolves), a
    resolved one keeps its status. Acknowledging again changes nothing."""
    alert = _alert(session, actor, alert_id)
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = utcnow(), actor.name
        if alert.status == "open":
            alert.status = "acknowledged"
        audit.record(session, actor, "alert.acknowledged", "alert", alert.id, status=alert.status)
        session.flush()
    return _views(session, actor.company_id, [alert])[0]


def _alert(session: Session, actor: Actor, alert_id: str) -> Alert:
    found = session.get(Alert, (actor.company_id, alert_id))
    if found is None:
        raise NotFound("alert", alert_id)
    return found


def _views(session: Session, company_id: str, alerts: list[Alert]) -> list[AlertView]:
    """The alerts with what the API shows of them, the open ones with the stock on hand now."""
    if not alerts:
        return []
    items = rows_by_id(session, Item, company_id, {a.item_id for a in alerts})
    locations = rows_by_id(session, Location, company_id, {a.location_id for a in alerts})
    batch_ids = {a.batch_id for a in alerts if a.batch_id}
    batches = rows_by_id(session, Batch, company_id, batch_ids) if batch_ids else {}
    current = _on_hand(session, company_id, [a for a in alerts if a.status != "resolved"])
    return [
        AlertView(
            a,
            items[a.item_id],
            locations[a.location_id],
            current.get(_where(a), Decimal(0)),
            batch=batches[a.batch_id] if a.batch_id else None,
        )
        for a in alerts
    ]


def _where(alert: Alert) -> tuple[str, str, str, str]:
    return (alert.item_id, alert.variant_id or "", alert.location_id, alert.batch_id or "")


def _on_hand(
    session: Session, company_id: str, alerts: list[Alert]
) -> dict[tuple[str, str, str, str], Decimal]:
    """On hand per item x variant x location, and per batch there for expiry warnings."""
    if not alerts:
        return {}
    level = StockLevel
    rows = session.execute(
        select(
            level.item_id,
            func.coalesce(level.variant_id, ""),
            level.location_id,
            func.coalesce(level.batch_id, ""),
            func.sum(level.on_hand),
        )
        .where(
            level.company_id == company_id,
            level.item_id.in_({a.item_id for a in alerts}),  # SQLite seeks by neither half
            tuple_(level.item_id, level.location_id).in_(
                sorted({(a.item_id, a.location_id) for a in alerts})
            ),
        )
        .group_by(level.item_id, level.variant_id, level.location_id, level.batch_id)
    )
    found: dict[tuple[str, str, str, str], Decimal] = defaultdict(Decimal)
    for item_id, variant_key, location_id, batch_key, on_hand in rows:
        found[(item_id, variant_key, location_id, "")] += on_hand
        if batch_key:
            found[(item_id, variant_key, location_id, batch_key)] += on_hand
    return found
