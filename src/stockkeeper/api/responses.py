"""The canonical API's envelopes: ``{success, data}`` and ``{success, data, pagination}``,
rendered with exact decimals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel
from starlette.responses import JSONResponse

from stockkeeper.core.api_model import Page
from stockkeeper.core.json import dump, render_json
from stockkeeper.core.pagination import Listed

V = TypeVar("V")


class ExactJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return render_json(content)


def ok(model: BaseModel, status_code: int = 200) -> ExactJSONResponse:
    """A single object in the ``{success, data}`` envelope."""
    return ok_data(dump(model), status_code)


def ok_data(data: dict[str, Any], status_code: int = 200) -> ExactJSONResponse:
    """An object already rendered by its view, in the ``{success, data}`` envelope."""
    return ExactJSONResponse({"success": True, "data": data}, status_code=status_code)


def ok_list(models: Sequence[BaseModel], page: Page) -> ExactJSONResponse:
    """A list in the ``{success, data, pagination}`` envelope."""
    return ExactJSONResponse(
        {
            "success": True,
            "data": [dump(m) for m in models],
            "pagination": page.model_dump(mode="python", by_alias=True),
        }
    )


def ok_page(page: Listed[V], read: Callable[[V], BaseModel], limit: int) -> ExactJSONResponse:
    """A page of a listing, each row rendered by ``read``, with its pagination."""
    return ok_list([read(row) for row in page.rows], Page.of(page.next_cursor, limit, page.counted))


def ok_all(models: Sequence[BaseModel]) -> ExactJSONResponse:
    """A short, complete list (no pagination) in the ``{success, data}`` envelope."""
    return ExactJSONResponse({"success": True, "data": [dump(m) for m in models]})
