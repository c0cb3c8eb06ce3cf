"""The scheduled check: what changes without a movement.

- **Expiry warnings**: a batch in stock whose expiry date comes within the warning window
  (``STOCKKEEPER_EXPIRY_WARNING_DAYS``) raises one; it resolves when the batch is no longer
  held there.
- **Thresholds**: an item's thresholds may be changed, and stock may predate the alerts;
  every stock figure is compared with its open alerts and put right.

Figures that call for a change are read again under the level locks before it is made, so
a posting running at the same time is never contradicted; the company row is locked (on
PostgreSQL) so that two workers check one company in turn.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from stockkeeper.alerts.models import Alert
from stockkeeper.alerts.service.raising import STOCK_TYPES, Change, Seen, holding, reconcile
from stockkeeper.catalog.models import Item, Location
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.core import locks
from stockkeeper.stock.models import Batch, StockLevel
from stockkeeper.stock.service import levels
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor, company_today

Group = tuple[str, str | None, str]  # item, variant, location
Lot = tuple[str, str | None, str, str]  # item, variant, location, batch


def needs_check(session: Session, company_id: str, *, warning_days: int) -> bool:
    """Whether ``check_alerts`` would change anything, asked in a read: most checks find
    nothing, and on SQLite a write transaction would hold up every posting meanwhile."""
    company = session.scalars(select(Company).where(Company.id == company_id)).one()
    stock_groups, lots = _candidates(session, company, warning_days)
    return bool(stock_groups or lots)


def check_alerts(session: Session, actor: Actor, *, warning_days: int) -> list[Change]:
    """Puts the company's alerts right (the worker's scheduled check); the changes made."""
    company_id = actor.company_id
    query = select(Company).where(Company.id == company_id)
    company = locks.lock(session, query).scalars().one()
    stock_groups, lots = _candidates(session, company, warning_days)
    if not stock_groups and not lots:
        return []
    pairs = {(g[0], g[2]) for g in stock_groups} | {(lot[0], lot[2]) for lot in lots}
    state = levels.lock(session, company_id, pairs, [])
    items = rows_by_id(session, Item, company_id, {item_id for item_id, _ in pairs})
    locations = rows_by_id(session, Location, company_id, {location_id for _, location_id in pairs})
    changes = reconcile(
        session,
        company_id,
        [
            Seen(items[i], v, locations[loc], state.groups[(i, v, loc)].on_hand)
            for i, v, loc in sorted(stock_groups, key=lambda g: levels.level_key(*g))
        ],
        STOCK_TYPES,
    )
    if lots:
        horizon = company_today(company) + timedelta(days=warning_days)
        seen = _lots_seen(session, company_id, lots, state, items, locations)
        expiring = {
            s.batch_id for s in seen if s.batch_id and s.expiry_date and s.expiry_date <= horizon
        }
        changes += reconcile(session, company_id, seen, ["expiry_warning"], expiring=expiring)
    return changes


def _lots_seen(
    session: Session,
    company_id: str,
    lots: set[Lot],
    state: levels.Levels,
    items: dict[str, Item],
    locations: dict[str, Location],
) -> list[Seen]:
    """What each batch holds at each location, from the locked levels."""
    held: dict[Lot, Decimal] = defaultdict(Decimal)
    for level in state.levels.values():
        if level["batch_id"]:
            lot = (level["item_id"], level["variant_id"], level["location_id"], level["batch_id"])
            held[lot] += level["on_hand"]
    batches = rows_by_id(session, Batch, company_id, {lot[3] for lot in lots})
    return [
        Seen(
            items[i],
            v,
            locations[loc],
            held[(i, v, loc, b)],
            batch_id=b,
            batch=batches[b],
            expiry_date=batches[b].expiry_date,
        )
        for i, v, loc, b in sorted(lots, key=lambda lot: levels.level_key(*lot))
    ]


def _candidates(
    session: Session, company: Company, warning_days: int
) -> tuple[set[Group], set[Lot]]:
    """The stock figures and the batches whose open alerts differ from what holds."""
    horizon = company_today(company) + timedelta(days=warning_days)
    open_alerts = list(
        session.scalars(
            select(Alert).where(Alert.company_id == company.id, Alert.open_key.is_not(None))
        )
    )
    return (
        _stock_candidates(session, company.id, open_alerts),
        _expiry_candidates(session, company.id, open_alerts, horizon),
    )


def _stock_candidates(session: Session, company_id: str, open_alerts: list[Alert]) -> set[Group]:
    """The item x variant x location figures whose open alerts differ from what holds."""
    level = StockLevel
    figures = session.execute(
        select(level.item_id, level.variant_id, level.location_id, func.sum(level.on_hand))
        .join(Item, and_(Item.company_id == level.company_id, Item.id == level.item_id))
        .where(
            level.company_id == company_id,
            level.physical.is_(True),
            Item.type == "inventory",
            Item.tracked.is_(True),
        )
        .group_by(level.item_id, level.variant_id, level.location_id)
    ).all()
    thresholds = {
        row.id: row
        for row in session.execute(
            select(Item.id, Item.minimum_stock, Item.maximum_stock, Item.reorder_point).where(
                Item.company_id == company_id, Item.id.in_({f[0] for f in figures})
            )
        )
    }
    opened: dict[Group, set[str]] = defaultdict(set)
    for alert in open_alerts:
        if alert.type in STOCK_TYPES:
            opened[(alert.item_id, alert.variant_id, alert.location_id)].add(alert.type)
    found = set()
    for item_id, variant_id, location_id, on_hand in figures:
        group = (item_id, variant_id, location_id)
        if set(holding(thresholds[item_id], on_hand)) != opened.pop(group, set()):
            found.add(group)
    return found | set(opened)  # open alerts with no figure left (an item no longer tracked)


def _expiry_candidates(
    session: Session, company_id: str, open_alerts: list[Alert], horizon: date
) -> set[Lot]:
    """Batches in stock expiring by ``horizon`` with no warning open, and open warnings."""
    level = StockLevel
    held = session.execute(
        select(level.item_id, level.variant_id, level.location_id, level.batch_id)
        .join(Batch, and_(Batch.company_id == level.company_id, Batch.id == level.batch_id))
        .where(
            level.company_id == company_id,
            level.physical.is_(True),
            Batch.expiry_date <= horizon,
        )
        .group_by(level.item_id, level.variant_id, level.location_id, level.batch_id)
        .having(func.sum(level.on_hand) > 0)
    ).all()
    warned: set[Lot] = {
        (a.item_id, a.variant_id, a.location_id, a.batch_id or "")
        for a in open_alerts
        if a.type == "expiry_warning"
    }
    return {(i, v, loc, b or "") for i, v, loc, b in held} ^ warned
