"""A count as the API returns it: its summary (what lists and events carry) and, read one at
a time, its lines with their figures. A blind count shows clerks and viewers no expected
quantity, variance or value."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from stockkeeper.catalog.models import Item, Location
from stockkeeper.core.json import dump
from stockkeeper.counts.kind import COUNTS
from stockkeeper.counts.models import StockCount, StockCountLine
from stockkeeper.counts.schemas import (
    CountDetailRead,
    CountLineRead,
    CountRead,
    CountScope,
    LocationRef,
)
from stockkeeper.tenancy.service import Role


@dataclass(frozen=True)
class LineFigures:
    """A line's figures (see ``service/variance.py``)."""

    expected: Decimal
    variance: Decimal | None
    unit_cost: Decimal
    value: Decimal | None


@dataclass(frozen=True)
class CountView:
    """A count with its location and how many lines it has and has counted; ``lines`` (each
    with its item and figures) when read one at a time; ``reveal`` whether its reader may see
    the expected quantities."""

    count: StockCount
    location: Location
    line_count: int
    counted_lines: int
    lines: list[tuple[StockCountLine, Item, LineFigures]] = field(default_factory=list)
    reveal: bool = True
    # whose read it is: its allowed actions are those this role may take (None: all the
    # status allows, as the events carry them)
    role: Role | None = None

    @cached_property
    def data(self) -> dict[str, Any]:
        """The count's summary in the API's shape, for its events."""
        return dump(count_read(self))


def count_read(view: CountView) -> CountRead:
    return CountRead(**_summary(view))


def _summary(view: CountView) -> dict[str, Any]:
    c = view.count
    return {
        "id": c.id,
        "count_number": c.count_number,
        "date": c.count_date,
        "status": c.status,
        "allowed_actions": COUNTS.allowed(c.status, view.role),
        "location_id": c.location_id,
        "location": LocationRef(id=view.location.id, name=view.location.name),
        "scope": CountScope(**c.scope),
        "blind": c.blind,
        "reference": c.reference,
        "notes": c.notes,
        "adjustment_id": c.adjustment_id,
        "line_count": view.line_count,
        "counted_lines": view.counted_lines,
        "opened_by": c.opened_by,
        "opened_at": c.opened_at,
        "submitted_by": c.submitted_by,
        "submitted_at": c.submitted_at,
        "approved_by": c.approved_by,
        "approved_at": c.approved_at,
        "posted_by": c.posted_by,
        "posted_at": c.posted_at,
        "cancelled_by": c.cancelled_by,
        "cancelled_at": c.cancelled_at,
    }


def count_detail(view: CountView) -> CountDetailRead:
    counted = [f for _, _, f in view.lines if f.variance is not None]
    quantity = sum((f.variance or Decimal(0) for f in counted), Decimal(0))
    value = sum((f.value or Decimal(0) for f in counted), Decimal(0))
    return CountDetailRead(
        **_summary(view),
        variance_quantity=quantity if view.reveal else None,
        variance_value=value if view.reveal else None,
        lines=[_line_read(view.reveal, *line) for line in view.lines],
    )


def _line_read(
    reveal: bool, line: StockCountLine, item: Item, figures: LineFigures
) -> CountLineRead:
    return CountLineRead(
        id=line.id,
        item_id=item.id,
        item_code=item.item_code,
        item_name=item.name,
        variant_id=line.variant_id,
        bin_id=line.bin_id,
        batch_number=line.batch_number,
        expiry_date=line.expiry_date,
        serial_number=line.serial_number,
        in_snapshot=line.in_snapshot,
        expected=figures.expected if reveal else None,
        expected_at_opening=line.expected if reveal else None,
        counted=line.counted,
        counted_by=line.counted_by,
        counted_at=line.counted_at,
        recount=line.recount,
        variance=figures.variance if reveal else None,
        unit_cost=figures.unit_cost if reveal else None,
        value=figures.value if reveal else None,
    )
