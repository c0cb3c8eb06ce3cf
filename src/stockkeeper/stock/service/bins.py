"""Where a line that names no bin takes its stock from.

A line that takes stock from a warehouse or store without naming a bin takes the stock lying
in no bin first, then the stock in the location's bins in bin-code order, each of its batch
or serial where it names one; what none of them holds stays on the unbinned level, so the
shortage check names it (or, where the company allows it, that level goes below zero). The
levels are the posting's, already locked, so the split cannot race another posting, and
the bins' codes are read only when a line does not fit on its unbinned level.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Bin, Location
from stockkeeper.stock.service.levels import (
    PHYSICAL,
    ZERO,
    Levels,
    LotKey,
    is_base,
    level_key,
    lot_of,
)
from stockkeeper.stock.service.lines import Line, split


def spread(
    session: Session,
    company_id: str,
    lines: list[Line],
    state: Levels,
    locations: dict[str, Location],
) -> tuple[list[Line], list[int]]:
    """The lines, each split over the bins it takes from; and, for each part, the index of
    the line it came from."""
    left = _Left(state)
    short = {
        n
        for n, line in enumerate(lines)
        if _takes_unbinned(line, locations) and not left.take(_unbinned(line), line.quantity)
    }
    if not short:
        return lines, list(range(len(lines)))
    binned = _binned(session, company_id, state, {_lot(lines[n]) for n in short})
    parts: list[Line] = []
    owners: list[int] = []
    for n, line in enumerate(lines):  # the parts in the order of their lines
        pieces = (
            split(line, _portions(line, left, binned.get(_lot(line), []))) if n in short else [line]
        )
        parts += pieces
        owners += [n] * len(pieces)
    return parts, owners


class _Left:
    """What each level still has to give in this posting: its on hand, less what is reserved
    of its batch or serial (a base level's reservations claim the whole location, which the
    shortage check judges)."""

    def __init__(self, state: Levels) -> None:
        self._state = state
        self._left: dict[str, Decimal] = {}

    def __getitem__(self, key: str) -> Decimal:
        if key not in self._left:
            level = self._state.levels[key]
            self._left[key] = level["on_hand"] - (ZERO if is_base(level) else level["reserved"])
        return self._left[key]

    def take(self, key: str, quantity: Decimal) -> bool:
        """Takes ``quantity`` from the level if it has that much left."""
        if self[key] < quantity:
            return False
        self._left[key] -= quantity
        return True

    def give(self, key: str, quantity: Decimal) -> None:
        self._left[key] = self[key] - quantity


def _portions(
    line: Line, left: _Left, bins: list[tuple[str, str]]
) -> list[tuple[Decimal, dict[str, Any]]]:
    """The line's quantity per bin (None for the unbinned level), in the order taken."""
    unbinned = _unbinned(line)
    first = min(max(left[unbinned], ZERO), line.quantity)
    left.give(unbinned, first)
    # stock reserved of the batch or serial beyond what lies unbinned is held in the bins
    room = sum((max(left[key], ZERO) for key, _ in bins), ZERO) + min(left[unbinned], ZERO)
    wanted = min(line.quantity - first, max(room, ZERO))
    portions: list[tuple[Decimal, dict[str, Any]]] = []
    for key, bin_id in bins:
        taken = min(wanted, max(left[key], ZERO))
        if taken:
            left.give(key, taken)
            portions.append((taken, {"from_bin_id": bin_id}))
            wanted -= taken
    rest = line.quantity - first - sum((q for q, _ in portions), ZERO)
    left.give(unbinned, rest)
    if first + rest:
        portions.insert(0, (first + rest, {"from_bin_id": None}))
    return portions


def _binned(
    session: Session, company_id: str, state: Levels, lots: set[LotKey]
) -> dict[LotKey, list[tuple[str, str]]]:
    """Per lot, its levels in bins (key and bin), in bin-code order."""
    found: dict[LotKey, list[dict[str, Any]]] = {}
    for level in state.levels.values():
        if level["bin_id"] and lot_of(level) in lots:
            found.setdefault(lot_of(level), []).append(level)
    bin_ids = {level["bin_id"] for held in found.values() for level in held}
    if not bin_ids:
        return {}
    codes = dict(
        session.execute(
            select(Bin.id, Bin.code).where(Bin.company_id == company_id, Bin.id.in_(bin_ids))
        ).all()
    )
    return {
        lot: [
            (level["level_key"], level["bin_id"])
            for level in sorted(held, key=lambda lv: (codes[lv["bin_id"]], lv["bin_id"]))
        ]
        for lot, held in found.items()
    }


def _takes_unbinned(line: Line, locations: dict[str, Location]) -> bool:
    return (
        line.quantity > 0
        and line.from_bin_id is None
        and locations[line.from_location_id].type in PHYSICAL
    )


def _lot(line: Line) -> LotKey:
    return (line.item_id, line.variant_id, line.from_location_id, line.batch_id, line.serial_id)


def _unbinned(line: Line) -> str:
    return level_key(
        line.item_id, line.variant_id, line.from_location_id, None, line.batch_id, line.serial_id
    )
