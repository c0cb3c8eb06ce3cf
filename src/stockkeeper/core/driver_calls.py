"""Statements whose text and values are already as the driver takes them, run on the driver's
own cursor, past SQLAlchemy's execution of a statement (its execution context, its result):
for the inserts and updates a posting runs by the dozen, that work cost several times the
driver's own.

What listens to statements (``before_cursor_execute`` and ``after_cursor_execute``: the
tests that count them, the benchmarks that capture a posting's) still hears these, and a
driver's error comes out as SQLAlchemy's (``IntegrityError``, ``OperationalError``...), as
from any other statement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine import Connection


def driver_execute_each(connection: Connection, statement: str, rows: list[Any]) -> None:
    """Runs ``statement`` once for each of ``rows``: a single row by one execute, which costs
    less than an executemany of one."""
    if len(rows) == 1:
        driver_execute(connection, statement, rows[0])
    else:
        driver_execute(connection, statement, rows, many=True)


def driver_execute(
    connection: Connection, statement: str, parameters: Sequence[Any], *, many: bool = False
) -> None:
    """Runs ``statement`` once with ``parameters``, or once for each of them (``many``)."""
    dispatch = connection.dispatch
    cursor = connection.connection.cursor()
    try:
        if dispatch.before_cursor_execute:
            dispatch.before_cursor_execute(connection, cursor, statement, parameters, None, many)
        try:
            if many:
                cursor.executemany(statement, parameters)
            else:
                cursor.execute(statement, parameters)
        except connection.dialect.loaded_dbapi.Error as error:
            dialect = connection.dialect
            # as SQLAlchemy's own execution does: a lost connection is not used again
            gone = dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor)
            if gone:
                connection.invalidate(error)
            raise exc.DBAPIError.instance(
                statement,
                parameters,
                error,
                dialect.loaded_dbapi.Error,
                hide_parameters=connection.engine.hide_parameters,
                connection_invalidated=gone,
                dialect=dialect,
                ismulti=many,
            ) from error
        if dispatch.after_cursor_execute:
            dispatch.after_cursor_execute(connection, cursor, statement, parameters, None, many)
    finally:
        cursor.close()
