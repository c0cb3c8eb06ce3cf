"""A list of values bound as one parameter, whatever its length: an array on PostgreSQL,
JSON text on SQLite. As an expanding parameter each value of a large document's list (ten
thousand items, twenty thousand levels) was bound and converted on its own, which cost more
than the query."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY


def listed(dialect: str, values: Iterable[Any]) -> Any:
    """The parameter's value for ``values`` (strings, or lists of strings on SQLite)."""
    return list(values) if dialect == "postgresql" else json.dumps(list(values))


def is_listed(column: Any, name: str, dialect: str) -> ColumnElement[bool]:
    """``column`` is one of the list bound as ``name``: a lookup in the column's index for
    each value on both engines."""
    listed: ColumnElement[bool] = (
        column == any_(bindparam(name, type_=ARRAY(String)))
        if dialect == "postgresql"
        else column.in_(json_rows(name))
    )
    return listed


def json_rows(name: str, *paths: str) -> Select[Any]:
    """SQLite: the values of the JSON array bound as ``name``, or their parts at ``paths``
    (``$[0]``: a pair's first)."""
    each = func.json_each(bindparam(name, type_=String)).table_valued("value")
    if not paths:
        return select(each.c.value)
    return select(*(func.json_extract(each.c.value, path) for path in paths))
