"""A file's heading row read against a layout's columns: the column under each heading (in
any case; None under an empty one), and every fault of the row at once, as faults of row 1."""

from __future__ import annotations

from collections.abc import Sequence

Fault = tuple[int, str, str]  # row, column, reason


def read_headings(
    headings: list[str], columns: Sequence[str], required: Sequence[str], what: str
) -> tuple[list[str | None], list[Fault]]:
    """``what`` names the kind of file (``a price list``) in a heading's fault."""
    by_name = {column.lower(): column for column in columns}
    found: list[str | None] = []
    faults: list[Fault] = []
    for heading in headings:
        column = by_name.get(heading.lower()) if heading else None
        if heading and column is None:
            faults.append((1, heading, f"not a column of {what}"))
        elif column is not None and column in found:
            faults.append((1, heading, "the column is there twice"))
        found.append(column)
    faults += [(1, name, "the file needs this column") for name in required if name not in found]
    return found, faults
