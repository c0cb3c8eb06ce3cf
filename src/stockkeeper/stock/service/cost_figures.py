"""The Sage document's cost figures on items, kept by the ledger as it posts: what was bought
to date (quantity and what it cost) and the latest cost paid, with when it was set.

Stock arriving from a supplier, or with a cost from an opening balance or an adjustment, is
bought; stock going back to a supplier, or a reversal of such an arrival, is unbought. The
arrival with the latest effective date sets the last cost price (a late entry dated before
it does not).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import Date, Table, and_, bindparam, case, or_

from stockkeeper.core.types import SCALE, Amount, UTCDateTime, utcnow
from stockkeeper.stock.service.levels import PHYSICAL

_BOUGHT_FROM = ("supplier", "opening", "loss")
ZERO = Decimal(0)


def purchase_sign(source: str, target: str, movement_type: str, quantity: Decimal) -> int:
    """+1 if a movement (between locations of these kinds) buys stock, -1 if it undoes a
    purchase, 0 otherwise."""
    if quantity <= 0:
        return 0
    if target in PHYSICAL and (
        source == "supplier" or (source in _BOUGHT_FROM and movement_type != "reversal")
    ):
        return 1
    if source in PHYSICAL and (
        target == "supplier" or (target in _BOUGHT_FROM and movement_type == "reversal")
    ):
        return -1
    return 0


@dataclass
class _Change:
    quantity: Decimal = ZERO
    value: Decimal = ZERO
    cost: Decimal | None = None
    day: date | None = None


@dataclass(frozen=True)
class Bought:
    """One posted line, as far as the figures care."""

    item_id: str
    source_kind: str
    target_kind: str
    movement_type: str
    quantity: Decimal
    value: Decimal


_COST_STEP = Decimal(1).scaleb(-SCALE)


def purchases(day: date, lines: Sequence[Bought]) -> dict[str, dict[str, Any]]:
    """Item id -> the parameters of ``columns`` for the lines' purchases of it."""
    changes: dict[str, _Change] = {}
    for line in lines:
        sign = purchase_sign(line.source_kind, line.target_kind, line.movement_type, line.quantity)
        if not sign:
            continue
        change = changes.setdefault(line.item_id, _Change())
        change.quantity += sign * line.quantity
        change.value += sign * line.value
        if sign > 0 and line.movement_type != "reversal":
            # a unit cost as every money column keeps it: 1.5 units worth 4.9999995 cost 3.333333
            unit_cost = (line.value / line.quantity).quantize(_COST_STEP, ROUND_HALF_EVEN)
            change.cost, change.day = unit_cost, day
    return {item_id: _params(change) for item_id, change in changes.items()}


NO_PURCHASE: dict[str, Any] = {"dq": ZERO, "dv": ZERO, "cost": None, "day": None, "now": None}


def columns(table: Table) -> dict[str, Any]:
    """What an item row's figures become, as SET clauses of an UPDATE of the item table
    taking the parameters of ``purchases`` (``NO_PURCHASE`` for an item not bought); the
    ledger adds them to its own update of the items, so one statement does both."""
    day_param = bindparam("day", type_=Date())
    newer = and_(
        day_param.is_not(None),
        or_(table.c.last_cost_date.is_(None), table.c.last_cost_date <= day_param),
    )
    return {
        "purchased_quantity": table.c.purchased_quantity + bindparam("dq", type_=Amount()),
        "purchased_value": table.c.purchased_value + bindparam("dv", type_=Amount()),
        "last_cost_price": case(
            (newer, bindparam("cost", type_=Amount())), else_=table.c.last_cost_price
        ),
        "last_cost_date": case((newer, day_param), else_=table.c.last_cost_date),
        "cost_price_last_updated": case(
            (newer, bindparam("now", type_=UTCDateTime())),
            else_=table.c.cost_price_last_updated,
        ),
    }


def _params(change: _Change) -> dict[str, Any]:
    return {
        "dq": change.quantity,
        "dv": change.value,
        "cost": change.cost,
        "day": change.day,
        "now": utcnow(),
    }
