"""An item's quantity on hand set directly, as a stock count: for the companies that do not
receive stock on purchase orders (the company setting ``purchase_orders_enabled`` off), whose
clients keep one quantity per product (the smallbiz dialect)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from stockkeeper.adjustments.service.counts import count_stock
from stockkeeper.adjustments.values import StockCount
from stockkeeper.catalog.service.items import get_item as catalog_item
from stockkeeper.catalog.service.locations import location_or_default
from stockkeeper.catalog.values import ItemChanges
from stockkeeper.core.errors import Invalid, field_error
from stockkeeper.stock.errors import StockFromPurchaseOrders
from stockkeeper.stock.service.items import get_item, update_item
from stockkeeper.stock.service.queries import item_stock
from stockkeeper.stock.views.items import ItemView
from stockkeeper.tenancy.service import Actor, get_company

_FIELD = "on_hand"


def update_item_counted(
    session: Session,
    actor: Actor,
    *,
    item_id: str,
    changes: ItemChanges,
    on_hand: Decimal | None = None,
) -> ItemView:
    """Changes the item as ``update_item`` does; with ``on_hand``, first sets its stock over
    all warehouses and stores to that quantity (``count_item``)."""
    if on_hand is not None:
        count_item(session, actor, item_id=item_id, on_hand=on_hand)
    if not changes.model_fields_set:
        return get_item(session, actor, item_id=item_id)
    return update_item(session, actor, item_id=item_id, changes=changes)


def count_item(session: Session, actor: Actor, *, item_id: str, on_hand: Decimal) -> None:
    """Sets the item's stock over all warehouses and stores to ``on_hand``, as counted: the
    difference is a stock count at the company's default warehouse (its stock elsewhere
    stays). A quantity equal to the stock changes nothing and is taken from anyone; another
    is refused (409 ``purchase_orders_enabled``) where stock comes in on purchase orders."""
    item = catalog_item(session, actor, item_id=item_id)
    stock = item_stock(session, actor.company_id, [item.id]).get(item.id)
    total = stock.on_hand if stock else Decimal(0)
    if on_hand == total:
        return
    if get_company(session, actor.company_id).purchase_orders_enabled:
        raise StockFromPurchaseOrders(StockFromPurchaseOrders.example)
    warehouse = location_or_default(
        session,
        actor,
        None,
        _FIELD,
        missing="the company has no default warehouse to count the stock at",
    )
    there = stock.locations.get(warehouse.id) if stock else None
    elsewhere = total - (there.on_hand if there else Decimal(0))
    if on_hand < max(elsewhere, Decimal(0)):
        held = f"the item holds {elsewhere} outside the default warehouse {warehouse.name}"
        message = f"below what stays: {held}" if elsewhere > 0 else "must not be below zero"
        raise Invalid.fields([field_error(_FIELD, message, "below_stock")])
    count = StockCount(item_id=item.id, location_id=warehouse.id, new_quantity=on_hand - elsewhere)
    count_stock(session, actor, count=count)
