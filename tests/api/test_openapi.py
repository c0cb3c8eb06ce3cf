"""The OpenAPI document is part of the product: typed bodies, examples, error responses."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.support import assert_documented


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


_ACTION_PARENTS = (
    "/api/v1/inventory/adjustments/{adjustment_id}/",
    "/api/v1/inventory/reservations/{reservation_id}/",
    "/api/v1/webhooks/{webhook_id}/",
    "/api/v1/inventory/alerts/{alert_id}/",
)


_FILE_TYPES = {"application/pdf", "image/png", "image/jpeg"}


def test_every_route_documents_bodies_and_errors(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operations = [
        (path, method, op)
        for path, item in spec["paths"].items()
        if path.startswith("/api/v1")
        for method, op in item.items()
    ]
    assert len(operations) >= 30
    for path, method, op in operations:
        where = f"{method.upper()} {path}"
        success = [code for code in op["responses"] if code.startswith("2")]
        assert len(success) == 1, where
        content = op["responses"][success[0]]["content"]
        if "application/json" in content:
            assert "$ref" in content["application/json"]["schema"], where
        else:  # a file download names the types it can be
            assert set(content) <= {"application/zip", *_FILE_TYPES}, where
        for code in ("401", "403", "422"):
            error = op["responses"][code]
            assert error["content"]["application/problem+json"]["schema"]["$ref"].endswith(
                "/Problem"
            ), where
        if "requestBody" in op:
            [(media_type, body)] = op["requestBody"]["content"].items()
            assert media_type in ("application/json", "multipart/form-data"), where
            assert "$ref" in body["schema"], where
        elif method in ("post", "put", "patch"):  # only actions on a document go bodiless
            assert method == "post" and path.startswith(_ACTION_PARENTS), where
        if "{" in path:
            assert "404" in op["responses"], where
        assert op.get("security"), where
        assert op.get("tags"), where


def test_decimals_are_numbers_and_examples_are_given(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    pricing = schemas["PricingRead"]["properties"]
    assert pricing["costPrice"]["type"] == "number"
    create = schemas["ItemCreate"]["properties"]
    assert create["itemCode"]["examples"] == ["WDG-002"]
    written = _resolve(spec, {"$ref": "#/components/schemas/PricingWrite"})
    cost = written["properties"]["costPrice"]
    assert {"type": "number"} in cost["anyOf"]
    assert cost["examples"] == [25.0]
    assert set(schemas["Problem"]["required"]) >= {"title", "status", "detail", "code"}


def test_generated_clients_keep_their_class_names_and_groups(client: TestClient) -> None:
    """Component names and tags name a generated client's classes and groups: where code
    moves, they stay as they were."""
    spec = client.get("/openapi.json").json()
    bodies = {"CustomField", "Fulfilment", "LineQuantity", "StatusChange", "StockCount"}
    assert bodies <= set(spec["components"]["schemas"])
    paths = spec["paths"]
    reservations = "/api/v1/inventory/reservations"
    assert {
        tuple(op["tags"])
        for path, item in paths.items()
        if path.startswith(reservations)
        for op in item.values()
    } == {("Sales",)}
    assert paths["/api/v1/inventory/stock"]["put"]["tags"] == ["Stock adjustments"]
    assert paths["/api/v1/inventory/stock"]["get"]["tags"] == ["Stock"]
    supplier = paths["/api/v1/suppliers/{supplier_id}"]
    assert supplier["get"]["tags"] == ["Purchase orders", "Suppliers"]
    assert supplier["put"]["tags"] == ["Suppliers"]
    # positional arguments in some generated clients follow the order the spec lists
    stock = [p["name"] for p in paths["/api/v1/inventory/stock"]["get"]["parameters"]]
    assert stock.index("includeReserved") < stock.index("valueMin")


def test_each_error_status_lists_its_codes_with_an_example_body(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    adjustment = spec["paths"]["/api/v1/inventory/adjustments/{adjustment_id}/post"]["post"]
    conflict = adjustment["responses"]["409"]
    assert {"illegal_transition", "insufficient_stock", "period_locked"} <= set(
        conflict["x-error-codes"]
    )
    examples = conflict["content"]["application/problem+json"]["examples"]
    assert set(examples) == set(conflict["x-error-codes"])
    assert examples["insufficient_stock"]["value"]["status"] == 409
    assert "adjustment_not_found" in adjustment["responses"]["404"]["x-error-codes"]
    for item in spec["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if status[0] in "45":
                    assert response["x-error-codes"], (operation["operationId"], status)


def test_an_error_a_route_does_not_list_fails_the_suite(client: TestClient) -> None:
    """Every problem response a test receives is checked against its route's codes."""
    answer = httpx.Response(
        404,
        headers={"content-type": "application/problem+json"},
        json={"code": "made_up_not_found"},
    )
    with pytest.raises(AssertionError, match="made_up_not_found"):
        assert_documented(client.app, "GET", "/api/v1/items/item_x", answer)
    listed = httpx.Response(
        404, headers={"content-type": "application/problem+json"}, json={"code": "item_not_found"}
    )
    assert_documented(client.app, "GET", "/api/v1/items/item_x", listed)
