"""Batches picked for lines that take a batch-tracked item from the premises without naming
its batches: the earliest expiry first (batches without one last), then by batch number, each
as far as it is free there (on hand over all its bins, less what is reserved of it).

The picking reads the levels before the posting locks them; the ledger checks the picked
batches again under its locks, so a race can only turn into a shortage, never an oversale.
What the batches do not cover stays on the earliest one, for the shortage check to name (or
to go below zero where the company allows it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item
from stockkeeper.stock.models import Batch, StockLevel
from stockkeeper.stock.service.levels import PHYSICAL
from stockkeeper.stock.service.lines import Line

if TYPE_CHECKING:
    from stockkeeper.stock.service.lots import Lots

_Place = tuple[str, str | None, str]  # item, variant, location
_LATEST = date.max


@dataclass
class _Free:
    batch_id: str
    quantity: Decimal


def wants_picking(line: Line, lots: Lots, item: Item | None, kinds: dict[str, str]) -> bool:
    """Whether the line takes a batch-tracked item from the premises naming no batch."""
    return (
        item is not None
        and item.tracking == "batch"
        and line.quantity > 0
        and not lots.batches
        and kinds.get(line.from_location_id) in PHYSICAL
    )


def pick(
    session: Session,
    company_id: str,
    lines: list[tuple[Line, Lots]],
    items: dict[str, Item],
    kinds: dict[str, str],
) -> list[tuple[Line, Lots]]:
    """The lines, those that want it with their batches picked."""
    wanted = [
        n
        for n, (line, lots) in enumerate(lines)
        if wants_picking(line, lots, items.get(line.item_id), kinds)
    ]
    if not wanted:
        return lines
    free = _free_batches(session, company_id, {_place(lines[n][0]) for n in wanted})
    picked = list(lines)
    for n in wanted:
        line, lots = lines[n]
        batches = free.get(_place(line))
        if batches:  # else the line is refused for naming no batch
            picked[n] = (line, replace(lots, batches=_taken(batches, line.quantity)))
    return picked


def _taken(batches: list[_Free], quantity: Decimal) -> list[dict[str, object]]:
    """The batch entries that make up ``quantity``, taken off what is free; what is not free
    goes on the first batch."""
    entries: list[dict[str, object]] = []
    need = quantity
    for batch in batches:
        taken = min(need, batch.quantity)
        if taken:
            batch.quantity -= taken
            need -= taken
            entries.append({"batch_id": batch.batch_id, "quantity": taken})
    if need:
        entries = _add(entries, batches[0].batch_id, need)
    return entries


def _add(
    entries: list[dict[str, object]], batch_id: str, quantity: Decimal
) -> list[dict[str, object]]:
    """The entries with ``quantity`` more of one batch (first in line when it is new)."""
    for entry in entries:
        if entry["batch_id"] == batch_id:
            entry["quantity"] = quantity + Decimal(str(entry["quantity"]))
            return entries
    return [{"batch_id": batch_id, "quantity": quantity}, *entries]


def _place(line: Line) -> _Place:
    return (line.item_id, line.variant_id, line.from_location_id)


def _free_batches(
    session: Session, company_id: str, places: set[_Place]
) -> dict[_Place, list[_Free]]:
    """Per place, its batches with what is free of them, in the order they are picked."""
    level = StockLevel
    keys = (
        level.item_id,
        level.variant_id,
        level.location_id,
        level.batch_id,
        Batch.expiry_date,
        Batch.batch_number,
    )
    rows = session.execute(
        select(*keys, func.sum(level.on_hand - level.reserved))
        .join(Batch, (Batch.company_id == level.company_id) & (Batch.id == level.batch_id))
        .where(
            level.company_id == company_id,
            level.item_id.in_({item for item, _, _ in places}),
            level.location_id.in_({location for _, _, location in places}),
            level.serial_id.is_(None),
        )
        .group_by(*keys)
    )
    found: dict[_Place, list[tuple[date, str, str, Decimal]]] = defaultdict(list)
    for item_id, variant_id, location_id, batch_id, expiry, number, free in rows:
        if (item_id, variant_id, location_id) in places and batch_id is not None and free > 0:
            found[(item_id, variant_id, location_id)].append(
                (expiry or _LATEST, number, batch_id, free)
            )
    return {
        place: [_Free(batch_id, free) for _, _, batch_id, free in sorted(batches)]
        for place, batches in found.items()
    }
