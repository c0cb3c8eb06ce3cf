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
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Location, Supplier
from stockkeeper.catalog.service.categories import CategoryTree
from stockkeeper.catalog.service.locations import default_warehouse, require_location
from stockkeeper.purchasing import orders
from stockkeeper.purchasing.models import PurchaseOrder, PurchaseOrderLine
from stockkeeper.stock.models import StockLevel
from stockkeeper.tenancy.service import Actor, company_today, get_company

ZERO = Decimal(0)


@dataclass
class Decision:
    item: Item
    location_id: str
    on_hand: Decimal
    on_order: Decimal
    quantity: Decimal = ZERO
    reason: str | None = None  # why it was skipped
    order: PurchaseOrder | None = None  # the order it went on

    @property
    def included(self) -> bool:
        return self.reason is None


def _candidates(session: Session, actor: Actor, values: dict[str, Any]) -> list[Item]:
    where: list[Any] = [
        Item.company_id == actor.company_id,
        Item.type == "inventory",
        Item.tracked.is_(True),
        Item.is_active.is_(True),
        Item.reorder_point.is_not(None),
    ]
    if values.get("supplier_id"):
        where.append(Item.supplier_id == values["supplier_id"])
    if values.get("category_id"):
        tree = CategoryTree.load(session, actor.company_id)
        where.append(Item.category_id.in_(tree.subtree(values["category_id"])))
    return list(session.scalars(select(Item).where(*where).order_by(Item.item_code)))


def _figures(
    session: Session, actor: Actor, item_ids: list[str]
) -> dict[str, dict[str, tuple[Decimal, Decimal]]]:
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
    found: dict[str, dict[str, tuple[Decimal, Decimal]]] = defaultdict(dict)
    for item_id, location_id, on_hand, on_order in rows:
        found[item_id][location_id] = (on_hand, on_order)
    for item_id, location_id, quantity in drafted:
        on_hand, on_order = found[item_id].get(location_id, (ZERO, ZERO))
        found[item_id][location_id] = (on_hand, on_order + quantity)
    return found


def plan(session: Session, actor: Actor, values: dict[str, Any]) -> list[Decision]:
    """What is at or below its reorder point, and how much of it to order."""
    items = _candidates(session, actor, values)
    figures = _figures(session, actor, [i.id for i in items])
    only: Location | None = None
    if values.get("location_id"):
        only = require_location(session, actor, values["location_id"], "locationId")
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
            if on_hand > item.reorder_point:
                continue
            decision = Decision(item, location_id, on_hand, on_order)
            decisions.append(decision)
            if not item.reorder_quantity:
                decision.reason = "no reorder quantity"
            elif not item.supplier_id:
                decision.reason = "no supplier"
            elif item.reorder_quantity <= on_order:
                decision.reason = "already on order"
            else:
                decision.quantity = item.reorder_quantity - on_order
    return decisions


def create_from_reorder(session: Session, actor: Actor, values: dict[str, Any]) -> list[Decision]:
    """Creates the orders the plan calls for; returns every decision, each included one
    with its order."""
    decisions = plan(session, actor, values)
    suppliers = {
        s.id: s
        for s in session.scalars(
            select(Supplier).where(
                Supplier.company_id == actor.company_id,
                Supplier.id.in_({d.item.supplier_id for d in decisions if d.included}),
            )
        )
    }
    groups: dict[tuple[str, str], list[Decision]] = defaultdict(list)
    for d in decisions:
        if d.included:
            assert d.item.supplier_id is not None
            if suppliers[d.item.supplier_id].active:
                groups[(d.item.supplier_id, d.location_id)].append(d)
            else:
                d.reason = "supplier inactive"
    today = company_today(get_company(session, actor.company_id))
    for (supplier_id, location_id), group in sorted(groups.items()):
        lead = max((d.item.lead_time_days or 0) for d in group)
        order = orders.create_order(
            session,
            actor,
            values={
                "supplier_id": supplier_id,
                "location_id": location_id,
                "expected_date": today + timedelta(days=lead),
                "notes": "Created from reorder points",
                "items": [
                    {
                        "item_id": d.item.id,
                        "quantity": d.quantity,
                        "unit_cost": d.item.cost_price or ZERO,
                    }
                    for d in group
                ],
            },
        )
        for d in group:
            d.order = order
    return decisions
