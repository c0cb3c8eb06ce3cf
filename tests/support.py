"""Helpers for tests: a tenant with keys, an API client that speaks for it, factories."""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import update

from stockkeeper.catalog.models import Item
from stockkeeper.core.db import Database
from stockkeeper.core.json import render_json
from stockkeeper.stock.models import StockLevel
from stockkeeper.stock.service.provisioning import provision_company
from stockkeeper.tenancy.service import Actor, NewApiKey, Role, create_api_key

_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}"


@dataclass
class Tenant:
    company_id: str
    admin_key: str
    clerk_key: str
    viewer_key: str
    actor: Actor = field(repr=False)


def make_tenant(database: Database, currency: str = "MYR") -> Tenant:
    with database.unit_of_work() as session:
        company = provision_company(session, name=unique("Company"), currency=currency)
        setup = Actor.system(company.id, "setup")
        keys = {
            role: create_api_key(
                session, setup, key=NewApiKey.model_validate({"role": role.name, "name": role.name})
            )
            for role in Role
        }
        admin_row = keys[Role.admin][0]
        return Tenant(
            company_id=company.id,
            admin_key=keys[Role.admin][1],
            clerk_key=keys[Role.clerk][1],
            viewer_key=keys[Role.viewer][1],
            actor=Actor(company_id=company.id, key_id=admin_row.id, name="admin", role=Role.admin),
        )


class Api:
    """Calls the API as one tenant with one key; returns raw responses."""

    def __init__(self, client: TestClient, tenant: Tenant, key: str) -> None:
        self.client = client
        self.tenant = tenant
        self.headers = {"Authorization": f"Bearer {key}", "X-Company-Id": tenant.company_id}

    def as_key(self, key: str) -> Api:
        return Api(self.client, self.tenant, key)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        response: httpx.Response = self.client.request(method, path, headers=headers, **kwargs)
        assert_documented(self.client.app, method, path, response)
        return response

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, json=body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, json=body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def data(self, response: httpx.Response, status: int = 200) -> Any:
        """The ``data`` of a successful response, after checking status and envelope."""
        assert response.status_code == status, f"{response.status_code}: {response.text}"
        body = response.json()
        assert body["success"] is True, body
        return body["data"]

    # --- factories ------------------------------------------------------------------------

    def create(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self.data(self.post(path, body), 201)
        return result

    def category(self, **fields: Any) -> dict[str, Any]:
        return self.create("/api/v1/categories", {"name": unique("Category"), **fields})

    def supplier(self, **fields: Any) -> dict[str, Any]:
        return self.create("/api/v1/suppliers", {"name": unique("Supplier"), **fields})

    def location(self, **fields: Any) -> dict[str, Any]:
        return self.create("/api/v1/locations", {"name": unique("Location"), **fields})

    def item(self, **fields: Any) -> dict[str, Any]:
        body = {"itemCode": unique("ITEM"), "name": unique("Item"), "type": "inventory", **fields}
        return self.create("/api/v1/items", body)

    def adjust(
        self, location_id: str, *lines: tuple[str, Any] | tuple[str, Any, Any], **fields: Any
    ) -> dict[str, Any]:
        """Posts an adjustment of (item id, quantity[, unit cost]) lines at a location."""
        items = [
            {
                "itemId": line[0],
                "adjustmentQuantity": line[1],
                **({"unitCost": line[2]} if len(line) > 2 else {}),
            }
            for line in lines
        ]
        body = {"reason": "found", "locationId": location_id, "items": items, **fields}
        return self.create("/api/v1/inventory/adjustments", body)

    def stock(self, **params: Any) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.data(self.get("/api/v1/inventory/stock", params=params))
        return rows


# what the framework answers before any route: a path or method no route serves
_UNROUTED = {"route_not_found", "method_not_allowed"}
_OPENAPI = threading.Lock()


def assert_documented(app: Any, method: str, path: str, response: httpx.Response) -> None:
    """An error a route answered with is one its OpenAPI document lists: every problem
    response any test receives keeps the documentation of the error codes honest."""
    if response.status_code < 400 or "problem+json" not in response.headers["content-type"]:
        return
    code = response.json()["code"]
    with _OPENAPI:  # built once: FastAPI's first build is not safe from several threads
        paths = app.openapi()["paths"]
    served = sorted(
        (template.count("{"), template)
        for template, operations in paths.items()
        if method.lower() in operations and _pattern(template).fullmatch(path.split("?")[0])
    )
    if not served or code in _UNROUTED:
        return
    template = served[0][1]  # a literal segment wins over a parameter, as in the router
    responses = paths[template][method.lower()]["responses"]
    listed = responses.get(str(response.status_code), {}).get("x-error-codes", [])
    assert code in listed, f"{method} {template} answered {code}, not in its OpenAPI {listed}"


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\{[^/]+\}", "[^/]+", template))


def as_json(value: Any) -> Any:
    """``value`` as a client receives it: rendered as the API renders it, and parsed."""
    return json.loads(render_json(value), parse_float=Decimal)


def problem(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """Checks a problem+json error response and returns its body."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status, body
    assert body["success"] is False, body
    if code is not None:
        assert body["code"] == code, body
    return body


def put_stock(
    database: Database,
    api: Api,
    item_id: str,
    location_id: str,
    on_hand: str,
    reserved: str = "0",
    variant_id: str | None = None,
) -> None:
    """Writes a level row (and the item's totals) directly, reserved stock included, which no
    document can make yet; a level made so has no movements, so these tests skip the check."""
    with database.unit_of_work() as session:
        session.execute(
            update(Item)
            .where(Item.company_id == api.tenant.company_id, Item.id == item_id)
            .values(
                stock_on_hand=Item.stock_on_hand + Decimal(on_hand),
                stock_reserved=Item.stock_reserved + Decimal(reserved),
            )
        )
        session.add(
            StockLevel(
                company_id=api.tenant.company_id,
                level_key=f"{item_id}|{variant_id}|{location_id}",
                item_id=item_id,
                variant_id=variant_id,
                location_id=location_id,
                physical=True,
                on_hand=Decimal(on_hand),
                reserved=Decimal(reserved),
            )
        )


def run_together(workers: int, work: Callable[[int], object]) -> list[BaseException]:
    """Runs ``work(n)`` on ``workers`` threads released at once; returns what they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(workers)

    def target(n: int) -> None:
        try:
            start.wait()
            work(n)
        except BaseException as error:  # collected and asserted on below
            errors.append(error)

    threads = [threading.Thread(target=target, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
