"""What the OpenAPI document promises about headers is what the API sends: every header it
declares for a response and requires is there, with a value its schema takes, and every
header of the API's own that a response carries is declared for it."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from openapi_schema_validator import OAS31Validator

from stockkeeper.catalog.service import categories
from stockkeeper.core.errors import Busy
from tests.support import Api, problem, unique

# the headers the API itself sets (the framework's own, such as Content-Type, are not listed)
API_HEADERS = {
    "x-request-id",
    "location",
    "idempotent-replayed",
    "retry-after",
    "content-disposition",
}


def _spec(client: TestClient) -> dict[str, Any]:
    spec: dict[str, Any] = client.app.openapi()  # type: ignore[attr-defined]
    return spec


def _template(spec: dict[str, Any], method: str, path: str) -> str:
    """The document's path for a request's path (a literal segment wins, as in the router)."""
    served: list[tuple[int, str]] = sorted(
        (template.count("{"), template)
        for template, item in spec["paths"].items()
        if method.lower() in item
        and re.fullmatch(re.sub(r"\{[^/]+\}", "[^/]+", template), path.split("?")[0])
    )
    return served[0][1]


def assert_headers_as_declared(
    spec: dict[str, Any], method: str, path: str, response: httpx.Response
) -> None:
    template = _template(spec, method, path)
    where = f"{method} {template} {response.status_code}"
    operation = spec["paths"][template][method.lower()]
    declared = operation["responses"][str(response.status_code)].get("headers", {})
    for name, header in declared.items():
        if "$ref" in header:
            header = spec["components"]["headers"][header["$ref"].rsplit("/", 1)[-1]]
        value = response.headers.get(name)
        if value is None:
            assert not header.get("required"), f"{where}: {name} is required but was not sent"
            continue
        typed: Any = int(value) if header["schema"].get("type") == "integer" else value
        OAS31Validator(header["schema"]).validate(typed)
    sent = {name.lower() for name in response.headers} & API_HEADERS
    assert sent <= {name.lower() for name in declared}, f"{where}: sent {sent}, declared {declared}"


def test_a_created_resource_is_located_and_a_replay_is_marked(api: Api) -> None:
    spec = _spec(api.client)
    key = {"Idempotency-Key": unique("create-category")}
    body = {"name": unique("Category")}
    first = api.post("/api/v1/categories", body, headers=key)
    created = api.data(first, 201)
    assert first.headers["Location"] == f"/api/v1/categories/{created['id']}"
    assert "Idempotent-Replayed" not in first.headers
    assert api.data(api.get(first.headers["Location"]))["id"] == created["id"]
    again = api.post("/api/v1/categories", body, headers=key)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert again.json() == first.json()
    for response in (first, again):
        assert_headers_as_declared(spec, "POST", "/api/v1/categories", response)


def test_a_nested_resource_is_located_under_its_parent(api: Api) -> None:
    location = api.location()
    path = f"/api/v1/locations/{location['id']}/bins"
    response = api.post(path, {"code": unique("BIN")})
    created = api.data(response, 201)
    assert response.headers["Location"] == f"{path}/{created['id']}"
    assert api.data(api.get(response.headers["Location"]))["code"] == created["code"]
    assert_headers_as_declared(_spec(api.client), "POST", path, response)


def test_a_creation_with_no_resource_to_read_has_no_location(api: Api) -> None:
    response = api.post("/api/v1/api-keys", {"role": "viewer", "name": "reader"})
    assert api.data(response, 201)["key"].startswith("sk_")
    assert "Location" not in response.headers
    assert_headers_as_declared(_spec(api.client), "POST", "/api/v1/api-keys", response)


def test_reads_errors_and_downloads_carry_what_they_declare(client: TestClient, api: Api) -> None:
    spec = _spec(client)
    item = api.item()
    requests: list[tuple[str, str, httpx.Response]] = [
        ("GET", "/health", client.get("/health")),
        ("GET", "/api/v1/items", api.get("/api/v1/items")),
        ("GET", "/api/v1/items/x", api.get(f"/api/v1/items/{item['id']}")),
        ("GET", "/api/v1/items/x", api.get("/api/v1/items/item_nope")),
        ("POST", "/api/v1/items", api.post("/api/v1/items", {"name": "no code"})),
        ("GET", "/api/v1/items", client.get("/api/v1/items")),
        ("PUT", "/api/v1/items/x", api.put(f"/api/v1/items/{item['id']}", {"name": ""})),
    ]
    low_stock = "/api/v1/inventory/reports/low-stock"
    csv = api.get(low_stock, params={"format": "csv"})
    assert csv.headers["Content-Disposition"].startswith("attachment; filename=")
    requests += [("GET", low_stock, csv), ("GET", low_stock, api.get(low_stock))]
    statuses = set()
    for method, path, response in requests:
        statuses.add(response.status_code)
        assert_headers_as_declared(spec, method, path, response)
    assert statuses == {200, 401, 404, 422}


def test_busy_is_a_503_with_the_declared_retry_after(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    def busy(*_args: Any, **_kwargs: Any) -> Any:
        raise Busy("the database is busy; retry the request")

    monkeypatch.setattr(categories, "list_categories", busy)
    response = api.get("/api/v1/categories")
    problem(response, 503, "busy")
    assert response.headers["Retry-After"] == "1"
    assert_headers_as_declared(_spec(api.client), "GET", "/api/v1/categories", response)


@pytest.mark.parametrize(
    "key",
    [
        "a",
        "k" * 255,
        "order 42: retry ~1!",
        "",
        "k" * 256,
        "caf\u00e9",  # printable, but not ASCII
        "a\tb",
        "\u00a0nbsp",
    ],
)
def test_an_idempotency_key_is_taken_exactly_when_its_schema_takes_it(api: Api, key: str) -> None:
    create = _spec(api.client)["paths"]["/api/v1/categories"]["post"]
    [declared] = [p["schema"] for p in create["parameters"] if p["name"] == "Idempotency-Key"]
    valid = OAS31Validator(declared).is_valid(key)
    headers = {"Idempotency-Key": key.encode("latin-1")}
    response = api.post("/api/v1/categories", {"name": unique("Category")}, headers=headers)
    if valid:
        api.data(response, 201)
    else:
        problem(response, 400, "invalid_idempotency_key")
