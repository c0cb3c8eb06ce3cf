"""A request's database work runs in one trip to a worker thread: identifying the key, looking
up a retry, the endpoint, and the end of the unit of work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio.to_thread
import pytest

from tests.support import Api, problem


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the functions sent to a worker thread."""
    sent: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counting(function: Callable[..., Any], *args: Any, **options: Any) -> Any:
        sent.append(getattr(function, "__name__", repr(function)))
        return await run_sync(function, *args, **options)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    return sent


def test_a_request_makes_one_trip_to_a_worker_thread(api: Api, trips: list[str]) -> None:
    warehouse = api.location()
    body = {
        "reason": "found",
        "locationId": warehouse["id"],
        "items": [{"itemId": api.item()["id"], "adjustmentQuantity": 3}],
    }
    headers = {"Idempotency-Key": "one-trip"}

    trips.clear()
    first = api.post("/api/v1/inventory/adjustments", body, headers=headers)
    assert first.status_code == 201
    assert len(trips) == 1, trips

    trips.clear()
    replay = api.post("/api/v1/inventory/adjustments", body, headers=headers)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    assert len(trips) == 1, trips

    trips.clear()
    read = api.data(api.get(f"/api/v1/inventory/adjustments/{first.json()['data']['id']}"))
    assert read["items"][0]["adjustmentQuantity"] == 3
    assert len(trips) == 1, trips


def test_a_failed_request_rolls_back_in_its_one_trip(api: Api, trips: list[str]) -> None:
    warehouse = api.location()
    body = {
        "reason": "found",
        "locationId": warehouse["id"],
        "items": [{"itemId": "item_missing", "adjustmentQuantity": 1}],
    }
    trips.clear()
    problem(api.post("/api/v1/inventory/adjustments", body), 422, "item_cannot_move")
    assert len(trips) == 1, trips
    assert api.data(api.get("/api/v1/inventory/adjustments")) == []
    trips.clear()
    problem(api.post("/api/v1/inventory/adjustments", {"reason": 5}), 422, "validation_failed")
    assert len(trips) == 1, trips
