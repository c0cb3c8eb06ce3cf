"""Checks the ledger against its projection: ``stockkeeper check`` and the tests' invariants.

Rebuilds every stock level from the movements and compares on hand and value; checks that
each item's quantity and value sum to zero over all locations, virtual ones included; and
that no physical level is below zero, nor any item x location below what is reserved there,
where the company does not allow negative stock; and that the items' stock totals and
purchase figures agree with the movements.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from stockkeeper.catalog.models import Item, Location
from stockkeeper.stock.models import Movement, StockLevel
from stockkeeper.stock.service.cost_figures import purchase_sign
from stockkeeper.stock.service.levels import level_key
from stockkeeper.tenancy.models import Company

ZERO = Decimal(0)


def _ledger_totals(
    session: Session, company_id: str | None
) -> dict[tuple[str, str], list[Decimal]]:
    """(company, level key) -> [quantity, value] as the movements add up."""
    m = Movement
    totals: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for incoming, location, bin_id in (
        (True, m.to_location_id, m.to_bin_id),
        (False, m.from_location_id, m.from_bin_id),
    ):
        statement = select(
            m.company_id,
            m.item_id,
            m.variant_id,
            location,
            bin_id,
            m.batch_id,
            m.serial_id,
            func.sum(m.quantity),
            func.sum(m.value),
        ).group_by(m.company_id, m.item_id, m.variant_id, location, bin_id, m.batch_id, m.serial_id)
        if company_id:
            statement = statement.where(m.company_id == company_id)
        sign = 1 if incoming else -1
        for company, item, variant, loc, bin_, batch, serial, quantity, value in session.execute(
            statement
        ):
            entry = totals[(company, level_key(item, variant, loc, bin_, batch, serial))]
            entry[0] += sign * quantity
            entry[1] += sign * value
    return totals


def check_ledger(session: Session, company_id: str | None = None) -> list[str]:
    """Every difference found, in words; an empty list means the ledger and levels agree."""
    statement = select(StockLevel)
    if company_id:
        statement = statement.where(StockLevel.company_id == company_id)
    levels = list(session.scalars(statement))
    problems = _levels_against_movements(session, company_id, levels)
    problems += _nothing_below_zero(session, levels)
    return problems + _items_against_levels(session, company_id, levels)


def _levels_against_movements(
    session: Session, company_id: str | None, levels: list[StockLevel]
) -> list[str]:
    """Each level's on hand and value as its movements add up, and every item's quantities
    and values summing to zero over all locations."""
    expected = _ledger_totals(session, company_id)
    problems = []
    per_item: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for level in levels:
        quantity, value = expected.pop((level.company_id, level.level_key), [ZERO, ZERO])
        if (level.on_hand, level.value) != (quantity, value):
            problems.append(
                f"{_where(level)}: on hand {level.on_hand} and value {level.value}, "
                f"but the movements add up to {quantity} and {value}"
            )
        totals = per_item[(level.company_id, level.item_id)]
        totals[0] += level.on_hand
        totals[1] += level.value
    for key, (quantity, value) in sorted(expected.items()):
        if (quantity, value) != (ZERO, ZERO):
            problems.append(
                f"company {key[0]}, level {key[1]}: no level row, "
                f"but the movements add up to {quantity}"
            )
    for (company, item), (quantity, value) in sorted(per_item.items()):
        if quantity != 0 or value != 0:
            problems.append(
                f"company {company}, item {item}: quantities over all locations sum to {quantity} "
                f"and values to {value}, not zero"
            )
    return problems


def _nothing_below_zero(session: Session, levels: list[StockLevel]) -> list[str]:
    """Where negative stock is not allowed: no level below zero (or below what is reserved
    of it), no item x location with more reserved than on hand."""
    negative_allowed = dict(session.execute(select(Company.id, Company.allow_negative_stock)).all())
    problems = []
    # (company, item, variant, location) -> on hand less reserved
    available: dict[tuple[str, str, str | None, str], Decimal] = defaultdict(Decimal)
    for level in levels:
        if not level.physical or negative_allowed.get(level.company_id, False):
            continue
        where = (level.company_id, level.item_id, level.variant_id, level.location_id)
        available[where] += level.on_hand - level.reserved
        base = not (level.bin_id or level.batch_id or level.serial_id)
        if level.on_hand - (0 if base else level.reserved) < 0:
            problems.append(
                f"{_where(level)}: {level.on_hand} on hand, {level.reserved} reserved, "
                "below zero where negative stock is not allowed"
            )
    return problems + [
        f"company {company}, item {item}, variant {variant}, location {location}: "
        f"{-free} more reserved than on hand"
        for (company, item, variant, location), free in available.items()
        if free < 0
    ]


def _items_against_levels(
    session: Session, company_id: str | None, levels: list[StockLevel]
) -> list[str]:
    """Each item's stock total against its levels at warehouses and stores, and its
    purchase figures against its movements."""
    on_premises: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for level in levels:
        if level.physical:
            on_premises[(level.company_id, level.item_id)] += level.on_hand
    items = select(
        Item.company_id, Item.id, Item.stock_on_hand, Item.purchased_quantity, Item.purchased_value
    )
    if company_id:
        items = items.where(Item.company_id == company_id)
    bought = _purchases(session, company_id)
    problems = []
    for company, item, total, quantity, value in session.execute(items):
        held = on_premises.get((company, item), ZERO)
        if total != held:
            problems.append(
                f"company {company}, item {item}: its stock total says {total}, "
                f"but its levels at warehouses and stores add up to {held}"
            )
        if [quantity, value] != bought.get((company, item), [ZERO, ZERO]):
            problems.append(
                f"company {company}, item {item}: {quantity} bought for {value}, but its "
                f"movements add up to {bought.get((company, item), [ZERO, ZERO])}"
            )
    return problems


def _purchases(session: Session, company_id: str | None) -> dict[tuple[str, str], list[Decimal]]:
    """(company, item) -> [quantity, value] bought, as the movements add up."""
    source, target = aliased(Location), aliased(Location)
    m = Movement
    statement = (
        select(
            m.company_id, m.item_id, source.type, target.type, m.movement_type, m.quantity, m.value
        )
        .join(source, (source.company_id == m.company_id) & (source.id == m.from_location_id))
        .join(target, (target.company_id == m.company_id) & (target.id == m.to_location_id))
    )
    if company_id:
        statement = statement.where(m.company_id == company_id)
    found: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for company, item, from_kind, to_kind, kind, quantity, value in session.execute(statement):
        sign = purchase_sign(from_kind, to_kind, kind, quantity)
        if sign:
            found[(company, item)][0] += sign * quantity
            found[(company, item)][1] += sign * value
    return found


def _where(level: Any) -> str:
    return f"company {level.company_id}, level {level.level_key}"


def ledger_size(session: Session) -> tuple[int, int]:
    return (
        session.scalar(select(func.count()).select_from(Movement)) or 0,
        session.scalar(select(func.count()).select_from(StockLevel)) or 0,
    )
