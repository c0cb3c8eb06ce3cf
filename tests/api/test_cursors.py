"""Cursors over HTTP, on every cursor-paged list: a cursor alone continues its own list (its
filters, its sort, its total); with other filters it is a 422 ``invalid_cursor``, and so is
any cursor that is not one of the list's own, whatever is wrong with it: never a 500."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from stockkeeper.core.db import Database
from stockkeeper.core.pagination import decode_cursor, encode_cursor
from tests.listings import Listed, listed_company
from tests.support import Api, problem


@dataclass(frozen=True)
class Case:
    """A list, a filter that keeps some of its rows, and another filter."""

    path: str
    filters: Callable[[Listed], dict[str, Any]]
    other: Callable[[Listed], dict[str, Any]]


CASES = [
    Case(
        "/api/v1/items",
        lambda c: {"search": "bolt", "sort": "itemCode", "order": "desc"},
        lambda c: {"search": "bolt", "sort": "itemCode", "order": "asc"},
    ),
    Case("/api/v1/inventory/stock", lambda c: {"locationId": c.here}, lambda c: {"negative": True}),
    Case("/api/v1/inventory/stock", lambda c: {"valueMin": 5}, lambda c: {"valueMin": "5.5"}),
    Case(
        "/api/v1/inventory/movements",
        lambda c: {"itemId": c.bolts[0]},
        lambda c: {"itemId": c.bolts[1]},
    ),
    Case(
        "/api/v1/inventory/levels",
        lambda c: {"locationId": c.here},
        lambda c: {"locationId": c.here, "includeEmpty": True},
    ),
    Case(
        "/api/v1/inventory/adjustments",
        lambda c: {"locationId": c.here},
        lambda c: {"locationId": c.there},
    ),
    Case(
        "/api/v1/inventory/counts",
        lambda c: {"locationId": c.here},
        lambda c: {"locationId": c.there},
    ),
    Case(
        "/api/v1/inventory/transfers",
        lambda c: {"fromLocationId": c.here},
        lambda c: {"toLocationId": c.here},
    ),
    Case(
        "/api/v1/purchase-orders",
        lambda c: {"supplierId": c.supplier},
        lambda c: {"supplierId": c.other_supplier},
    ),
    Case(
        "/api/v1/inventory/issues",
        lambda c: {"locationId": c.here},
        lambda c: {"locationId": c.here, "dateFrom": "2000-01-01"},
    ),
    Case(
        "/api/v1/inventory/returns",
        lambda c: {"locationId": c.here},
        lambda c: {"locationId": c.there},
    ),
    Case(
        "/api/v1/inventory/reservations",
        lambda c: {"locationId": c.here},
        lambda c: {"status": "active"},
    ),
    Case(
        "/api/v1/inventory/alerts",
        lambda c: {"locationId": c.here},
        lambda c: {"locationId": c.here, "type": "out_of_stock"},
    ),
    Case(
        "/api/v1/webhooks/{webhook}/deliveries",
        lambda c: {"status": "pending"},
        lambda c: {"status": "failed"},
    ),
    Case(
        "/api/v1/audit-events",
        lambda c: {"action": "item.created"},
        lambda c: {"action": "item.updated"},
    ),
    Case("/api/v1/suppliers", lambda c: {"active": True}, lambda c: {"active": False}),
]


def _cursor_paged(api: Api) -> set[str]:
    """Every path the API pages with cursors, as its OpenAPI document lists them."""
    paths = api.client.app.openapi()["paths"]  # type: ignore[attr-defined]
    return {
        path.replace("{webhook_id}", "{webhook}")
        for path, operations in paths.items()
        if any(p["name"] == "cursor" for p in operations.get("get", {}).get("parameters", []))
    }


@pytest.fixture
def listed(api: Api, database: Database) -> Listed:
    return listed_company(api, database)


def _page(api: Api, path: str, **params: Any) -> dict[str, Any]:
    response = api.get(path, params=params)
    assert response.status_code == 200, f"{path} {params}: {response.text}"
    body: dict[str, Any] = response.json()
    return body


def test_the_cases_cover_every_cursor_paged_list(api: Api) -> None:
    assert {case.path for case in CASES} == _cursor_paged(api)


def test_a_cursor_alone_continues_its_list(api: Api, listed: Listed) -> None:
    for case in CASES:
        path, filters = case.path.format(webhook=listed.webhook), case.filters(listed)
        everything = _page(api, path, limit=200)["pagination"]["total"]
        expected = _page(api, path, **filters, limit=200)["data"]
        assert 2 <= len(expected) < everything, (path, len(expected), everything)
        first = _page(api, path, **filters, limit=1)
        cursor = first["pagination"]["nextCursor"]
        rest = _page(api, path, cursor=cursor, limit=200)  # limit is the request's own
        assert first["data"] + rest["data"] == expected, path
        assert rest["pagination"] == {
            "hasMore": False,
            "nextCursor": None,
            "limit": 200,
            "total": len(expected),
        }, path
        # one at a time, each cursor alone, to the end
        seen, page = first["data"], first
        while page["pagination"]["nextCursor"]:
            page = _page(api, path, cursor=page["pagination"]["nextCursor"], limit=1)
            seen += page["data"]
            assert page["pagination"]["total"] == len(expected), path
        assert seen == expected, path


def test_a_cursor_with_the_same_filters_again_is_fine(api: Api, listed: Listed) -> None:
    for case in CASES:
        path, filters = case.path.format(webhook=listed.webhook), case.filters(listed)
        expected = _page(api, path, **filters, limit=200)["data"]
        first = _page(api, path, **filters, limit=1)
        rest = _page(api, path, **filters, cursor=first["pagination"]["nextCursor"])
        assert first["data"] + rest["data"] == expected, path


def test_a_cursor_with_other_filters_is_invalid_cursor(api: Api, listed: Listed) -> None:
    for case in CASES:
        path, filters = case.path.format(webhook=listed.webhook), case.filters(listed)
        cursor = _page(api, path, **filters, limit=1)["pagination"]["nextCursor"]
        other = case.other(listed)
        differ = {key for key in {*filters, *other} if filters.get(key) != other.get(key)}
        body = problem(api.get(path, params={**other, "cursor": cursor}), 422, "invalid_cursor")
        assert {error["field"] for error in body["errors"]} == differ, (path, body)


def test_the_testers_cursors_are_invalid_cursor(api: Api) -> None:
    """As reported: the list's own kind with a position of the wrong type or shape."""
    reported: list[tuple[str, dict[str, Any]]] = [
        ("/api/v1/inventory/adjustments", {"k": "adjustment", "v": None, "id": "adj_01"}),
        ("/api/v1/inventory/stock", {"k": "stock", "v": "x"}),
    ]
    for path, payload in reported:
        response = api.get(path, params={"cursor": encode_cursor(payload)})
        problem(response, 422, "invalid_cursor")


