"""The OpenAPI document as generated clients and people read it.

FastAPI builds the document from the routes, each of which declares only its own
``responses``; what holds for the whole API is added here, once: problem+json error bodies,
both credentials required together, the ``Idempotency-Key`` of every POST, the headers every
response carries, readable names for what FastAPI names after module paths, and the
document's servers, licence and tag descriptions.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable
from importlib import resources
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from stockkeeper.api.deps import ApiRoute, served_routes
from stockkeeper.api.problems import PROBLEM_JSON
from stockkeeper.core import idempotency

DESCRIPTION = """
Inventory and stock-ledger service.

Every request under `/api/v1` carries both `Authorization: Bearer <api key>` and
`X-Company-Id`. Money and quantities are exact decimals, sent and returned as JSON numbers
(a decimal string is accepted too). Errors are `application/problem+json` documents with a
machine-readable `code`; each operation lists the codes it can return, per status, in
`x-error-codes`.

Every `POST` takes an optional `Idempotency-Key`: sent again with the same key, a request is
answered with its first response (marked `Idempotent-Replayed: true`) and nothing is done
twice. Every response carries an `X-Request-Id` (the client's own, when it sends a short
token), which the server's log names too. A `503` means the database is busy: retry after
`Retry-After` seconds.
"""

# the BigLedger document's request and response examples, by operation
BIGLEDGER_EXAMPLES: dict[str, dict[str, Any]] = json.loads(
    resources.files(__package__).joinpath("bigledger_examples.json").read_text()
)

SERVERS = [{"url": "/", "description": "This server (where this document was served from)"}]
LICENSE = {"name": "MIT", "identifier": "MIT"}

# every tag an operation uses, in the order the document lists them
TAGS = [
    {"name": "Items", "description": "The item catalogue: items and their variants."},
    {"name": "Stock", "description": "Stock levels per item and location, and the ledger."},
    {
        "name": "Stock adjustments",
        "description": "Adjustments with their approval workflow, stock counts, and the "
        "adjustment reasons.",
    },
    {
        "name": "Stock counts",
        "description": "Counts of a location: the snapshot of what the ledger expects, the "
        "clerks' counted lines, review, and posting the variances as one adjustment.",
    },
    {"name": "Stock transfers", "description": "Transfers between locations, through transit."},
    {"name": "Sales", "description": "Goods issued and returned, and reservations."},
    {
        "name": "Batches",
        "description": "Many adjustments, issues, returns and transfers in one request, all "
        "or each on its own.",
    },
    {
        "name": "Imports",
        "description": "Items uploaded as CSV or XLSX and applied by the worker in chunks, "
        "and exported in the same columns (admin to import).",
    },
    {
        "name": "Purchase orders",
        "description": "Purchase orders, receiving, returns to suppliers, and packing slips.",
    },
    {"name": "Reports", "description": "Valuation, movements, low stock and ABC analysis."},
    {
        "name": "Journals",
        "description": "The stock's journal entries for the books, and their tie-out with the "
        "valuation.",
    },
    {"name": "Categories", "description": "Item categories (admin to change)."},
    {"name": "Price groups", "description": "Customer price groups (admin to change)."},
    {"name": "Locations", "description": "Warehouses, stores and their bins (admin to change)."},
    {"name": "Suppliers", "description": "Suppliers (admin to change)."},
    {
        "name": "Accounts",
        "description": "The chart of accounts items book their income, cost and stock value "
        "to (admin to change).",
    },
    {
        "name": "Tax rates",
        "description": "Tax rates and their components, which items are taxed at (admin to "
        "change).",
    },
    {"name": "Settings", "description": "The company's settings (admin to change)."},
    {"name": "API keys", "description": "The company's API keys and their roles (admin)."},
    {"name": "Webhooks", "description": "Webhook endpoints, their secrets and deliveries."},
    {"name": "Alerts", "description": "Alert rules and the alerts they raise."},
    {"name": "Audit", "description": "Who changed what, and when."},
    {"name": "Health", "description": "Whether the server is up; needs no key."},
]

APP_OPTIONS: dict[str, Any] = {
    "description": DESCRIPTION,
    "servers": SERVERS,
    "license_info": LICENSE,
    "openapi_tags": TAGS,
}


def operation_id(route: APIRoute) -> str:
    """An operation's id is its endpoint's name (``list_items``): generated clients name
    their functions after it. FastAPI's own appends the path and the method."""
    return route.name.removesuffix("_route")


