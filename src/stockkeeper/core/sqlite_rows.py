"""Many rows into a SQLite table in one statement (``insert_many``'s way on SQLite), not one
statement a row: a table's triggers then run within one statement, and the item search
index's full-text tables write what they were given once for the rows, where they had
written it once a row (each statement is a savepoint, at which they write what they hold).

A statement is kept prepared by the driver for each text it has run (up to a number of
them), and one of hundreds of rows holds a large program: so the texts are few, each taking
a power of two of rows, the places the rows leave empty filled with NULL and left out."""

from __future__ import annotations

import sqlite3
from functools import cache
from typing import Any

from sqlalchemy.engine import Connection

from stockkeeper.core.driver_calls import driver_execute

MOST = 128  # rows a statement: a power of two


def insert_rows(connection: Connection, into: str, columns: list[list[Any]]) -> None:
    """Inserts the rows whose values ``columns`` holds, a list a column, each value as the
    driver takes it; ``into`` is ``INSERT INTO table (columns)``."""
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    width = len(columns) + 1  # first a mark: 1 for a row, NULL for a place left empty
    fits = max(1, min(MOST, driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
    at_once = 1 << (fits.bit_length() - 1)
    count = len(columns[0])
    for start in range(0, count, at_once):
        rows = list(zip(*(c[start : start + at_once] for c in columns), strict=True))
        room = 1 << (len(rows) - 1).bit_length()
        values = [v for row in rows for v in (1, *row)]
        values += [None] * (width * (room - len(rows)))
        driver_execute(connection, _statement(into, width, room), tuple(values))


@cache
def _statement(into: str, width: int, room: int) -> str:
    row = f"({', '.join('?' for _ in range(width))})"
    picked = ", ".join(f"column{n}" for n in range(2, width + 1))
    rows = ", ".join([row] * room)
    return f"{into} SELECT {picked} FROM (VALUES {rows}) WHERE column1 IS NOT NULL"  # noqa: S608
