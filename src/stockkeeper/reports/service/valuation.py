"""The stock valuation report: what the stock was worth at the end of any day, by any method.

Each item's movements up to that day are replayed by the costing engine, from the snapshot
of its book at the month end before (costing/service/snapshots.py), one item at a time.
Stock counts where it is held: warehouses, stores and in transit. Money is rounded to the
currency's minor unit only here, where it is reported, per item (and variant) and location,
as the journals round it (bookkeeping/service/entries.py); unit costs keep six decimals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Category, Item, Location
from stockkeeper.catalog.service.categories import CategoryTree
from stockkeeper.catalog.service.locations import require_location
from stockkeeper.core.currency import minor_unit
from stockkeeper.costing.service import replay, snapshots
from stockkeeper.reports.service.kept import Kept
from stockkeeper.reports.service.outcomes import outcomes
from stockkeeper.reports.values import ValuationFilters
from stockkeeper.reports.views import ReportView, valuation_view
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor, company_today, get_company

ZERO = Decimal(0)
_MICRO = Decimal("0.000001")


@dataclass
class Line:
    """One item at one location."""

    item: replay.CostedItem
    location: Location
    quantity: Decimal
    value: Decimal


@dataclass
class Valuation:
    as_of: date
    method: str
    currency: str
    lines: list[Line] = field(default_factory=list)
    # under standard cost: what purchases cost beyond the standard, per item, to the day
    variances: dict[str, Decimal] = field(default_factory=dict)
    items: list[replay.CostedItem] = field(
        default_factory=list
    )  # every item reported, in code order
    categories: dict[str, Category] = field(default_factory=dict)

    def money(self, value: Decimal) -> Decimal:
        return _money(self.currency, value)


def _money(currency: str, value: Decimal) -> Decimal:
    return value.quantize(minor_unit(currency), ROUND_HALF_EVEN)


def valuation_report(session: Session, actor: Actor, *, filters: ValuationFilters) -> ReportView:
    """What the stock was worth at the end of ``as_of_date`` (today if not given)."""
    return valuation_view(_document(_valuation(session, actor, filters)))


def _valuation(session: Session, actor: Actor, filters: ValuationFilters) -> Valuation:
    company = get_company(session, actor.company_id)
    today = company_today(company)
    report = Valuation(
        as_of=filters.as_of_date or today,
        method=filters.valuation_method or company.costing_method,
        currency=company.currency,
    )
    if filters.location_id:
        require_location(session, actor, filters.location_id, "location_id")
    locations = _holding(session, actor)
    items = _items(session, actor, filters.category_id)
    report.categories = {
        c.id: c
        for c in session.scalars(select(Category).where(Category.company_id == actor.company_id))
    }
    seen: set[str] = set()
    found = outcomes(
        session, actor, items, report.method, report.as_of, today=today, scope=filters.category_id
    )
    for outcome in found:
        item = items[outcome.item_id]
        if report.method == "standard":
            report.variances[item.id] = report.variances.get(item.id, ZERO) + outcome.variance
        for location_id, position in sorted(outcome.positions.items()):
            if filters.location_id and location_id != filters.location_id:
                continue
            if position.quantity == 0 and position.value == 0:
                continue
            # rounded here, per item and location: the journals' inventory lines add up to it
            value = report.money(position.value)
            report.lines.append(Line(item, locations[location_id], position.quantity, value))
            seen.add(item.id)
    listed = items if filters.include_zero_stock else seen
    report.items = sorted((items[i] for i in listed), key=lambda i: i.item_code)
    return report


@dataclass(frozen=True)
class ValuePoint:
    """The stock (of every item, or of one) at the end of a day, as the valuation reports it."""

    day: date
    quantity: Decimal
    value: Decimal


def month_ends(today: date, months: int) -> list[date]:
    """The ends of the ``months`` months before ``today``'s, oldest first, then today."""
    days, end = [today], today.replace(day=1) - timedelta(days=1)
    for _ in range(months):
        days.append(end)
        end = end.replace(day=1) - timedelta(days=1)
    return days[::-1]


def value_trend(
    session: Session, actor: Actor, *, months: int = 12, item_id: str | None = None
) -> tuple[str, list[ValuePoint]]:
    """The company's currency, and what its stock (or ``item_id``'s) was worth, by its
    costing method, at each of the last ``months`` month ends and today: each the valuation
    report's total of that day, replayed from its items' snapshots at that month end. A
    settled month end's figures are kept in memory while the items' costs stand as they were
    (no backdated movement, no new standard cost), so a dashboard replays only today."""
    company = get_company(session, actor.company_id)
    today = company_today(company)
    where: list[Any] = [Item.id == item_id] if item_id is not None else []
    items = _items(session, actor, None, where)
    standing = tuple(items.values())  # cost revisions and standard costs, as they are now
    holding = _holding(session, actor)
    points = []
    for day in month_ends(today, months):
        key = (actor.company_id, item_id, company.costing_method, company.currency, day)
        kept = _SETTLED_POINTS.get(key, standing)
        if kept is not None:
            points.append(kept)
            continue
        point = _value_at(session, actor, company, items, holding, day, today, item_id)
        if day <= today - snapshots.SETTLED:  # no posting dated that day is still in flight
            _SETTLED_POINTS.keep(key, standing, point)
        points.append(point)
    return company.currency, points