# --- the headers ------------------------------------------------------------------------

_KEY_PATTERN = "^[ -~]+$"  # printable ASCII, as core.idempotency.check_key takes it

IDEMPOTENCY_KEY: dict[str, Any] = {
    "name": idempotency.HEADER,
    "in": "header",
    "required": False,
    "description": "Makes a retry safe. The same request sent again with the same key (by "
    "the same API key) is answered with the first response, marked `Idempotent-Replayed: "
    "true`, and nothing is done again. Only a success is kept, so a refused request can be "
    "corrected and sent with the same key. The same key with a different request is 422 "
    "`idempotency_key_reused`; while its first request is running, 409 "
    "`idempotency_key_in_use`. Keys are kept at least 24 hours (`stockkeeper "
    "purge-idempotency-keys`). 1 to 255 printable ASCII characters: a UUID will do.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": _KEY_PATTERN},
    "example": "7f9c0d1e-8a2b-4c3d-9e4f-5a6b7c8d9e0f",
}

HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-Id": {
        "description": "The request's id, as the server's log names it: the client's own "
        "`X-Request-Id` when it is 1 to 64 letters, digits or `._:-`, else a new one.",
        "required": True,
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,64}$"},
    },
    "Location": {
        "description": "Where the new resource is read (`GET`), relative to this server.",
        "required": True,
        "schema": {"type": "string", "format": "uri-reference"},
    },
    idempotency.REPLAYED: {
        "description": "`true` when this is the stored response of an earlier request with "
        "the same `Idempotency-Key`: nothing was done again.",
        "required": False,
        "schema": {"type": "string", "enum": ["true"]},
    },
    "Retry-After": {
        "description": "How many seconds to wait before sending the request again.",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
    },
    "Content-Disposition": {
        "description": 'A download\'s file name: `attachment; filename="..."`.',
        "required": True,
        "schema": {"type": "string"},
    },
}


def install(app: FastAPI) -> None:
    """The app's ``openapi()`` builds FastAPI's document once, then completes it."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            complete(document, app.routes)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def complete(document: dict[str, Any], routes: Iterable[BaseRoute]) -> None:
    """Adds to FastAPI's document what holds for every operation, read off its route."""
    _rename_generated_bodies(document)
    _numbers_default_to_numbers(document)
    components = document.setdefault("components", {})
    components["headers"] = copy.deepcopy(HEADERS)
    by_operation = {
        (path, method.lower()): route
        for path, methods, route in served_routes(routes)
        for method in methods
    }
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            route = by_operation.get((path, method))
            _problems_as_problem_json(operation)
            _both_credentials(operation)
            if isinstance(route, ApiRoute) and method == "post":
                # written out, not a $ref: a tool that reads a parameter's schema finds it
                operation.setdefault("parameters", []).append(copy.deepcopy(IDEMPOTENCY_KEY))
            _declare_headers(operation, route, method)
            _bigledger_examples(operation)


def _bigledger_examples(operation: dict[str, Any]) -> None:
    """The canonical API's own document's examples, for the operations it shows them for."""
    shown = BIGLEDGER_EXAMPLES.get(operation.get("operationId", ""))
    if shown is None:
        return
    if "request" in shown:
        body = operation["requestBody"]["content"]["application/json"]
        body["examples"] = _named_example(shown, "request")
    if "response" in shown:
        [success] = [r for status, r in operation["responses"].items() if status.startswith("2")]
        success["content"]["application/json"]["examples"] = _named_example(shown, "response")


