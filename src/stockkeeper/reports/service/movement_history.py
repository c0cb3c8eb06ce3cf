"""The ledger as a stock history: one entry per movement into or out of a warehouse or store,
each with a number, the note its document gives it, and its item whole; and a manual movement
of one item (an adjustment of one line), read back as its entry.

An entry's number is the movement's record number (``core.record_numbers``): a stable
integer given the first time the movement is shown, the movements of a page numbered in the
order they were made, so that a history read from its beginning is numbered in order. A movement
between two warehouses or stores is two entries of one number: its departure (the
movement's id) and its arrival (the id with ``.in``).

A read that crosses slices (the ledger, the adjustments' notes, the items with their stock),
so it is composed here, in the rightmost slice it needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import String, and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from stockkeeper.adjustments import service as adjustments
from stockkeeper.adjustments.models import StockAdjustment, StockAdjustmentLine
from stockkeeper.adjustments.values import NewAdjustment
from stockkeeper.catalog.models import Location
from stockkeeper.core import record_numbers
from stockkeeper.core.errors import NotFound
from stockkeeper.stock.models import Movement
from stockkeeper.stock.service.items import item_views
from stockkeeper.stock.service.movements import signed_rows
from stockkeeper.stock.views.items import ItemView
from stockkeeper.tenancy.service import Actor

_PHYSICAL = ("warehouse", "store")
_ARRIVAL = ".in"


@dataclass(frozen=True)
class MovementEntry:
    """A movement as seen at the warehouses and stores: signed (out is negative)."""

    id: str
    movement_id: str
    number: int
    date: date
    quantity: Decimal
    unit_cost: Decimal
    value: Decimal
    movement_type: str
    reason: str | None
    reference: str | None
    document_type: str
    document_id: str
    document_number: str | None
    details: str | None  # the document's note of the line (an adjustment's), else of itself
    created_at: datetime
    item: ItemView


def list_movement_entries(
    session: Session, actor: Actor, *, item_id: str | None, offset: int, limit: int
) -> tuple[list[MovementEntry], int]:
    """A page of the entries, oldest first (by number, then departure before arrival), and
    how many there are in all."""
    entries = _entries(actor.company_id, item_id).subquery()
    total = session.scalar(select(func.count()).select_from(entries)) or 0
    page = session.execute(
        select(entries).order_by(entries.c.movement_id, entries.c.id).offset(offset).limit(limit)
    ).mappings()
    return _complete(session, actor, [dict(row) for row in page]), total


def get_movement_entry(session: Session, actor: Actor, *, entry_id: str) -> MovementEntry:
    movement_id = entry_id.removesuffix(_ARRIVAL)
    entries = _entries(actor.company_id, None, movement_id).subquery()
    found = [
        dict(row)
        for row in session.execute(select(entries).where(entries.c.id == entry_id)).mappings()
    ]
    if not found:
        raise NotFound("stock movement", entry_id)
    return _complete(session, actor, found)[0]


def post_manual_movement(
    session: Session, actor: Actor, *, adjustment: NewAdjustment
) -> MovementEntry:
    """Posts an adjustment of one line (stock in when its quantity is positive, out when
    negative) and returns the entry of its movement."""
    view = adjustments.create_adjustment(session, actor, adjustment=adjustment)
    movement_id = session.scalar(
        select(Movement.id)
        .where(
            Movement.company_id == actor.company_id,
            Movement.document_id == view.adjustment.id,
        )
        .order_by(Movement.id)
        .limit(1)
    )
    assert movement_id is not None, "a posted quantity adjustment moves stock"
    return get_movement_entry(session, actor, entry_id=movement_id)


def _entries(company_id: str, item_id: str | None, movement_id: str | None = None) -> Any:
    """Departures from and arrivals at warehouses and stores (the movement list's signed
    rows), one entry each, with the note of the adjustment (or its line) behind them."""
    m = Movement
    extra = [m.item_id == item_id] if item_id is not None else []
    if movement_id is not None:
        extra.append(m.id == movement_id)
    rows = union_all(
        *(signed_rows(company_id, incoming=side, extra=extra) for side in (False, True))
    ).subquery()
    there = aliased(Location)
    line, document = StockAdjustmentLine, StockAdjustment
    # the arrival of a movement that also departs from premises is its id with ``.in``
    both_ends = and_(rows.c.direction == "in", there.type.in_(_PHYSICAL))
    entry_id = case((both_ends, rows.c.id + literal(_ARRIVAL, String)), else_=rows.c.id)
    adjusted = rows.c.document_type == "adjustment"
    return (
        select(
            entry_id.label("id"),
            rows.c.id.label("movement_id"),
            rows.c.item_id,
            rows.c.effective_date,
            rows.c.quantity,
            rows.c.unit_cost,
            rows.c.value,
            rows.c.movement_type,
            rows.c.reason,
            rows.c.reference,
            rows.c.document_type,
            rows.c.document_id,
            rows.c.document_number,
            func.coalesce(line.notes, document.notes).label("details"),
            rows.c.created_at,
        )
        .join(
            there,
            and_(there.company_id == company_id, there.id == rows.c.other_location_id),
        )
        .outerjoin(
            line,
            and_(adjusted, line.company_id == company_id, line.id == rows.c.document_line_id),
        )
        .outerjoin(
            document,
            and_(adjusted, document.company_id == company_id, document.id == rows.c.document_id),
        )
    )


def _complete(session: Session, actor: Actor, rows: list[dict[str, Any]]) -> list[MovementEntry]:
    """The rows with their items, as the items' own page shows them."""
    items = item_views(session, actor, item_ids=[row["item_id"] for row in rows])
    movement_ids = sorted({row["movement_id"] for row in rows})  # ids are time-ordered
    numbers = record_numbers.numbers_of(session, actor.company_id, "movement", movement_ids)
    return [
        MovementEntry(
            id=row["id"],
            movement_id=row["movement_id"],
            number=numbers[row["movement_id"]],
            date=row["effective_date"],
            quantity=row["quantity"],
            unit_cost=row["unit_cost"],
            value=row["value"],
            movement_type=row["movement_type"],
            reason=row["reason"],
            reference=row["reference"],
            document_type=row["document_type"],
            document_id=row["document_id"],
            document_number=row["document_number"],
            details=row["details"],
            created_at=row["created_at"],
            item=items[row["item_id"]],
        )
        for row in rows
    ]
