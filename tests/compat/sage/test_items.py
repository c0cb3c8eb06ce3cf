"""Stock items, products and services through the Sage dialect: created and updated in
Sage's bodies, read at their own paths (and goods at ``/products``), listed by page with
``$next``/``$back``, inactive ones hidden unless asked for."""

from __future__ import annotations

from typing import Any

from tests.compat.sage.support import P, body, price_types, refused, stock_item
from tests.support import Api


def _product(api: Api, **fields: Any) -> dict[str, Any]:
    sent = {"item_code": fields.pop("item_code", "NS-1"), "description": "Delivery", **fields}
    made: dict[str, Any] = body(api.post(f"{P}/products", {"product": sent}), 201)
    return made


def _service(api: Api, **fields: Any) -> dict[str, Any]:
    sent = {"item_code": fields.pop("item_code", "SV-1"), "description": "Fitting", **fields}
    made: dict[str, Any] = body(api.post(f"{P}/services", {"service": sent}), 201)
    return made


def test_a_stock_item_is_an_inventory_item_of_the_canonical_api(api: Api) -> None:
    supplier = api.supplier(name="Widget Supply")
    types = price_types(api)
    made = stock_item(
        api,
        item_code="WDG-1",
        description="Widget",
        notes="fragile",
        cost_price="4.25",
        reorder_level=5,
        reorder_quantity="20",
        barcode="4006381333931",
        supplier_part_number="WS-77",
        weight="1.5",
        measurement_unit="box",
        usual_supplier={"id": supplier["id"]},
        source_guid="legacy-42",
        purchase_description="Widget (bulk)",
        sales_prices=[
            {"product_sales_price_type": {"id": types["Sales Price"]}, "price": 9.99},
            {
                "product_sales_price_type_id": types["Trade"],
                "price": "7.5",
                "price_includes_tax": True,
            },
        ],
    )
    item = api.data(api.get(f"/api/v1/items/{made['id']}"))
    assert (item["type"], item["inventory"]["tracked"], item["name"]) == (
        "inventory",
        True,
        "Widget",
    )
    assert (item["pricing"]["costPrice"], item["pricing"]["sellingPrice"]) == (4.25, 9.99)
    assert (item["inventory"]["reorderPoint"], item["supplier"]["id"]) == (5, supplier["id"])
    assert (item["supplier"]["supplierItemCode"], item["unit"], item["weight"]) == (
        "WS-77",
        "box",
        1.5,
    )
    assert made["sales_prices"][1]["price_includes_tax"] is True
    assert [p["price_name"] for p in made["sales_prices"]] == ["Sales Price", "Trade"]
    assert [p["price"] for p in made["sales_prices"]] == ["9.99", "7.5"]
    assert made["usual_supplier"] == {
        "id": supplier["id"],
        "displayed_as": "Widget Supply",
        "$path": f"/contacts/{supplier['id']}",
    }
    assert (made["reorder_level"], made["reorder_quantity"], made["weight"]) == ("5.0", "20.0", 1.5)
    assert (made["barcode"], made["source_guid"], made["notes"]) == (
        "4006381333931",
        "legacy-42",
        "fragile",
    )
    assert body(api.get(f"{P}/stock_items/{made['id']}")) == made


def test_products_list_goods_and_each_type_is_read_at_its_own_path(api: Api) -> None:
    stock = stock_item(api, description="A stock item")
    product = _product(api)
    service = _service(api)
    assert product["$path"] == f"/products/{product['id']}"
    assert "quantity_in_stock" not in product and "sales_prices" in product
    assert "sales_rates" in service and "cost_price" not in service
    listed = body(api.get(f"{P}/products"))
    assert {e["id"] for e in listed["$items"]} == {stock["id"], product["id"]}
    as_product = body(api.get(f"{P}/products/{stock['id']}"))
    assert as_product["$path"] == f"/products/{stock['id']}"
    assert set(as_product) == set(product)  # what a product shows, not a stock item's fields
    assert [e["id"] for e in body(api.get(f"{P}/services"))["$items"]] == [service["id"]]
    assert [e["id"] for e in body(api.get(f"{P}/stock_items"))["$items"]] == [stock["id"]]
    for path in (
        f"stock_items/{product['id']}",
        f"stock_items/{service['id']}",
        f"services/{stock['id']}",
        f"products/{service['id']}",
        "stock_items/item_missing",
    ):
        refused(api.get(f"{P}/{path}"), 404, "item_not_found")


