"""JSON rendering with exact decimals: ``Decimal`` is written as a JSON number, unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import simplejson
from pydantic import BaseModel
from starlette.responses import JSONResponse

from stockkeeper.core.api_model import Page


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return dump(value)
    raise TypeError(f"cannot render {type(value).__name__} as JSON")


def render_json(content: Any) -> bytes:
    return simplejson.dumps(
        content, use_decimal=True, default=_default, ensure_ascii=False, separators=(",", ":")
    ).encode()


class ExactJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return render_json(content)


def dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="python", by_alias=True)


def ok(model: BaseModel, status_code: int = 200) -> ExactJSONResponse:
    """A single object in the ``{success, data}`` envelope."""
    return ok_data(dump(model), status_code)


def ok_data(data: dict[str, Any], status_code: int = 200) -> ExactJSONResponse:
    """An object already dumped (for an outbox event too), in the ``{success, data}``
    envelope."""
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


def ok_all(models: Sequence[BaseModel]) -> ExactJSONResponse:
    """A short, complete list (no pagination) in the ``{success, data}`` envelope."""
    return ExactJSONResponse({"success": True, "data": [dump(m) for m in models]})
