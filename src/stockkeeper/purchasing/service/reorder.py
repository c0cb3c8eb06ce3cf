"""Purchase orders from reorder points: the canonical API's "Automated Reorder Management"
example, made a feature.

Every active stocked item with a reorder point is looked at in each warehouse or store where
it has stock history (or, with none anywhere, in the default warehouse). Where what is on
hand is at or below the reorder point, it is ordered: its reorder quantity less what is
already on order there (created orders included), from its own supplier, at its cost
price. One order (status ``created``) is made per supplier and location, expected after the
longest lead time of its lines. Items that qualify but cannot be ordered are reported with
the reason.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Location, Supplier
from stockkeeper.catalog.service.categories import CategoryTree
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.catalog.service.locations import default_warehouse, require_location
from stockkeeper.purchasing.kind import ZERO
from stockkeeper.purchasing.models import PurchaseOrder, PurchaseOrderLine
from stockkeeper.purchasing.service.orders import create_order
from stockkeeper.purchasing.values import NewOrder, OrderLine, ReorderRun
from stockkeeper.purchasing.views import Decision, OrderView, ReorderView
from stockkeeper.stock.models import StockLevel
from stockkeeper.tenancy.service import Actor, company_today, get_company

Figures = dict[str, dict[str, tuple[Decimal, Decimal]]]  # item -> location -> on hand, on order


def create_orders_from_reorder(session: Session, actor: Actor, *, run: ReorderRun) -> ReorderView:
    """Creates the orders the plan calls for (each announced as created); returns every
    decision, each included one with its order, and the orders."""
    decisions = _without_inactive_suppliers(session, actor, plan(session, actor, run))
    groups: dict[tuple[str, str], list[Decision]] = defaultdict(list)
    for d in decisions:
        if d.included and d.item.supplier_id is not None:
            groups[(d.item.supplier_id, d.location_id)].append(d)
    today = company_today(get_company(session, actor.company_id))
    made: dict[tuple[str, str], OrderView] = {}
    for (supplier_id, location_id), group in sorted(groups.items()):
        lead = max((d.item.lead_time_days or 0) for d in group)
        order = NewOrder(
            supplier_id=supplier_id,
            location_id=location_id,
            expected_date=today + timedelta(days=lead),
            notes="Created from reorder points",
            items=[
                OrderLine(
                    item_id=d.item.id, quantity=d.quantity, unit_cost=d.item.cost_price or ZERO
                )
                for d in group
            ],
        )
        made[(supplier_id, location_id)] = create_order(session, actor, order=order)
    ordered = [
        replace(d, order=made[(d.item.supplier_id, d.location_id)].order)
        if d.included and d.item.supplier_id is not None
        else d
        for d in decisions
    ]
    views = {view.order.id: view for view in made.values()}
    in_order = dict.fromkeys(d.order.id for d in ordered if d.order is not None)
    return ReorderView(ordered, [views[ident] for ident in in_order])


def plan(session: Session, actor: Actor, run: ReorderRun) -> list[Decision]:
    """What is at or below its reorder point, and how much of it to order."""
    items = _candidates(session, actor, run)
    figures = _figures(session, actor, [i.id for i in items])
    only: Location | None = None
    if run.location_id:
        only = require_location(session, actor, run.location_id, "location_id")
    fallback = default_warehouse(session, actor.company_id)
    decisions = []
    for item in items:
        places = figures.get(item.id, {})
        if only is not None:
            places = {only.id: places.get(only.id, (ZERO, ZERO))}
        elif not places and fallback is not None:
            places = {fallback.id: (ZERO, ZERO)}
        for location_id, (on_hand, on_order) in sorted(places.items()):
            assert item.reorder_point is not None
            if on_hand <= item.reorder_point:
                decisions.append(_decide(item, location_id, on_hand, on_order))
    return decisions


def _decide(item: Item, location_id: str, on_hand: Decimal, on_order: Decimal) -> Decision:
    decision = Decision(item, location_id, on_hand, on_order)
    if not item.reorder_quantity:
        return replace(decision, reason="no reorder quantity")
    if not item.supplier_id:
        return replace(decision, reason="no supplier")
    if item.reorder_quantity <= on_order:
        return replace(decision, reason="already on order")
    return replace(decision, quantity=item.reorder_quantity - on_order)


def _without_inactive_suppliers(
    session: Session, actor: Actor, decisions: list[Decision]
) -> list[Decision]:
    """The decisions, those of an inactive supplier's items skipped."""
    ids = {d.item.supplier_id for d in decisions if d.included and d.item.supplier_id}
    suppliers = rows_by_id(session, Supplier, actor.company_id, ids)
    return [
        replace(d, reason="supplier inactive")
        if d.included and d.item.supplier_id and not suppliers[d.item.supplier_id].active
        else d
        for d in decisions
    ]


def _candidates(session: Session, actor: Actor, run: ReorderRun) -> list[Item]:
    where: list[Any] = [
        Item.company_id == actor.company_id,
        Item.type == "inventory",
        Item.tracked.is_(True),
        Item.is_active.is_(True),
        Item.reorder_point.is_not(None),
    ]
    if run.supplier_id:
        where.append(Item.supplier_id == run.supplier_id)
    if run.category_id:
        tree = CategoryTree.load(session, actor.company_id)
        where.append(Item.category_id.in_(tree.subtree(run.category_id)))
    return list(session.scalars(select(Item).where(*where).order_by(Item.item_code)))


def _figures(session: Session, actor: Actor, item_ids: list[str]) -> Figures:
    """Item -> location -> (on hand, on order), over warehouses and stores; orders still
    being drawn up (created) count as on order here, so that a second run adds nothing."""
    rows = session.execute(
        select(
            StockLevel.item_id,
            StockLevel.location_id,
            func.sum(StockLevel.on_hand),
            func.sum(StockLevel.on_order),
        )
        .where(
            StockLevel.company_id == actor.company_id,
            StockLevel.physical.is_(True),
            StockLevel.item_id.in_(item_ids),
        )
        .group_by(StockLevel.item_id, StockLevel.location_id)
    )
    drafted = session.execute(
        select(
            PurchaseOrderLine.item_id,
            PurchaseOrder.location_id,
            func.sum(PurchaseOrderLine.quantity),
        )
        .join(
            PurchaseOrder,
            (PurchaseOrder.company_id == PurchaseOrderLine.company_id)
            & (PurchaseOrder.id == PurchaseOrderLine.order_id),
        )
        .where(
            PurchaseOrder.company_id == actor.company_id,
            PurchaseOrder.status == "created",
            PurchaseOrder.deleted_at.is_(None),
            PurchaseOrderLine.item_id.in_(item_ids),
        )
        .group_by(PurchaseOrderLine.item_id, PurchaseOrder.location_id)
    )
    found: Figures = defaultdict(dict)
    for item_id, location_id, on_hand, on_order in rows:
        found[item_id][location_id] = (on_hand, on_order)
    for item_id, location_id, quantity in drafted:
        on_hand, on_order = found[item_id].get(location_id, (ZERO, ZERO))
        found[item_id][location_id] = (on_hand, on_order + quantity)
    return found