def test_an_update_changes_what_is_sent_and_keeps_the_rest(api: Api) -> None:
    made = stock_item(api, description="Bolt", cost_price=1, barcode="B-1", reorder_level=3)
    changed = body(
        api.put(
            f"{P}/stock_items/{made['id']}",
            {"stock_item": {"cost_price": "1.25", "barcode": "", "notes": "zinc"}},
        )
    )
    assert (changed["cost_price"], changed["barcode"], changed["notes"]) == ("1.25", "", "zinc")
    assert (changed["description"], changed["reorder_level"]) == ("Bolt", "3.0")
    rate = price_types(api, "service_rate_types")["Rate"]
    service = _service(api)
    changed = body(
        api.put(
            f"{P}/services/{service['id']}",
            {"service": {"sales_rates": [{"service_rate_type_id": rate, "rate": 65}]}},
        )
    )
    assert [(r["rate_name"], r["rate"]) for r in changed["sales_rates"]] == [("Rate", "65.0")]
    product = _product(api)
    changed = body(api.put(f"{P}/products/{product['id']}", {"product": {"description": "Post"}}))
    assert (changed["displayed_as"], changed["item_code"]) == ("Post", "NS-1")


def test_an_update_of_one_price_keeps_the_items_other_prices(api: Api) -> None:
    """A Sage client sends the prices it changes: the others stay (the canonical API's list
    replaces the item's, as its own clients expect)."""
    types = price_types(api)
    prices = [("Sales Price", "11.0"), ("Trade", "3.0"), ("Wholesale", "2.0")]
    made = stock_item(
        api,
        sales_prices=[
            {"product_sales_price_type_id": types[name], "price": price} for name, price in prices
        ],
    )
    trade = [{"product_sales_price_type_id": types["Trade"], "price": "4.0"}]
    for path in ("stock_items", "products"):
        changed = body(api.put(f"{P}/{path}/{made['id']}", {path[:-1]: {"sales_prices": trade}}))
        shown = [(p["price_name"], p["price"]) for p in changed["sales_prices"]]
        assert shown == [("Sales Price", "11.0"), ("Trade", "4.0"), ("Wholesale", "2.0")]
    groups = api.data(api.get(f"/api/v1/items/{made['id']}"))["pricing"]["priceGroups"]
    assert sorted(float(g["price"]) for g in groups) == [2.0, 4.0, 11.0]


def test_an_update_at_another_types_path_is_not_found_and_changes_nothing(api: Api) -> None:
    service = _service(api)
    refused(
        api.put(f"{P}/stock_items/{service['id']}", {"stock_item": {"description": "X"}}),
        404,
        "item_not_found",
    )
    assert body(api.get(f"{P}/services/{service['id']}"))["description"] == "Fitting"


def test_inactive_records_are_hidden_unless_asked_for(api: Api) -> None:
    kept = stock_item(api, description="Kept")
    gone = stock_item(api, description="Gone", active=False)
    assert gone["active"] is False
    listed = body(api.get(f"{P}/stock_items"))
    assert [e["id"] for e in listed["$items"]] == [kept["id"]]
    assert listed["$total"] == 1
    inactive = body(api.get(f"{P}/stock_items", params={"active": "false"}))
    assert [e["id"] for e in inactive["$items"]] == [gone["id"]]
    assert body(api.get(f"{P}/stock_items/{gone['id']}"))["active"] is False
    body(api.put(f"{P}/stock_items/{gone['id']}", {"stock_item": {"active": True}}))
    assert body(api.get(f"{P}/stock_items"))["$total"] == 2


def test_lists_are_paged_by_number_with_links_either_side(api: Api) -> None:
    made = [stock_item(api, description=f"Paged {n}") for n in range(5)]
    first = body(api.get(f"{P}/stock_items", params={"items_per_page": 2}))
    assert (first["$total"], first["$page"], first["$itemsPerPage"]) == (5, 1, 2)
    assert first["$back"] is None
    assert first["$next"] == "/stock_items?items_per_page=2&page=2"
    pages = [first]
    while pages[-1]["$next"]:
        pages.append(body(api.get(P + pages[-1]["$next"])))
    assert [len(p["$items"]) for p in pages] == [2, 2, 1]
    assert [e["id"] for p in pages for e in p["$items"]] == [m["id"] for m in made]
    assert pages[-1]["$back"] == "/stock_items?items_per_page=2&page=2"
    beyond = body(api.get(f"{P}/stock_items", params={"page": 9, "items_per_page": 2}))
    assert (beyond["$items"], beyond["$next"], beyond["$total"]) == ([], None, 5)
    assert beyond["$back"] == "/stock_items?page=3&items_per_page=2"