def _named_example(shown: dict[str, Any], which: str) -> dict[str, Any]:
    return {"bigledger": {"summary": shown["summary"], "value": shown[which]}}


def _header(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


def _problems_as_problem_json(operation: dict[str, Any]) -> None:
    """Error responses are served as problem+json, not as the route's JSON."""
    for status, response in operation.get("responses", {}).items():
        content = response.get("content", {})
        schema = content.get("application/json", {}).get("schema", {})
        if status[0] in "45" and schema.get("$ref", "").endswith("/Problem"):
            content.setdefault(PROBLEM_JSON, {}).update(content.pop("application/json"))


def _both_credentials(operation: dict[str, Any]) -> None:
    """FastAPI lists each credential as a requirement of its own (either would do); the API
    needs both, which is one requirement naming the two."""
    requirements = operation.get("security")
    if requirements:
        operation["security"] = [{name: [] for each in requirements for name in each}]


def _declare_headers(operation: dict[str, Any], route: BaseRoute | None, method: str) -> None:
    for status, response in operation.get("responses", {}).items():
        headers = response.setdefault("headers", {})
        names = ["X-Request-Id"]
        if status.startswith("2") and method == "post" and isinstance(route, ApiRoute):
            names.append(idempotency.REPLAYED)
        if status == "201" and getattr(route, "located", False):
            names.append("Location")
        if status == "503":
            names.append("Retry-After")
        headers.update({name: _header(name) for name in names})
        if status.startswith("2") and _downloads(response):
            headers["Content-Disposition"] = _download_header(response)


def _downloads(response: dict[str, Any]) -> bool:
    return any(not media_type.endswith("json") for media_type in response.get("content", {}))


def _download_header(response: dict[str, Any]) -> dict[str, Any]:
    """Every file the API sends has a name; a response that may be JSON instead (a report
    asked for as CSV or as JSON) has one only when it is a file."""
    if "application/json" in response.get("content", {}):
        return {**copy.deepcopy(HEADERS["Content-Disposition"]), "required": False}
    return _header("Content-Disposition")


def _numbers_default_to_numbers(node: Any) -> None:
    """Pydantic writes a ``Decimal`` default as a string ("70"); a number's default is the
    JSON number (a string default on a number is an invalid document)."""
    if isinstance(node, dict):
        default = node.get("default")
        if isinstance(default, str) and _is_a_number(node):
            node["default"] = json.loads(default)
        for value in node.values():
            _numbers_default_to_numbers(value)
    elif isinstance(node, list):
        for value in node:
            _numbers_default_to_numbers(value)


def _is_a_number(schema: dict[str, Any]) -> bool:
    branches = schema.get("anyOf", [schema])
    return any(branch.get("type") == "number" for branch in branches)


# --- names -----------------------------------------------------------------------------------

_BODY = re.compile(r"^Body_(?P<operation>[a-z0-9_]+)$")


def _rename_generated_bodies(document: dict[str, Any]) -> None:
    """FastAPI names a form's schema ``Body_<operation id>``; it becomes ``<Operation>Body``
    (``Body_upload_slip`` -> ``UploadSlipBody``), which is what a generated client calls
    the class."""
    schemas = document.get("components", {}).get("schemas", {})
    renamed = {}
    for name in list(schemas):
        found = _BODY.match(name)
        if found:
            new = "".join(part.title() for part in found["operation"].split("_")) + "Body"
            schemas[new] = {**schemas.pop(name), "title": new}
            renamed[f"#/components/schemas/{name}"] = f"#/components/schemas/{new}"
    if renamed:
        _replace_refs(document, renamed)


def _replace_refs(node: Any, renamed: dict[str, str]) -> None:
    if isinstance(node, dict):
        if node.get("$ref") in renamed:
            node["$ref"] = renamed[node["$ref"]]
        for value in node.values():
            _replace_refs(value, renamed)
    elif isinstance(node, list):
        for value in node:
            _replace_refs(value, renamed)
