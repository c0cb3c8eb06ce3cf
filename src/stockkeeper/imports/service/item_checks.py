"""The checks of a whole item file before anything is applied: each row's cells, the rows
against each other (an item or variant twice, a variant with no item) and against the
catalogue (codes and barcodes of others, unknown price groups, suppliers, accounts and tax
rates), and the item's values as its use case would take them. Every fault is reported
with its row and column; a variant of an item whose row is at fault is at fault too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError
from sqlalchemy.orm import Session

from stockkeeper.catalog.service.item_prices import PRICE_KIND
from stockkeeper.imports.service import item_values
from stockkeeper.imports.service.item_catalogue import Catalogue
from stockkeeper.imports.service.item_layout import Row

Fault = tuple[int, str, str]  # row, column, reason
_REFERENCES = {
    "incomeAccount": ("accounts", "no account with this code"),
    "expenseAccount": ("accounts", "no account with this code"),
    "assetAccount": ("accounts", "no account with this code"),
    "salesTax": ("tax_rates", "no tax rate with this code"),
    "purchaseTax": ("tax_rates", "no tax rate with this code"),
}


@dataclass
class _File:
    """The rows seen so far: the first row of each item and variant code, each barcode."""

    items: dict[str, Row] = field(default_factory=dict)
    variants: dict[str, Row] = field(default_factory=dict)
    barcodes: dict[str, Row] = field(default_factory=dict)


def check_rows(session: Session, company_id: str, rows: Sequence[Row]) -> list[Fault]:
    catalogue = Catalogue.load(session, company_id, rows)
    seen = _File()
    for row in rows:
        _check_twice(row, seen)
    for row in rows:
        if not row.errors:
            _check_row(row, seen, catalogue)
    for row in rows:  # a variant of an item whose row is refused has no item to go under
        parent = seen.items.get(row.item_code)
        if row.is_variant and not row.errors and parent is not None and parent.errors:
            row.errors.append(("itemCode", f"its item's row ({parent.number}) is invalid"))
    return [(row.number, column, reason) for row in rows for column, reason in row.errors]


def _check_twice(row: Row, seen: _File) -> None:
    code = row.variant_code or row.item_code
    first = (seen.variants if row.is_variant else seen.items).setdefault(code, row)
    if first is not row:
        column = "variantCode" if row.is_variant else "itemCode"
        row.errors.append((column, f"already on row {first.number}"))
    barcode = row.values.get("barcode")
    if barcode:
        owner = seen.barcodes.setdefault(barcode, row)
        if owner is not row:
            row.errors.append(("barcode", f"already on row {owner.number}"))


def _check_row(row: Row, seen: _File, catalogue: Catalogue) -> None:
    if row.is_variant:
        kind = _check_variant(row, seen, catalogue)
    else:
        kind = _check_item(row, seen, catalogue)
    _check_barcode(row, catalogue)
    if kind is not None and not row.errors:
        _check_values(row, kind, catalogue)


def _check_item(row: Row, seen: _File, catalogue: Catalogue) -> str | None:
    """The item's type as it would be, or None when the row is at fault."""
    known = catalogue.codes.get(row.item_code)
    if row.item_code in seen.variants or (known is not None and known.is_variant):
        row.errors.append(("itemCode", "a variant has this code"))
        return None
    kind = row.values.get("type") or (known.item_type if known else None)
    if kind is None:
        row.errors.append(("type", "required for a new item"))
        return None
    if row.values.get("tracking", "none") != "none" and kind != "inventory":
        row.errors.append(("tracking", "only stock items have batches or serials"))
    low, high = row.values.get("minimumStock"), row.values.get("maximumStock")
    if low is not None and high is not None and low > high:
        row.errors.append(("maximumStock", "must not be below the minimum stock"))
    _check_references(row, kind, catalogue)
    return kind


def _check_variant(row: Row, seen: _File, catalogue: Catalogue) -> str | None:
    code = row.variant_code or ""
    known = catalogue.codes.get(code)
    parent = seen.items.get(row.item_code)
    item = catalogue.item(row.item_code)
    if code in seen.items or (known is not None and not known.is_variant):
        row.errors.append(("variantCode", "an item has this code"))
    elif known is not None and (item is None or known.item_id != item.id):
        row.errors.append(("variantCode", "a variant of another item has this code"))
    if parent is None and item is None:
        row.errors.append(("itemCode", "no item has this code (add its row)"))
        return None
    kind = (parent.values.get("type") if parent else None) or (item.item_type if item else None)
    if kind == "service":
        row.errors.append(("variantCode", "a service has no variants"))
    return kind


def _check_barcode(row: Row, catalogue: Catalogue) -> None:
    barcode = row.values.get("barcode")
    owner = catalogue.barcodes.get(barcode) if barcode else None
    own = catalogue.codes.get(row.variant_code or row.item_code)
    if owner is not None and (own is None or own.id != owner.id):
        row.errors.append(("barcode", "another item or variant has this barcode"))


def _check_references(row: Row, kind: str, catalogue: Catalogue) -> None:
    groups = row.values.get("priceGroups") or {}
    unknown = [n for n in groups if (PRICE_KIND[kind], n) not in catalogue.groups]
    if unknown:
        what = "sales price" if PRICE_KIND[kind] == "sales_price" else "service rate"
        row.errors.append(("priceGroups", f"no {what} group named {', '.join(unknown)}"))
    supplier = row.values.get("supplier")
    if supplier and supplier not in catalogue.suppliers:
        row.errors.append(("supplier", "no supplier with this creditor number"))
    for column, (names, reason) in _REFERENCES.items():
        ref = row.values.get(column)
        if ref and ref not in getattr(catalogue, names):
            row.errors.append((column, reason))


def _check_values(row: Row, kind: str, catalogue: Catalogue) -> None:
    """The values the use case would be given, checked as it checks them (text, sizes)."""
    names = item_values.Names("category", "supplier", {})
    try:
        if row.is_variant:
            item_values.new_variant(row)
        elif catalogue.item(row.item_code) is None:
            item_values.new_item(row, names)
        else:
            item_values.item_changes(row, names)
    except ValidationError as error:
        row.errors.extend(item_values.validation_errors(error, row.is_variant))
