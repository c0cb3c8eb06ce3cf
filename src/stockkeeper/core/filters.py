"""Building WHERE clauses from optional filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def given(*filters: tuple[Any, Any, Callable[[Any, Any], Any]]) -> list[Any]:
    """``(value, column, operator)`` triples become conditions, except where the value is None."""
    return [compare(column, value) for value, column, compare in filters if value is not None]
