"""A row as the item use cases' typed values (``NewItem``, ``ItemChanges``, ``NewVariant``,
``VariantChanges``): only what the file's columns say, so that an update keeps the rest."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from stockkeeper.catalog.values import ItemChanges, NewItem, NewVariant, VariantChanges
from stockkeeper.core.errors import FieldError
from stockkeeper.imports.service.item_layout import COLUMNS, Row

# the item's values' fields, and a variant's, by where they lie: to name a column in an error
_ITEM_PATHS = {c.path: c.name for c in COLUMNS if c.path}
_VARIANT_PATHS = {c.variant_path: c.name for c in COLUMNS if c.variant_path}
_VARIANT_AT = re.compile(r"^variants\.\d+\.")  # where a new item's values hold its variants


@dataclass(frozen=True)
class Names:
    """The ids a row's names stand for, as the file's checks or the apply found them."""

    category_id: str | None = None
    supplier_id: str | None = None
    group_ids: dict[str, str] | None = None  # price group name -> id


def item_fields(row: Row, names: Names) -> dict[str, Any]:
    """The row as an item's values, in the values' own (nested) names."""
    fields: dict[str, Any] = {}
    for column in COLUMNS:
        if not column.item or column.name not in row.values:
            continue
        value = _value(row, column.name, names)
        section, _, name = column.path.rpartition(".")
        (fields.setdefault(section, {}) if section else fields)[name] = value
    return fields


def _value(row: Row, column: str, names: Names) -> Any:
    value = row.values[column]
    if column == "category":
        return names.category_id
    if column == "supplier":
        return names.supplier_id
    if column == "priceGroups":
        ids = names.group_ids or {}
        return [{"group_id": ids.get(name, name), "price": p} for name, p in value.items()]
    return value


def variant_fields(row: Row) -> dict[str, Any]:
    fields = {
        c.variant_path: row.values[c.name]
        for c in COLUMNS
        if c.variant_path and c.name in row.values
    }
    fields["item_code"] = row.variant_code
    return {
        k: v
        for k, v in fields.items()
        if v is not None or k in {"barcode", "cost_price", "selling_price"}
    }


def new_item(row: Row, names: Names, variants: Sequence[Row] = ()) -> NewItem:
    fields = item_fields(row, names)
    if variants:
        fields["variants"] = [variant_fields(v) for v in variants]
    return NewItem.model_validate(fields)


def item_changes(row: Row, names: Names) -> ItemChanges:
    return ItemChanges.model_validate(item_fields(row, names))


def new_variant(row: Row) -> NewVariant:
    return NewVariant.model_validate(variant_fields(row))


def variant_changes(row: Row) -> VariantChanges:
    return VariantChanges.model_validate(variant_fields(row))


def column_of(field: str, variant: bool) -> str:
    """The column a field of the values lies in (``pricing.cost_price`` -> ``costPrice``);
    a field deeper in a list or a map is its list's (``pricing.price_groups.0.price``)."""
    paths = _VARIANT_PATHS if variant else _ITEM_PATHS
    parts = field.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in paths:
            return paths[".".join(parts[:end])]
    return ""


def validation_errors(error: ValidationError, variant: bool) -> list[tuple[str, str]]:
    found = []
    for e in error.errors():
        field = ".".join(str(part) for part in e["loc"])
        found.append((column_of(field, variant), e["msg"]))
    return found


def domain_errors(errors: list[FieldError], variant: bool) -> list[tuple[str, str]]:
    return [(column_of(_VARIANT_AT.sub("", e.field), variant), e.message) for e in errors]
