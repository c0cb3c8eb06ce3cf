"""The movement list by numbered pages (``offset``, for the faces whose clients number their
pages) and with each row's item name, through the service alone."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from stockkeeper.adjustments.service import count_stock
from stockkeeper.adjustments.values import StockCount
from stockkeeper.stock.service.movements import list_movements
from stockkeeper.stock.values import MovementFilters
from tests.factories import new_item, new_location
from tests.support import Tenant


def test_pages_by_offset_in_the_list_order(session: Session, tenant: Tenant) -> None:
    actor = tenant.actor
    location = new_location(session, actor)
    item = new_item(session, actor, name="Counted thing")
    for quantity in (1, 3, 6, 10):
        count = StockCount(item_id=item, location_id=location, new_quantity=Decimal(quantity))
        count_stock(session, actor, count=count)
    filters = MovementFilters(item_id=item)
    rows, _, total = list_movements(session, actor, filters=filters, limit=10, cursor=None)
    assert total == 4 and [r["quantity"] for r in rows] == [4, 3, 2, 1]
    assert {r["item_name"] for r in rows} == {"Counted thing"}
    pages = [
        list_movements(session, actor, filters=filters, limit=3, cursor=None, offset=skip)
        for skip in (0, 3, 6)
    ]
    assert [r["id"] for page, _, _ in pages for r in page] == [r["id"] for r in rows]
    assert [(len(page), more is not None, count) for page, more, count in pages] == [
        (3, True, 4),
        (1, False, 4),
        (0, False, 4),
    ]
