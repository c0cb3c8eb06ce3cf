"""smallbiz's catalogue errors: ``{"error": ...}`` with the status of each kind, for keys and
roles, unknown ids, bad bodies and filters and what the services refuse; nothing changes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.compat.smallbiz.catalog_support import (
    CATEGORIES,
    PRODUCTS,
    TRANSACTIONS,
    answer,
    listed,
    product,
    refused,
)
from tests.support import Api

_WRITES = (
    ("POST", PRODUCTS),
    ("PUT", f"{PRODUCTS}/1"),
    ("DELETE", f"{PRODUCTS}/1"),
    ("POST", CATEGORIES),
    ("PUT", f"{CATEGORIES}/1"),
    ("DELETE", f"{CATEGORIES}/1"),
)


def test_keys_and_roles(api: Api) -> None:
    for path in (PRODUCTS, CATEGORIES, TRANSACTIONS):
        words = refused(api.client.get(path), 401)
        assert "key" in words.lower()
        refused(api.get(path, headers={"Authorization": "Bearer sk_unknown"}), 401)
        assert listed(api.as_key(api.tenant.viewer_key), path) == []
    clerk = api.as_key(api.tenant.clerk_key)
    for method, path in _WRITES:
        body = None if method == "DELETE" else {"name": "x"}
        refused(clerk.request(method, path, json=body), 403)
    assert listed(api, PRODUCTS) == [] and listed(api, CATEGORIES) == []


def _product_body(**fields: Any) -> dict[str, Any]:
    body = {"name": "Widget", "sku": "W-1", "price": 1, "purchase_price": 1, "quantity_on_hand": 1}
    return {k: v for k, v in (body | fields).items() if v is not ...}


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"sku": ...}, "sku"),
        ({"quantity_on_hand": ...}, "quantity_on_hand"),
        ({"price": -1}, "price"),
        ({"price": "cheap"}, "price"),
        ({"purchase_price": None}, "purchase_price"),
        ({"quantity_on_hand": -3}, "quantity_on_hand"),
        ({"category_id": "1"}, "category_id"),
        ({"supplier_id": 1.5}, "supplier_id"),
        ({"vat_rate_id": 0}, "vat_rate_id"),
        ({"colour": "red"}, "colour"),
        ({"name": ""}, "name"),
        ({"low_stock_threshold": -1}, "low_stock_threshold"),
    ],
)
def test_a_bad_product_body_is_a_422_naming_the_field(
    api: Api, fields: dict[str, Any], named: str
) -> None:
    api.location()
    assert named in refused(api.post(PRODUCTS, _product_body(**fields)), 422)
    assert listed(api, PRODUCTS) == [] and listed(api, TRANSACTIONS) == []


def test_what_the_services_refuse(api: Api) -> None:
    made = product(api, sku="DUP-1")
    assert "DUP-1" in refused(api.post(PRODUCTS, _product_body(sku="DUP-1")), 409)
    # opening stock needs a warehouse to lie in
    words = refused(api.post(PRODUCTS, _product_body(sku="W-2", quantity_on_hand=5)), 422)
    assert "warehouse" in words
    assert "category" in refused(api.post(PRODUCTS, _product_body(category_id=99)), 422)
    assert "supplier" in refused(api.post(PRODUCTS, _product_body(supplier_id=99)), 422)
    refused(api.put(f"{PRODUCTS}/{made['id']}", {"name": None}), 422)
    assert [p["sku"] for p in listed(api, PRODUCTS)] == ["DUP-1"]
    assert listed(api, PRODUCTS)[0]["name"] == made["name"]


def test_unknown_ids_bad_paths_and_malformed_json(api: Api) -> None:
    for method, path in _WRITES[1:3] + _WRITES[4:]:
        body: dict[str, Any] | None = None if method == "DELETE" else {}
        for unknown in ("424242", "-1", "0", "9" * 30):
            refused(api.request(method, path.replace("/1", f"/{unknown}"), json=body), 404)
        refused(api.request(method, path.replace("/1", "/abc"), json=body), 422)
    refused(api.get(f"{PRODUCTS}/1"), 405)
    refused(api.get(f"{PRODUCTS}/1/nothing"), 404)
    headers = {"Content-Type": "application/json"}
    refused(api.post(PRODUCTS, content=b'{"name": ', headers=headers), 400)
    refused(api.post(CATEGORIES, content=b"[1,2", headers=headers), 400)
    for params in ({"from": "yesterday"}, {"to": "2026-02-30"}, {"product_id": "x"}, {"x": 1}):
        refused(api.get(TRANSACTIONS, params=params), 422)
    for number in (424242, 10**30):
        assert answer(api.get(TRANSACTIONS, params={"product_id": number})) == []
        assert answer(api.get(PRODUCTS, params={"supplier_id": number})) == []
    assert "category" in refused(api.post(PRODUCTS, _product_body(category_id=10**30)), 422)
