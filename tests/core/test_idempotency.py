"""Idempotency-Key on POST: a retry returns the first response and acts once."""

from __future__ import annotations

from sqlalchemy import func, select, text

from stockkeeper.api import deps
from stockkeeper.core.db import Database
from stockkeeper.stock.models import Movement
from tests.support import Api, make_tenant, problem


def _movements(database: Database, company_id: str) -> int:
    with database.unit_of_work(write=False) as session:
        count = session.scalar(
            select(func.count()).select_from(Movement).where(Movement.company_id == company_id)
        )
    return count or 0


def test_a_replay_returns_the_first_response_once(api: Api, database: Database) -> None:
    location, item = api.location(), api.item()
    body = {
        "reason": "found",
        "locationId": location["id"],
        "items": [{"itemId": item["id"], "adjustmentQuantity": 3}],
    }
    headers = {"Idempotency-Key": "order-42"}
    first = api.post("/api/v1/inventory/adjustments", body, headers=headers)
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    again = api.post("/api/v1/inventory/adjustments", {**body}, headers=headers)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["content-type"].startswith("application/json")
    assert _movements(database, api.tenant.company_id) == 1
    reordered = {"items": body["items"], "locationId": body["locationId"], "reason": "found"}
    assert (
        api.post("/api/v1/inventory/adjustments", reordered, headers=headers).json() == first.json()
    )


def test_the_same_key_with_another_body_is_422(api: Api) -> None:
    headers = {"Idempotency-Key": "k-1"}
    api.data(api.post("/api/v1/categories", {"name": "First"}, headers=headers), 201)
    problem(
        api.post("/api/v1/categories", {"name": "Second"}, headers=headers),
        422,
        "idempotency_key_reused",
    )
    problem(
        api.post("/api/v1/suppliers", {"name": "First"}, headers=headers),
        422,
        "idempotency_key_reused",
    )
    assert [c["name"] for c in api.data(api.get("/api/v1/categories"))] == ["First"]


def test_a_failed_request_is_not_remembered(api: Api, database: Database) -> None:
    location, item = api.location(), api.item()
    body = {
        "reason": "lost",
        "locationId": location["id"],
        "items": [{"itemId": item["id"], "adjustmentQuantity": -2}],
    }
    headers = {"Idempotency-Key": "retry-me"}
    problem(
        api.post("/api/v1/inventory/adjustments", body, headers=headers), 409, "insufficient_stock"
    )
    api.adjust(location["id"], (item["id"], 5))
    assert api.post("/api/v1/inventory/adjustments", body, headers=headers).status_code == 201
    assert _movements(database, api.tenant.company_id) == 2


def test_keys_belong_to_one_company_and_need_a_valid_key(api: Api, database: Database) -> None:
    headers = {"Idempotency-Key": "shared"}
    mine = api.data(api.post("/api/v1/categories", {"name": "Mine"}, headers=headers), 201)
    other_tenant = make_tenant(database)
    other = Api(api.client, other_tenant, other_tenant.admin_key)
    theirs = other.data(other.post("/api/v1/categories", {"name": "Mine"}, headers=headers), 201)
    assert theirs["id"] != mine["id"]
    stranger = api.as_key("sk_not_a_key")
    problem(stranger.post("/api/v1/categories", {"name": "Mine"}, headers=headers), 401)
    problem(api.post("/api/v1/categories", {"name": "x"}, headers={"Idempotency-Key": ""}), 400)


def test_a_stored_response_is_only_for_the_key_that_made_it(api: Api) -> None:
    """Another key of the company (a viewer, say) cannot read a response by replaying it:
    the response of creating an API key holds the new key's secret."""
    headers = {"Idempotency-Key": "new-key"}
    body = {"name": "Till 2", "role": "clerk"}
    first = api.data(api.post("/api/v1/api-keys", body, headers=headers), 201)
    for other in (api.tenant.viewer_key, api.tenant.clerk_key):
        problem(
            api.as_key(other).post("/api/v1/api-keys", body, headers=headers),
            422,
            "idempotency_key_reused",
        )
    replay = api.post("/api/v1/api-keys", body, headers=headers)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert api.data(replay, 201) == first
    # the scheme's name is case-insensitive, as for any request
    lower = {"Authorization": f"bearer {api.tenant.admin_key}", **headers}
    assert api.data(api.post("/api/v1/api-keys", body, headers=lower), 201) == first


def test_a_replay_while_the_first_runs_is_409(api: Api, database: Database) -> None:
    company = api.tenant.company_id
    deps._in_flight.claim(company, "busy-key")  # as if the first request were running here
    try:
        problem(
            api.post("/api/v1/categories", {"name": "A"}, headers={"Idempotency-Key": "busy-key"}),
            409,
            "idempotency_key_in_use",
        )
    finally:
        deps._in_flight.release(company, "busy-key")
    if database.dialect == "postgresql":  # ... or in another process
        with database.engine.connect() as other_process:
            other_process.execute(
                text("SELECT pg_advisory_lock(hashtext(:k))"), {"k": f"{company}:other-key"}
            )
            response = api.post(
                "/api/v1/categories", {"name": "A"}, headers={"Idempotency-Key": "other-key"}
            )
            other_process.execute(
                text("SELECT pg_advisory_unlock(hashtext(:k))"), {"k": f"{company}:other-key"}
            )
        problem(response, 409, "idempotency_key_in_use")
    assert api.data(api.get("/api/v1/categories")) == []
