"""The ledger as the costing engine reads it: each item's movements up to a day, in date
order, one item at a time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Location
from stockkeeper.costing import engine
from stockkeeper.stock.models import Movement

HOLDING = ("warehouse", "store", "transit")


def standard_cost(item: Item) -> Decimal:
    return item.standard_cost if item.standard_cost is not None else item.cost_price


def events_by_item(
    session: Session, company_id: str, item_ids: list[str], until: date
) -> Iterator[tuple[str, list[engine.Event]]]:
    """(item id, its events) for the items that moved on or before ``until``, in item order;
    rows are fetched in batches, so memory holds one item's history at a time."""
    kinds = dict(
        session.execute(
            select(Location.id, Location.type).where(Location.company_id == company_id)
        ).all()
    )
    m = Movement
    rows = session.execute(
        select(
            m.item_id, m.effective_date, m.quantity, m.value, m.from_location_id, m.to_location_id
        )
        .where(m.company_id == company_id, m.item_id.in_(item_ids), m.effective_date <= until)
        .order_by(m.item_id, m.effective_date, m.id)
        .execution_options(yield_per=5000)
    )
    for item_id, group in groupby(rows, key=lambda row: row[0]):
        yield (
            item_id,
            [
                engine.Event(
                    day=day,
                    quantity=quantity,
                    value=value,
                    source=source if kinds.get(source) in HOLDING else None,
                    target=target if kinds.get(target) in HOLDING else None,
                    usage=kinds.get(target) == "customer",
                )
                for _, day, quantity, value, source, target in group
            ],
        )
