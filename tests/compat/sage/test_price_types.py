"""Sales price types and service rate types through the Sage dialect: the price groups of
each kind, with the document's rule for deleting one."""

from __future__ import annotations

import pytest

from tests.compat.sage.support import P, body, price_types, refused, stock_item
from tests.support import Api

KINDS = [
    ("product_sales_price_types", "product_sales_price_type", "Sales Price", "sales_price"),
    ("service_rate_types", "service_rate_type", "Rate", "service_rate"),
]


@pytest.mark.parametrize(("collection", "wrapper", "selling", "kind"), KINDS)
def test_types_are_the_price_groups_of_their_kind(
    api: Api, collection: str, wrapper: str, selling: str, kind: str
) -> None:
    made = body(api.post(f"{P}/{collection}", {wrapper: {"name": "Retail", "active": True}}), 201)
    group = api.data(api.get(f"/api/v1/price-groups/{made['id']}"))
    assert (group["kind"], group["name"], group["isActive"]) == (kind, "Retail", True)
    assert set(made) == {
        "id",
        "displayed_as",
        "$path",
        "created_at",
        "updated_at",
        "name",
        "active",
    }
    renamed = body(api.put(f"{P}/{collection}/{made['id']}", {wrapper: {"name": "Shop"}}))
    assert (renamed["displayed_as"], renamed["name"], renamed["active"]) == ("Shop", "Shop", True)
    assert body(api.get(f"{P}/{collection}/{made['id']}")) == renamed
    other = next(c for c, *_ in KINDS if c != collection)
    refused(api.get(f"{P}/{other}/{made['id']}"), 404, "price_group_not_found")
    refused(api.put(f"{P}/{other}/{made['id']}", {"x": {}}), 422)
    refused(api.delete(f"{P}/{other}/{made['id']}"), 404, "price_group_not_found")
    taken = refused(
        api.post(f"{P}/{collection}", {wrapper: {"name": "Shop"}}), 409, "duplicate_name"
    )
    unnamed = refused(
        api.post(f"{P}/{collection}", {wrapper: {"active": True}}), 422, "validation_failed"
    )
    # a type's field is its name (an item's name is its description)
    assert [e["$source"] for e in taken + unnamed] == ["name", "name"]
    assert "Shop" in price_types(api, collection)
    refused(api.get(f"{P}/{collection}", params={"search": "Shop"}), 422)


@pytest.mark.parametrize(("collection", "wrapper", "selling", "kind"), KINDS)
def test_a_type_is_deleted_only_when_inactive_and_never_the_last(
    api: Api, collection: str, wrapper: str, selling: str, kind: str
) -> None:
    made = body(api.post(f"{P}/{collection}", {wrapper: {"name": "Export"}}), 201)
    errors = refused(api.delete(f"{P}/{collection}/{made['id']}"), 409, "price_group_in_use")
    assert "deactivate" in errors[0]["$message"]
    body(api.put(f"{P}/{collection}/{made['id']}", {wrapper: {"active": False}}))
    # inactive types are hidden unless asked for
    assert "Export" not in price_types(api, collection)
    hidden = body(api.get(f"{P}/{collection}", params={"active": "false"}))
    assert [e["displayed_as"] for e in hidden["$items"]] == ["Export"]
    assert api.delete(f"{P}/{collection}/{made['id']}").status_code == 204
    refused(api.get(f"{P}/{collection}/{made['id']}"), 404)
    # the type holding the items' own selling price (the last one standing) is never deleted
    selling_id = price_types(api, collection)[selling]
    body(api.put(f"{P}/{collection}/{selling_id}", {wrapper: {"active": False}}))
    refused(api.delete(f"{P}/{collection}/{selling_id}"), 409, "price_group_in_use")
    assert body(api.get(f"{P}/{collection}/{selling_id}"))["active"] is False


def test_deleting_a_type_removes_the_items_prices_in_it(api: Api) -> None:
    types = price_types(api)
    item = stock_item(
        api,
        sales_prices=[
            {"product_sales_price_type_id": types["Sales Price"], "price": 10},
            {"product_sales_price_type_id": types["Trade"], "price": 8},
        ],
    )
    assert [p["price_name"] for p in item["sales_prices"]] == ["Sales Price", "Trade"]
    wrapper = {"product_sales_price_type": {"active": False}}
    body(api.put(f"{P}/product_sales_price_types/{types['Trade']}", wrapper))
    assert api.delete(f"{P}/product_sales_price_types/{types['Trade']}").status_code == 204
    after = body(api.get(f"{P}/stock_items/{item['id']}"))
    assert [(p["price_name"], p["price"]) for p in after["sales_prices"]] == [
        ("Sales Price", "10.0")
    ]
