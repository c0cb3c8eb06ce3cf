"""Prices that say whether they include tax, and the selling price as one figure with the
price in the group that holds it (Sales Price for goods, Rate for services), on both engines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.errors import ContradictsItem
from stockkeeper.catalog.models import ItemPrice
from stockkeeper.catalog.service import price_groups
from stockkeeper.catalog.values import ItemChanges, NewItem
from stockkeeper.stock.service import items
from stockkeeper.tenancy.service import Actor
from tests.support import Api, Tenant, problem, unique


def _groups(api: Api) -> dict[str, dict[str, Any]]:
    return {g["name"]: g for g in api.data(api.get("/api/v1/price-groups"))}


def _prices(item: dict[str, Any]) -> list[tuple[str, Any, bool]]:
    return [(p["name"], p["price"], p["includesTax"]) for p in item["pricing"]["priceGroups"]]


def _put(api: Api, item: dict[str, Any], body: dict[str, Any]) -> Any:
    return api.data(api.put(f"/api/v1/items/{item['id']}", body))


# --- includesTax ------------------------------------------------------------------------------


def test_a_price_may_say_whether_it_includes_tax_else_its_group_does(api: Api) -> None:
    groups = _groups(api)
    trade, wholesale = groups["Trade"]["id"], groups["Wholesale"]["id"]
    prices = [
        {"groupId": trade, "price": 22, "includesTax": True},
        {"groupId": wholesale, "price": 20},
    ]
    item = api.item(pricing={"sellingPrice": 25, "priceGroups": prices})
    assert _prices(item) == [
        ("Sales Price", 25, False),
        ("Trade", 22, True),
        ("Wholesale", 20, False),
    ]
    # the group's setting shows where the price leaves it to the group, and only there
    for group in (trade, wholesale):
        api.data(api.put(f"/api/v1/price-groups/{group}", {"pricesIncludeTax": True}))
    api.data(api.put(f"/api/v1/price-groups/{trade}", {"pricesIncludeTax": False}))
    fetched = api.data(api.get(f"/api/v1/items/{item['id']}"))
    assert _prices(fetched) == [
        ("Sales Price", 25, False),
        ("Trade", 22, True),
        ("Wholesale", 20, True),
    ]
    # null leaves it to the group again
    back = [{"groupId": trade, "price": 22, "includesTax": None}]
    assert _prices(_put(api, item, {"pricing": {"priceGroups": back}}))[1] == ("Trade", 22, False)


def test_the_selling_price_may_include_tax_too(api: Api) -> None:
    sales = _groups(api)["Sales Price"]["id"]
    item = api.item(
        pricing={"priceGroups": [{"groupId": sales, "price": 11.5, "includesTax": True}]}
    )
    assert item["pricing"]["sellingPrice"] == 11.5
    assert _prices(item) == [("Sales Price", 11.5, True)]
    # a new selling price keeps what was said of tax; a list without the group keeps both
    assert _prices(_put(api, item, {"pricing": {"sellingPrice": 12}})) == [
        ("Sales Price", 12, True)
    ]
    trade = {"groupId": _groups(api)["Trade"]["id"], "price": 10}
    assert _prices(_put(api, item, {"pricing": {"priceGroups": [trade]}})) == [
        ("Sales Price", 12, True),
        ("Trade", 10, False),
    ]


def test_includes_tax_takes_a_boolean_or_null(api: Api) -> None:
    sales = _groups(api)["Sales Price"]["id"]
    body = {
        "itemCode": "TAX",
        "name": "n",
        "type": "inventory",
        "pricing": {"priceGroups": [{"groupId": sales, "price": 1, "includesTax": "maybe"}]},
    }
    refused = problem(api.post("/api/v1/items", body), 422, "validation_failed")
    assert [e["field"] for e in refused["errors"]] == ["pricing.priceGroups.0.includesTax"]


# --- one selling price ---------------------------------------------------------------------------


def test_selling_price_and_the_sales_price_group_are_one_figure(api: Api) -> None:
    sales = _groups(api)["Sales Price"]
    assert sales["holdsSellingPrice"] is True
    assert [g["name"] for g in _groups(api).values() if g["holdsSellingPrice"]] == [
        "Sales Price",
        "Rate",
    ]
    item = api.item(pricing={"sellingPrice": 35})
    assert _prices(item) == [("Sales Price", 35, False)]
    by_group = _put(
        api, item, {"pricing": {"priceGroups": [{"groupId": sales["id"], "price": 40}]}}
    )
    assert by_group["pricing"]["sellingPrice"] == 40
    by_field = _put(api, item, {"pricing": {"sellingPrice": 45}})
    assert _prices(by_field) == [("Sales Price", 45, False)]
    both = {"sellingPrice": 50, "priceGroups": [{"groupId": sales["id"], "price": 50}]}
    assert _put(api, item, {"pricing": both})["pricing"]["sellingPrice"] == 50
    # lists sort and filter by the one figure
    listed = api.data(api.get("/api/v1/items", params={"sellingPriceMin": 50}))
    assert [i["id"] for i in listed] == [item["id"]]


def test_both_sent_and_different_is_refused_naming_both(api: Api) -> None:
    sales = _groups(api)["Sales Price"]["id"]
    trade = _groups(api)["Trade"]["id"]
    item = api.item(pricing={"sellingPrice": 35})
    pricing = {
        "sellingPrice": 30,
        "priceGroups": [{"groupId": trade, "price": 20}, {"groupId": sales, "price": 31}],
    }
    for response in (
        api.put(f"/api/v1/items/{item['id']}", {"pricing": pricing}),
        api.post(
            "/api/v1/items",
            {"itemCode": "TWO", "name": "n", "type": "inventory", "pricing": pricing},
        ),
    ):
        body = problem(response, 422, "contradicts_item")
        assert [(e["field"], e["code"]) for e in body["errors"]] == [
            ("pricing.sellingPrice", "contradicts_item"),
            ("pricing.priceGroups.1.price", "contradicts_item"),
        ]
        assert "pricing.sellingPrice" in body["detail"]
        assert "pricing.priceGroups.1.price" in body["detail"]
    kept = api.data(api.get(f"/api/v1/items/{item['id']}"))
    assert _prices(kept) == [("Sales Price", 35, False)]
    assert [i["itemCode"] for i in api.data(api.get("/api/v1/items"))] == [item["itemCode"]]


def test_a_service_rate_is_its_selling_price(api: Api) -> None:
    rate = _groups(api)["Rate"]["id"]
    service = api.item(type="service", pricing={"priceGroups": [{"groupId": rate, "price": 65}]})
    assert service["pricing"]["sellingPrice"] == 65
    assert _prices(service) == [("Rate", 65, False)]
    # goods become a service: the selling price stays, now in Rate; other prices go
    trade = _groups(api)["Trade"]["id"]
    goods = api.item(pricing={"sellingPrice": 9, "priceGroups": [{"groupId": trade, "price": 8}]})
    assert _prices(_put(api, goods, {"type": "service"})) == [("Rate", 9, False)]


def test_the_group_holding_the_selling_price_cannot_be_deleted(api: Api) -> None:
    sales = _groups(api)["Sales Price"]["id"]
    api.data(api.put(f"/api/v1/price-groups/{sales}", {"isActive": False, "name": "Retail"}))
    body = problem(api.delete(f"/api/v1/price-groups/{sales}"), 409, "price_group_in_use")
    assert "selling prices" in body["detail"]
    item = api.item(pricing={"sellingPrice": 3})
    assert _prices(item) == [("Retail", 3, False)]  # renamed, still the selling price's group


# --- through the service alone --------------------------------------------------------------


def test_the_group_keeps_no_price_of_its_own(session: Session, tenant: Tenant) -> None:
    actor: Actor = tenant.actor
    groups = {g.name: g.id for g in price_groups.list_price_groups(session, actor)}
    values = {
        "item_code": unique("PRICE"),
        "name": "Priced",
        "type": "inventory",
        "pricing": {
            "price_groups": [
                {"group_id": groups["Sales Price"], "price": 12, "includes_tax": True},
                {"group_id": groups["Wholesale"], "price": 9, "includes_tax": False},
            ]
        },
    }
    item = items.create_item(session, actor, item=NewItem.model_validate(values)).item
    assert (item.selling_price, item.selling_price_includes_tax) == (Decimal(12), True)
    rows = session.execute(
        select(ItemPrice.price_group_id, ItemPrice.price, ItemPrice.includes_tax).where(
            ItemPrice.company_id == actor.company_id, ItemPrice.item_id == item.id
        )
    ).all()
    assert [tuple(row) for row in rows] == [(groups["Wholesale"], 9, False)]
    contradicting = ItemChanges.model_validate(
        {
            "pricing": {
                "selling_price": 13,
                "price_groups": [{"group_id": groups["Sales Price"], "price": 14}],
            }
        }
    )
    with pytest.raises(ContradictsItem) as refused:
        items.update_item(session, actor, item_id=item.id, changes=contradicting)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("pricing.selling_price", "contradicts_item"),
        ("pricing.price_groups.0.price", "contradicts_item"),
    ]
    count = select(func.count()).where(ItemPrice.company_id == actor.company_id)
    assert session.scalar(count) == 1
