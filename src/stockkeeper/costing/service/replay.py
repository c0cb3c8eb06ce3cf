"""The ledger as the costing engine reads it: each item's movements in date order, and the few
facts of an item that costing needs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Location
from stockkeeper.costing.service import engine
from stockkeeper.stock.models import Movement

HOLDING = ("warehouse", "store", "transit")
_AT_BOOKED_VALUE = ("purchase_return", "reversal")  # the ledger fixed what they leave with
MANY = 200  # items beyond which reading a date range and leaving out the rest is quicker


@dataclass(frozen=True)
class CostedItem:
    """What a report needs of an item (loading whole catalogue rows would cost more)."""

    id: str
    item_code: str
    name: str
    category_id: str | None
    standard_cost: Decimal  # its standard, or its cost price when it has none
    cost_revision: int


def costed_items(session: Session, where: Iterable[Any]) -> dict[str, CostedItem]:
    """Item id -> the item, for the items matching ``where``, in id order."""
    i = Item
    rows = session.connection().execute(  # plain rows: the ORM adds nothing to them
        select(
            i.id, i.item_code, i.name, i.category_id, i.standard_cost, i.cost_price, i.cost_revision
        )
        .where(*where)
        .order_by(i.id)
    )
    return {
        row.id: CostedItem(
            row.id,
            row.item_code,
            row.name,
            row.category_id,
            row.standard_cost if row.standard_cost is not None else row.cost_price,
            row.cost_revision,
        )
        for row in rows
    }


def standard_cost(item: Item) -> Decimal:
    return item.standard_cost if item.standard_cost is not None else item.cost_price


Sku = tuple[str, str | None]  # item, variant: what has a cost of its own
COLUMNS = (
    Movement.item_id,
    Movement.variant_id,
    Movement.effective_date,
    Movement.quantity,
    Movement.value,
    Movement.from_location_id,
    Movement.to_location_id,
    Movement.movement_type,
    Movement.id,
    Movement.reversal_of,
)


def event_reader(session: Session, company_id: str) -> Callable[[Any], engine.Event]:
    """A row with (at least) the fields of ``COLUMNS`` -> its event. Arrivals that a
    reversal undoes (few) are named, so that the reversal takes back their layer."""
    kinds = dict(
        session.execute(
            select(Location.id, Location.type).where(Location.company_id == company_id)
        ).all()
    )
    m = Movement
    reversed_ids = set(
        session.scalars(
            select(m.reversal_of).where(m.company_id == company_id, m.reversal_of.is_not(None))
        )
    )

    def event(row: Any) -> engine.Event:
        source, target = row.from_location_id, row.to_location_id
        return engine.Event(
            day=row.effective_date,
            quantity=row.quantity,
            value=row.value,
            source=source if kinds.get(source) in HOLDING else None,
            target=target if kinds.get(target) in HOLDING else None,
            usage=kinds.get(target) == "customer",
            fixed=row.movement_type in _AT_BOOKED_VALUE,
            ident=row.id if row.id in reversed_ids else None,
            reverses=row.reversal_of,
        )

    return event


def events_by_item(
    session: Session,
    company_id: str,
    item_ids: list[str],
    until: date,
    *,
    after: date | None = None,
) -> Iterator[tuple[Sku, list[engine.Event]]]:
    """((item id, variant id), its events) for what moved on or before ``until`` (and after
    ``after``), in item order; rows are fetched in batches, so memory holds one history at
    a time."""
    event = event_reader(session, company_id)
    m = Movement
    where = [m.company_id == company_id, m.item_id.in_(item_ids), m.effective_date <= until]
    if after is not None:
        where.append(m.effective_date > after)
    rows = session.connection().execute(  # plain rows: the ORM adds nothing to them
        select(*COLUMNS)
        .where(*where)
        .order_by(m.item_id, m.variant_id, m.effective_date, m.id)
        .execution_options(yield_per=5000)
    )
    for sku, group in groupby(rows, key=lambda row: (row[0], row[1])):
        yield sku, [event(row) for row in group]


def events_between(
    session: Session, company_id: str, item_ids: set[str], after: date, until: date
) -> dict[Sku, list[engine.Event]]:
    """(item id, variant id) -> its events dated after ``after`` up to ``until``, in date
    order: the short stretch replayed on top of a snapshot."""
    event = event_reader(session, company_id)
    m = Movement
    where = [m.company_id == company_id, m.effective_date > after, m.effective_date <= until]
    if len(item_ids) <= MANY:
        where.append(m.item_id.in_(sorted(item_ids)))
    found: dict[Sku, list[engine.Event]] = {}
    rows = session.connection().execute(  # plain rows: the ORM adds nothing to them
        select(*COLUMNS)
        .where(*where)
        .order_by(m.effective_date, m.id)
        .execution_options(yield_per=5000)
    )
    for row in rows:
        if row[0] in item_ids:
            found.setdefault((row[0], row[1]), []).append(event(row))
    return found
