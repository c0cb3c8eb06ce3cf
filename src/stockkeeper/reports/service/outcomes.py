"""Where each item's stock stood at the end of a day, and at what value: what the valuation
report and the value over time read. A day from the latest settled one on (two days back,
which no posting in flight can still change) starts from that day's outcomes, kept in
memory while the items stand as they were (their cost revisions, which a backdated movement
raises, and their standard costs); only the items moved since are replayed."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from stockkeeper.costing.service import replay, snapshots
from stockkeeper.costing.service.engine import Position
from stockkeeper.reports.service.kept import Kept
from stockkeeper.tenancy.service import Actor


@dataclass(frozen=True)
class Outcome:
    """One item's (and variant's) stock at the end of the day, by location, and its purchase
    price variance (under standard cost)."""

    item_id: str
    positions: dict[str, Position]
    variance: Decimal


def outcomes(
    session: Session,
    actor: Actor,
    items: dict[str, replay.CostedItem],
    method: str,
    day: date,
    *,
    today: date,
    scope: Hashable,
) -> list[Outcome]:
    """The items' outcomes at the end of ``day`` under ``method``; ``scope`` names the items
    asked for (a filter), for what is kept of them."""
    settled = today - snapshots.SETTLED
    if day < settled:
        return _replayed(session, actor, items, method, day, today)
    kept = _SETTLED.held(
        (actor.company_id, method, settled, scope),
        tuple(items.values()),  # their cost revisions and standard costs
        lambda: _replayed(session, actor, items, method, settled, today),
    )
    moved = snapshots.moved_since(session, actor.company_id, settled, day) & items.keys()
    if not moved:
        return kept
    fresh = _replayed(session, actor, {i: items[i] for i in moved}, method, day, today)
    return [o for o in kept if o.item_id not in moved] + fresh


# (company, method, settled day, scope) -> the items' outcomes that day
_SETTLED: Kept[list[Outcome]] = Kept(most=64)


def _replayed(
    session: Session,
    actor: Actor,
    items: dict[str, replay.CostedItem],
    method: str,
    day: date,
    today: date,
) -> list[Outcome]:
    if not items:
        return []
    revisions = {item.id: item.cost_revision for item in items.values()}
    found = []
    for history in snapshots.replays(
        session, actor.company_id, revisions, method, day, today=today
    ):
        positions, variance = history.outcome(items[history.item_id].standard_cost)
        found.append(Outcome(history.item_id, positions, variance))
    return found
