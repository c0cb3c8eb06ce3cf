"""Helpers for the smallbiz purchasing tests: paths, the ``{error}`` shape, record numbers
read from the database (the catalogue side of the dialect shows products; these tests make
items through the canonical API and look up the integer that smallbiz shows for them), and a
comparison of a documented response with ours."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from stockkeeper.core import record_numbers
from stockkeeper.core.db import Database
from tests.support import Api, unique

SB = "/compat/smallbiz/api"
SUPPLIERS = f"{SB}/suppliers"
ORDERS = f"{SB}/suppliers/orders"
ZIP = f"{SB}/suppliers/packing-slips/zip"
CANONICAL_ORDERS = "/api/v1/purchase-orders"
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"


def ok(response: httpx.Response, status: int = 200) -> Any:
    """The body of a successful smallbiz response (a bare object or array)."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    assert response.headers["content-type"].startswith("application/json"), response.headers
    return response.json()


def error(response: httpx.Response, status: int) -> str:
    """A smallbiz error: the status, and a body of ``{"error": <text>}`` only."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert list(body) == ["error"] and isinstance(body["error"], str) and body["error"], body
    message: str = body["error"]
    return message


def number(database: Database, api: Api, kind: str, record_id: str) -> int:
    """The integer smallbiz shows for a record (given now if it has none yet)."""
    with database.unit_of_work() as session:
        return record_numbers.number_of(session, api.tenant.company_id, kind, record_id)


def record(database: Database, api: Api, kind: str, shown: int) -> str:
    """The canonical id behind an integer smallbiz showed."""
    with database.unit_of_work(write=False) as session:
        found = record_numbers.record_of(session, api.tenant.company_id, kind, shown)
    assert found is not None, f"no {kind} numbered {shown}"
    return found


def warehouse(api: Api) -> str:
    """The company's default warehouse (its first), where smallbiz's orders are received."""
    location: str = api.location(type="warehouse")["id"]
    return location


def product(database: Database, api: Api, **fields: Any) -> tuple[str, int]:
    """A stock item made on the canonical API: its id, and its smallbiz product id."""
    item: str = api.item(**fields)["id"]
    return item, number(database, api, "item", item)


def supplier(api: Api, **fields: Any) -> dict[str, Any]:
    body = {"name": unique("Supplier"), **fields}
    shown: dict[str, Any] = ok(api.post(SUPPLIERS, body), 201)
    return shown


def order(api: Api, supplier_id: int, *lines: tuple[int, Any, Any], **fields: Any) -> Any:
    """A smallbiz order, with its lines (product id, quantity, unit cost) if any."""
    created = ok(api.post(ORDERS, {"supplier_id": supplier_id, **fields}), 201)
    if not lines:
        return created
    items = [{"product_id": p, "quantity": q, "unit_cost": c} for p, q, c in lines]
    return ok(api.put(f"{ORDERS}/{created['id']}/items", {"items": items}))


def move(api: Api, order_id: int, status: str, **fields: Any) -> httpx.Response:
    return api.put(f"{ORDERS}/{order_id}", {"status": status, **fields})


def on_hand(api: Api, item: str) -> Decimal:
    rows = api.stock(itemId=item)
    return Decimal(str(rows[0]["currentStock"])) if rows else Decimal(0)


def movements(api: Api, item: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = api.data(
        api.get("/api/v1/inventory/movements", params={"itemId": item})
    )
    return found


# --- documented responses against ours ------------------------------------------------------


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float | Decimal):
        return "number"
    if value is None:
        return "null"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def shape_difference(documented: Any, ours: Any, path: str = "$") -> str | None:
    """Where ``ours`` first differs from ``documented`` in names, nesting or JSON types
    (None: nowhere). Objects have the same names; arrays are compared item by item against
    the documented first item."""
    if _json_type(documented) != _json_type(ours):
        return f"{path}: documented {_json_type(documented)}, ours {_json_type(ours)}"
    if isinstance(documented, dict):
        if set(documented) != set(ours):
            return f"{path}: documented names {sorted(documented)}, ours {sorted(ours)}"
        for name, value in documented.items():
            found = shape_difference(value, ours[name], f"{path}.{name}")
            if found:
                return found
    if isinstance(documented, list) and documented:
        for n, value in enumerate(ours):
            found = shape_difference(documented[0], value, f"{path}[{n}]")
            if found:
                return found
    return None


def has_names(ours: dict[str, Any], *names: str) -> None:
    """The fields the document names on a response are there."""
    missing = [name for name in names if name not in ours]
    assert not missing, f"missing {missing} in {sorted(ours)}"
