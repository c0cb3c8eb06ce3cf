"""What the Sage dialect's tests share: its prefix, calls that read Sage's bodies exactly,
the document's examples read from the file itself, and a recursive comparison of a record
with a documented one that names the path of the first difference."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import httpx

from tests.compat import spec
from tests.support import Api, unique

P = "/compat/sage/v3.1"
SPEC = spec.SAGE

# what a request cannot determine: made by the server, or the document's own ids and times
_MADE = {"id", "created_at", "updated_at", "cost_price_last_updated", "movement_number", "date"}


def body(response: httpx.Response, status: int = 200) -> Any:
    """A Sage body, its numbers read as exact decimals."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    return json.loads(response.text, parse_float=Decimal)


def refused(response: httpx.Response, status: int, code: str | None = None) -> list[Any]:
    """A Sage error body: a list of ``{$severity, $dataCode, $message, $source}``."""
    errors = body(response, status)
    assert isinstance(errors, list) and errors, errors
    for error in errors:
        assert set(error) == {"$severity", "$dataCode", "$message", "$source"}, error
        assert error["$severity"] == "error"
    if code is not None:
        assert {e["$dataCode"] for e in errors} == {code}, errors
    return errors


# --- the document's examples --------------------------------------------------------------


def spec_text() -> str:
    return SPEC.read_text()


def spec_requests() -> list[str]:
    """Every example request in the document: ``GET /stock_items/{id}``, ..."""
    return re.findall(r"^((?:GET|POST|PUT|DELETE) /\S+)$", spec_text(), re.MULTILINE)


def spec_responses() -> dict[str, Any]:
    """Each documented response, by the request line just before it."""
    found: dict[str, Any] = {}
    lines = spec_text().splitlines()
    for start, line in enumerate(lines):
        if line != "{":
            continue
        end = lines.index("}", start)
        request = next(lines[n] for n in range(start - 1, -1, -1) if lines[n].strip())
        found[request] = json.loads("\n".join(lines[start : end + 1]), parse_float=Decimal)
    return found


# --- comparing with the document ------------------------------------------------------------


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float | Decimal):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "string" if isinstance(value, str) else "null"


def shape_difference(documented: Any, ours: Any, at: str = "$") -> str | None:
    """Where ``ours`` first differs from ``documented`` in names, nesting or JSON types (a
    documented null takes any value: the document shows it empty), or None."""
    if documented is None:
        return None
    if _kind(documented) != _kind(ours):
        return f"{at}: documented {_kind(documented)}, ours {_kind(ours)} ({ours!r})"
    if isinstance(documented, dict):
        if set(documented) != set(ours):
            return (
                f"{at}: missing {sorted(set(documented) - set(ours))}, "
                f"extra {sorted(set(ours) - set(documented))}"
            )
        for name in documented:
            found = shape_difference(documented[name], ours[name], f"{at}.{name}")
            if found:
                return found
    if isinstance(documented, list):
        if documented and not ours:
            return f"{at}: documented {len(documented)} entries, ours none"
        for n, entry in enumerate(ours):
            found = shape_difference(documented[min(n, len(documented) - 1)], entry, f"{at}[{n}]")
            if found:
                return found
    return None


def value_difference(
    documented: Any, ours: Any, at: str = "$", made: frozenset[str] = frozenset()
) -> str | None:
    """Where ``ours`` first differs from ``documented`` in a value the request determined:
    everything but what the server makes (ids, times, numbers), ``$path`` (checked to name
    the record's own id instead) and what the document shows empty (null)."""
    if documented is None:
        return None
    if isinstance(documented, dict):
        if "$path" in documented and "id" in documented:
            collection = documented["$path"].rsplit("/", 1)[0]
            if ours["$path"] != f"{collection}/{ours['id']}":
                return f"{at}.$path: {ours['$path']}, not {collection}/{ours['id']}"
        for name, value in documented.items():
            if name in _MADE | made or name == "$path":
                continue
            found = value_difference(value, ours[name], f"{at}.{name}")
            if found:
                return found
        return None
    if isinstance(documented, list):
        if len(documented) != len(ours):
            return f"{at}: documented {len(documented)} entries, ours {len(ours)}"
        for n, (one, other) in enumerate(zip(documented, ours, strict=True)):
            found = value_difference(one, other, f"{at}[{n}]")
            if found:
                return found
        return None
    if documented != ours or _kind(documented) != _kind(ours):
        return f"{at}: documented {documented!r}, ours {ours!r}"
    return None


# --- setting a company up -----------------------------------------------------------------


def warehouse(api: Api) -> str:
    """The company's first warehouse, its default: where manual movements post."""
    return str(api.location(name=unique("Warehouse"), type="warehouse")["id"])


def price_types(api: Api, collection: str = "product_sales_price_types") -> dict[str, str]:
    """The ids of the company's active types, by name."""
    listed = body(api.get(f"{P}/{collection}"))
    return {entry["displayed_as"]: entry["id"] for entry in listed["$items"]}


def stock_item(api: Api, **fields: Any) -> dict[str, Any]:
    sent = {"item_code": unique("STK"), "description": unique("Stock item"), **fields}
    created: dict[str, Any] = body(api.post(f"{P}/stock_items", {"stock_item": sent}), 201)
    return created


def move(api: Api, item_id: str, quantity: Any, **fields: Any) -> httpx.Response:
    sent = {"stock_item_id": item_id, "quantity": quantity, **fields}
    return api.post(f"{P}/stock_movements", {"stock_movement": sent})
