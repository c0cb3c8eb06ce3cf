"""What each line's count differs from: the quantity expected at opening plus the stock that
moved there (in or out, at that bin, batch and serial) between the opening and the line's
count, the count's own posting left out; and the value of a difference, at the average cost
of the item at the location."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from stockkeeper.counts.models import StockCount, StockCountLine
from stockkeeper.counts.service.keys import Place, lot_numbers
from stockkeeper.counts.views import LineFigures
from stockkeeper.stock.models import Movement, StockLevel

ZERO = Decimal(0)
_COST = Decimal("0.000001")


class Movements:
    """The movements at the count's location since it opened, by line key, in time order."""

    def __init__(self, by_key: dict[str, list[tuple[datetime, Decimal]]]) -> None:
        self.by_key = by_key

    def until(self, key: str, moment: datetime | None) -> Decimal:
        return sum(
            (q for at, q in self.by_key.get(key, ()) if moment is None or at <= moment), ZERO
        )


def counted_lines(session: Session, count: StockCount, *columns: Any) -> list[Any]:
    """The columns asked for of the count's counted lines, in the count's order: the columns
    alone, not the rows (ten thousand lines in a fraction of a second)."""
    line = StockCountLine
    return list(
        session.execute(
            select(*columns)
            .where(
                line.company_id == count.company_id,
                line.count_id == count.id,
                line.counted.is_not(None),
            )
            .order_by(line.position)
        )
    )


def movements_since(session: Session, count: StockCount) -> Movements:
    m = Movement
    rows = session.execute(
        select(
            m.item_id,
            m.variant_id,
            m.from_location_id,
            m.to_location_id,
            m.from_bin_id,
            m.to_bin_id,
            m.batch_id,
            m.serial_id,
            m.quantity,
            m.created_at,
        ).where(
            m.company_id == count.company_id,
            m.created_at > count.opened_at,
            or_(m.from_location_id == count.location_id, m.to_location_id == count.location_id),
            m.document_id != (count.adjustment_id or ""),
        )
    ).all()
    if not rows:
        return Movements({})
    numbers = lot_numbers(
        session,
        count.company_id,
        {r.batch_id for r in rows if r.batch_id},
        {r.serial_id for r in rows if r.serial_id},
    )
    by_key: dict[str, list[tuple[datetime, Decimal]]] = defaultdict(list)
    for r in rows:
        batch = numbers.batches.get(r.batch_id or "")
        serial = numbers.serials.get(r.serial_id or "")
        for bin_id, sign, here in (
            (r.to_bin_id, 1, r.to_location_id),
            (r.from_bin_id, -1, r.from_location_id),
        ):
            if here == count.location_id:
                key = Place(r.item_id, r.variant_id, bin_id, batch, serial).key
                by_key[key].append((r.created_at, sign * r.quantity))
    return Movements(dict(by_key))


def average_costs(
    session: Session, company_id: str, location_id: str
) -> dict[tuple[str, str | None], Decimal]:
    """(item, variant) -> its average cost at the location (value over quantity on hand)."""
    level = StockLevel
    rows = session.execute(
        select(level.item_id, level.variant_id, func.sum(level.value), func.sum(level.on_hand))
        .where(level.company_id == company_id, level.location_id == location_id)
        .group_by(level.item_id, level.variant_id)
    )
    return {
        (item_id, variant_id): (value / on_hand).quantize(_COST, ROUND_HALF_EVEN)
        for item_id, variant_id, value, on_hand in rows
        if on_hand and on_hand > 0
    }


def figures(
    line: StockCountLine,
    moved: Movements,
    costs: dict[tuple[str, str | None], Decimal],
) -> LineFigures:
    """A line's figures: what it expects now (opening plus what moved up to its count, or
    up to now while not counted), its variance and its value; once posted, as booked."""
    if line.variance is not None and line.counted is not None:
        cost = line.unit_cost or ZERO
        expected = line.counted - line.variance
        return LineFigures(expected, line.variance, cost, _money(line.variance * cost))
    expected = line.expected + moved.until(line.line_key, line.counted_at)
    cost = costs.get((line.item_id, line.variant_id), ZERO)
    variance = None if line.counted is None else line.counted - expected
    value = None if variance is None else _money(variance * cost)
    return LineFigures(expected, variance, cost, value)


def _money(value: Decimal) -> Decimal:
    return value.quantize(_COST, ROUND_HALF_EVEN)