def test_search_and_attributes(api: Api) -> None:
    stock_item(api, item_code="HB-M8", description="Hex bolt M8", barcode="111")
    stock_item(api, item_code="WS-1", description="Washer")
    found = body(api.get(f"{P}/stock_items", params={"search": "bolt"}))
    assert [e["displayed_as"] for e in found["$items"]] == ["Hex bolt M8"]
    assert set(found["$items"][0]) == {"id", "displayed_as", "$path"}
    some = body(api.get(f"{P}/stock_items", params={"search": "bolt", "attributes": "barcode"}))
    assert set(some["$items"][0]) == {"id", "displayed_as", "$path", "barcode"}
    whole = body(api.get(f"{P}/stock_items", params={"search": "bolt", "attributes": "all"}))
    one = whole["$items"][0]
    assert one == body(api.get(f"{P}/stock_items/{one['id']}"))


def test_bad_bodies_are_refused_in_sages_shape_and_change_nothing(api: Api) -> None:
    errors = refused(api.post(f"{P}/stock_items", {"stock_item": {"item_code": "X"}}), 422)
    assert [e["$source"] for e in errors] == ["description"]
    errors = refused(
        api.post(
            f"{P}/stock_items",
            {"stock_item": {"item_code": "X", "description": "X", "cost_price": "abc"}},
        ),
        422,
        "validation_failed",
    )
    assert errors[0]["$source"] == "stock_item.cost_price"
    refused(api.post(f"{P}/stock_items", {"item": {}}), 422, "validation_failed")
    refused(
        api.post(
            f"{P}/stock_items",
            {"stock_item": {"item_code": "X", "description": "X", "quantity_in_stock": 5}},
        ),
        422,
        "validation_failed",
    )
    refused(
        api.post(
            f"{P}/stock_items", content=b"{nope", headers={"Content-Type": "application/json"}
        ),
        400,
    )
    refused(
        api.post(
            f"{P}/stock_items",
            {"stock_item": {"item_code": "X", "description": "X", "sales_tax_rate_id": "tax_none"}},
        ),
        422,
        "unknown_tax_rate",
    )
    stock_item(api, item_code="DUP", description="First")
    errors = refused(
        api.post(f"{P}/stock_items", {"stock_item": {"item_code": "DUP", "description": "Again"}}),
        409,
        "duplicate_item_code",
    )
    assert errors[0]["$source"] in ("item_code", "")
    assert body(api.get(f"{P}/stock_items"))["$total"] == 1
    refused(api.get(f"{P}/stock_items", params={"page": 0}), 422, "validation_failed")
    refused(api.get(f"{P}/stock_items", params={"items_per_page": 201}), 422)
    refused(api.get(f"{P}/stock_items", params={"colour": "red"}), 422)
    refused(api.get(f"{P}/nowhere"), 404, "route_not_found")
    refused(api.delete(f"{P}/stock_movements"), 405, "method_not_allowed")


def test_roles_and_keys_are_the_canonical_ones(api: Api) -> None:
    viewer = api.as_key(api.tenant.viewer_key)
    assert body(viewer.get(f"{P}/stock_items"))["$total"] == 0
    refused(viewer.post(f"{P}/products", {"product": {"item_code": "V", "description": "V"}}), 403)
    clerk = api.as_key(api.tenant.clerk_key)
    refused(clerk.post(f"{P}/products", {"product": {"item_code": "C", "description": "C"}}), 403)
    anonymous = api.client.get(f"{P}/stock_items")
    refused(anonymous, 401)


def test_an_item_is_deleted_or_made_inactive_where_its_history_keeps_it(api: Api) -> None:
    location = api.location(type="warehouse")["id"]
    plain = stock_item(api, description="Never moved")
    moved = stock_item(api, description="Moved once")
    api.adjust(location, (moved["id"], 1))
    service = _service(api)
    refused(api.delete(f"{P}/stock_items/{service['id']}"), 404, "item_not_found")
    assert body(api.get(f"{P}/services/{service['id']}"))["active"] is True
    assert api.delete(f"{P}/stock_items/{plain['id']}").status_code == 204
    refused(api.get(f"{P}/stock_items/{plain['id']}"), 404)
    assert api.delete(f"{P}/products/{moved['id']}").status_code == 204
    assert body(api.get(f"{P}/stock_items/{moved['id']}"))["active"] is False
    assert body(api.get(f"{P}/stock_items"))["$total"] == 0
    assert api.delete(f"{P}/services/{service['id']}").status_code == 204
    refused(api.delete(f"{P}/services/{service['id']}"), 404)


def test_items_changed_since_an_instant(api: Api) -> None:
    old = stock_item(api, description="Old")
    listed = body(
        api.get(f"{P}/stock_items", params={"updated_or_created_since": old["updated_at"]})
    )
    assert [e["id"] for e in listed["$items"]] == [old["id"]]
    later = "2999-01-01T00:00:00Z"
    listed = body(api.get(f"{P}/stock_items", params={"updated_or_created_since": later}))
    assert (listed["$total"], listed["$items"]) == (0, [])
    refused(api.get(f"{P}/stock_items", params={"updated_or_created_since": "yesterday"}), 422)
