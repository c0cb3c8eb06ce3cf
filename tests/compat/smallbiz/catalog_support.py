"""Helpers for the smallbiz catalogue tests: its paths, answers and errors, a product
factory, and a comparison of shapes that names the first difference."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from tests.support import Api, unique

INVENTORY = "/compat/smallbiz/api/inventory"
PRODUCTS = f"{INVENTORY}/products"
CATEGORIES = f"{INVENTORY}/categories"
TRANSACTIONS = f"{INVENTORY}/transactions"


def answer(response: httpx.Response, status: int = 200) -> Any:
    """A successful answer's body, after checking its status and that it is plain JSON."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    assert response.headers["content-type"] == "application/json", response.headers
    return response.json(parse_float=Decimal)


def refused(response: httpx.Response, status: int) -> str:
    """smallbiz's error: ``{"error": "..."}`` alone, with the status; returns its words."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    body = response.json()
    assert list(body) == ["error"] and isinstance(body["error"], str) and body["error"], body
    return str(body["error"])


def product(api: Api, **fields: Any) -> dict[str, Any]:
    """A product made through the dialect; ``fields`` as smallbiz sends them."""
    body = {
        "name": unique("Product"),
        "sku": unique("SKU"),
        "price": 10,
        "purchase_price": 6,
        "quantity_on_hand": 0,
        **fields,
    }
    made: dict[str, Any] = answer(api.post(PRODUCTS, body), 201)
    return made


def listed(api: Api, path: str, **params: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = answer(api.get(path, params=params))
    assert isinstance(rows, list)
    return rows


def canonical_item(api: Api, sku: str) -> dict[str, Any]:
    """The canonical item behind a product, found by its code."""
    [item] = api.data(api.get("/api/v1/items", params={"search": sku}))
    assert item["itemCode"] == sku
    return dict(item)


# --- shapes ---------------------------------------------------------------------------------


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float | Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def first_difference(
    documented: Any, ours: Any, path: str = "$", nullable: frozenset[str] = frozenset()
) -> str | None:
    """Where ``ours`` first differs in shape from ``documented``: a name it lacks, another
    JSON type, or another nesting (each documented name must be there, of its type, null
    only where the document makes it optional, ``nullable``; a documented null says nothing
    of the type). None when it has the documented shape."""
    if documented is None or (ours is None and path.rpartition(".")[2] in nullable):
        return None
    kind, found = _json_type(documented), _json_type(ours)
    if kind != found:
        return f"{path}: documented {kind}, ours {found} ({ours!r})"
    if isinstance(documented, dict):
        for name, value in documented.items():
            if name not in ours:
                return f"{path}.{name}: missing"
            difference = first_difference(value, ours[name], f"{path}.{name}", nullable)
            if difference:
                return difference
    if isinstance(documented, list) and documented:
        for n, value in enumerate(ours):
            difference = first_difference(documented[0], value, f"{path}[{n}]", nullable)
            if difference:
                return difference
    return None


def assert_same_shape(documented: Any, ours: Any, nullable: frozenset[str] = frozenset()) -> None:
    difference = first_difference(documented, ours, nullable=nullable)
    assert difference is None, difference


def assert_values(sent: dict[str, Any], ours: dict[str, Any]) -> None:
    """What the request determines comes back as it was sent."""
    differing = {k: (v, ours.get(k)) for k, v in sent.items() if ours.get(k) != v}
    assert not differing, f"sent and answered differ: {differing}"
