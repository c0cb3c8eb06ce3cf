"""The item list as the benchmark calls it, and cursors to deep pages.

A cursor marks a position in the list (the sort value and id of the row before the page), so
the cursor of page 1000 can be had two ways: by walking the chain from page 1, or by reading
that row from the database and encoding it as the API does. Walking costs one request per
200 rows (the API's largest page): 250 requests to reach row 50,000, which takes minutes
while each request costs hundreds of milliseconds. So ``deep_cursors`` builds the cursors from
the database and has the API confirm each one: the page just before it, fetched through the
API, must hand out exactly that cursor as ``nextCursor``. If any differs (the cursor format
or the ordering changed), it falls back to walking the chain.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import ColumnElement, Select, func, select

from stockkeeper.catalog.models import Item
from stockkeeper.core.db import Database
from stockkeeper.core.pagination import MAX_LIMIT, decode_cursor, encode_cursor
from stockkeeper.stock.models import StockLevel

PATH = "/api/v1/items"
PAGE = 50  # the API's default page size


class ItemsApi:
    """GET /api/v1/items as one company's viewer."""

    def __init__(self, client: TestClient, *, token: str, company_id: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}", "X-Company-Id": company_id}

    def get(self, params: Mapping[str, str | int]) -> None:
        """One request, checked but not parsed: parsing is the client's cost, not the API's."""
        self._checked(params)

    def page(self, params: Mapping[str, str | int]) -> dict[str, Any]:
        body: dict[str, Any] = self._checked(params).json()
        return body

    def _checked(self, params: Mapping[str, str | int]) -> Any:
        response = self.client.get(PATH, params=params, headers=self.headers)
        if response.status_code != 200:
            raise RuntimeError(f"GET {PATH} {dict(params)}: {response.status_code} {response.text}")
        return response


def deep_cursors(
    api: ItemsApi, database: Database, company_id: str, sort: str, offsets: Sequence[int]
) -> tuple[list[str], str]:
    """Cursors of the pages starting at ``offsets`` (each at least PAGE) in an ascending
    ``sort``, and how they were obtained."""
    if not offsets:
        return [], "not needed"
    params = {"sort": sort}
    template = decode_cursor(str(api.page(params)["pagination"]["nextCursor"]))
    built = [
        encode_cursor({**template, "p": [value, ident]})
        for value, ident in _rows_before(database, company_id, sort, offsets)
    ]
    before = [
        encode_cursor({**template, "p": [value, ident]})
        for value, ident in _rows_before(database, company_id, sort, [o - PAGE for o in offsets])
    ]
    issued = [
        api.page({**params, "limit": PAGE, "cursor": cursor})["pagination"]["nextCursor"]
        for cursor in before
    ]
    if issued == built:
        return built, "built from the database and confirmed by the API"
    return walk_cursors(api, params, offsets), "walked"


def _ordered(company_id: str, sort: str) -> Select[tuple[Any, str]]:
    """The list's order, as ``stockkeeper.stock.service.queries.list_items`` builds it."""
    if sort == "name":
        key: ColumnElement[Any] = Item.sort_name.expression
        ordered = select(key, Item.id)
    else:
        totals = (
            select(StockLevel.item_id, func.sum(StockLevel.on_hand).label("on_hand"))
            .where(StockLevel.company_id == company_id, StockLevel.physical.is_(True))
            .group_by(StockLevel.item_id)
            .subquery()
        )
        key = func.coalesce(totals.c.on_hand, 0)  # typed as the column: the API's Decimal text
        ordered = select(key, Item.id).outerjoin(totals, totals.c.item_id == Item.id)
    return ordered.where(Item.company_id == company_id).order_by(key, Item.id).limit(1)


def _rows_before(
    database: Database, company_id: str, sort: str, offsets: Sequence[int]
) -> list[tuple[str, str]]:
    """(sort value as the cursor writes it, id) of the last row before each offset."""
    ordered = _ordered(company_id, sort)
    with database.unit_of_work(write=False) as session:
        rows = [session.execute(ordered.offset(offset - 1)).one() for offset in offsets]
    return [(str(row[0]), str(row[1])) for row in rows]


def walk_cursors(api: ItemsApi, params: Mapping[str, str], offsets: Sequence[int]) -> list[str]:
    """Cursors of pages starting at ``offsets``, walking the chain in the biggest steps."""
    found, position, cursor = [], 0, None
    for offset in sorted(offsets):
        while position < offset:
            step = min(MAX_LIMIT, offset - position)
            walk: dict[str, str | int] = {**params, "limit": step}
            if cursor:
                walk["cursor"] = cursor
            cursor = api.page(walk)["pagination"]["nextCursor"]
            if cursor is None:
                raise RuntimeError(f"the list ended before row {offset} ({params})")
            position += step
        found.append(str(cursor))
    return found
