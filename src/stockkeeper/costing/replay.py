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
_AT_BOOKED_VALUE = ("purchase_return", "reversal")  # the ledger fixed what they leave with


def standard_cost(item: Item) -> Decimal:
    return item.standard_cost if item.standard_cost is not None else item.cost_price


Sku = tuple[str, str | None]  # item, variant: what has a cost of its own


def events_by_item(
    session: Session, company_id: str, item_ids: list[str], until: date
) -> Iterator[tuple[Sku, list[engine.Event]]]:
    """((item id, variant id), its events) for what moved on or before ``until``, in item
    order; rows are fetched in batches, so memory holds one history at a time."""
    kinds = dict(
        session.execute(
            select(Location.id, Location.type).where(Location.company_id == company_id)
        ).all()
    )
    m = Movement
    rows = session.execute(
        select(
            m.item_id,
            m.variant_id,
            m.effective_date,
            m.quantity,
            m.value,
            m.from_location_id,
            m.to_location_id,
            m.movement_type,
        )
        .where(m.company_id == company_id, m.item_id.in_(item_ids), m.effective_date <= until)
        .order_by(m.item_id, m.variant_id, m.effective_date, m.id)
        .execution_options(yield_per=5000)
    )
    for sku, group in groupby(rows, key=lambda row: (row[0], row[1])):
        yield (
            sku,
            [
                engine.Event(
                    day=day,
                    quantity=quantity,
                    value=value,
                    source=source if kinds.get(source) in HOLDING else None,
                    target=target if kinds.get(target) in HOLDING else None,
                    usage=kinds.get(target) == "customer",
                    fixed=kind in _AT_BOOKED_VALUE,
                )
                for _, _, day, quantity, value, source, target, kind in group
            ],
        )
