"""What the count tests share: opening a count, counting, reading it back, and moving it on."""

from __future__ import annotations

from typing import Any

from tests.support import Api

COUNTS = "/api/v1/inventory/counts"


def open_count(api: Api, location: str, **fields: Any) -> dict[str, Any]:
    return api.create(COUNTS, {"locationId": location, **fields})


def count(api: Api, count_id: str, *entries: dict[str, Any]) -> Any:
    return api.post(f"{COUNTS}/{count_id}/lines", {"entries": list(entries)})


def counted(api: Api, count_id: str, *entries: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = api.data(count(api, count_id, *entries))
    return result


def read(api: Api, count_id: str, **params: Any) -> dict[str, Any]:
    result: dict[str, Any] = api.data(api.get(f"{COUNTS}/{count_id}", params=params))
    return result


def move(api: Api, count_id: str, action: str, body: Any = None) -> Any:
    return api.post(f"{COUNTS}/{count_id}/{action}", body)


def close(admin: Api, count_id: str) -> dict[str, Any]:
    """Submits, approves and posts the count; returns it posted."""
    for action in ("submit", "approve", "post"):
        posted: dict[str, Any] = admin.data(move(admin, count_id, action))
    return posted


def lines_by_item(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {line["itemCode"]: line for line in view["lines"]}
