"""The layout of an opening-stock file: one row per place that holds stock, saying what is
there. A place is a location (by code, else by name), an item (or a variant of it), and
where the item keeps them a bin, a batch (with its expiry) and a serial number; ``quantity``
is what the place holds and ``unitCost`` the cost of stock the row brings in. The export of
stock levels writes every column in this order; an import needs ``location``, ``itemCode``
and ``quantity``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from stockkeeper.imports.service import cells
from stockkeeper.imports.service.files import Table

Fault = tuple[int, str, str]  # row, column, reason
HEADINGS = [
    "location",
    "itemCode",
    "variantCode",
    "bin",
    "batch",
    "expiry",
    "serial",
    "quantity",
    "unitCost",
]
REQUIRED = ("location", "itemCode", "quantity")
_BY_NAME = {heading.lower(): heading for heading in HEADINGS}


@dataclass(slots=True)  # a file's every row is held while it is imported
class Row:
    """A data row parsed, its cells by heading (None when empty); ``errors`` what is wrong
    with it, column by column."""

    number: int
    location: str = ""
    item_code: str = ""
    variant_code: str | None = None
    bin: str | None = None
    batch: str | None = None
    expiry: date | None = None
    serial: str | None = None
    quantity: Decimal | None = None
    unit_cost: Decimal | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)


def read_rows(table: Table) -> tuple[list[Row], list[Fault]]:
    """The rows of the file, or the faults of its heading row (row 1) and no rows."""
    columns, faults = read_headings(table.headings)
    if faults:
        return [], [(1, column, reason) for column, reason in faults]
    return [parse_row(n, columns, line) for n, line in table.rows], []


def read_headings(headings: list[str]) -> tuple[list[str | None], list[tuple[str, str]]]:
    """The column of each heading (None for an empty one) and what is wrong with them."""
    columns: list[str | None] = []
    errors = []
    for heading in headings:
        column = _BY_NAME.get(heading.lower()) if heading else None
        if heading and column is None:
            errors.append((heading, "not a column of a stock file"))
        elif column is not None and column in columns:
            errors.append((heading, "the column is there twice"))
        columns.append(column)
    errors += [(name, "the file needs this column") for name in REQUIRED if name not in columns]
    return columns, errors


def parse_row(number: int, columns: list[str | None], line: list[str]) -> Row:
    raw = {c: (line[n] if n < len(line) else "") for n, c in enumerate(columns) if c}
    row = Row(number)
    if any(cell.strip() for cell in line[len(columns) :]):
        row.errors.append(("", "the row has cells past the last heading"))
    row.location = raw.get("location", "").strip()
    row.item_code = raw.get("itemCode", "").strip()
    for name in ("location", "itemCode"):
        if not raw.get(name, "").strip():
            row.errors.append((name, "required"))
    row.variant_code = cells.text(raw.get("variantCode", ""))
    row.bin = cells.text(raw.get("bin", ""))
    row.batch = cells.text(raw.get("batch", ""))
    row.serial = cells.text(raw.get("serial", ""))
    row.expiry = _parsed(row, "expiry", raw, cells.day)
    row.quantity = _parsed(row, "quantity", raw, cells.decimal)
    row.unit_cost = _parsed(row, "unitCost", raw, cells.decimal)
    if row.quantity is None and not any(c == "quantity" for c, _ in row.errors):
        row.errors.append(("quantity", "required"))
    return row


def _parsed(row: Row, name: str, raw: dict[str, str], parse: Callable[[str], Any]) -> Any:
    try:
        return parse(raw.get(name, ""))
    except ValueError as error:
        row.errors.append((name, str(error)))
        return None
