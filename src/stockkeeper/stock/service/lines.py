"""What a posting is made of: the document, its lines, and what each line did."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from stockkeeper.catalog.models import Item, Location


@dataclass(frozen=True)
class Line:
    """One movement to post: ``quantity`` (positive) of an item from one location to another.

    ``unit_cost`` is used for stock arriving from a virtual location; stock leaving a physical
    location goes at the average cost there. ``value``, when given, is the exact value of the
    stock moved (a reversal books it back at what it came or left with, a return to the
    supplier at what it came in with); with a quantity of zero the line is a revaluation that
    moves only that value. ``field`` names the request
    field the line came from, for error messages.
    """

    item_id: str
    quantity: Decimal
    from_location_id: str
    to_location_id: str
    movement_type: str
    unit_cost: Decimal | None = None
    value: Decimal | None = None
    variant_id: str | None = None
    from_bin_id: str | None = None
    to_bin_id: str | None = None
    batch_id: str | None = None
    serial_id: str | None = None
    reason: str | None = None
    line_id: str | None = None
    reversal_of: str | None = None  # the movement this line undoes
    field: str = "items"

    def at(self, name: str) -> str:
        """The request field of one of the line's attributes, for error messages."""
        return f"{self.field}.{name}" if self.field else name


@dataclass(frozen=True)
class Document:
    type: str
    id: str
    effective_date: date
    number: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class Posted:
    """What a line did: its movement, unit cost, and the on-hand figure at its physical
    location (item x variant x location, all bins) before and after it."""

    line: Line
    movement_id: str
    unit_cost: Decimal
    value: Decimal
    before: Decimal
    after: Decimal


@dataclass(frozen=True)
class LevelChange:
    """What a posting did to the stock of one item x variant at a warehouse or store;
    ``before`` is None where stock had never moved."""

    item: Item
    variant_id: str | None
    location: Location
    before: Decimal | None
    after: Decimal


_MICRO = Decimal("0.000001")


def split(line: Line, parts: list[tuple[Decimal, dict[str, Any]]]) -> list[Line]:
    """The line split into parts of the given quantities, each with its own attributes (a
    batch, a serial, a bin); an explicit value is shared by quantity, the last part taking
    what rounding leaves."""
    pieces = []
    left = line.value
    for n, (quantity, attributes) in enumerate(parts):
        share = None
        if line.value is not None and left is not None:
            last = n == len(parts) - 1
            share = left if last else (line.value * quantity / line.quantity).quantize(_MICRO)
            left -= share
        pieces.append(replace(line, quantity=quantity, value=share, **attributes))
    return pieces


def merged(line: Line, parts: list[Posted]) -> Posted:
    """One result for a line posted in parts: their value, its average unit cost, and the
    on-hand figures before the first part and after the last."""
    if len(parts) == 1:
        return parts[0] if parts[0].line is line else replace(parts[0], line=line)
    value = sum((p.value for p in parts), Decimal(0))
    return replace(
        parts[0],
        line=line,
        value=value,
        unit_cost=(value / line.quantity).quantize(_MICRO),
        after=parts[-1].after,
    )


def per_line(lines: list[Line], owners: list[int], done: list[Posted]) -> list[Posted]:
    """One result per line, from the parts it was posted in (``owners``: each part's line)."""
    if owners == list(range(len(lines))):
        return done
    parts: list[list[Posted]] = [[] for _ in lines]
    for owner, result in zip(owners, done, strict=True):
        parts[owner].append(result)
    return [merged(line, part) for line, part in zip(lines, parts, strict=True)]
