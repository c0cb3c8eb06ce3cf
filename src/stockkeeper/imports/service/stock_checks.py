"""The checks of a whole stock file before anything is posted: each row's cells, the names
it gives against the company's locations, bins, items and variants, how the item keeps its
stock (batches, serial numbers, or neither), the same place on two rows, and the target as
``set_stock`` would take it. Every fault is reported with its row and column, all at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.adjustments.service.stock_setting import place_of
from stockkeeper.adjustments.values import StockTarget
from stockkeeper.catalog.models import Bin, Item, ItemVariant, Location
from stockkeeper.core.lists import is_listed, listed
from stockkeeper.imports.service.stock_layout import Fault, Row

PHYSICAL = ("warehouse", "store")
COLUMN_OF = {  # a target's field -> the column that names it
    "location_id": "location",
    "item_id": "itemCode",
    "variant_id": "variantCode",
    "bin_id": "bin",
    "batch_number": "batch",
    "batches": "batch",
    "expiry_date": "expiry",
    "serial_number": "serial",
    "serial_numbers": "serial",
    "quantity": "quantity",
    "adjustment_quantity": "quantity",
    "unit_cost": "unitCost",
}


@dataclass(frozen=True)
class _Item:
    id: str
    type: str
    tracking: str


@dataclass
class Places:
    """What the rows name, as the company holds it: locations by code and by name, items
    and variants by code, bins by location and code."""

    by_code: dict[str, Location] = field(default_factory=dict)
    by_name: dict[str, list[Location]] = field(default_factory=dict)
    items: dict[str, _Item] = field(default_factory=dict)
    variants: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (id, item)
    bins: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, company_id: str, rows: Sequence[Row]) -> Places:
        places = cls()
        for location in session.scalars(select(Location).where(Location.company_id == company_id)):
            if location.code:
                places.by_code[location.code] = location
            places.by_name.setdefault(location.name, []).append(location)
        dialect = session.get_bind().dialect.name
        codes = {"codes": listed(dialect, {r.item_code for r in rows})}
        found = session.execute(
            select(Item.item_code, Item.id, Item.type, Item.tracking).where(
                Item.company_id == company_id, is_listed(Item.item_code, "codes", dialect)
            ),
            codes,
        )
        places.items = {code: _Item(ident, kind, tracking) for code, ident, kind, tracking in found}
        codes = {"codes": listed(dialect, {r.variant_code for r in rows if r.variant_code})}
        variant = ItemVariant
        statement = select(variant.item_code, variant.id, variant.item_id).where(
            variant.company_id == company_id, is_listed(variant.item_code, "codes", dialect)
        )
        places.variants = {c: (i, item) for c, i, item in session.execute(statement, codes)}
        codes = {"codes": listed(dialect, {r.bin for r in rows if r.bin})}
        statement = select(Bin.location_id, Bin.code, Bin.id).where(
            Bin.company_id == company_id, is_listed(Bin.code, "codes", dialect)
        )
        places.bins = {(at, code): i for at, code, i in session.execute(statement, codes)}
        return places

    def location(self, name: str) -> tuple[Location | None, str]:
        """The location a cell names (by code, else by name), or why there is none."""
        found = self.by_code.get(name)
        named = self.by_name.get(name, [])
        if found is None and len(named) > 1:
            return None, "more than one location has this name (give its code)"
        found = found or (named[0] if named else None)
        if found is None:
            return None, "no location has this code or name"
        if found.type not in PHYSICAL:
            return None, "not a warehouse or store"
        return found, ""

    def target(self, row: Row) -> tuple[StockTarget | None, list[tuple[str, str]]]:
        """The row as ``set_stock`` takes it, or what is wrong with what it names."""
        errors: list[tuple[str, str]] = []
        location, why = self.location(row.location)
        if location is None:
            errors.append(("location", why))
        item = self.items.get(row.item_code)
        if item is None:
            errors.append(("itemCode", "no item has this code"))
        elif item.type != "inventory":
            errors.append(("itemCode", "not a stock item: its stock is not kept"))
        else:
            errors += _tracking(row, item.tracking)
        variant_id = self._variant(row, item, errors)
        bin_id = self._bin(row, location, errors)
        if errors or location is None or item is None:
            return None, errors
        values = {
            "item_id": item.id,
            "variant_id": variant_id,
            "location_id": location.id,
            "bin_id": bin_id,
            "batch_number": row.batch,
            "expiry_date": row.expiry,
            "serial_number": row.serial,
            "quantity": row.quantity,
            "unit_cost": row.unit_cost,
        }
        try:
            return StockTarget.model_validate(values), []
        except ValidationError as error:
            return None, validation_errors(error)

    def _variant(self, row: Row, item: _Item | None, errors: list[tuple[str, str]]) -> str | None:
        if row.variant_code is None:
            return None
        variant = self.variants.get(row.variant_code)
        if variant is None:
            errors.append(("variantCode", "no variant has this code"))
        elif item is not None and variant[1] != item.id:
            errors.append(("variantCode", "a variant of another item"))
        return variant[0] if variant else None

    def _bin(self, row: Row, location: Location | None, errors: list[tuple[str, str]]) -> Any:
        if row.bin is None or location is None:
            return None
        found = self.bins.get((location.id, row.bin))
        if found is None:
            errors.append(("bin", "no bin with this code at the location"))
        return found


def _tracking(row: Row, tracking: str) -> list[tuple[str, str]]:
    """What the row gives against how the item keeps its stock."""
    errors = []
    if tracking == "batch" and row.batch is None:
        errors.append(("batch", "required: the item is tracked by batch"))
    if tracking == "serial" and row.serial is None:
        errors.append(("serial", "required: the item is tracked by serial number"))
    if tracking != "batch" and row.batch is not None:
        errors.append(("batch", "the item is not tracked by batch"))
    if tracking != "serial" and row.serial is not None:
        errors.append(("serial", "the item is not tracked by serial number"))
    if row.serial is not None and row.quantity not in (None, Decimal(0), Decimal(1)):
        errors.append(("quantity", "a serial number is there (1) or not (0)"))
    if row.expiry is not None and row.batch is None:
        errors.append(("expiry", "only with a batch"))
    return errors


def validation_errors(error: ValidationError) -> list[tuple[str, str]]:
    found = []
    for detail in error.errors():
        where = str(detail["loc"][0]) if detail["loc"] else "quantity"  # the serial's check
        message = str(detail["msg"]).removeprefix("Value error, ")
        found.append((COLUMN_OF.get(where, ""), message))
    return found


def check_rows(session: Session, company_id: str, rows: Sequence[Row]) -> list[Fault]:
    """Each row's faults: its cells', then what it names (but in a column already at
    fault), then a place an earlier row names."""
    places = Places.load(session, company_id, rows)
    first: dict[tuple[Any, ...], Row] = {}
    for row in rows:
        at_fault = {column for column, _ in row.errors}
        target, errors = places.target(row)
        row.errors += [(column, reason) for column, reason in errors if column not in at_fault]
        if target is None or at_fault:
            continue
        same = first.setdefault(place_of(target), row)
        if same is not row:
            row.errors.append(("", f"the same place as row {same.number}"))
    return [(row.number, column, reason) for row in rows for column, reason in row.errors]
