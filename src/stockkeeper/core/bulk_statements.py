"""The statement ``core.db.insert_many`` runs for a table's columns, and each column's
conversion of its values for the driver: built once for each table, columns and dialect."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy import String, Table
from sqlalchemy.engine import Dialect


@cache
def bulk_insert(
    table: Table, keys: tuple[str, ...], dialect: Dialect
) -> tuple[str, list[Callable[[Any], Any] | None]]:
    """``insert_many``'s statement for these columns, and each column's conversion."""
    defaulted = unnamed_defaults(table, keys)
    if keys and defaulted:
        raise TypeError(f"{table.name}: insert_many rows must name {', '.join(defaulted)}")
    columns = [table.c[key] for key in keys]
    preparer = dialect.identifier_preparer
    names = ", ".join(preparer.format_column(column) for column in columns)
    if dialect.name == "postgresql":
        # each array cast to its column's type, for a column of NULLs has none of its own;
        # text for strings, which the INSERT then fits to the column's length or refuses
        # (a cast to VARCHAR(n) would cut a longer string short)
        arrays = ", ".join(
            "%s::"
            + ("TEXT" if isinstance(column.type, String) else column.type.compile(dialect=dialect))
            + "[]"
            for column in columns
        )
        values = f"SELECT * FROM unnest({arrays})"  # noqa: S608
    else:
        values = f"VALUES ({', '.join('?' for _ in columns)})"
    # (built from the table's metadata alone)
    statement = f"INSERT INTO {preparer.format_table(table)} ({names}) {values}"
    converters: list[Callable[[Any], Any] | None] = [
        column.type.dialect_impl(dialect).bind_processor(dialect) for column in columns
    ]
    return statement, converters


@cache
def unnamed_defaults(table: Table, keys: tuple[str, ...]) -> list[str]:
    """The columns with a Python-side default that ``keys`` leave out."""
    return [c.key for c in table.columns if c.default is not None and c.key not in keys]
