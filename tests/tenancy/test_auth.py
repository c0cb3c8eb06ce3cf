"""Every API request needs a valid key for the company it names, with a strong enough role."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from stockkeeper.core.db import Database
from tests.support import Api, Tenant, make_tenant, problem


def test_open_endpoints_need_no_key(client: TestClient) -> None:
    assert client.get("/openapi.json").json()["info"]["title"] == "Stockkeeper"
    assert "swagger" in client.get("/docs").text.lower()
    health = client.get("/health").json()
    assert health["status"] == "ok"


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({}, 401, "missing_api_key"),
        ({"Authorization": "Basic abc"}, 401, "missing_api_key"),
        ({"Authorization": "Bearer sk_not_a_real_key"}, 401, "invalid_api_key"),
    ],
)
def test_missing_or_unknown_key_is_401(
    client: TestClient, tenant: Tenant, headers: dict[str, str], status: int, code: str
) -> None:
    response = client.get("/api/v1/items", headers={"X-Company-Id": tenant.company_id, **headers})
    problem(response, status, code)


def test_revoked_key_is_401(api: Api) -> None:
    created = api.create("/api/v1/api-keys", {"name": "temp", "role": "viewer"})
    temp = api.as_key(created["key"])
    assert temp.get("/api/v1/items").status_code == 200
    api.data(api.delete(f"/api/v1/api-keys/{created['id']}"))
    problem(temp.get("/api/v1/items"), 401, "invalid_api_key")


def test_key_of_another_company_is_403(api: Api, database: Database) -> None:
    other = make_tenant(database)
    response = api.get("/api/v1/items", headers={"X-Company-Id": other.company_id})
    problem(response, 403, "wrong_company")
    problem(api.get("/api/v1/items", headers={"X-Company-Id": ""}), 403, "missing_company_id")


def test_roles(api: Api, tenant: Tenant) -> None:
    viewer, clerk = api.as_key(tenant.viewer_key), api.as_key(tenant.clerk_key)
    assert viewer.get("/api/v1/items").status_code == 200
    body = {"itemCode": "R-1", "name": "Role test", "type": "inventory"}
    problem(viewer.post("/api/v1/items", body), 403, "role_too_weak")
    problem(clerk.post("/api/v1/items", body), 403, "role_too_weak")
    problem(clerk.get("/api/v1/api-keys"), 403, "role_too_weak")
    problem(clerk.put("/api/v1/settings", {"allowNegativeStock": True}), 403, "role_too_weak")
    api.create("/api/v1/items", body)


def test_the_key_and_its_role_are_checked_before_the_body(
    api: Api, tenant: Tenant, client: TestClient
) -> None:
    """A bad key, or a key whose role is too weak, hears that rather than what is wrong with
    the body it sent (the check runs after the body's validation fails, in that case)."""
    bad_body = {"itemCode": 5}
    unknown = {"Authorization": "Bearer sk_not_a_real_key", "X-Company-Id": tenant.company_id}
    problem(client.post("/api/v1/items", json=bad_body, headers=unknown), 401, "invalid_api_key")
    viewer = api.as_key(tenant.viewer_key)
    problem(viewer.post("/api/v1/items", bad_body), 403, "role_too_weak")
    malformed = viewer.request(
        "POST", "/api/v1/items", content=b"{not", headers={"Content-Type": "application/json"}
    )
    problem(malformed, 403, "role_too_weak")
    problem(viewer.get("/api/v1/items?limit=oops"), 422, "validation_failed")
    problem(api.post("/api/v1/items", bad_body), 422, "validation_failed")


def test_created_key_is_shown_once_and_stored_hashed(api: Api, database: Database) -> None:
    created = api.create("/api/v1/api-keys", {"name": "scanner", "role": "clerk"})
    assert created["key"].startswith("sk_")
    assert len(created["key"]) >= 40
    listed = api.data(api.get("/api/v1/api-keys"))
    assert all("key" not in k for k in listed)
    assert created["id"] in {k["id"] for k in listed}
    with database.unit_of_work(write=False) as session:
        from stockkeeper.tenancy.models import ApiKey

        row = session.get(ApiKey, created["id"])
        assert row is not None
        assert created["key"] not in row.key_hash
        assert len(row.key_hash) == 64
