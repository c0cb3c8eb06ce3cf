"""What the Codat dialect's tests share: a client that calls as Codat's clients do (the key as
``Authorization: Bearer``, the company in the path only), Codat's bodies read exactly, the
document's example item read from the copy of the document, and a recursive comparison of a
record with a documented one that names the path of the first difference."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.compat import spec
from tests.support import Tenant

P = "/compat/codat"
ERROR_KEYS = {
    "statusCode",
    "service",
    "error",
    "correlationId",
    "validation",
    "canBeRetried",
    "detailedErrorCode",
}


class Codat:
    """Calls under ``/compat/codat/companies/{companyId}/data`` with only the Bearer key."""

    def __init__(self, client: TestClient, tenant: Tenant, key: str | None = None) -> None:
        self.client = client
        self.company_id = tenant.company_id
        self.key = tenant.admin_key if key is None else key

    def data(self, company_id: str | None = None) -> str:
        return f"{P}/companies/{company_id or self.company_id}/data"

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        headers |= kwargs.pop("headers", {})
        response: httpx.Response = self.client.get(path, headers=headers, **kwargs)
        return response

    def read(self, resource: str, **params: Any) -> Any:
        return body(self.get(f"{self.data()}/{resource}", params=params))


def body(response: httpx.Response, status: int = 200) -> Any:
    """A Codat body, its numbers read as exact decimals."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    return json.loads(response.text, parse_float=Decimal)


def refused(response: httpx.Response, status: int) -> dict[str, Any]:
    """A Codat error body, with the status of the response."""
    error: dict[str, Any] = body(response, status)
    assert set(error) == ERROR_KEYS, error
    assert error["statusCode"] == status and error["service"] == "PublicApi"
    assert isinstance(error["error"], str) and error["error"]
    return error


def example_item() -> dict[str, Any]:
    """The document's example item (under "Example Data")."""
    text = spec.CODAT.read_text()
    start = text.index("{", text.index("Example Data"))
    end = text.rindex("}") + 1
    example: dict[str, Any] = json.loads(text[start:end], parse_float=Decimal)
    return example


def _kind(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return repr(value) if value is None else "boolean"
    if isinstance(value, int | Decimal):
        return "number"
    return type(value).__name__


def difference(ours: Any, documented: Any, aside: set[str], path: str = "$") -> str | None:
    """Where ``ours`` first differs from ``documented``: a name missing, another nesting or
    JSON type, or another value; names in ``aside`` are compared by type only."""
    if _kind(ours) != _kind(documented):
        return f"{path}: {_kind(ours)} where the document has {_kind(documented)}"
    if isinstance(documented, dict):
        for name, value in documented.items():
            if name not in ours:
                return f"{path}.{name}: missing"
            if name in aside:
                if _kind(ours[name]) != _kind(value):
                    return f"{path}.{name}: {_kind(ours[name])}, documented {_kind(value)}"
                continue
            found = difference(ours[name], value, aside, f"{path}.{name}")
            if found:
                return found
        return None
    if isinstance(documented, list):
        if len(ours) != len(documented):
            return f"{path}: {len(ours)} entries, documented {len(documented)}"
        for n, (mine, theirs) in enumerate(zip(ours, documented, strict=True)):
            found = difference(mine, theirs, aside, f"{path}[{n}]")
            if found:
                return found
        return None
    return None if ours == documented else f"{path}: {ours!r}, documented {documented!r}"
