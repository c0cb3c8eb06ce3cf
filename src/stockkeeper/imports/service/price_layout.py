"""The layout of a price list: one row per price, saying what an item (or a variant) costs
in a price group (by name: Trade, Wholesale, or the group holding the selling price, Sales
Price or Rate). ``includesTax`` says whether the price includes tax; empty, as its group
says. A variant has its own selling price only. An import needs ``itemCode``,
``priceGroup`` and ``price``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from stockkeeper.imports.service import cells
from stockkeeper.imports.service.files import Table
from stockkeeper.imports.service.headings import Fault, read_headings

HEADINGS = ["itemCode", "variantCode", "priceGroup", "price", "includesTax"]
REQUIRED = ("itemCode", "priceGroup", "price")


@dataclass(slots=True)  # a file's every row is held while it is imported
class Row:
    """A data row parsed; ``errors`` what is wrong with it, column by column."""

    number: int
    item_code: str = ""
    variant_code: str | None = None
    group: str = ""
    price: Decimal | None = None
    includes_tax: bool | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)
    # what the checks found the row names
    item_id: str | None = None
    variant_id: str | None = None
    group_id: str | None = None
    holds_selling_price: bool = False


def read_rows(table: Table) -> tuple[list[Row], list[Fault]]:
    """The rows of the file, or the faults of its heading row (row 1) and no rows."""
    columns, faults = read_headings(table.headings, HEADINGS, REQUIRED, "a price list")
    if faults:
        return [], faults
    return [_parse_row(n, columns, line) for n, line in table.rows], []


def _parse_row(number: int, columns: list[str | None], line: list[str]) -> Row:
    raw = {c: (line[n] if n < len(line) else "") for n, c in enumerate(columns) if c}
    row = Row(number, raw.get("itemCode", "").strip(), cells.text(raw.get("variantCode", "")))
    row.group = raw.get("priceGroup", "").strip()
    if any(cell.strip() for cell in line[len(columns) :]):
        row.errors.append(("", "the row has cells past the last heading"))
    for name, given in (("itemCode", row.item_code), ("priceGroup", row.group)):
        if not given:
            row.errors.append((name, "required"))
    try:
        row.price = cells.decimal(raw.get("price", ""))
        if row.price is None:
            row.errors.append(("price", "required"))
    except ValueError as error:
        row.errors.append(("price", str(error)))
    try:
        row.includes_tax = cells.boolean(raw.get("includesTax", ""))
    except ValueError as error:
        row.errors.append(("includesTax", str(error)))
    return row
