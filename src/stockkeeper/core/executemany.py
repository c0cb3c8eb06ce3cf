"""One statement run for many rows of parameters (the levels and items a large document's
posting updates) in one driver executemany, past Core's per-row handling of parameters."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from stockkeeper.core.driver_calls import driver_execute_each
from stockkeeper.core.driver_values import converted_columns

Converter = Callable[[Any], Any] | None


def run_many(session: Session, statement: Executable, rows: list[dict[str, Any]]) -> None:
    """Runs ``statement`` (built once, its parameters named) once per row, as ``run`` does with
    a list, in one executemany. The values go to the driver as each parameter's type converts
    them, on the driver's own cursor (``core.driver_calls``); Core converted each row's
    parameters one by one, which for the thousands of rows of a large count cost more than
    the statement (``insert_many`` does the same for inserts)."""
    if not rows:
        return
    session.flush()
    connection = session.connection()
    sql, names, fixed, defaults, converters = _compiled(statement, connection.dialect)
    # a column's Python-side default on update (an ``updated_at``), once for the statement
    fixed = fixed | {name: default.arg(None) for name, default in defaults.items()}
    full = [fixed | row for row in rows] if fixed else rows
    columns = converted_columns(full, names, converters)
    parameters: list[Any] = list(zip(*columns, strict=True))
    if not connection.dialect.positional:
        parameters = [dict(zip(names, values, strict=True)) for values in parameters]
    driver_execute_each(connection, sql, parameters)


@cache
def _compiled(
    statement: Executable, dialect: Dialect
) -> tuple[str, list[str], dict[str, Any], dict[str, Any], list[Converter]]:
    """The statement's text in the dialect; its parameters' names in the order the text takes
    them; the values of those it holds itself (literals in its expressions); the Python-side
    defaults of the columns it sets without being given them; and each parameter's
    conversion."""
    compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
    names = list(compiled.positiontup) if dialect.positional else list(compiled.binds)
    binds = compiled.binds
    defaults: dict[str, Any] = {}
    prefetched = [(c, c.default) for c in compiled.insert_prefetch]
    prefetched += [(c, c.onupdate) for c in compiled.update_prefetch]
    for column, default in prefetched:
        if not default.is_callable:
            raise TypeError(f"{column}: run_many takes only callable Python-side defaults")
        defaults[column.key] = default
    fixed = {
        name: binds[name].effective_value
        for name in names
        if not binds[name].required and name not in defaults
    }
    converters: list[Converter] = [
        binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    ]
    return compiled.string, names, fixed, defaults, converters
