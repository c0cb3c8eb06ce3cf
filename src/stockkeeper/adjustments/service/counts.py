"""Stock counts: a counted quantity becomes an adjustment for the difference."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stockkeeper.adjustments.service.content import location_of
from stockkeeper.adjustments.service.documents import create_adjustment
from stockkeeper.adjustments.values import AdjustmentLine, NewAdjustment, StockCount
from stockkeeper.catalog.models import Item
from stockkeeper.core.errors import UnknownReference
from stockkeeper.stock.service.rows import StockRow, lock_on_hand, stock_at
from stockkeeper.tenancy.service import Actor


def count_stock(session: Session, actor: Actor, *, count: StockCount) -> StockRow:
    """Sets a counted quantity by posting a stock-count adjustment for the difference (none
    when the count matches); returns the stock at that location."""
    location = location_of(session, actor, count.location_id)
    item = session.get(Item, (actor.company_id, count.item_id))
    if item is None:
        raise UnknownReference.at("item_id", "item", count.item_id)
    counted = lock_on_hand(
        session,
        actor.company_id,
        item_id=item.id,
        variant_id=count.variant_id,
        location_id=location.id,
        bin_id=count.bin_id,
    )
    difference = count.new_quantity - counted
    if difference != 0:
        line = AdjustmentLine(
            item_id=item.id,
            variant_id=count.variant_id,
            bin_id=count.bin_id,
            adjustment_quantity=difference,
            unit_cost=count.cost_price,
        )
        adjustment = NewAdjustment(
            date=count.date,
            reason=count.reason,
            location_id=location.id,
            reference=count.reference,
            notes=count.notes,
            items=[line],
        )
        create_adjustment(session, actor, adjustment=adjustment, movement_type="count")
    return stock_at(
        session, actor.company_id, item=item, variant_id=count.variant_id, location=location
    )
