"""Every error is problem+json with a code: unknown routes, methods, bad JSON, big bodies."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support import Api, problem


def test_unknown_route_and_method(client: TestClient, api: Api) -> None:
    problem(client.get("/api/no/such/route"), 404, "route_not_found")
    problem(client.get("/compat/no/such/route"), 404, "route_not_found")
    body = problem(api.request("PATCH", "/api/v1/items"), 405, "method_not_allowed")
    assert "PATCH" in body["detail"]


def test_malformed_json_is_400(api: Api) -> None:
    response = api.request(
        "POST",
        "/api/v1/items",
        content=b'{"itemCode": ',
        headers={"Content-Type": "application/json"},
    )
    problem(response, 400, "malformed_json")


def test_body_over_the_limit_is_413(api: Api) -> None:
    big = {"itemCode": "BIG", "name": "Big", "type": "inventory", "description": "x" * 1_100_000}
    problem(api.post("/api/v1/items", big), 413, "body_too_large")

    def chunks() -> object:
        yield b'{"itemCode": "BIG", "description": "'
        for _ in range(20):
            yield b"y" * 100_000
        yield b'"}'

    streamed = api.request(
        "POST", "/api/v1/items", content=chunks(), headers={"Content-Type": "application/json"}
    )
    problem(streamed, 413, "body_too_large")
    assert api.data(api.get("/api/v1/items")) == []


def test_validation_errors_name_each_field(api: Api) -> None:
    response = api.post(
        "/api/v1/items",
        {
            "itemCode": "",
            "name": "x",
            "type": "inventory",
            "pricing": {"costPrice": "1,00", "priceGroups": [{"groupId": "g"}]},
        },
    )
    body = problem(response, 422, "validation_failed")
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"itemCode", "pricing.costPrice", "pricing.priceGroups.0.price"}
    assert all(e["message"] and e["code"] for e in body["errors"])


def test_nul_characters_are_refused_before_reaching_the_database(api: Api) -> None:
    problem(api.put("/api/v1/settings", {"defaultWarehouseId": "\u0000"}), 400, "nul_character")
    problem(api.get("/api/v1/items/item_%00"), 400, "nul_character")
    problem(api.get("/api/v1/items", params={"search": "a\u0000b"}), 400, "nul_character")
