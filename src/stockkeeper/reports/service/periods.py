"""Reports over a period, from the same replay as the valuation: the movements report
(opening, in, out, closing per item, or per item and location) and the ABC analysis (items
ranked by the value of the goods issued for use: sold, fulfilled)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item
from stockkeeper.catalog.service.categories import CategoryTree
from stockkeeper.catalog.service.locations import location_names, require_location
from stockkeeper.core.currency import minor_unit
from stockkeeper.core.errors import FieldError, Invalid, field_error
from stockkeeper.costing.service import engine, replay, snapshots
from stockkeeper.reports.service.kept import Kept
from stockkeeper.reports.values import AbcFilters, MovementFilters
from stockkeeper.reports.views import ReportView, abc_view, movements_view
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor, company_today, get_company

ZERO = Decimal(0)
_MICRO = Decimal("0.000001")


@dataclass(frozen=True)
class _Scope:
    """What a period report replays: which days, which items, where, by which method."""

    start: date
    end: date
    location_id: str | None
    category_id: str | None
    item_id: str | None
    method: str


def movements_report(session: Session, actor: Actor, *, filters: MovementFilters) -> ReportView:
    """Per item (and location, with ``by_location``): opening quantity and value, what came
    in and went out, and closing, from ``date_from`` (the first of ``date_to``'s month) to
    ``date_to`` (today). Per item, moves between the company's own locations are left out of
    in and out, since they change nothing for the item as a whole."""
    company = get_company(session, actor.company_id)
    end = filters.date_to or company_today(company)
    start = filters.date_from or end.replace(day=1)
    scope = _scope(company, filters, start, end, filters.item_id)
    replayed = _replayed(session, actor, company, scope)
    names = location_names(session, actor.company_id)
    rows = []
    for item, located in sorted(replayed, key=lambda pair: pair[0].item_code):
        for location_id, group in _parts(located, names if filters.by_location else None):
            figures = _figures(group, internal=location_id is None)
            if any(figures.values()):
                rows.append(_movement_row(company, item, location_id, names, figures))
    return movements_view(
        {
            "report_name": "Stock Movement Report",
            "period_from": start,
            "period_to": end,
            "valuation_method": scope.method,
            "currency": company.currency,
            "items": rows,
        }
    )


def abc_analysis(session: Session, actor: Actor, *, filters: AbcFilters) -> ReportView:
    """Items ranked by the value of goods issued for use from ``period_from`` (the 365 days up
    to ``period_to``) to ``period_to`` (today); A holds the first ``a_threshold`` percent of
    that value, B the next ``b_threshold``, C the rest."""
    company = get_company(session, actor.company_id)
    end = filters.period_to or company_today(company)
    start = filters.period_from or end - timedelta(days=364)
    scope = _scope(company, filters, start, end, None)
    used = []
    for item, located in _replayed(session, actor, company, scope):
        quantity = sum((p.flow.used_quantity for _, p in located), ZERO)
        value = sum((p.flow.used_value for _, p in located), ZERO)
        if quantity > 0:
            used.append((item, quantity, value))
    used.sort(key=lambda u: (-u[2], u[0].item_code))
    rows = _ranked(company, used, filters.a_threshold, filters.b_threshold)
    return abc_view(
        {
            "report_name": "ABC Analysis Report",
            "period_from": start,
            "period_to": end,
            "valuation_method": scope.method,
            "currency": company.currency,
            "classification": _classes(company, rows, [value for _, _, value in used]),
            "items": rows,
        }
    )


# --- the replay -------------------------------------------------------------------------------


def _scope(
    company: Company,
    filters: MovementFilters | AbcFilters,
    start: date,
    end: date,
    item_id: str | None,
) -> _Scope:
    if start > end:
        raise Invalid("the period ends before it starts", errors=[_reversed(filters)])
    return _Scope(
        start=start,
        end=end,
        location_id=filters.location_id,
        category_id=filters.category_id,
        item_id=item_id,
        method=filters.valuation_method or company.costing_method,
    )


def _reversed(filters: MovementFilters | AbcFilters) -> FieldError:
    # a rule between two parameters, which the OpenAPI document can only say in words
    field = "date_from" if isinstance(filters, MovementFilters) else "period_from"
    return field_error(field, "after the end of the period", "period_reversed")


def _items(session: Session, actor: Actor, scope: _Scope) -> dict[str, replay.CostedItem]:
    where: list[Any] = [
        Item.company_id == actor.company_id,
        Item.type == "inventory",
        Item.tracked.is_(True),
    ]
    if scope.item_id:
        where.append(Item.id == scope.item_id)
    if scope.category_id:
        tree = CategoryTree.load(session, actor.company_id)
        where.append(Item.category_id.in_(tree.subtree(scope.category_id)))
    return replay.costed_items(session, where)


Located = list[tuple[str, engine.Period]]  # (location, period) of each variant there
Parts = dict[tuple[str, str, str], engine.Period]  # (item, variant or "", location) -> period


def _replayed(
    session: Session, actor: Actor, company: Company, scope: _Scope
) -> list[tuple[replay.CostedItem, Located]]:
    """Each item's period at each location holding its stock (at the one asked for). The
    settled part of the period (up to two days back, which no posting in flight can still
    change) is kept in memory while the items stand as they were, so a report asked again
    replays only the last days of the items moved in them: a backdated movement raises its
    item's cost revision, and a changed item (its category, its standard cost) no longer
    matches either."""
    if scope.location_id:
        require_location(session, actor, scope.location_id, "location_id")
    items = _items(session, actor, scope)
    today = company_today(company)
    settled = today - snapshots.SETTLED
    if scope.start > settled:
        parts = _periods(session, actor, items, scope, today)
    else:
        cut = min(scope.end, settled)
        parts = _settled(session, actor, items, replace(scope, end=cut), today)
        moved = snapshots.moved_since(session, actor.company_id, cut, scope.end) & items.keys()
        if moved:  # the items that did not move since keep their settled periods
            rest = replace(scope, start=cut + timedelta(days=1))
            recent = {ident: items[ident] for ident in moved}
            parts = _joined(parts, _periods(session, actor, recent, rest, today))
    found: dict[str, Located] = {}
    for (item_id, _, location_id), period in parts.items():
        found.setdefault(item_id, []).append((location_id, period))
    return [(items[i], located) for i, located in found.items()]


def _periods(
    session: Session,
    actor: Actor,
    items: dict[str, replay.CostedItem],
    scope: _Scope,
    today: date,
) -> Parts:
    parts: Parts = {}
    for history in snapshots.replays(
        session,
        actor.company_id,
        {item.id: item.cost_revision for item in items.values()},
        scope.method,
        scope.end,
        today=today,
        before=scope.start - timedelta(days=1),
    ):
        item = items[history.item_id]
        periods = engine.periods(
            history.events,
            scope.method,
            scope.start,
            standard_cost=item.standard_cost,
            book=history.book,
        )
        for location_id, period in periods.items():
            if not scope.location_id or location_id == scope.location_id:
                parts[(item.id, history.variant_id or "", location_id)] = period
    return parts


# (company, scope ending on a settled day) -> the periods
_SETTLED: Kept[Parts] = Kept(most=64)  # a company's reports over a few filters


def _settled(
    session: Session,
    actor: Actor,
    items: dict[str, replay.CostedItem],
    scope: _Scope,
    today: date,
) -> Parts:
    return _SETTLED.held(
        (actor.company_id, scope),
        tuple(items.values()),  # their cost revisions, categories and standard costs
        lambda: _periods(session, actor, items, scope, today),
    )


def _joined(first: Parts, then: Parts) -> Parts:
    """The periods of two stretches one after the other: the first's opening, both flows,
    the second's closing (either alone where only one holds the location)."""
    joined = dict(first)
    for key, later in then.items():
        earlier = first.get(key)
        if earlier is not None:
            flow = engine.Flow(
                *(getattr(earlier.flow, f.name) + getattr(later.flow, f.name) for f in _FLOWS)
            )
            later = engine.Period(earlier.opening, flow, later.closing)
        joined[key] = later
    return joined


_FLOWS = fields(engine.Flow)


# --- the movements report ---------------------------------------------------------------------


def _parts(
    located: Located, names: dict[str, str] | None
) -> list[tuple[str | None, list[engine.Period]]]:
    """The item's periods per location (in the order of their names), or all together."""
    if names is None:
        return [(None, [period for _, period in located])]
    at: dict[str, list[engine.Period]] = {}
    for loc, period in located:
        at.setdefault(loc, []).append(period)
    return [(loc, at[loc]) for loc in sorted(at, key=lambda loc: names[loc])]


def _figures(group: list[engine.Period], *, internal: bool) -> dict[str, Decimal]:
    """Opening, in, out and closing; ``internal`` leaves moves between locations out."""
    return {
        "opening_quantity": sum((p.opening.quantity for p in group), ZERO),
        "opening_value": sum((p.opening.value for p in group), ZERO),
        "in_quantity": sum((_in(p, internal)[0] for p in group), ZERO),
        "in_value": sum((_in(p, internal)[1] for p in group), ZERO),
        "out_quantity": sum((_out(p, internal)[0] for p in group), ZERO),
        "out_value": sum((_out(p, internal)[1] for p in group), ZERO),
        "closing_quantity": sum((p.closing.quantity for p in group), ZERO),
        "closing_value": sum((p.closing.value for p in group), ZERO),
    }


def _movement_row(
    company: Company,
    item: replay.CostedItem,
    location_id: str | None,
    names: dict[str, str],
    figures: dict[str, Decimal],
) -> dict[str, Any]:
    return {
        "item_id": item.id,
        "item_code": item.item_code,
        "item_name": item.name,
        "location_id": location_id,
        "location_name": names[location_id] if location_id else None,
    } | {k: _money(company, v) if k.endswith("value") else v for k, v in figures.items()}


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


# --- the ABC analysis -------------------------------------------------------------------------


def _ranked(
    company: Company,
    used: list[tuple[replay.CostedItem, Decimal, Decimal]],
    a_share: Decimal,
    b_share: Decimal,
) -> list[dict[str, Any]]:
    """The items used, most valuable first, each with its class: an item is A while the A
    share was not yet full when it came, and so on."""
    total = sum((v for _, _, v in used), ZERO)
    rows: list[dict[str, Any]] = []
    running = ZERO
    for item, quantity, value in used:
        before = running / total * 100 if total else ZERO
        running += value
        cumulative = running / total * 100 if total else Decimal(100)
        label = "A" if before < a_share else "B" if before < a_share + b_share else "C"
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
    return rows


def _classes(
    company: Company, rows: list[dict[str, Any]], values: list[Decimal]
) -> dict[str, dict[str, Any]]:
    """Per class: how many items, their share of the items and of the value, the value."""
    classes: dict[str, list[Any]] = {label: [0, ZERO] for label in "ABC"}
    for row, value in zip(rows, values, strict=True):
        classes[row["classification"]][0] += 1
        classes[row["classification"]][1] += value
    total = sum(values, ZERO)
    return {
        label: {
            "item_count": count,
            "percentage": _share(count, len(rows)),
            "value_percentage": _share(value, total),
            "total_value": _money(company, value),
        }
        for label, (count, value) in classes.items()
    }


def _money(company: Company, value: Decimal) -> Decimal:
    return value.quantize(minor_unit(company.currency), ROUND_HALF_EVEN)


def _share(part: Decimal | int, whole: Decimal | int) -> Decimal:
    if not whole:
        return ZERO
    return (Decimal(part) / Decimal(whole) * 100).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
