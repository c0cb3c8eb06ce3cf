"""Each kind of import as the jobs run it: its rows from a file's table, their checks, and
applying a chunk of them; each kind has its own layout."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from stockkeeper.imports.service import (
    grouping,
    item_apply,
    item_checks,
    item_layout,
    price_apply,
    price_checks,
    price_layout,
    stock_apply,
    stock_checks,
    stock_layout,
)
from stockkeeper.imports.service.files import Table
from stockkeeper.imports.service.grouping import Applied

Fault = tuple[int, str, str]  # row, column, reason


@dataclass(frozen=True)
class Kind:
    rows: Callable[[Table], tuple[list[Any], list[Fault]]]
    check: Callable[[Session, str, Sequence[Any]], list[Fault]]
    groups: Callable[[Sequence[Any]], list[Any]]  # rows applied together, each with ``rows``
    apply: Callable[..., Applied]


def _item_rows(table: Table) -> tuple[list[Any], list[Fault]]:
    columns, faults = item_layout.read_headings(table.headings)
    if faults:
        return [], [(1, column, reason) for column, reason in faults]
    return [item_layout.parse_row(n, columns, line) for n, line in table.rows], []


KINDS = {
    "items": Kind(
        rows=_item_rows,
        check=item_checks.check_rows,
        groups=grouping.groups_of,
        apply=item_apply.apply_groups,
    ),
    "stock": Kind(
        rows=stock_layout.read_rows,
        check=stock_checks.check_rows,
        groups=stock_apply.groups_of,
        apply=stock_apply.apply_groups,
    ),
    "prices": Kind(
        rows=price_layout.read_rows,
        check=price_checks.check_rows,
        groups=grouping.groups_of,
        apply=price_apply.apply_groups,
    ),
}
