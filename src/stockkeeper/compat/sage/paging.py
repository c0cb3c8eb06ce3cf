"""Sage's lists: ``{$total, $page, $next, $back, $itemsPerPage, $items}``, paged by ``page``
and ``items_per_page``; ``$next`` and ``$back`` are the paths of the pages either side (the
request's other parameters kept), null at the ends. A record in a list is its id,
``displayed_as`` and ``$path``, with ``attributes=all`` the whole record, and with
``attributes=a,b`` those fields too."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from stockkeeper.api.responses import ExactJSONResponse
from stockkeeper.compat.sage.schemas import ListQuery

PREFIX = "/compat/sage/v3.1"
_ALWAYS = ("id", "displayed_as", "$path")


def _shown(record: dict[str, Any], attributes: str | None) -> dict[str, Any]:
    if attributes is not None and attributes.strip() == "all":
        return record
    names = {a.strip() for a in (attributes or "").split(",")} | set(_ALWAYS)
    return {name: value for name, value in record.items() if name in names}


def _link(request: Request, query: ListQuery, page: int) -> str:
    path = request.url.path.removeprefix(PREFIX)
    params = dict(request.query_params) | {
        "page": str(page),
        "items_per_page": str(query.items_per_page),
    }
    return f"{path}?{urlencode(params)}"


def sage_list(
    request: Request, query: ListQuery, records: Sequence[dict[str, Any]], total: int
) -> ExactJSONResponse:
    """One page of a list, its records already rendered."""
    last = max(1, -(-total // query.items_per_page))
    return ExactJSONResponse(
        {
            "$total": total,
            "$page": query.page,
            "$next": _link(request, query, query.page + 1) if query.page < last else None,
            "$back": _link(request, query, min(query.page, last + 1) - 1)
            if query.page > 1
            else None,
            "$itemsPerPage": query.items_per_page,
            "$items": [_shown(record, query.attributes) for record in records],
        }
    )


def sage_record(record: dict[str, Any], status_code: int = 200) -> ExactJSONResponse:
    return ExactJSONResponse(record, status_code=status_code)
