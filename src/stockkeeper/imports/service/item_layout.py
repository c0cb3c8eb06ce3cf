"""The layout of an item file: one row per item and one per variant. An item's row has its
code in ``itemCode`` and ``variantCode`` empty; a variant's row has its item's code in
``itemCode`` and its own in ``variantCode``, and only the variant's columns (name, barcode,
prices, attributes, active). The export writes every column in this order; an import may
leave columns out (their values are kept) but needs ``itemCode`` and ``name``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, get_args

from stockkeeper.catalog.values import ItemType, Tracking
from stockkeeper.imports.service import cells

Parse = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parse
    item: bool = True  # on an item's row
    variant: bool = False  # on a variant's row
    default: Any = None  # what an empty cell means on an item's row
    path: str = ""  # where the item's values hold it (for their errors)
    variant_path: str = ""


_TYPES: tuple[str, ...] = get_args(ItemType)
_TRACKING: tuple[str, ...] = get_args(Tracking)
_ZERO = Decimal(0)

COLUMNS = (
    Column("itemCode", cells.text, variant=True, path="item_code"),
    Column("variantCode", cells.text, item=False, variant=True, variant_path="item_code"),
    Column("name", cells.text, variant=True, path="name", variant_path="name"),
    Column("type", cells.one_of(*_TYPES), path="type"),
    Column("description", cells.text, path="description"),
    Column("unit", cells.text, default="pcs", path="unit"),
    Column("category", cells.path, path="category_id"),
    Column(
        "costPrice",
        cells.decimal,
        variant=True,
        default=_ZERO,
        path="pricing.cost_price",
        variant_path="cost_price",
    ),
    Column(
        "sellingPrice",
        cells.decimal,
        variant=True,
        default=_ZERO,
        path="pricing.selling_price",
        variant_path="selling_price",
    ),
    Column("priceGroups", cells.prices, path="pricing.price_groups"),
    Column("supplier", cells.text, path="supplier_id"),
    Column("supplierItemCode", cells.text, path="supplier_item_code"),
    Column("minimumStock", cells.decimal, path="inventory.minimum_stock"),
    Column("maximumStock", cells.decimal, path="inventory.maximum_stock"),
    Column("reorderPoint", cells.decimal, path="inventory.reorder_point"),
    Column("reorderQuantity", cells.decimal, path="inventory.reorder_quantity"),
    Column("tracking", cells.one_of(*_TRACKING), default="none", path="inventory.tracking"),
    Column("incomeAccount", cells.text, path="accounting.income_account_id"),
    Column("expenseAccount", cells.text, path="accounting.expense_account_id"),
    Column("assetAccount", cells.text, path="accounting.asset_account_id"),
    Column("salesTax", cells.text, path="tax.sales_tax_code"),
    Column("purchaseTax", cells.text, path="tax.purchase_tax_code"),
    Column("barcode", cells.text, variant=True, path="barcode", variant_path="barcode"),
    Column("attributes", cells.pairs, item=False, variant=True, variant_path="attributes"),
    Column(
        "active",
        cells.boolean,
        variant=True,
        default=True,
        path="is_active",
        variant_path="is_active",
    ),
)
BY_NAME = {c.name.lower(): c for c in COLUMNS}
HEADINGS = [c.name for c in COLUMNS]
REQUIRED = ("itemCode", "name")


@dataclass(slots=True)  # a file's every row is held while it is imported
class Row:
    """A data row parsed: ``values`` holds each column the file has (its default when the
    cell is empty); ``errors`` what is wrong with it, column by column."""

    number: int
    item_code: str
    variant_code: str | None
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_variant(self) -> bool:
        return self.variant_code is not None

    def text(self) -> dict[str, str]:
        """The row's cells as the export writes them, to compare with the catalogue's."""
        return {name: cells.text_of(value) for name, value in self.values.items()}


def read_headings(headings: list[str]) -> tuple[list[Column | None], list[tuple[str, str]]]:
    """The column of each heading (None for an empty one) and what is wrong with them."""
    columns: list[Column | None] = []
    errors = []
    for heading in headings:
        column = BY_NAME.get(heading.lower()) if heading else None
        if heading and column is None:
            errors.append((heading, "not a column of an item file"))
        elif column is not None and column in columns:
            errors.append((heading, "the column is there twice"))
        columns.append(column)
    errors += [
        (name, "the file needs this column")
        for name in REQUIRED
        if BY_NAME[name.lower()] not in columns
    ]
    return columns, errors


def parse_row(number: int, columns: list[Column | None], line: list[str]) -> Row:
    raw = {c: (line[n] if n < len(line) else "") for n, c in enumerate(columns) if c}
    by_name = {c.name: cell for c, cell in raw.items()}
    row = Row(
        number, by_name.get("itemCode", "").strip(), cells.text(by_name.get("variantCode", ""))
    )
    if any(cell.strip() for cell in line[len(columns) :]):
        row.errors.append(("", "the row has cells past the last heading"))
    for column, cell in raw.items():
        _parse_cell(row, column, cell)
    if not row.item_code:
        row.errors.append(("itemCode", "required"))
    return row


def _parse_cell(row: Row, column: Column, cell: str) -> None:
    if not (column.variant if row.is_variant else column.item):
        if cell.strip():
            where = "an item's" if row.is_variant else "a variant's"
            row.errors.append((column.name, f"only on {where} row"))
        return
    try:
        value = column.parse(cell)
    except ValueError as error:
        row.errors.append((column.name, str(error)))
        return
    if value is None and (not row.is_variant or column.name == "active"):
        value = column.default
    if value is None and column.name == "name":
        row.errors.append((column.name, "required"))
    if value is None and column.name == "type" and not row.is_variant:
        row.errors.append((column.name, "required"))
    row.values[column.name] = value
