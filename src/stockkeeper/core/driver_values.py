"""Rows' values as the driver takes them, converted by their columns' types in bulk."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def converted_columns(
    rows: list[dict[str, Any]],
    keys: Sequence[str],
    converters: Sequence[Callable[[Any], Any] | None],
) -> list[list[Any]]:
    """The rows' values column by column, each as its column's type gives it to the driver."""
    return [
        [row[key] for row in rows] if convert is None else _converted(rows, key, convert)
        for key, convert in zip(keys, converters, strict=True)
    ]


def _converted(rows: list[dict[str, Any]], key: str, convert: Callable[[Any], Any]) -> list[Any]:
    """One column's values converted, each distinct value once: a document's rows share
    their timestamps, dates and most quantities. Equal values convert alike (1 and 1.0 are
    the same amount; equal aware times the same instant)."""
    if len(rows) == 1:  # a one-line document's: nothing to share
        return [convert(rows[0][key])]
    done: dict[Any, Any] = {}
    column = []
    for row in rows:
        value = row[key]
        try:
            column.append(done[value])
        except KeyError:
            column.append(done.setdefault(value, convert(value)))
        except TypeError:  # unhashable: a JSON document
            column.append(convert(value))
    return column
