"""Zoho's client, as a test drives it: every answer is checked against Zoho's shapes (a
success against the document's schema for its route, with ``code`` 0; an error as
``{code, message}`` with a non-zero integer code), numbers read as exact decimals."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from stockkeeper.core.json import render_json
from tests.compat.zoho.document import validate
from tests.support import Api

BASE = "/compat/zoho/inventory/v1/inventoryadjustments"


class Zoho:
    def __init__(self, api: Api) -> None:
        self.api = api

    def send(
        self,
        method: str,
        path: str,
        schema: str,
        body: Any = None,
        status: int = 200,
        **kwargs: Any,
    ) -> dict[str, Any]:
        headers = {**self.api.headers, **kwargs.pop("headers", {})}
        if body is not None:  # written as the API writes JSON: decimals exactly
            headers["Content-Type"] = "application/json"
            kwargs["content"] = render_json(body)
        response = self.api.client.request(method, BASE + path, headers=headers, **kwargs)
        assert response.status_code == status, f"{response.status_code}: {response.text}"
        data: dict[str, Any] = json.loads(response.text, parse_float=Decimal)
        if status < 400:
            assert data["code"] == 0 and isinstance(data["message"], str), data
            validate(schema, data)
        else:
            refused(data)
        return data

    def create(self, body: Any, status: int = 201) -> dict[str, Any]:
        return self.send("POST", "", "create-an-inventory-adjustment-response", body, status)

    def get(self, ident: str, status: int = 200) -> dict[str, Any]:
        return self.send(
            "GET", f"/{ident}", "retrieve-an-inventory-adjustment-response", None, status
        )

    def list(self, status: int = 200, **params: Any) -> dict[str, Any]:
        schema = "list-all-the-inventory-adjustments-response"
        return self.send("GET", "", schema, None, status, params=params)

    def update(self, ident: str, body: Any, status: int = 200) -> dict[str, Any]:
        schema = "update-an-inventory-adjustment-response"
        return self.send("PUT", f"/{ident}", schema, body, status)

    def delete(self, ident: str, status: int = 200) -> dict[str, Any]:
        schema = "delete-an-inventory-adjustment-response"
        return self.send("DELETE", f"/{ident}", schema, None, status)

    def act(self, ident: str, action: str, body: Any = None, status: int = 200) -> dict[str, Any]:
        """``approve``, ``reject``, and ours: ``submit``, ``status/adjusted``."""
        schema = (
            "approval-action-response"
            if action in ("approve", "reject")
            else "retrieve-an-inventory-adjustment-response"
        )
        return self.send("POST", f"/{ident}/{action}", schema, body, status)


def refused(body: dict[str, Any]) -> None:
    """Zoho's error body: a non-zero integer code and a message, nothing else."""
    assert set(body) == {"code", "message"}, body
    assert isinstance(body["code"], int) and not isinstance(body["code"], bool), body
    assert body["code"] != 0 and isinstance(body["message"], str) and body["message"], body


def line(item: str, quantity: Any, **fields: Any) -> dict[str, Any]:
    return {"item_id": item, "quantity_adjusted": quantity, **fields}


def body(location: str, *lines: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "date": "2026-03-02",
        "reason": "Damaged goods",
        "adjustment_type": "quantity",
        "location_id": location,
        "line_items": list(lines),
        **fields,
    }


def levels(api: Api, item: str) -> dict[tuple[Any, Any], Any]:
    """On hand of an item by (bin code, batch number)."""
    rows = api.data(api.get("/api/v1/inventory/levels", params={"itemId": item}))
    return {(row["binCode"], row["batchNumber"]): row["onHand"] for row in rows}


def on_hand(api: Api, item: str) -> Any:
    """On hand of an item over all its level rows (a row per serial number, too)."""
    rows = api.data(api.get("/api/v1/inventory/levels", params={"itemId": item}))
    return sum(row["onHand"] for row in rows)


def bin_at(api: Api, location: str, code: str, **fields: Any) -> str:
    return str(api.create(f"/api/v1/locations/{location}/bins", {"code": code, **fields})["id"])
