"""The movement list by numbered pages (``offset``, for the faces whose clients number their
pages) and with each row's item name, through the service alone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from stockkeeper.adjustments.service import count_stock
from stockkeeper.adjustments.values import StockCount
from stockkeeper.stock.service import ledger
from stockkeeper.stock.service.lines import Document, Line
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
    listed = list_movements(session, actor, filters=filters, limit=10, cursor=None)
    rows = listed.rows
    assert listed.total == 4 and [r["quantity"] for r in rows] == [4, 3, 2, 1]
    assert {r["item_name"] for r in rows} == {"Counted thing"}
    pages = [
        list_movements(session, actor, filters=filters, limit=3, cursor=None, offset=skip)
        for skip in (0, 3, 6)
    ]
    assert [r["id"] for page in pages for r in page.rows] == [r["id"] for r in rows]
    assert [(len(p.rows), p.next_cursor is not None, p.total) for p in pages] == [
        (3, True, 4),
        (1, False, 4),
        (0, False, 4),
    ]


def test_cursor_pages_walk_both_sides_of_each_movement(session: Session, tenant: Tenant) -> None:
    """Pages a row at a time meet every row of the whole list once and in its order, also
    where a movement is a row on each side (stock moved straight between two warehouses)."""
    actor = tenant.actor
    here, there = new_location(session, actor), new_location(session, actor)
    items = [new_item(session, actor) for _ in range(3)]
    for n, item in enumerate(items, start=1):
        count = StockCount(item_id=item, location_id=here, new_quantity=Decimal(n * 5))
        count_stock(session, actor, count=count)
    moves = [Line(item, Decimal(2), here, there, "transfer") for item in items]
    ledger.post(
        session,
        actor,
        document=Document("transfer", "straight", date.today()),
        lines=moves,
        allow_negative=False,
    )
    filters = MovementFilters()
    whole = list_movements(session, actor, filters=filters, limit=100, cursor=None)
    keys = [(r["id"], r["direction"]) for r in whole.rows]
    assert whole.total == len(keys) == 9 and whole.next_cursor is None
    assert [direction for _, direction in keys[:2]] == ["out", "in"]
    walked: list[tuple[str, str]] = []
    cursor = None
    while True:
        page = list_movements(
            session, actor, filters=filters, limit=1, cursor=cursor, with_total=False
        )
        assert page.total is None
        walked += [(r["id"], r["direction"]) for r in page.rows]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert walked == keys
