"""An adjustment as the API returns it and its events carry it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic_core import PydanticCustomError

from stockkeeper.accounting.models import Account
from stockkeeper.accounting.views import account_ref
from stockkeeper.adjustments.kind import ADJUSTMENTS
from stockkeeper.adjustments.models import StockAdjustment, StockAdjustmentLine
from stockkeeper.adjustments.schemas import (
    AdjustmentLineRead,
    AdjustmentRead,
    CustomField,
    LocationRef,
)
from stockkeeper.catalog.models import Bin, Item, Location
from stockkeeper.core.api_model import read_number
from stockkeeper.core.json import dump
from stockkeeper.stock.schemas import BatchInBinsRead, BinQuantityRead
from stockkeeper.tenancy.service import Role


@dataclass(frozen=True)
class AdjustmentView:
    """An adjustment with its location and its lines, each with its item; ``places`` holds
    the lines' locations, ``accounts`` what their accounts' ids or codes name, and ``bins``
    the bins the lines (and their batches) name, by id."""

    adjustment: StockAdjustment
    location: Location
    lines: list[tuple[StockAdjustmentLine, Item]]
    places: Mapping[str, Location]
    accounts: Mapping[str, Account]
    bins: Mapping[str, Bin] = field(default_factory=dict)
    existing: bool = False  # a create answered with the document its external id names
    # whose read it is: its allowed actions are those this role may take (None: all the
    # status allows, as the events carry them)
    role: Role | None = None

    @cached_property
    def data(self) -> dict[str, Any]:
        """The adjustment in the API's shape, rendered once for its response and its event.
        Its lines are rendered one by one, a count's thousands of plain ones straight into
        what their model would dump (``_plain_data``)."""
        data = dump(_read(self, []))
        data["items"] = [_line_data(self, line, item) for line, item in self.lines]
        return data


def adjustment_read(view: AdjustmentView) -> AdjustmentRead:
    return _read(view, [_line_read(view, line, item) for line, item in view.lines])


def _read(view: AdjustmentView, items: list[AdjustmentLineRead]) -> AdjustmentRead:
    a = view.adjustment
    return AdjustmentRead(
        id=a.id,
        adjustment_number=a.adjustment_number,
        date=a.adjustment_date,
        type=a.type,
        adjustment_type=a.adjustment_type,
        reason=a.reason,
        reason_text=a.reason_text,
        status=a.status,
        allowed_actions=ADJUSTMENTS.allowed(a.status, view.role),
        location_id=a.location_id,
        location=LocationRef(id=view.location.id, name=view.location.name),
        reference=a.reference,
        external_id=a.external_id,
        notes=a.notes,
        custom_fields=[CustomField.model_validate(f) for f in a.custom_fields],
        total_value=a.total_value if a.posted_at else None,
        created_by=a.created_by,
        created_at=a.created_at,
        submitted_by=a.submitted_by,
        submitted_at=a.submitted_at,
        approved_by=a.approved_by,
        approved_at=a.approved_at,
        rejected_by=a.rejected_by,
        rejected_at=a.rejected_at,
        rejection_reason=a.rejection_reason,
        posted_by=a.posted_by,
        posted_at=a.posted_at,
        reversed_by=a.reversed_by,
        reversed_at=a.reversed_at,
        items=items,
    )


# the Number fields of a line, read past validation by ``_line_read``
_NUMBERS = (
    "current_stock",
    "adjusted_stock",
    "adjustment_quantity",
    "value_adjusted",
    "unit_cost",
    "total_cost",
)


def _line_read(view: AdjustmentView, line: StockAdjustmentLine, item: Item) -> AdjustmentLineRead:
    fields = _line_fields(line, item, view.places[line.location_id])
    if _plain(fields):
        plain = _plain_line(fields)
        if plain is not None:
            return plain
    return _checked_line(view, line, fields)


def _line_data(view: AdjustmentView, line: StockAdjustmentLine, item: Item) -> dict[str, Any]:
    """A line as ``dump(_line_read(...))`` gives it."""
    fields = _line_fields(line, item, view.places[line.location_id])
    if _plain(fields):
        plain = _plain_data(fields)
        if plain is not None:
            return plain
    return dump(_checked_line(view, line, fields))


def _plain(fields: dict[str, Any]) -> bool:
    return fields["bins"] is None and fields["batches"] is None and fields["account_id"] is None


def _line_fields(line: StockAdjustmentLine, item: Item, place: Location) -> dict[str, Any]:
    """A line's fields (and its place, under ``location``, for the line to render)."""
    return {
        "id": line.id,
        "item_id": item.id,
        "item_code": item.item_code,
        "item_name": item.name,
        "variant_id": line.variant_id,
        "location_id": place.id,
        "bin_id": line.bin_id,
        "bins": line.bins,
        "current_stock": line.current_stock,
        "adjusted_stock": line.adjusted_stock,
        "adjustment_quantity": line.adjustment_quantity,
        "value_adjusted": line.value_adjusted,
        "unit_cost": line.unit_cost,
        "total_cost": line.total_cost,
        "reason": line.reason,
        "reason_text": line.reason_text,
        "account_id": line.account_id,
        "notes": line.notes,
        "batches": line.batches,
        "serial_numbers": line.serial_numbers,
        "location": place,
    }


def _checked_line(
    view: AdjustmentView, line: StockAdjustmentLine, fields: dict[str, Any]
) -> AdjustmentLineRead:
    """A line built through validation: one with bins, batches or an account."""
    place = fields["location"]
    return AdjustmentLineRead(
        **fields
        | {
            "location": LocationRef(id=place.id, name=place.name),
            "bins": None if line.bins is None else [BinQuantityRead(**b) for b in line.bins],
            "account": account_ref(view.accounts.get(line.account_id)) if line.account_id else None,
            "batches": None
            if line.batches is None
            else [BatchInBinsRead(**b) for b in line.batches],
        }
    )


def _plain_numbers(fields: dict[str, Any]) -> dict[str, Any] | None:
    """A plain line's numbers read as validation reads them; None where one of them would
    fail validation, for the line to fail as it did."""
    try:
        return {
            name: None if fields[name] is None else read_number(fields[name]) for name in _NUMBERS
        }
    except PydanticCustomError:
        return None


def _plain_line(fields: dict[str, Any]) -> AdjustmentLineRead | None:
    """A line of no bins, batches or account (a count's thousands) built past validation: its
    values come from its row, already checked, and only its numbers are read as validation
    reads them. None where one of them would fail validation."""
    numbers = _plain_numbers(fields)
    if numbers is None:
        return None
    place = fields["location"]
    location = LocationRef.model_construct(id=place.id, name=place.name)
    return AdjustmentLineRead.model_construct(
        **(fields | numbers | {"location": location, "account": None})
    )


# a line's fields by the names its dump gives them, in its model's order
_DUMPED = {name: field.alias or name for name, field in AdjustmentLineRead.model_fields.items()}


def _plain_data(fields: dict[str, Any]) -> dict[str, Any] | None:
    """What ``_plain_line``'s model dumps, without the model: building and dumping it was
    most of the rendering of a count's adjustment."""
    numbers = _plain_numbers(fields)
    if numbers is None:
        return None
    place, serials = fields["location"], fields["serial_numbers"]
    values = fields | numbers
    values |= {
        "location": {"id": place.id, "name": place.name},
        "account": None,
        "serial_numbers": None if serials is None else list(serials),
    }
    return {alias: values[name] for name, alias in _DUMPED.items()}
