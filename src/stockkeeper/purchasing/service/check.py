"""What is on order, recomputed from the open purchase order lines that count on order (those
written for items whose stock is tracked, not those of non-stock items and services) and
compared with the figures the stock reads use (the base levels' ``on_order`` and the items'
totals)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item
from stockkeeper.purchasing.kind import OPEN
from stockkeeper.purchasing.models import PurchaseOrder, PurchaseOrderLine
from stockkeeper.stock.models import StockLevel

ZERO = Decimal(0)
Key = tuple[str, str, str | None, str]  # company, item, variant, location


def check_on_order(session: Session, company_id: str | None = None) -> list[str]:
    """Every difference, in words; an empty list means the on-order figures agree."""
    expected = _open_lines(session, company_id)
    problems, found, per_item = _levels(session, company_id)
    for key in sorted(set(expected) | set(found), key=str):
        if expected.get(key, ZERO) != found.get(key, ZERO):
            _, item, variant, location = key
            problems.append(
                f"{item}{'/' + variant if variant else ''} at {location}: {found.get(key, ZERO)} "
                f"on order, but the open order lines add up to {expected.get(key, ZERO)}"
            )
    items = select(Item.company_id, Item.id, Item.stock_on_order).where(Item.stock_on_order != 0)
    if company_id:
        items = items.where(Item.company_id == company_id)
    totals = {(c, i): total for c, i, total in session.execute(items)}
    for pair in sorted(set(totals) | set(per_item)):
        if totals.get(pair, ZERO) != per_item.get(pair, ZERO):
            problems.append(
                f"item {pair[1]}: {totals.get(pair, ZERO)} on order in total, but its levels "
                f"add up to {per_item.get(pair, ZERO)}"
            )
    return problems


def _open_lines(session: Session, company_id: str | None) -> dict[Key, Decimal]:
    """What the open order lines have on order, where."""
    o, line = PurchaseOrder, PurchaseOrderLine
    open_lines = (
        select(
            line.company_id,
            line.item_id,
            line.variant_id,
            o.location_id,
            line.quantity,
            line.quantity_received,
        )
        .join(o, (o.company_id == line.company_id) & (o.id == line.order_id))
        .where(o.status.in_(OPEN), o.deleted_at.is_(None), line.stocked.is_(True))
    )
    if company_id:
        open_lines = open_lines.where(o.company_id == company_id)
    expected: dict[Key, Decimal] = defaultdict(Decimal)
    for company, item, variant, location, quantity, received in session.execute(open_lines):
        expected[(company, item, variant, location)] += max(ZERO, quantity - received)
    return expected


def _levels(
    session: Session, company_id: str | None
) -> tuple[list[str], dict[Key, Decimal], dict[tuple[str, str], Decimal]]:
    """The bin, batch or serial levels with anything on order (only base levels may have),
    what the levels have on order where, and per item."""
    levels = select(
        StockLevel.company_id,
        StockLevel.item_id,
        StockLevel.variant_id,
        StockLevel.location_id,
        StockLevel.on_order,
        StockLevel.bin_id,
        StockLevel.batch_id,
        StockLevel.serial_id,
    ).where(StockLevel.on_order != 0)
    if company_id:
        levels = levels.where(StockLevel.company_id == company_id)
    problems = []
    found: dict[Key, Decimal] = {}
    per_item: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for company, item, variant, location, on_order, *lot in session.execute(levels):
        if any(lot):
            problems.append(f"{item} at {location}: {on_order} on order on a bin/batch level")
        found[(company, item, variant, location)] = on_order
        per_item[(company, item)] += on_order
    return problems, found, per_item
