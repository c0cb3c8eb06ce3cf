"""Numbers and dates at the HTTP edge (issue 18): what no field can hold is a 422
``validation_failed`` naming the field, never a 500, and changes nothing; decimals may come as
strings; dates are ISO 8601 text within one range, for bodies and query parameters alike."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem

ADJUSTMENTS = "/api/v1/inventory/adjustments"
REPORTS = "/api/v1/inventory/reports"
RESERVATIONS = "/api/v1/inventory/reservations"

_ITEM = '"itemCode": "{}", "name": "Huge", "type": "inventory"'
HUGE = [
    ("1e1000000", "out_of_range"),
    ("-1e1000000", "out_of_range"),
    ("1e99999999999999999999", "out_of_range"),  # past what a Decimal can hold
    ("-1e100000000", "out_of_range"),  # an integer field would convert it for minutes
    ("1" + "0" * 5000, "out_of_range"),  # past the digits Python reads into an int
    ("1e-1000000", "too_many_decimals"),
]


def _raw(api: Api, method: str, path: str, body: str) -> httpx.Response:
    """The body as written: a JSON number no client library would let through."""
    return api.request(
        method, path, content=body.encode(), headers={"Content-Type": "application/json"}
    )


def _refused(response: httpx.Response, field: str, code: str) -> None:
    body = problem(response, 422, "validation_failed")
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(field, code)], body


@pytest.mark.parametrize(("number", "code"), HUGE)
def test_a_number_no_field_can_hold_is_refused_and_changes_nothing(
    api: Api, number: str, code: str
) -> None:
    location = api.location()["id"]
    item = api.item()["id"]
    cost = f'{{{_ITEM.format("HUGE-1")}, "pricing": {{"costPrice": {number}}}}}'
    _refused(_raw(api, "POST", "/api/v1/items", cost), "pricing.costPrice", code)
    line = f'{{"itemId": "{item}", "adjustmentQuantity": {number}}}'
    adjustment = f'{{"reason": "found", "locationId": "{location}", "items": [{line}]}}'
    _refused(_raw(api, "POST", ADJUSTMENTS, adjustment), "items.0.adjustmentQuantity", code)
    count = f'{{"itemId": "{item}", "locationId": "{location}", "newQuantity": {number}}}'
    _refused(_raw(api, "PUT", "/api/v1/inventory/stock", count), "newQuantity", code)
    held = f'{{"itemId": "{item}", "locationId": "{location}", "quantity": {number}}}'
    _refused(_raw(api, "POST", RESERVATIONS, held), "quantity", code)
    days = f'{{{_ITEM.format("HUGE-1")}, "leadTimeDays": {number}}}'
    refused = problem(_raw(api, "POST", "/api/v1/items", days), 422, "validation_failed")
    assert [e["field"] for e in refused["errors"]] == ["leadTimeDays"]
    assert api.data(api.get("/api/v1/items", params={"search": "HUGE-1"})) == []
    assert api.data(api.get(ADJUSTMENTS)) == []
    assert api.stock(itemId=item) == []


def test_the_same_huge_number_with_an_idempotency_key_is_refused_too(api: Api) -> None:
    body = f'{{{_ITEM.format("HUGE-2")}, "pricing": {{"costPrice": 1e99999999999999999999}}}}'
    response = api.request(
        "POST",
        "/api/v1/items",
        content=body.encode(),
        headers={"Content-Type": "application/json", "Idempotency-Key": "huge-1"},
    )
    _refused(response, "pricing.costPrice", "out_of_range")


def test_decimals_may_come_as_strings_and_go_back_as_numbers(api: Api, database: Any) -> None:
    location = api.location()["id"]
    created = api.item(pricing={"costPrice": "12.50", "sellingPrice": "100"})
    assert (created["pricing"]["costPrice"], created["pricing"]["sellingPrice"]) == (12.5, 100)
    listed = api.get(f"/api/v1/items/{created['id']}")
    assert '"costPrice":12.5' in listed.text.replace(" ", "")  # a JSON number, not "12.50"
    line = {"itemId": created["id"], "adjustmentQuantity": "10", "unitCost": "4.20"}
    posted = api.create(ADJUSTMENTS, {"reason": "found", "locationId": location, "items": [line]})
    assert posted["status"] == "posted"
    [row] = api.stock(itemId=created["id"])
    assert (row["currentStock"], row["stockValue"]) == (10, 42)
    taken = {"itemId": created["id"], "locationId": location, "newQuantity": "-3"}
    _refused(api.put("/api/v1/inventory/stock", taken), "newQuantity", "greater_than_equal")
    assert_ledger_consistent(database, api.tenant.company_id)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("12,50", "not_a_number"),
        ("twelve", "not_a_number"),
        (" 12", "not_a_number"),
        ("", "not_a_number"),
        ("NaN", "not_a_number"),
        (True, "not_a_number"),
        ("1e2", "not_a_number"),  # plain notation only, as the schema's pattern says
        ("1234567890123", "out_of_range"),
        ("0.0000001", "too_many_decimals"),
    ],
)
def test_junk_where_a_number_belongs_is_refused(api: Api, value: Any, code: str) -> None:
    body = {
        "itemCode": "JUNK-1",
        "name": "Junk",
        "type": "inventory",
        "pricing": {"sellingPrice": value},
    }
    _refused(api.post("/api/v1/items", body), "pricing.sellingPrice", code)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (20260101, "not_a_day"),  # once read as seconds since 1970: 1970-01-01
        (0, "not_a_day"),
        ("0001-01-01", "out_of_range"),
        ("1899-12-31", "out_of_range"),
        ("9999-12-31", "out_of_range"),
        ("2026-02-30", "not_a_day"),
        ("30/06/2026", "not_a_day"),
    ],
)
def test_a_date_in_a_body_is_iso_text_within_the_range(api: Api, value: Any, code: str) -> None:
    location = api.location()["id"]
    item = api.item()["id"]
    body = {
        "date": value,
        "reason": "found",
        "locationId": location,
        "items": [{"itemId": item, "adjustmentQuantity": 5}],
    }
    _refused(api.post(ADJUSTMENTS, body), "date", code)
    assert api.data(api.get(ADJUSTMENTS)) == []
    assert api.stock(itemId=item) == []


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        (f"{REPORTS}/valuation", "asOfDate"),
        (f"{REPORTS}/movements", "dateFrom"),
        (f"{REPORTS}/movements", "dateTo"),
        (f"{REPORTS}/abc-analysis", "periodFrom"),
        (f"{REPORTS}/abc-analysis", "periodTo"),
        ("/api/v1/inventory/movements", "dateFrom"),
        (ADJUSTMENTS, "dateTo"),
        ("/api/v1/inventory/transfers", "dateFrom"),
        ("/api/v1/inventory/issues", "dateTo"),
        ("/api/v1/purchase-orders", "dateFrom"),
        ("/api/v1/inventory/levels", "expiresBefore"),
    ],
)
def test_a_date_in_a_query_is_held_to_the_same_range(api: Api, path: str, parameter: str) -> None:
    for value in ("0001-01-01", "0001-02-27", "9999-12-31", "20260101"):
        response = api.get(path, params={parameter: value})
        assert problem(response, 422, "validation_failed")["errors"][0]["field"] == parameter


@pytest.mark.parametrize("day", ["1900-01-01", "9999-12-30"])
def test_reports_answer_at_either_end_of_the_range(api: Api, day: str) -> None:
    location = api.location()["id"]
    item = api.item()["id"]
    api.adjust(location, (item, 3, 2))
    valued = api.data(api.get(f"{REPORTS}/valuation", params={"asOfDate": day}))
    assert valued["asOfDate"] == day
    moved = api.data(api.get(f"{REPORTS}/movements", params={"dateFrom": day, "dateTo": day}))
    assert (moved["periodFrom"], moved["periodTo"]) == (day, day)
    ranked = api.data(
        api.get(f"{REPORTS}/abc-analysis", params={"periodFrom": day, "periodTo": day})
    )
    assert (ranked["periodFrom"], ranked["periodTo"]) == (day, day)
    # the periods' defaults reach before the first day (a year back, the first of the month)
    for path, parameter in (("abc-analysis", "periodTo"), ("movements", "dateTo")):
        api.data(api.get(f"{REPORTS}/{path}", params={parameter: day}))
    # stock exists from today on: before it the valuation is empty, after it all is there
    total = Decimal(str(valued["summary"]["totalValue"]))
    assert total == (0 if day == "1900-01-01" else 6)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("9999-12-31T23:59:59-12:00", "out_of_range"),  # overflowed on conversion to UTC
        ("9999-12-31T00:00:00+01:00", "out_of_range"),
        (1767225600, "not_an_instant"),
        ("2030-01-01T00:00:00", "not_an_instant"),
        ("2030-01-01", "not_an_instant"),
    ],
)
def test_an_instant_is_iso_text_with_an_offset_within_the_range(
    api: Api, value: Any, code: str
) -> None:
    location = api.location()["id"]
    item = api.item()["id"]
    api.adjust(location, (item, 2, 1))
    body = {"itemId": item, "locationId": location, "quantity": 1, "expiresAt": value}
    _refused(api.post(RESERVATIONS, body), "expiresAt", code)
    assert api.data(api.get(RESERVATIONS)) == []
    audit = api.get("/api/v1/audit-events", params={"occurredFrom": str(value)})
    assert problem(audit, 422, "validation_failed")["errors"][0]["field"] == "occurredFrom"


def test_the_last_instant_of_the_range_is_taken(api: Api) -> None:
    location = api.location()["id"]
    item = api.item()["id"]
    api.adjust(location, (item, 2, 1))
    body = {"itemId": item, "locationId": location, "quantity": 1}
    held = api.data(api.post(RESERVATIONS, body | {"expiresAt": "9999-12-30T23:59:59Z"}), 201)
    assert held["expiresAt"].startswith("9999-12-30T23:59:59")


# --- the OpenAPI document says all of it ------------------------------------------------------


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _dated(spec: dict[str, Any], schema: dict[str, Any], seen: set[str]) -> list[dict[str, Any]]:
    """Every date or date-time schema reachable from ``schema``."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        seen.add(name)
    schema = _resolve(spec, schema)
    found = [schema] if schema.get("format") in ("date", "date-time") else []
    children = [
        *schema.get("properties", {}).values(),
        *schema.get("anyOf", []),
        *([schema["items"]] if "items" in schema else []),
    ]
    for child in children:
        found += _dated(spec, child, seen)
    return found


