"""The HTTP edge: request ids, a problem+json 500 that keeps the connection, bodies read
strictly (an object, no key twice, no NUL in a decoded string), OPTIONS and Allow, nosniff,
CORS."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from stockkeeper.api.app import create_app
from stockkeeper.api.deps import ApiRoute, DbSession, Viewer
from stockkeeper.core.db import Database
from stockkeeper.core.settings import Settings
from tests.api.server import serving
from tests.support import Api, Tenant, problem

SETTINGS = "/api/v1/settings"


def _headers(tenant: Tenant) -> dict[str, str]:
    return {"Authorization": f"Bearer {tenant.admin_key}", "X-Company-Id": tenant.company_id}


def _send(api: Api, method: str, path: str, raw: bytes) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    return api.request(method, path, content=raw, headers=headers)


# --- an unhandled error ----------------------------------------------------------------------


def _app_that_fails(settings: Settings, database: Database) -> FastAPI:
    app = create_app(settings, database)
    failing = APIRouter(route_class=ApiRoute)

    @failing.get("/api/v1/test-only/failure", include_in_schema=False)
    def fail(session: DbSession, actor: Viewer) -> None:
        raise RuntimeError("a bug the test planted")

    app.include_router(failing)
    return app


def test_an_unhandled_error_is_a_problem_and_the_connection_stays_open(
    settings: Settings, database: Database, tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    app = _app_that_fails(settings, database)
    with serving(app) as base, httpx.Client(base_url=base, headers=_headers(tenant)) as http:
        failed = http.get("/api/v1/test-only/failure")
        after = http.get("/api/v1/items")
        connections = {_local_address(failed), _local_address(after)}
    body = problem(failed, 500, "internal_error")
    request_id = failed.headers["X-Request-Id"]
    assert body["requestId"] == request_id
    assert request_id in body["detail"]
    assert failed.headers.get("connection", "").lower() != "close"
    assert after.status_code == 200, after.text
    assert len(connections) == 1  # the second request went over the first one's connection
    [logged] = [r for r in caplog.records if r.name == "stockkeeper" and r.exc_info]
    assert request_id in logged.getMessage()
    assert logged.exc_info is not None
    assert str(logged.exc_info[1]) == "a bug the test planted"


def _local_address(response: httpx.Response) -> Any:
    return response.extensions["network_stream"].get_extra_info("client_addr")


# --- request ids -----------------------------------------------------------------------------


def test_every_response_carries_a_request_id(client: TestClient, api: Api) -> None:
    answers = [
        api.get("/api/v1/items"),
        client.get("/api/v1/items"),  # 401
        client.get("/no/such/route"),
        client.get("/health"),
        api.post("/api/v1/items", {"itemCode": "", "name": "x", "type": "inventory"}),
        api.post("/api/v1/items", {"description": "x" * 1_100_000}),  # 413
        client.options("/api/v1/items"),
    ]
    ids = [response.headers["X-Request-Id"] for response in answers]
    assert all(re.fullmatch(r"[0-9a-f]{32}", request_id) for request_id in ids), ids
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(
    ("sent", "echoed"),
    [
        ("req-2026.04:17_abc", True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("two words", False),
        ("<script>", False),
        ("", False),
    ],
)
def test_a_sane_client_request_id_is_echoed(api: Api, sent: str, echoed: bool) -> None:
    response = api.get("/api/v1/items", headers={"X-Request-Id": sent})
    assert (response.headers["X-Request-Id"] == sent) is echoed
    assert re.fullmatch(r"[A-Za-z0-9._:-]{1,64}", response.headers["X-Request-Id"])


# --- bodies ------------------------------------------------------------------------------------

NOT_OBJECTS = [b"1.5", b"1", b'"text"', b"[]", b'[{"allowNegativeStock": true}]', b"null", b"true"]


@pytest.mark.parametrize("raw", NOT_OBJECTS)
def test_a_body_that_is_not_an_object_is_refused(api: Api, raw: bytes) -> None:
    before = api.data(api.get(SETTINGS))
    body = problem(_send(api, "PUT", SETTINGS, raw), 422, "validation_failed")
    assert [(e["field"], e["message"]) for e in body["errors"]] == [
        ("body", "must be a JSON object")
    ]
    assert api.data(api.get(SETTINGS)) == before


@pytest.mark.parametrize("raw", [b"null", b"1.5", b"[]"])
def test_an_optional_body_must_still_be_an_object(api: Api, raw: bytes) -> None:
    path = "/api/v1/purchase-orders/from-reorder"
    problem(_send(api, "POST", path, raw), 422, "validation_failed")
    assert api.data(api.get("/api/v1/purchase-orders")) == []


def test_a_bare_number_does_not_fulfil_a_reservation(api: Api) -> None:
    location = api.location()
    item = api.item()
    api.adjust(location["id"], (item["id"], 5, 2))
    reservations = "/api/v1/inventory/reservations"
    held = api.data(
        api.post(reservations, {"itemId": item["id"], "locationId": location["id"], "quantity": 2}),
        201,
    )
    problem(_send(api, "POST", f"{reservations}/{held['id']}/fulfil", b"1.5"), 422)
    assert api.data(api.get(f"{reservations}/{held['id']}"))["status"] == "active"
    assert api.data(api.post(f"{reservations}/{held['id']}/fulfil", {}))["status"] == "fulfilled"


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (b'{"allowNegativeStock": true, "allowNegativeStock": false}', "allowNegativeStock"),
        (
            b'{"numberingFormats": {"adjustment": "A{SEQ:4}", "adjustment": "B{SEQ:4}"}}',
            "adjustment",
        ),
    ],
)
def test_a_key_named_twice_is_refused(api: Api, raw: bytes, key: str) -> None:
    before = api.data(api.get(SETTINGS))
    body = problem(_send(api, "PUT", SETTINGS, raw), 400, "duplicate_json_key")
    assert body["key"] == key
    assert repr(key) in body["detail"]
    assert api.data(api.get(SETTINGS)) == before


def test_a_key_named_twice_in_a_line_creates_nothing(api: Api) -> None:
    location, item = api.location(), api.item()
    line = f'{{"itemId": "{item["id"]}", "adjustmentQuantity": 1, "adjustmentQuantity": 9}}'
    raw = f'{{"reason": "found", "locationId": "{location["id"]}", "items": [{line}]}}'
    body = problem(_send(api, "POST", "/api/v1/inventory/adjustments", raw.encode()), 400)
    assert body["code"] == "duplicate_json_key"
    assert api.data(api.get("/api/v1/inventory/adjustments")) == []


def test_the_same_key_in_different_objects_is_fine(api: Api) -> None:
    location = api.location()
    first, second = api.item(), api.item()
    lines = [{"itemId": i["id"], "adjustmentQuantity": 1, "unitCost": 2} for i in (first, second)]
    raw = json.dumps({"reason": "found", "locationId": location["id"], "items": lines})
    response = _send(api, "POST", "/api/v1/inventory/adjustments", raw.encode())
    assert api.data(response, 201)["items"][1]["itemId"] == second["id"]


def test_the_nul_guard_reads_decoded_strings(api: Api) -> None:
    # the JSON text "a\\u0000b" is a backslash, then u0000: no NUL in the string
    raw = b'{"name": "a\\\\u0000b"}'
    created = api.data(_send(api, "POST", "/api/v1/categories", raw), 201)
    assert created["name"] == "a\\u0000b"
    refused = [
        b'{"name": "a\\u0000b"}',
        b'{"name": "x", "description": "ok", "parentId": null, "a\\u0000": 1}',
    ]
    for body in refused:
        problem(_send(api, "POST", "/api/v1/categories", body), 400, "nul_character")
    nested = {"name": "N", "type": "inventory", "itemCode": "NUL-1", "tags": ["ok", "a\u0000"]}
    problem(api.post("/api/v1/items", nested), 400, "nul_character")
    names = [c["name"] for c in api.data(api.get("/api/v1/categories"))]
    assert names == ["a\\u0000b"]


def test_a_lone_surrogate_is_malformed_text_wherever_it_is(api: Api) -> None:
    location, item = api.location(), api.item()
    adjustments = "/api/v1/inventory/adjustments"
    line = f'{{"itemId": "{item["id"]}", "adjustmentQuantity": 1, "unitCost": 2}}'
    bodies = {
        "/api/v1/inventory/reservations": (
            f'{{"itemId": "item_\\ud800", "locationId": "{location["id"]}", "quantity": 1}}'
        ),
        adjustments: (
            f'{{"reason": "found", "locationId": "{location["id"]}", "items": [{line}], '
            '"customFields": [{"id": "k", "value": "\\udfff"}]}'
        ),
    }
    for path, raw in bodies.items():
        refused = problem(_send(api, "POST", path, raw.encode()), 400, "malformed_json")
        assert "surrogate" in refused["detail"]
    assert api.data(api.get(adjustments)) == []
    # a pair of surrogate escapes is one character, and fine
    paired = b'{"name": "\\ud83d\\udce6"}'
    assert api.data(_send(api, "POST", "/api/v1/categories", paired), 201)["name"] == "\U0001f4e6"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"name": "\xff"}', "UTF-8"),
        (b"[" * 50_000, "nested too deeply"),
        (b'{"name": "a\x00b"}', "control character"),
    ],
)
def test_a_body_that_is_not_json_is_malformed(api: Api, raw: bytes, reason: str) -> None:
    body = problem(_send(api, "POST", "/api/v1/categories", raw), 400, "malformed_json")
    assert reason in body["detail"]


def test_a_bad_key_is_told_before_a_bad_body(client: TestClient, tenant: Tenant) -> None:
    headers = {"Authorization": "Bearer sk_nope", "X-Company-Id": tenant.company_id}
    for raw in (b'{"a": 1, "a": 2}', b'{"a": "\\u0000"}', b"1.5"):
        response = client.put(SETTINGS, content=raw, headers=headers)
        problem(response, 401, "invalid_api_key")


def test_body_errors_are_documented_where_a_body_is_read(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody", {}).get("content", {})
            codes = operation["responses"].get("400", {}).get("x-error-codes", [])
            where = f"{method.upper()} {path}"
            assert ("duplicate_json_key" in codes) is ("application/json" in body), where
            if body:
                assert "nul_character" in codes, where
                assert "validation_failed" in operation["responses"]["422"]["x-error-codes"]


# --- OPTIONS and Allow -------------------------------------------------------------------------


def test_options_and_405_list_exactly_the_methods_of_the_path(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for template in paths:
        path = re.sub(r"\{[^/]+\}", "x", template)
        served = {
            method.upper()
            for other, operations in paths.items()
            if re.fullmatch(re.sub(r"\{[^/]+\}", "[^/]+", other), path)
            for method in operations
        }
        allowed = client.options(path)
        assert allowed.status_code == 204, template
        assert set(allowed.headers["Allow"].split(", ")) == served | {"OPTIONS"}, template
        unserved = next(m for m in ("PATCH", "DELETE", "PUT", "POST") if m not in served)
        refused = problem(client.request(unserved, path), 405, "method_not_allowed")
        assert refused["instance"] == path
        assert client.request(unserved, path).headers["Allow"] == allowed.headers["Allow"]


def test_options_in_order_and_unknown_paths(client: TestClient) -> None:
    assert client.options("/api/v1/items").headers["Allow"] == "GET, POST, OPTIONS"
    assert client.options("/api/v1/items/x").headers["Allow"] == "GET, PUT, DELETE, OPTIONS"
    problem(client.options("/api/v1/no-such-thing"), 404, "route_not_found")


# --- nosniff ---------------------------------------------------------------------------------


def test_downloads_and_every_response_say_nosniff(client: TestClient, api: Api) -> None:
    download = api.get("/api/v1/inventory/reports/low-stock", params={"format": "csv"})
    assert download.status_code == 200, download.text
    assert download.headers["content-type"].startswith("text/csv")
    answers = [download, api.get("/api/v1/items"), client.get("/nope"), client.get("/docs")]
    assert [r.headers["X-Content-Type-Options"] for r in answers] == ["nosniff"] * len(answers)


# --- CORS ------------------------------------------------------------------------------------

SHOP = "https://shop.example"


@pytest.fixture
def cors_client(settings: Settings, database: Database) -> Any:
    app = create_app(settings.model_copy(update={"cors_origins": [SHOP]}), database)
    with TestClient(app) as cors:
        yield cors


def _preflight(client: TestClient, origin: str) -> httpx.Response:
    response: httpx.Response = client.options(
        "/api/v1/items",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, x-company-id, idempotency-key",
        },
    )
    return response


def test_cors_preflight_for_an_allowed_origin(cors_client: TestClient) -> None:
    response = _preflight(cors_client, SHOP)
    assert response.status_code == 204
    headers = response.headers
    assert headers["Access-Control-Allow-Origin"] == SHOP
    assert headers["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    allowed = {h.strip().lower() for h in headers["Access-Control-Allow-Headers"].split(",")}
    assert allowed >= {"authorization", "x-company-id", "idempotency-key", "content-type"}
    assert "Origin" in headers["Vary"]


def test_cors_exposes_the_api_headers_to_an_allowed_origin(
    cors_client: TestClient, tenant: Tenant
) -> None:
    response = cors_client.get("/api/v1/items", headers={**_headers(tenant), "Origin": SHOP})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == SHOP
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert exposed >= {"X-Request-Id", "Idempotent-Replayed", "Retry-After", "Location"}


def test_cors_says_nothing_to_another_origin(cors_client: TestClient, tenant: Tenant) -> None:
    other = "https://evil.example"
    for response in (
        _preflight(cors_client, other),
        cors_client.get("/api/v1/items", headers={**_headers(tenant), "Origin": other}),
    ):
        assert not any(h.lower().startswith("access-control-") for h in response.headers)
    assert _preflight(cors_client, other).status_code == 204  # a plain OPTIONS answer


def test_cors_is_off_by_default(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STOCKKEEPER_CORS_ORIGINS", raising=False)
    assert Settings(database_url="sqlite://").cors_origins == []
    response = _preflight(client, SHOP)
    assert not any(h.lower().startswith("access-control-") for h in response.headers)


def test_cors_origins_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STOCKKEEPER_CORS_ORIGINS", f"{SHOP}, http://localhost:3000,")
    assert Settings(database_url="sqlite://").cors_origins == [SHOP, "http://localhost:3000"]
    monkeypatch.setenv("STOCKKEEPER_CORS_ORIGINS", "https://shop.example/app")
    with pytest.raises(ValueError, match="not an origin"):
        Settings(database_url="sqlite://")


def test_the_nul_guard_reads_the_decoded_path_and_query(api: Api) -> None:
    problem(api.get("/api/v1/items/item_%00"), 400, "nul_character")
    problem(api.get("/api/v1/items", params={"search": "a\u0000b"}), 400, "nul_character")
    problem(api.get("/api/v1/items?sea%00rch=x"), 400, "nul_character")
    # the text "%00" is not a NUL (sent as "%2500")
    assert api.data(api.get("/api/v1/items", params={"search": "50%00"})) == []


def test_a_query_parameter_no_route_takes_is_refused_on_every_route(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    reads = [
        re.sub(r"\{[^/]+\}", "x_1", path)
        for path, item in spec["paths"].items()
        if path.startswith("/api/v1/") and "get" in item
    ]
    assert len(reads) > 30
    for path in reads:
        refused = problem(api.get(f"{path}?bogus=1&limit=1"), 422, "validation_failed")
        fields = [(e["field"], e["code"]) for e in refused["errors"]]
        assert ("bogus", "unknown_parameter") in fields, (path, fields)
    # the parameters a route does take are still taken, a list's filters by their names
    assert api.get("/api/v1/items?search=x&includeVariants=true").status_code == 200
