"""Listing items: every documented filter, sorts, cursor pagination, a constant query count."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from stockkeeper.core.db import Database
from stockkeeper.stock.service import queries
from tests.support import Api, make_tenant, problem, put_stock


def codes(api: Api, **params: Any) -> list[str]:
    return [i["itemCode"] for i in api.data(api.get("/api/v1/items", params=params))]


def test_documented_list_example_is_accepted(api: Api, database: Database) -> None:
    warehouse = api.location(type="warehouse")
    low = api.item(itemCode="WDG-001", inventory={"minimumStock": 20})
    api.item(itemCode="WDG-009", inventory={"minimumStock": 20})
    ok = api.item(itemCode="WDG-002", inventory={"minimumStock": 20})
    put_stock(database, api, low["id"], warehouse["id"], "15", reserved="5")
    put_stock(database, api, ok["id"], warehouse["id"], "150")
    response = api.get("/api/v1/items?lowStock=true&sort=stock&order=asc&limit=20")
    body = response.json()
    assert [i["itemCode"] for i in body["data"]] == ["WDG-009", "WDG-001"]
    assert body["pagination"] == {"hasMore": False, "nextCursor": None, "limit": 20, "total": 2}
    shown = body["data"][1]["inventory"]
    assert (shown["currentStock"], shown["availableStock"], shown["reservedStock"]) == (15, 10, 5)
    assert body["data"][1]["locations"] == [
        {
            "locationId": warehouse["id"],
            "stock": 15,
            "available": 10,
            "reserved": 5,
            "onOrder": 0,
            "binLocation": None,
            "bins": [],
        }
    ]


def test_filters(api: Api, database: Database) -> None:
    parent = api.category(name="Electronics")
    child = api.category(name="Components", parentId=parent["id"])
    other = api.category(name="Office")
    supplier = api.supplier()
    store = api.location(type="store")
    api.item(
        itemCode="A-1",
        name="Blue widget",
        categoryId=child["id"],
        supplierId=supplier["id"],
        pricing={"costPrice": 5, "sellingPrice": 9},
        barcode="4006381333931",
    )
    api.item(
        itemCode="B-2",
        name="Paper",
        categoryId=other["id"],
        description="Recycled widgets",
        pricing={"costPrice": 2, "sellingPrice": 3},
    )
    svc = api.item(itemCode="C-3", name="Install", type="service", pricing={"sellingPrice": 50})
    stocked = api.item(
        itemCode="D-4",
        name="Cable",
        categoryId=parent["id"],
        isActive=False,
        pricing={"costPrice": 7, "sellingPrice": 12},
    )
    put_stock(database, api, stocked["id"], store["id"], "3")

    assert codes(api, search="widget") == ["A-1", "B-2"]  # name and description
    assert codes(api, search="WIDG") == ["A-1", "B-2"]  # case-insensitive substring
    assert codes(api, search="333931") == ["A-1"]  # barcode fragment
    assert codes(api, search="c-3") == ["C-3"]  # code, short term
    assert codes(api, search="nothing like it") == []
    assert codes(api, category=parent["id"]) == ["A-1", "D-4"]  # includes subcategories
    assert codes(api, category=child["id"]) == ["A-1"]
    assert codes(api, type="service") == ["C-3"]
    assert codes(api, tracked="false") == ["C-3"]
    assert codes(api, active="false") == ["D-4"]
    assert codes(api, supplier=supplier["id"]) == ["A-1"]
    assert codes(api, location=store["id"]) == ["D-4"]
    assert codes(api, outOfStock="true") == ["A-1", "B-2"]  # tracked items with nothing on hand
    assert codes(api, costPriceMin="5", costPriceMax="7") == ["A-1", "D-4"]
    assert codes(api, sellingPriceMin="12.00") == ["D-4", "C-3"]  # by name: Cable, Install
    assert codes(api, sellingPriceMax="3") == ["B-2"]
    assert svc["inventory"]["tracked"] is False


def test_search_follows_the_catalogue(api: Api, client: TestClient, database: Database) -> None:
    api.item(itemCode="HB-8", name="Hex bolt M8 x 20", description="Zinc plated")
    meter = api.item(itemCode="AM80", name="Ammeter")
    washer = api.item(itemCode="W-1", name="Washer", description="m80 series")
    api.item(itemCode="AB-12", name="Pipe 3/4 inch", description="1.5 wall")
    stranger = make_tenant(database)
    Api(client, stranger, stranger.admin_key).item(itemCode="HB-9", name="Hex bolt M8 x 30")

    def found(term: str) -> tuple[list[str], int]:
        body = api.get("/api/v1/items", params={"search": term}).json()
        return [i["itemCode"] for i in body["data"]], body["pagination"]["total"]

    # one or two characters: the start of a word, in any case
    assert found("m8") == (["HB-8", "W-1"], 2)
    assert found("M") == (["HB-8", "W-1"], 2)
    assert found("am") == (["AM80"], 1)
    assert found("20") == (["HB-8"], 1)
    # words end at any character that is not a letter or a digit, on both engines
    assert found("12") == (["AB-12"], 1)
    assert found("4") == (["AB-12"], 1)
    assert found("5") == (["AB-12"], 1)
    # three and more: anywhere
    assert found("mme") == (["AM80"], 1)
    assert found("bolt m8") == (["HB-8"], 1)
    assert found("late") == (["HB-8"], 1)
    # changes and deletions are searched at once
    api.put(f"/api/v1/items/{meter['id']}", {"name": "Voltmeter"})
    assert found("mme") == ([], 0)
    assert found("oltm") == (["AM80"], 1)
    assert found("vo") == (["AM80"], 1)
    api.delete(f"/api/v1/items/{washer['id']}")
    assert found("m8") == (["HB-8"], 1)
    # combined with another filter, the total counts what both let through
    assert found("hex") == (["HB-8"], 1)
    body = api.get("/api/v1/items", params={"search": "hex", "type": "service"}).json()
    assert (body["data"], body["pagination"]["total"]) == ([], 0)


@pytest.mark.parametrize("few", [0, 10**6], ids=["walk", "sort"])
def test_pages_are_the_same_whichever_way_they_are_read(
    api: Api, database: Database, monkeypatch: pytest.MonkeyPatch, few: int
) -> None:
    """SQLite is told how many items match to choose its plan; every plan gives one order."""
    monkeypatch.setattr(queries, "_FEW", few)
    warehouse = api.location()
    stock: dict[str, int] = {}  # item code -> on hand
    names: dict[str, str] = {}
    for n in range(9):
        code, stock[code] = f"P-{n}", n % 5 if n % 4 else 0
        names[code] = f"Part {(n * 4) % 9} bolt" if n % 3 else f"Part {n} nut"
        item = api.item(itemCode=code, name=names[code], inventory={"minimumStock": 2})
        if stock[code]:
            put_stock(database, api, item["id"], warehouse["id"], str(stock[code]))

    def walk(**params: Any) -> tuple[list[str], set[int]]:
        seen: list[str] = []
        totals: set[int] = set()
        cursor = None
        while True:
            page = {"limit": 2, **params, **({"cursor": cursor} if cursor else {})}
            body = api.get("/api/v1/items", params=page).json()
            seen += [i["itemCode"] for i in body["data"]]
            totals.add(body["pagination"]["total"])
            if (cursor := body["pagination"]["nextCursor"]) is None:
                return seen, totals

    bolts = sorted((c for c in names if "bolt" in names[c]), key=names.__getitem__)
    assert walk(search="bolt") == (bolts, {6})
    assert walk(search="bo", order="desc") == (bolts[::-1], {6})
    empty = sorted((c for c in names if not stock[c]), key=names.__getitem__)
    assert walk(outOfStock="true") == (empty, {len(empty)})
    low = sorted(c for c in names if stock[c] <= 2)
    assert walk(lowStock="true", sort="itemCode") == (low, {len(low)})
    assert 0 < len(empty) < len(low) < 9


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("name", "name"),
        ("itemCode", "itemCode"),
        ("costPrice", "costPrice"),
        ("sellingPrice", "sellingPrice"),
        ("stock", "stock"),
    ],
)
def test_every_sort_pages_through_in_order(
    api: Api, database: Database, sort: str, key: str
) -> None:
    warehouse = api.location()
    for n in range(7):
        item = api.item(
            name=f"Thing {(n * 3) % 7}", pricing={"costPrice": n % 3, "sellingPrice": 10 - n}
        )
        put_stock(database, api, item["id"], warehouse["id"], str((n * 5) % 4))

    def value(item: dict[str, Any]) -> Any:
        return {
            "name": item["name"],
            "itemCode": item["itemCode"],
            "costPrice": item["pricing"]["costPrice"],
            "sellingPrice": item["pricing"]["sellingPrice"],
            "stock": item["inventory"]["currentStock"],
        }[key]

    for order in ("asc", "desc"):
        seen: list[dict[str, Any]] = []
        cursor = None
        while True:
            params = {
                "sort": sort,
                "order": order,
                "limit": 3,
                **({"cursor": cursor} if cursor else {}),
            }
            body = api.get("/api/v1/items", params=params).json()
            seen += body["data"]
            assert body["pagination"]["total"] == 7
            cursor = body["pagination"]["nextCursor"]
            assert body["pagination"]["hasMore"] is (cursor is not None)
            if cursor is None:
                break
        assert len({i["id"] for i in seen}) == 7
        expected = sorted(seen, key=lambda i: (value(i), i["id"]), reverse=order == "desc")
        assert [i["id"] for i in seen] == [i["id"] for i in expected]


def test_limits_and_cursors_are_validated(api: Api) -> None:
    problem(api.get("/api/v1/items?limit=201"), 422)
    problem(api.get("/api/v1/items?limit=0"), 422)
    problem(api.get("/api/v1/items?colour=red"), 422)
    for bad in ("1e308", "0.0000001", "-1", "abc"):
        problem(api.get("/api/v1/items", params={"costPriceMin": bad}), 422)
    problem(api.get("/api/v1/items?cursor=not-a-cursor"), 422, "invalid_cursor")
    for _ in range(3):
        api.item()
    cursor = api.get("/api/v1/items?limit=1").json()["pagination"]["nextCursor"]
    problem(api.get(f"/api/v1/items?limit=1&sort=itemCode&cursor={cursor}"), 422, "invalid_cursor")
    assert len(api.data(api.get("/api/v1/items?limit=200"))) == 3


def test_a_list_costs_a_constant_number_of_statements(api: Api, database: Database) -> None:
    warehouse = api.location()
    groups = api.data(api.get("/api/v1/price-groups?kind=sales_price"))

    def add_items(count: int) -> None:
        for _ in range(count):
            item = api.item(
                categoryId=api.category()["id"],
                supplierId=api.supplier()["id"],
                variants=[{"name": "v", "itemCode": api.item()["itemCode"] + "-V"}],
                images=[{"url": "https://img.example/x.jpg"}],
                pricing={"priceGroups": [{"groupId": g["id"], "price": 1} for g in groups]},
            )
            put_stock(database, api, item["id"], warehouse["id"], "4")

    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    def statements_for(limit: int) -> int:
        statements.clear()
        event.listen(database.engine, "before_cursor_execute", count)
        try:
            params = {
                "limit": limit,
                "includeVariants": "true",
                "includeImages": "true",
                "sort": "stock",
            }
            assert len(api.data(api.get("/api/v1/items", params=params))) == limit
        finally:
            event.remove(database.engine, "before_cursor_execute", count)
        return len(statements)

    add_items(2)
    small = statements_for(2)
    add_items(10)
    assert statements_for(20) == small, statements
    assert small <= 11  # one of them reads the tax rates, the items' own or the defaults
