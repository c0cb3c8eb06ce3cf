"""What a document line's lots must say, checked before anything is read of the stock: they
fit the item as it is tracked (batches for a batch-tracked item, one serial number per unit of a
serial-tracked one, neither for the others), they add up to their line, and bins add up to
what they split."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from stockkeeper.catalog.models import Item
from stockkeeper.core.errors import FieldError, field_error
from stockkeeper.stock.errors import InvalidLots
from stockkeeper.stock.service.lines import Line
from stockkeeper.stock.service.picking import wants_picking

if TYPE_CHECKING:
    from stockkeeper.stock.service.lots import Lots


def refuse(
    lines: list[tuple[Line, Lots]], items: dict[str, Item], kinds: dict[str, str] | None = None
) -> None:
    """Refuses (422 ``invalid_lots``) every lot and bin that does not fit, all at once. With
    the locations' ``kinds`` (a draft's lines), a line that takes a batch-tracked item from
    the premises may name no batch: they are picked when it posts."""
    errors = [
        error
        for line, lots in lines
        for error in _lot_errors(line, lots, items, kinds) + _bin_errors(line, lots, items)
    ]
    if errors:
        raise InvalidLots(errors)


# The codes say what a request's schema cannot: lots that do not fit the item as it is
# tracked, lots (or bins) that do not add up to their line, a serial number (or a bin) given
# twice.
_ITEM, _SUM, _TWICE = "contradicts_item", "does_not_add_up", "duplicate"


def _lot_errors(
    line: Line, lots: Lots, items: dict[str, Item], kinds: dict[str, str] | None
) -> list[FieldError]:
    item = items.get(line.item_id)
    tracking = item.tracking if item and line.quantity else "none"
    code = item and item.item_code
    errors = []
    if tracking == "batch" and not lots.batches:
        if kinds and wants_picking(line, lots, item, kinds):
            return []
        errors.append(
            field_error(line.at("batches"), f"{code} is batch-tracked: name its batches", _ITEM)
        )
    elif tracking == "serial" and not lots.serial_numbers:
        message = f"{code} is serial-tracked: name its serial numbers"
        errors.append(field_error(line.at("serial_numbers"), message, _ITEM))
    if lots.batches and tracking != "batch":
        errors.append(field_error(line.at("batches"), "the item is not batch-tracked", _ITEM))
    if lots.serial_numbers and tracking != "serial":
        errors.append(
            field_error(line.at("serial_numbers"), "the item is not serial-tracked", _ITEM)
        )
    if tracking == "batch" and lots.batches:
        total = sum((Decimal(e["quantity"]) for e in lots.batches), Decimal(0))
        if total != line.quantity:
            message = f"the batches add up to {total}, the line to {line.quantity}"
            errors.append(field_error(line.at("batches"), message, _SUM))
    if tracking == "serial" and lots.serial_numbers:
        numbers = lots.serial_numbers
        if Decimal(len(numbers)) != line.quantity:
            message = f"{len(numbers)} serial numbers for a quantity of {line.quantity}"
            errors.append(field_error(line.at("serial_numbers"), message, _SUM))
        if len(set(numbers)) != len(numbers):
            message = "a serial number is given twice"
            errors.append(field_error(line.at("serial_numbers"), message, _TWICE))
    return errors


def _bin_errors(line: Line, lots: Lots, items: dict[str, Item]) -> list[FieldError]:
    """Bins that do not add up to what they split, or are named twice in one split; a line's
    own split where its item's lots must say where each of them lies."""
    item = items.get(line.item_id)
    tracking = item.tracking if item and line.quantity else "none"
    errors = []
    if lots.bins and tracking == "batch":
        message = f"{item and item.item_code} is batch-tracked: name the bins of each batch"
        errors.append(field_error(line.at("bins"), message, _ITEM))
    elif lots.bins and tracking == "serial":
        message = "a serial-tracked item's line names one bin (binId): one line per bin"
        errors.append(field_error(line.at("bins"), message, _ITEM))
    elif lots.bins:
        errors += _split_errors(line.at("bins"), lots.bins, line.quantity, "the line")
    for n, entry in enumerate(lots.batches or []):
        if entry.get("bins"):
            quantity = Decimal(entry["quantity"])
            errors += _split_errors(
                line.at(f"batches.{n}.bins"), entry["bins"], quantity, "its batch"
            )
    return errors


def _split_errors(
    field: str, bins: list[dict[str, Any]], quantity: Decimal, whole: str
) -> list[FieldError]:
    errors = []
    total = sum((Decimal(b["quantity"]) for b in bins), Decimal(0))
    if total != quantity:
        message = f"the bins add up to {total}, {whole} to {quantity}"
        errors.append(field_error(field, message, _SUM))
    if len({b["bin_id"] for b in bins}) != len(bins):
        errors.append(field_error(field, "a bin is named twice", _TWICE))
    return errors
