"""Reading purchase orders: one with its receipts, a page of them, a supplier's latest; and
an order's view as a change leaves it, for its response and its event."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Supplier
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.catalog.service.suppliers import get_supplier
from stockkeeper.core import outbox
from stockkeeper.core.outbox import EventName
from stockkeeper.core.pagination import Listed
from stockkeeper.purchasing.kind import PURCHASE_ORDERS
from stockkeeper.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
)
from stockkeeper.purchasing.values import OrderFilters, OrderStatus
from stockkeeper.purchasing.views import OrderView, Receipts, SupplierWithOrders
from stockkeeper.stock.service.documents import locations_by_id
from stockkeeper.tenancy.service import Actor

RECENT = 20  # a supplier's orders its detail shows


def get_order(session: Session, actor: Actor, *, order_id: str) -> OrderView:
    order = PURCHASE_ORDERS.get(session, actor, order_id)
    return replace(views_of(session, actor, [order], with_receipts=True)[0], role=actor.role)


def list_orders(
    session: Session,
    actor: Actor,
    *,
    filters: OrderFilters,
    limit: int,
    cursor: str | None,
    offset: int = 0,
    statuses: Collection[OrderStatus] = (),
) -> Listed[OrderView]:
    """Newest first (by order date, then creation); the views show no receipts. ``offset``
    skips that many first (a page by its number); ``statuses``, when given, lists only the
    orders in one of them (for a face that shows several statuses as one; with no cursor)."""
    where = [PurchaseOrder.status.in_(list(statuses))] if statuses else []
    page = PURCHASE_ORDERS.page(
        session, actor, filters, limit=limit, cursor=cursor, where=where, offset=offset
    )
    rows = [replace(view, role=actor.role) for view in views_of(session, actor, page.rows)]
    return Listed(rows, page.next_cursor, page.total)


def get_supplier_with_orders(
    session: Session, actor: Actor, *, supplier_id: str
) -> SupplierWithOrders:
    """A supplier with its most recent orders (the supplier's detail)."""
    supplier = get_supplier(session, actor, supplier_id=supplier_id)
    return SupplierWithOrders(supplier, recent_orders(session, actor, supplier_id=supplier.id))


def recent_orders(session: Session, actor: Actor, *, supplier_id: str) -> list[OrderView]:
    """A supplier's most recent orders, newest first; the views show no receipts."""
    o = PurchaseOrder
    found = session.scalars(
        select(o)
        .where(
            o.company_id == actor.company_id, o.supplier_id == supplier_id, o.deleted_at.is_(None)
        )
        .order_by(o.order_date.desc(), o.id.desc())
        .limit(RECENT)
    )
    return views_of(session, actor, list(found))


def views_of(
    session: Session, actor: Actor, orders: list[PurchaseOrder], *, with_receipts: bool = False
) -> list[OrderView]:
    """The orders' views, each kind of row they show read once for all of them."""
    if not orders:
        return []
    ids = [o.id for o in orders]
    lines = PURCHASE_ORDERS.lines(session, actor.company_id, ids)
    suppliers = rows_by_id(session, Supplier, actor.company_id, {o.supplier_id for o in orders})
    locations = locations_by_id(session, actor.company_id, (o.location_id for o in orders))
    receipts = _receipts(session, actor, ids) if with_receipts else {i: [] for i in ids}
    return [
        OrderView(
            o, suppliers[o.supplier_id], locations[o.location_id], lines[o.id], receipts[o.id]
        )
        for o in orders
    ]


def current(
    session: Session,
    actor: Actor,
    order: PurchaseOrder,
    lines: list[PurchaseOrderLine] | None = None,
) -> OrderView:
    """The order as it stands in this transaction; with its ``lines`` at hand (their items
    held by the checks or the posting), those are not read again."""
    session.flush()
    if lines is None:
        return views_of(session, actor, [order], with_receipts=True)[0]
    items = rows_by_id(session, Item, actor.company_id, {line.item_id for line in lines})
    suppliers = rows_by_id(session, Supplier, actor.company_id, {order.supplier_id})
    locations = locations_by_id(session, actor.company_id, [order.location_id])
    return OrderView(
        order,
        suppliers[order.supplier_id],
        locations[order.location_id],
        [(line, items[line.item_id]) for line in lines],
        _receipts(session, actor, [order.id])[order.id],
    )


def announce(
    session: Session,
    actor: Actor,
    view: OrderView,
    event: EventName = "purchase_order.updated",
    change: str | None = None,
) -> OrderView:
    """Announces the order as its change left it (an update names the ``change``)."""
    outbox.emit(session, actor.company_id, event, view.data, change=change)
    return view


def _receipts(session: Session, actor: Actor, order_ids: list[str]) -> dict[str, Receipts]:
    """Each order's receipts and returns, oldest first, with their lines in order."""
    r, line = PurchaseReceipt, PurchaseReceiptLine
    found = list(
        session.scalars(
            select(r)
            .where(r.company_id == actor.company_id, r.order_id.in_(order_ids))
            .order_by(r.created_at, r.id)
        )
    )
    by_receipt: dict[str, list[PurchaseReceiptLine]] = {receipt.id: [] for receipt in found}
    if found:
        rows = session.scalars(
            select(line)
            .where(line.company_id == actor.company_id, line.receipt_id.in_(list(by_receipt)))
            .order_by(line.receipt_id, line.position)
        )
        for row in rows:
            by_receipt[row.receipt_id].append(row)
    receipts: dict[str, Receipts] = {ident: [] for ident in order_ids}
    for receipt in found:
        receipts[receipt.order_id].append((receipt, by_receipt[receipt.id]))
    return receipts
