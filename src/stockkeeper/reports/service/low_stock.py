"""The low-stock report: every stocked item at or below its minimum stock or its reorder
point at a warehouse or store (an item never stocked anywhere, at the default warehouse),
with what is on order and what to order."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Subquery, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Location, Supplier
from stockkeeper.catalog.service.categories import CategoryTree
from stockkeeper.catalog.service.locations import default_warehouse
from stockkeeper.core.types import utcnow
from stockkeeper.reports.values import LowStockFilters
from stockkeeper.reports.views import ReportView, low_stock_view
from stockkeeper.stock.models import StockLevel
from stockkeeper.tenancy.service import Actor, company_today, get_company

ZERO = Decimal(0)


def suggested_quantity(item: Item, on_hand: Decimal, on_order: Decimal) -> Decimal:
    """The reorder quantity less what is on order; without one, what brings the stock (with
    what is on order) up to the maximum, else the minimum."""
    if item.reorder_quantity:
        return max(ZERO, item.reorder_quantity - on_order)
    target = item.maximum_stock or item.minimum_stock or ZERO
    return max(ZERO, target - on_hand - on_order)


def low_stock_report(session: Session, actor: Actor, *, filters: LowStockFilters) -> ReportView:
    found = _low(session, actor, filters)
    found.sort(key=lambda row: (row[0].item_code, row[1].name))
    suppliers = _suppliers(session, actor, {item.supplier_id for item, *_ in found})
    rows = [_row(*low, suppliers.get(low[0].supplier_id or "")) for low in found]
    document = {
        "report_name": "Low Stock Report",
        "generated_at": utcnow(),
        "total_items": len(rows),
        "estimated_cost": sum((r["estimated_cost"] for r in rows), ZERO),
        "items": rows,
    }
    return low_stock_view(document, company_today(get_company(session, actor.company_id)))


Low = tuple[Item, Location, Decimal, Decimal, Decimal]  # on hand, reserved, on order


def _low(session: Session, actor: Actor, filters: LowStockFilters) -> list[Low]:
    """Each watched item at each warehouse or store where it is at or below its minimum or
    reorder point; one never stocked anywhere, at the default warehouse."""
    watched: list[Any] = [
        Item.company_id == actor.company_id,
        Item.type == "inventory",
        Item.tracked.is_(True),
        Item.is_active.is_(True),
        or_(Item.minimum_stock.is_not(None), Item.reorder_point.is_not(None)),
    ]
    if filters.category_id:
        tree = CategoryTree.load(session, actor.company_id)
        watched.append(Item.category_id.in_(tree.subtree(filters.category_id)))
    totals = _totals(actor, filters.location_id)
    statement = (
        select(Item, Location, totals.c.on_hand, totals.c.reserved, totals.c.on_order)
        .join(totals, Item.id == totals.c.item_id)
        .join(
            Location,
            and_(Location.company_id == actor.company_id, Location.id == totals.c.location_id),
        )
        .where(
            *watched,
            or_(
                and_(Item.minimum_stock.is_not(None), totals.c.on_hand <= Item.minimum_stock),
                and_(Item.reorder_point.is_not(None), totals.c.on_hand <= Item.reorder_point),
            ),
        )
    )
    found: list[Low] = [(item, loc, *figures) for item, loc, *figures in session.execute(statement)]
    warehouse = default_warehouse(session, actor.company_id)
    if warehouse is not None and filters.location_id in (None, warehouse.id):
        never = ~exists().where(
            StockLevel.company_id == actor.company_id,
            StockLevel.item_id == Item.id,
            StockLevel.physical.is_(True),
        )
        for item in session.scalars(select(Item).where(*watched, never)):
            found.append((item, warehouse, ZERO, ZERO, ZERO))
    return found


def _totals(actor: Actor, location_id: str | None) -> Subquery:
    """On hand, reserved and on order per item and warehouse or store."""
    level = StockLevel
    sums = (
        select(
            level.item_id,
            level.location_id,
            func.sum(level.on_hand).label("on_hand"),
            func.sum(level.reserved).label("reserved"),
            func.sum(level.on_order).label("on_order"),
        )
        .where(level.company_id == actor.company_id, level.physical.is_(True))
        .group_by(level.item_id, level.location_id)
    )
    if location_id:
        sums = sums.where(level.location_id == location_id)
    return sums.subquery()


def _suppliers(session: Session, actor: Actor, ids: set[str | None]) -> dict[str, Supplier]:
    s = Supplier
    statement = select(s).where(s.company_id == actor.company_id, s.id.in_(ids - {None}))
    return {supplier.id: supplier for supplier in session.scalars(statement)}


def _row(
    item: Item,
    location: Location,
    held: Decimal,
    kept: Decimal,
    ordered: Decimal,
    supplier: Supplier | None,
) -> dict[str, Any]:
    quantity = suggested_quantity(item, held, ordered)
    return {
        "item_id": item.id,
        "item_code": item.item_code,
        "item_name": item.name,
        "location_id": location.id,
        "location_name": location.name,
        "current_stock": held,
        "available_stock": held - kept,
        "minimum_stock": item.minimum_stock,
        "reorder_point": item.reorder_point,
        "on_order_stock": ordered,
        "suggested_quantity": quantity,
        "supplier_id": supplier.id if supplier else None,
        "supplier_name": supplier.name if supplier else None,
        "unit_cost": item.cost_price,
        "estimated_cost": quantity * item.cost_price,
    }
