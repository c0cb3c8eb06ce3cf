"""The OpenAPI document is part of the product: typed bodies, examples, error responses."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from stockkeeper.reports.service import export
from tests.support import assert_documented


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


_ACTION_PARENTS = (
    "/api/v1/inventory/adjustments/{adjustment_id}/",
    "/api/v1/inventory/counts/{count_id}/",
    "/api/v1/inventory/reservations/{reservation_id}/",
    "/api/v1/webhooks/{webhook_id}/",
    "/api/v1/inventory/alerts/{alert_id}/",
)


_FILE_TYPES = {"application/pdf", "image/png", "image/jpeg", "text/csv", export.XLSX}


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
    number, text = cost["anyOf"]
    assert (number["type"], number["minimum"], "multipleOf" in number) == ("number", 0, False)
    assert (text["type"], text["pattern"].startswith("^")) == ("string", True)
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
                if "application/problem+json" in response.get("content", {}):
                    assert response["x-error-codes"], (operation["operationId"], status)
                else:  # /ready's 503 is its own body, saying why
                    assert status[0] == "2" or operation["operationId"] == "ready", status


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


# --- a document generated clients can use ------------------------------------------------------


def test_the_document_passes_the_openapi_validator(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    validate(spec)  # raises, naming the first part that breaks the OpenAPI 3.1 schema
    broken = {**spec, "paths": {"/x": {"get": {"responses": {"200": {"headers": 1}}}}}}
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_component_and_operation_names_are_readable_and_unique(client: TestClient) -> None:
    """No module paths (``stockkeeper__purchasing__schemas__SupplierRef``, which FastAPI
    writes when two schemas share a name) and no ``Body_<operation>``: a generated client
    drops the first and names classes after both."""
    spec = client.get("/openapi.json").json()
    components = spec["components"]
    for kind in ("schemas", "headers", "securitySchemes"):
        for name in components[kind]:
            # a generic's brackets end a name in underscores (Envelope_list_BinRead__)
            assert re.fullmatch(r"[A-Z][A-Za-z0-9]*(?:[_.-][A-Za-z0-9]+)*_*", name), (kind, name)
            assert not name.startswith("Body_"), name
    assert {"SupplierRef", "ItemSupplier", "ReturnCreate", "SupplierReturnCreate"} <= set(
        components["schemas"]
    )
    upload = spec["paths"]["/api/v1/purchase-orders/{order_id}/packing-slip"]["post"]
    form = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form == {"$ref": "#/components/schemas/UploadSlipBody"}
    ids = [op["operationId"] for item in spec["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(?:_[a-z0-9]+)*", i) and "api_v1" not in i for i in ids), ids
    assert {"list_items", "create_return", "return_goods", "health"} <= set(ids)


def test_both_credentials_are_required_together_except_on_public_operations(
    client: TestClient,
) -> None:
    spec = client.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert (schemes["ApiKey"]["type"], schemes["ApiKey"]["scheme"]) == ("http", "bearer")
    assert (schemes["CompanyId"]["in"], schemes["CompanyId"]["name"]) == ("header", "X-Company-Id")
    assert "security" not in spec  # nothing by default: each operation says
    for path, item in spec["paths"].items():
        for method, op in item.items():
            needs = path.startswith("/api/v1")  # everything but /health
            expected: list[dict[str, list[str]]] | None = None
            if needs:
                expected = [{"ApiKey": [], "CompanyId": []}]
            assert op.get("security") == expected, f"{method.upper()} {path}"
    assert "security" not in spec["paths"]["/health"]["get"]


def test_every_post_takes_an_idempotency_key(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    posts = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            keys = [p for p in op.get("parameters", []) if p["name"] == "Idempotency-Key"]
            assert len(keys) == (method == "post"), f"{method.upper()} {path}"
            posts += keys
    assert len(posts) >= 20
    key = posts[0]
    assert all(other == key for other in posts)
    assert (key["in"], key["required"]) == ("header", False)
    assert (key["schema"]["minLength"], key["schema"]["maxLength"]) == (1, 255)
    assert "Idempotent-Replayed" in key["description"]
    assert "idempotency_key_reused" in key["description"]


def _headers(response: dict[str, Any]) -> set[str]:
    return set(response.get("headers", {}))


def test_response_headers_are_declared(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    declared = spec["components"]["headers"]
    assert declared["X-Request-Id"]["required"] is True
    assert declared["Retry-After"]["schema"]["type"] == "integer"
    assert declared["Idempotent-Replayed"]["required"] is False  # only on a replay
    located = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            for status, response in op["responses"].items():
                where = f"{method.upper()} {path} {status}"
                assert "X-Request-Id" in _headers(response), where
                assert ("Retry-After" in _headers(response)) is (status == "503"), where
                replayable = method == "post" and status.startswith("2")
                assert ("Idempotent-Replayed" in _headers(response)) is replayable, where
                if "Location" in _headers(response):
                    assert status == "201", where
                    located.append(path)
            assert "503" in op["responses"] or not path.startswith("/api/v1")
    assert {"/api/v1/items", "/api/v1/locations/{location_id}/bins"} <= set(located)
    assert "/api/v1/purchase-orders/from-reorder" not in located  # makes many: no one place


def test_a_located_resource_is_read_by_a_get_with_its_id(client: TestClient) -> None:
    """``Location`` is the path and the new ``data.id``: each such 201 returns an id, and a
    GET at the path plus one segment reads it."""
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path, item in paths.items():
        created = item.get("post", {}).get("responses", {}).get("201", {})
        if "Location" not in _headers(created):
            continue
        envelope = _resolve(spec, created["content"]["application/json"]["schema"])
        data = _resolve(spec, envelope["properties"]["data"])
        assert "id" in data["required"] and data["properties"]["id"]["type"] == "string", path
        readers = [p for p in paths if re.fullmatch(re.escape(path) + r"/\{[a-z_]+\}", p)]
        assert len(readers) == 1 and "get" in paths[readers[0]], path


def test_downloads_declare_their_file_name(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    slip = paths["/api/v1/purchase-orders/{order_id}/packing-slip"]["get"]["responses"]["200"]
    assert slip["headers"]["Content-Disposition"] == {
        "$ref": "#/components/headers/Content-Disposition"
    }
    report = paths["/api/v1/inventory/reports/low-stock"]["get"]["responses"]["200"]
    assert report["headers"]["Content-Disposition"]["required"] is False  # JSON has none
    assert "Content-Disposition" not in _headers(paths["/api/v1/items"]["get"]["responses"]["200"])


def test_servers_licence_and_every_tag_described(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    [server] = spec["servers"]
    assert server["url"] == "/" and server["description"]
    assert spec["info"]["license"] == {"name": "MIT", "identifier": "MIT"}
    assert "Idempotency-Key" in spec["info"]["description"]
    described = {tag["name"]: tag.get("description") for tag in spec["tags"]}
    used = {tag for item in spec["paths"].values() for op in item.values() for tag in op["tags"]}
    assert used == set(described)
    assert all(described.values()), described


def _examples(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """Every named example in the document: where it is, its schema and its value."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            bodies = [("request", operation.get("requestBody", {}))]
            bodies += [(status, response) for status, response in operation["responses"].items()]
            for where, body in bodies:
                media = body.get("content", {}).get("application/json", {})
                for name, example in media.get("examples", {}).items():
                    label = f"{method.upper()} {path} {where} {name}"
                    yield label, media["schema"], example["value"]


def test_the_bigledger_examples_are_the_operations_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    registry: Registry[Any] = Registry().with_resource(
        "urn:document", Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    shown = {label: value for label, _, value in _examples(spec) if label.endswith("bigledger")}
    assert len(shown) == 14  # seven requests and seven responses, as the BigLedger document has
    assert shown["POST /api/v1/items request bigledger"]["itemCode"] == "WDG-002"
    for label, schema, value in _examples(spec):
        anchored = json.loads(json.dumps(schema).replace('"#/', '"urn:document#/'))
        errors = [e.message for e in OAS31Validator(anchored, registry=registry).iter_errors(value)]
        assert not errors, f"{label}: {errors}"