def test_every_date_taken_says_its_format_and_range(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    taken: list[dict[str, Any]] = []
    for item in spec["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                taken += _dated(spec, parameter["schema"], set())
            for body in operation.get("requestBody", {}).get("content", {}).values():
                taken += _dated(spec, body["schema"], set())
    formats = {schema["format"] for schema in taken}
    assert formats == {"date", "date-time"} and len(taken) >= 25
    for schema in taken:
        assert schema["type"] == "string", schema
        assert schema["x-minimum"].startswith("1900-01-01"), schema
        assert schema["x-maximum"].startswith("9999-12-30"), schema


def test_numbers_are_documented_as_a_number_or_a_decimal_string(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    count = _resolve(spec, schemas["StockCount"]["properties"]["newQuantity"])
    number, text = count["anyOf"]
    assert (number["type"], number["minimum"], number["exclusiveMaximum"]) == ("number", 0, 1e12)
    assert text["type"] == "string" and "12.50" in text["examples"]
    taken = [
        value
        for value in ("12.50", "0", "-12.50", "12,5", "1e2")
        if re.fullmatch(text["pattern"], value)
    ]
    assert taken == ["12.50", "0"]  # the string's pattern holds the field's bounds too
    assert schemas["PricingRead"]["properties"]["costPrice"]["type"] == "number"
    validate(spec)  # the x- bounds and the patterns keep the document valid


FUTURE_DATED = [
    ("post", ADJUSTMENTS),
    ("post", f"{ADJUSTMENTS}/{{adjustment_id}}/post"),
    ("put", "/api/v1/inventory/stock"),
    ("post", "/api/v1/inventory/transfers"),
    ("patch", "/api/v1/inventory/transfers/{transfer_id}/status"),
    ("post", "/api/v1/inventory/issues"),
    ("post", "/api/v1/inventory/returns"),
    ("post", f"{RESERVATIONS}/{{reservation_id}}/fulfil"),
    ("post", "/api/v1/purchase-orders/{order_id}/receipts"),
    ("post", "/api/v1/purchase-orders/{order_id}/returns"),
    ("put", "/api/v1/purchase-orders/{order_id}"),
]


def test_every_posting_route_documents_future_date(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for method, path in FUTURE_DATED:
        codes = paths[path][method]["responses"]["422"]["x-error-codes"]
        assert "future_date" in codes, (method, path)
    assert "future_date" not in paths[ADJUSTMENTS]["get"]["responses"]["422"]["x-error-codes"]