NOT_A_FIELD: tuple[Any, ...] = (None, 1, True, 1.5, [], {}, "x" * 1001, "\u0000")


def _tampered(cursor: str, other_kind: str) -> list[dict[str, Any]]:
    """What a client could make of one of this list's own cursors, none of it the list's."""
    payload = decode_cursor(cursor)
    kind, filters, position = payload["k"], payload["f"], payload["p"]
    wrong = [
        {"k": kind, "v": None, "id": "x"},
        {"k": kind, "v": position, "f": filters},
        {**payload, "k": other_kind},
        {**payload, "p": position[:-1]},
        {**payload, "p": [*position, "x"]},
        {**payload, "p": []},
        {**payload, "f": {**filters, "colour": "red"}},
        {**payload, "f": {**filters, "limit": 5}},
        {**payload, "f": {name: {"x": 1} for name in filters}},
        {**payload, "f": {name: [[1]] for name in filters}},
    ]
    for n in range(len(position)):
        for value in NOT_A_FIELD:
            wrong.append({**payload, "p": [*position[:n], value, *position[n + 1 :]]})
    return wrong


def test_every_list_refuses_what_is_not_its_own_cursor(api: Api, listed: Listed) -> None:
    for case, other in zip(CASES, CASES[1:] + CASES[:1], strict=True):
        path, filters = case.path.format(webhook=listed.webhook), case.filters(listed)
        cursor = _page(api, path, **filters, limit=1)["pagination"]["nextCursor"]
        other_path = other.path.format(webhook=listed.webhook)
        other_kind = decode_cursor(
            _page(api, other_path, **other.filters(listed), limit=1)["pagination"]["nextCursor"]
        )["k"]
        if other_kind == decode_cursor(cursor)["k"]:
            other_kind = "nothing"
        for payload in _tampered(cursor, other_kind):
            response = api.get(path, params={"cursor": encode_cursor(payload)})
            problem(response, 422, "invalid_cursor")
        for text in ("not a cursor", "e30", "W10", encode_cursor({"k": "x"})[:-2] + "%%"):
            problem(api.get(path, params={"cursor": text}), 422, "invalid_cursor")


ANYWHERE = ("", "~" * 1000, "0", "-9223372036854.775807", "0001-01-01", "9999-12-31T23:59:59Z")


def test_positions_of_the_right_type_but_anywhere_are_fine(api: Api, listed: Listed) -> None:
    """A position the list never handed out still pages, or is ``invalid_cursor``."""
    for case in CASES:
        path, filters = case.path.format(webhook=listed.webhook), case.filters(listed)
        payload = decode_cursor(_page(api, path, **filters, limit=1)["pagination"]["nextCursor"])
        for n in range(len(payload["p"])):
            for value in ANYWHERE:
                position = [*payload["p"][:n], value, *payload["p"][n + 1 :]]
                cursor = encode_cursor({**payload, "p": position})
                response = api.get(path, params={"cursor": cursor})
                if response.status_code != 200:
                    problem(response, 422, "invalid_cursor")
