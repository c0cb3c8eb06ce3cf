"""What the list pages share: the filters a list was asked for (its query's non-empty
values), and the links to its first and next pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from stockkeeper.core.pagination import Listed

PAGE_SIZE = 50


def asked(request: Request, names: Iterable[str]) -> dict[str, str]:
    """The list's filters as typed: the named query values that are not empty (an empty
    select or field means no filter)."""
    query = request.query_params
    return {name: value for name in names if (value := query.get(name, "").strip())}


@dataclass(frozen=True)
class Pager:
    """Below a list: how many rows it has, and links to its first and next pages."""

    total: int | None  # None: not counted
    first: str | None  # None on the first page
    next: str | None  # None on the last page


def pager(path: str, filters: dict[str, str], cursor: str, listed: Listed[Any] | None) -> Pager:
    """The pager of a page of the list at ``path`` (asked for with ``cursor``)."""
    if listed is None:
        return Pager(0, None, None)
    first = f"{path}?{urlencode(filters)}" if cursor else None
    following = listed.next_cursor
    after = f"{path}?{urlencode({**filters, 'cursor': following})}" if following else None
    return Pager(listed.total, first, after)


def page_number(text: str, most: int = 1_000_000) -> int:
    """A page's number (from 1) as a query gives it; the first page for anything else
    (``"²".isdigit()`` is true, yet no int)."""
    number = int(text) if text.isascii() and text.isdigit() else 0
    return number if 0 < number < most else 1
