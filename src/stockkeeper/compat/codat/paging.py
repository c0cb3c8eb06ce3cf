"""Codat's lists: ``{results, pageNumber, pageSize, totalResults, _links}``; ``_links`` holds
the ``href`` of this page (``self`` and ``current``) and of the pages either side (``next``,
``previous``) where there are some, each the request's path and parameters with its page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from stockkeeper.api.responses import ExactJSONResponse
from stockkeeper.compat.codat.query import ListParams
from stockkeeper.compat.codat.routing import PREFIX


def _href(request: Request, params: ListParams, page: int | None = None) -> str:
    path = request.url.path.removeprefix(PREFIX)
    if page is None:
        return f"{path}?{request.url.query}" if request.url.query else path
    query = dict(request.query_params) | {"page": str(page), "pageSize": str(params.page_size)}
    return f"{path}?{urlencode(query)}"


def codat_list(
    request: Request, params: ListParams, records: Sequence[dict[str, Any]], total: int
) -> ExactJSONResponse:
    """One page of a list, its records already rendered."""
    last = max(1, -(-total // params.page_size))
    links: dict[str, dict[str, str]] = {
        "self": {"href": _href(request, params)},
        "current": {"href": _href(request, params, params.page)},
    }
    if params.page < last:
        links["next"] = {"href": _href(request, params, params.page + 1)}
    if params.page > 1:
        links["previous"] = {"href": _href(request, params, min(params.page, last + 1) - 1)}
    return ExactJSONResponse(
        {
            "results": list(records),
            "pageNumber": params.page,
            "pageSize": params.page_size,
            "totalResults": total,
            "_links": links,
        }
    )


def one_page(
    request: Request, params: ListParams, records: Sequence[dict[str, Any]]
) -> ExactJSONResponse:
    """A page of a list read whole (a chart of accounts, the tax rates)."""
    shown = records[params.offset : params.offset + params.page_size]
    return codat_list(request, params, shown, len(records))
