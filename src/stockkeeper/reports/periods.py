"""Reports over a period, from the same replay as the valuation: the movements report
(opening, in, out, closing per item, or per item and location) and the ABC analysis (items
ranked by the value of the goods issued for use: sold, fulfilled)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Location
from stockkeeper.catalog.service.categories import CategoryTree
from stockkeeper.catalog.service.locations import require_location
from stockkeeper.core.currency import MINOR_UNITS
from stockkeeper.core.errors import Invalid, field_error
from stockkeeper.costing.service import engine, replay, snapshots
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor, company_today, get_company

ZERO = Decimal(0)
_MICRO = Decimal("0.000001")


@dataclass(frozen=True)
class PeriodQuery:
    date_from: date | None = None
    date_to: date | None = None
    location_id: str | None = None
    category_id: str | None = None
    item_id: str | None = None
    method: str | None = None


def _money(company: Company, value: Decimal) -> Decimal:
    places = Decimal(1).scaleb(-MINOR_UNITS.get(company.currency, 2))
    return value.quantize(places, ROUND_HALF_EVEN)


def _bounds(company: Company, query: PeriodQuery) -> tuple[date, date]:
    today = company_today(company)
    end = query.date_to or today
    start = query.date_from or end.replace(day=1)
    if start > end:
        raise Invalid(
            "the period ends before it starts",
            errors=[field_error("dateFrom", "after dateTo")],
        )
    return start, end


def _items(session: Session, actor: Actor, query: PeriodQuery) -> dict[str, replay.CostedItem]:
    where: list[Any] = [
        Item.company_id == actor.company_id,
        Item.type == "inventory",
        Item.tracked.is_(True),
    ]
    if query.item_id:
        where.append(Item.id == query.item_id)
    if query.category_id:
        tree = CategoryTree.load(session, actor.company_id)
        where.append(Item.category_id.in_(tree.subtree(query.category_id)))
    return replay.costed_items(session, where)


Located = list[tuple[str, engine.Period]]  # (location, period) of each variant there


def _replayed(
    session: Session, actor: Actor, query: PeriodQuery
) -> tuple[Company, date, date, list[tuple[replay.CostedItem, Located]]]:
    company = get_company(session, actor.company_id)
    start, end = _bounds(company, query)
    if query.location_id:
        require_location(session, actor, query.location_id, "locationId")
    method = query.method or company.costing_method
    items = _items(session, actor, query)
    found: dict[str, Located] = {}
    for history in snapshots.replays(
        session,
        actor.company_id,
        {item.id: item.cost_revision for item in items.values()},
        method,
        end,
        today=company_today(company),
        before=start - timedelta(days=1),
    ):
        item = items[history.item_id]
        periods = engine.periods(
            history.events, method, start, standard_cost=item.standard_cost, book=history.book
        )
        found.setdefault(item.id, []).extend(
            (loc, period)
            for loc, period in periods.items()
            if not query.location_id or loc == query.location_id
        )
    return company, start, end, [(items[i], located) for i, located in found.items()]


def movements_report(
    session: Session, actor: Actor, query: PeriodQuery, *, by_location: bool
) -> dict[str, Any]:
    """Per item (and location, with ``by_location``): opening quantity and value, what came
    in and went out, and closing. Per item, moves between the company's own locations are
    left out of in and out, since they change nothing for the item as a whole."""
    company, start, end, replayed = _replayed(session, actor, query)
    names = dict(
        session.execute(
            select(Location.id, Location.name).where(Location.company_id == actor.company_id)
        ).all()
    )
    rows = []
    for item, located in sorted(replayed, key=lambda pair: pair[0].item_code):
        parts: list[tuple[str | None, list[engine.Period]]]
        if by_location:
            at: dict[str, list[engine.Period]] = {}
            for loc, period in located:
                at.setdefault(loc, []).append(period)
            parts = [(loc, at[loc]) for loc in sorted(at, key=lambda loc: names[loc])]
        else:
            parts = [(None, [period for _, period in located])]
        for location_id, group in parts:
            internal = location_id is None
            figures = {
                "opening_quantity": sum((p.opening.quantity for p in group), ZERO),
                "opening_value": sum((p.opening.value for p in group), ZERO),
                "in_quantity": sum((_in(p, internal)[0] for p in group), ZERO),
                "in_value": sum((_in(p, internal)[1] for p in group), ZERO),
                "out_quantity": sum((_out(p, internal)[0] for p in group), ZERO),
                "out_value": sum((_out(p, internal)[1] for p in group), ZERO),
                "closing_quantity": sum((p.closing.quantity for p in group), ZERO),
                "closing_value": sum((p.closing.value for p in group), ZERO),
            }
            if not any(figures.values()):
                continue
            rows.append(
                {
                    "item_id": item.id,
                    "item_code": item.item_code,
                    "item_name": item.name,
                    "location_id": location_id,
                    "location_name": names[location_id] if location_id else None,
                }
                | {k: _money(company, v) if k.endswith("value") else v for k, v in figures.items()}
            )
    return {
        "report_name": "Stock Movement Report",
        "period_from": start,
        "period_to": end,
        "valuation_method": query.method or company.costing_method,
        "currency": company.currency,
        "items": rows,
    }


def _in(period: engine.Period, leave_out_moves: bool) -> tuple[Decimal, Decimal]:
    f = period.flow
    if leave_out_moves:
        return f.in_quantity - f.moved_in_quantity, f.in_value - f.moved_in_value
    return f.in_quantity, f.in_value


def _out(period: engine.Period, leave_out_moves: bool) -> tuple[Decimal, Decimal]:
    f = period.flow
    if leave_out_moves:
        return f.out_quantity - f.moved_out_quantity, f.out_value - f.moved_out_value
    return f.out_quantity, f.out_value


def abc_analysis(
    session: Session, actor: Actor, query: PeriodQuery, thresholds: tuple[Decimal, Decimal]
) -> dict[str, Any]:
    """Items ranked by the value of goods issued for use over the period; A holds the first
    ``thresholds[0]`` percent of that value, B the next ``thresholds[1]``, C the rest."""
    company, start, end, replayed = _replayed(session, actor, query)
    used = []
    for item, located in replayed:
        quantity = sum((p.flow.used_quantity for _, p in located), ZERO)
        value = sum((p.flow.used_value for _, p in located), ZERO)
        if quantity > 0:
            used.append((item, quantity, value))
    used.sort(key=lambda u: (-u[2], u[0].item_code))
    total = sum((v for _, _, v in used), ZERO)
    a_limit, b_limit = thresholds[0], thresholds[0] + thresholds[1]
    rows: list[dict[str, Any]] = []
    running = ZERO
    for item, quantity, value in used:
        before = running / total * 100 if total else ZERO
        running += value
        cumulative = running / total * 100 if total else Decimal(100)
        # an item is A while the A share was not yet full when it came, and so on
        label = "A" if before < a_limit else "B" if before < b_limit else "C"
        rows.append(
            {
                "item_id": item.id,
                "item_code": item.item_code,
                "item_name": item.name,
                "classification": label,
                "annual_usage": quantity,
                "unit_cost": (value / quantity).quantize(_MICRO, ROUND_HALF_EVEN),
                "annual_value": _money(company, value),
                "cumulative_percentage": cumulative.quantize(Decimal("0.01"), ROUND_HALF_EVEN),
            }
        )
    classes: dict[str, list[Any]] = {label: [0, ZERO] for label in "ABC"}
    for row, (_, _, value) in zip(rows, used, strict=True):
        classes[row["classification"]][0] += 1
        classes[row["classification"]][1] += value
    return {
        "report_name": "ABC Analysis Report",
        "period_from": start,
        "period_to": end,
        "valuation_method": query.method or company.costing_method,
        "currency": company.currency,
        "classification": {
            label: {
                "item_count": count,
                "percentage": _share(count, len(rows)),
                "value_percentage": _share(value, total),
                "total_value": _money(company, value),
            }
            for label, (count, value) in classes.items()
        },
        "items": rows,
    }


def _share(part: Decimal | int, whole: Decimal | int) -> Decimal:
    if not whole:
        return ZERO
    return (Decimal(part) / Decimal(whole) * 100).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