# (company, item or None, method, currency, day) -> the figures
_SETTLED_POINTS: Kept[ValuePoint] = Kept(most=10_000)


def _value_at(
    session: Session,
    actor: Actor,
    company: Company,
    items: dict[str, replay.CostedItem],
    holding: dict[str, Location],
    day: date,
    today: date,
    item_id: str | None,
) -> ValuePoint:
    quantity = value = ZERO
    method = company.costing_method
    for outcome in outcomes(session, actor, items, method, day, today=today, scope=item_id):
        for location_id, position in outcome.positions.items():
            if location_id in holding:
                quantity += position.quantity
                value += _money(company.currency, position.value)
    return ValuePoint(day, quantity, value)


def _holding(session: Session, actor: Actor) -> dict[str, Location]:
    """The locations stock is held at: warehouses, stores and in transit."""
    loc = Location
    statement = select(loc).where(loc.company_id == actor.company_id, loc.type.in_(replay.HOLDING))
    return {location.id: location for location in session.scalars(statement)}


def _items(
    session: Session, actor: Actor, category_id: str | None, narrower: Sequence[Any] = ()
) -> dict[str, replay.CostedItem]:
    where: list[Any] = [
        *narrower,
        Item.company_id == actor.company_id,
        Item.type == "inventory",
        Item.tracked.is_(True),
    ]
    if category_id:
        tree = CategoryTree.load(session, actor.company_id)
        where.append(Item.category_id.in_(tree.subtree(category_id)))
    return replay.costed_items(session, where)


# --- the documented response: summary, byCategory, byLocation, items -------------------------


def _document(report: Valuation) -> dict[str, Any]:
    per_item: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for line in report.lines:
        totals = per_item[line.item.id]
        totals[0] += line.quantity
        totals[1] += line.value
    return {
        "report_name": "Stock Valuation Report",
        "as_of_date": report.as_of,
        "valuation_method": report.method,
        "currency": report.currency,
        "summary": _summary(report),
        "by_category": _by_category(report, per_item),
        "by_location": _by_location(report),
        "items": [_item_row(report, item, *per_item[item.id]) for item in report.items],
    }


def _summary(report: Valuation) -> dict[str, Any]:
    total_value = sum((line.value for line in report.lines), ZERO)
    count = len(report.items)
    return {
        "total_items": count,
        "total_quantity": sum((line.quantity for line in report.lines), ZERO),
        "total_value": report.money(total_value),
        "average_value": report.money(total_value / count) if count else ZERO,
        "purchase_price_variance": report.money(sum(report.variances.values(), ZERO))
        if report.method == "standard"
        else None,
    }


def _item_row(
    report: Valuation, item: replay.CostedItem, quantity: Decimal, value: Decimal
) -> dict[str, Any]:
    return {
        "item_id": item.id,
        "item_code": item.item_code,
        "item_name": item.name,
        "category_id": item.category_id,
        "quantity": quantity,
        "average_cost": (value / quantity).quantize(_MICRO) if quantity > 0 else ZERO,
        "total_value": report.money(value),
        "purchase_price_variance": report.money(report.variances.get(item.id, ZERO))
        if report.method == "standard"
        else None,
    }


def _by_category(report: Valuation, per_item: dict[str, list[Decimal]]) -> list[dict[str, Any]]:
    per_category: dict[str | None, list[Any]] = {}
    for item in report.items:
        quantity, value = per_item[item.id]
        at = per_category.setdefault(item.category_id, [0, ZERO, ZERO])
        at[0] += 1
        at[1] += quantity
        at[2] += value
    return [
        {
            "category_id": category_id,
            "category_name": report.categories[category_id].name
            if category_id in report.categories
            else "Uncategorised",
            "total_items": n,
            "total_quantity": quantity,
            "total_value": report.money(value),
        }
        for category_id, (n, quantity, value) in sorted(
            per_category.items(), key=lambda kv: kv[0] or ""
        )
    ]


def _by_location(report: Valuation) -> list[dict[str, Any]]:
    per_location: dict[str, list[Any]] = {}
    for line in report.lines:
        at = per_location.setdefault(line.location.id, [line.location, set(), ZERO, ZERO])
        at[1].add(line.item.id)
        at[2] += line.quantity
        at[3] += line.value
    return [
        {
            "location_id": location.id,
            "location_name": location.name,
            "total_items": len(item_ids),
            "total_quantity": quantity,
            "total_value": report.money(value),
        }
        for location, item_ids, quantity, value in sorted(
            per_location.values(), key=lambda v: v[0].name
        )
    ]
