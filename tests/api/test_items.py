"""The Items API as documented: the Item Object, create, get, update, delete."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from stockkeeper.core.db import Database
from stockkeeper.core.outbox import OutboxEvent
from tests.support import Api, problem, put_stock

# The documented "Create Item" request body, with real ids substituted in the test.
DOCUMENTED_CREATE: dict[str, Any] = {
    "itemCode": "WDG-002",
    "barcode": "1234567890124",
    "name": "Advanced Widget",
    "description": "Next-generation widget with enhanced features",
    "categoryId": "cat_electronics",
    "type": "inventory",
    "unit": "pcs",
    "weight": 2.0,
    "dimensions": {"length": 12.0, "width": 6.0, "height": 4.0, "unit": "cm"},
    "pricing": {"costPrice": 25.00, "sellingPrice": 35.00, "currency": "MYR"},
    "inventory": {
        "tracked": True,
        "minimumStock": 30,
        "maximumStock": 300,
        "reorderPoint": 40,
        "reorderQuantity": 100,
    },
    "supplierId": "supp_456789",
    "supplierItemCode": "WS-WDG-002",
    "accounting": {
        "incomeAccountId": "acc_sales_revenue",
        "expenseAccountId": "acc_cogs",
        "assetAccountId": "acc_inventory",
    },
    "tax": {"salesTaxCode": "SST", "purchaseTaxCode": "SST"},
    "customFields": {"warranty": "2 years", "origin": "Germany"},
}


SALES_35 = ("Sales Price", 35, False)


def _prices(item: dict[str, Any]) -> list[tuple[str, Any, bool]]:
    return [(p["name"], p["price"], p["includesTax"]) for p in item["pricing"]["priceGroups"]]


def _documented_body(api: Api) -> dict[str, Any]:
    body = copy.deepcopy(DOCUMENTED_CREATE)
    body["categoryId"] = api.category(name="Electronics")["id"]
    body["supplierId"] = api.supplier(name="Widget Supplier Ltd")["id"]
    return body


def test_documented_create_example_round_trips_field_by_field(api: Api) -> None:
    body = _documented_body(api)
    created = api.create("/api/v1/items", body)
    fetched = api.data(api.get(f"/api/v1/items/{created['id']}"))
    for item in (created, fetched):
        assert item["id"].startswith("item_")
        for field in ("itemCode", "barcode", "name", "description", "type", "unit", "customFields"):
            assert item[field] == body[field], field
        assert item["weight"] == 2
        assert item["dimensions"] == body["dimensions"]
        assert item["category"] == {
            "id": body["categoryId"],
            "name": "Electronics",
            "path": "Electronics",
        }
        pricing = {**item["pricing"], "priceGroups": _prices(item)}
        # the selling price is the price in Sales Price
        assert pricing == {**body["pricing"], "standardCost": None, "priceGroups": [SALES_35]}
        inventory = item["inventory"]
        for field, value in body["inventory"].items():
            assert inventory[field] == value, field
        assert (
            inventory["currentStock"],
            inventory["availableStock"],
            inventory["reservedStock"],
        ) == (0, 0, 0)
        assert item["supplier"] == {
            "id": body["supplierId"],
            "name": "Widget Supplier Ltd",
            "supplierItemCode": "WS-WDG-002",
            "leadTimeDays": None,
        }
        assert item["accounting"].items() >= body["accounting"].items()
        assert item["accounting"]["incomeAccount"]["name"] == "Sales"
        assert item["tax"].items() >= {**body["tax"], "taxable": True}.items()
        assert item["tax"]["salesTaxRate"]["effectiveRate"] == 10
        assert item["locations"] == []
        assert item["variants"] == []
        assert item["images"] == []
        assert item["isActive"] is True
        assert item["createdAt"].endswith("Z")
        assert item["updatedAt"].endswith("Z")


def test_minimal_create_fills_sensible_defaults(api: Api) -> None:
    item = api.item(itemCode="MIN-1", name="Minimal", type="inventory")
    assert item["unit"] == "pcs"
    assert {**item["pricing"], "priceGroups": _prices(item)} == {
        "costPrice": 0,
        "standardCost": None,
        "sellingPrice": 0,
        "currency": "MYR",
        "priceGroups": [("Sales Price", 0, False)],
    }
    assert item["inventory"]["tracked"] is True
    assert item["category"] is None
    assert item["supplier"] is None
    assert item["dimensions"] is None
    service = api.item(type="service")
    assert service["inventory"]["tracked"] is False


def test_required_and_unknown_fields_are_422(api: Api) -> None:
    body = problem(api.post("/api/v1/items", {"name": "No code"}), 422, "validation_failed")
    assert {e["field"] for e in body["errors"]} == {"itemCode", "type"}
    body = problem(
        api.post(
            "/api/v1/items", {"itemCode": "X", "name": "X", "type": "inventory", "colour": "red"}
        ),
        422,
    )
    assert body["errors"][0]["field"] == "colour"
    problem(api.post("/api/v1/items", {"itemCode": "X", "name": "X", "type": "gadget"}), 422)
    assert api.data(api.get("/api/v1/items")) == []


def test_update_keeps_what_is_not_sent(api: Api) -> None:
    item = api.create("/api/v1/items", _documented_body(api))
    documented_update = {
        "name": "Updated Widget Name",
        "description": "Updated description",
        "pricing": {"costPrice": 20.00, "sellingPrice": 30.00},
        "inventory": {"minimumStock": 25, "reorderPoint": 35},
    }
    updated = api.data(api.put(f"/api/v1/items/{item['id']}", documented_update))
    assert updated["name"] == "Updated Widget Name"
    assert updated["description"] == "Updated description"
    assert {**updated["pricing"], "priceGroups": _prices(updated)} == {
        "costPrice": 20,
        "standardCost": None,
        "sellingPrice": 30,
        "currency": "MYR",
        "priceGroups": [("Sales Price", 30, False)],
    }
    assert updated["inventory"]["minimumStock"] == 25
    assert updated["inventory"]["reorderPoint"] == 35
    assert updated["inventory"]["maximumStock"] == 300
    assert updated["inventory"]["reorderQuantity"] == 100
    for field in (
        "itemCode",
        "barcode",
        "category",
        "supplier",
        "accounting",
        "tax",
        "customFields",
        "dimensions",
    ):
        assert updated[field] == item[field], field
    assert updated["updatedAt"] >= item["updatedAt"]


def test_update_merges_custom_fields_and_accounting_and_clears_nullables(api: Api) -> None:
    item = api.create("/api/v1/items", _documented_body(api))
    changes = {
        "customFields": {"origin": None, "colour": "blue"},
        "accounting": {"expenseAccountId": "acc_ppv"},
        "barcode": None,
        "dimensions": None,
    }
    updated = api.data(api.put(f"/api/v1/items/{item['id']}", changes))
    assert updated["customFields"] == {"warranty": "2 years", "colour": "blue"}
    assert updated["accounting"]["expenseAccountId"] == "acc_ppv"
    assert updated["accounting"]["incomeAccountId"] == "acc_sales_revenue"
    assert updated["barcode"] is None
    assert updated["dimensions"] is None
    problem(api.put(f"/api/v1/items/{item['id']}", {"name": None}), 422)


def test_dimensions_sent_without_a_unit_are_kept_in_the_default_unit(api: Api) -> None:
    item = api.item()
    assert item["dimensions"] is None
    path = f"/api/v1/items/{item['id']}"
    updated = api.data(api.put(path, {"dimensions": {"length": 5}}))
    expected = {"length": 5, "width": None, "height": None, "unit": "cm"}
    assert updated["dimensions"] == expected
    assert api.data(api.get(path))["dimensions"] == expected  # stored, not only answered


def test_duplicate_code_or_barcode_is_409_across_items_and_variants(api: Api) -> None:
    api.item(itemCode="DUP-1", barcode="111")
    with_variant = api.item(variants=[{"name": "V", "itemCode": "DUP-V", "barcode": "222"}])
    for body, field in (
        ({"itemCode": "DUP-1"}, "itemCode"),
        ({"barcode": "111"}, "barcode"),
        ({"itemCode": "DUP-V"}, "itemCode"),
        ({"barcode": "222"}, "barcode"),
    ):
        full = {"itemCode": "FRESH", "name": "n", "type": "inventory", **body}
        error = problem(api.post("/api/v1/items", full), 409)
        assert error["errors"][0]["field"] == field
    problem(
        api.post(
            f"/api/v1/items/{with_variant['id']}/variants", {"name": "W", "itemCode": "DUP-1"}
        ),
        409,
    )
    other = api.item()
    problem(api.put(f"/api/v1/items/{other['id']}", {"itemCode": "DUP-1"}), 409)
    # an item may keep its own code on update
    api.data(api.put(f"/api/v1/items/{other['id']}", {"itemCode": other["itemCode"]}))


def test_exact_decimals_in_and_out(api: Api) -> None:
    raw = (
        '{"itemCode": "EXACT", "name": "Exact", "type": "inventory",'
        ' "pricing": {"costPrice": 0.1, "sellingPrice": 123456789012.123456}}'
    )
    created = api.request(
        "POST", "/api/v1/items", content=raw, headers={"Content-Type": "application/json"}
    )
    item = api.data(created, 201)
    response = api.get(f"/api/v1/items/{item['id']}")
    assert '"costPrice":0.1,' in response.text
    assert '"sellingPrice":123456789012.123456' in response.text
    prices = response.json(parse_float=Decimal)["data"]["pricing"]
    assert prices["sellingPrice"] == Decimal("123456789012.123456")
    # 0.1 + 0.2 is 0.3, exactly
    raw_created = api.request(
        "POST",
        "/api/v1/items",
        headers={"Content-Type": "application/json"},
        content='{"itemCode": "TRAIL", "name": "t", "type": "inventory",'
        ' "pricing": {"costPrice": 800.00}}',
    )
    assert '"costPrice":800,' in raw_created.text  # the same figure as every later read
    cheap = api.item(pricing={"costPrice": 0.3})
    assert '"costPrice":0.3,' in api.get(f"/api/v1/items/{cheap['id']}").text
    for bad in ("25,00", 1.0000001, True, -1, 10**12, 1.7976931348623157e308, 1e-300):
        problem(
            api.post(
                "/api/v1/items",
                {"itemCode": "D", "name": "D", "type": "inventory", "pricing": {"costPrice": bad}},
            ),
            422,
        )


def test_services_and_non_stock_items_are_not_tracked(api: Api) -> None:
    problem(
        api.post(
            "/api/v1/items",
            {"itemCode": "S1", "name": "S", "type": "service", "inventory": {"tracked": True}},
        ),
        422,
    )
    problem(
        api.post(
            "/api/v1/items",
            {
                "itemCode": "N1",
                "name": "N",
                "type": "non_inventory",
                "inventory": {"tracked": True},
            },
        ),
        422,
    )
    problem(
        api.post(
            "/api/v1/items",
            {
                "itemCode": "S2",
                "name": "S",
                "type": "service",
                "variants": [{"name": "v", "itemCode": "S2-V"}],
            },
        ),
        422,
    )
    problem(
        api.post(
            "/api/v1/items",
            {
                "itemCode": "M1",
                "name": "M",
                "type": "inventory",
                "inventory": {"minimumStock": 10, "maximumStock": 5},
            },
        ),
        422,
    )


def test_unknown_references_are_422_and_change_nothing(api: Api) -> None:
    for body in (
        {"categoryId": "cat_nope"},
        {"supplierId": "supp_nope"},
        {"pricing": {"priceGroups": [{"groupId": "pg_nope", "price": 1}]}},
        {"pricing": {"currency": "XYZ"}},
    ):
        full = {"itemCode": "REF", "name": "n", "type": "inventory", **body}
        problem(api.post("/api/v1/items", full), 422)
    assert api.data(api.get("/api/v1/items")) == []


def test_price_groups_on_items(api: Api) -> None:
    groups = {g["name"]: g for g in api.data(api.get("/api/v1/price-groups"))}
    assert set(groups) == {"Sales Price", "Trade", "Wholesale", "Rate"}
    prices = [
        {"groupId": groups["Trade"]["id"], "price": 22.0},
        {"groupId": groups["Wholesale"]["id"], "price": 20},
    ]
    item = api.item(pricing={"sellingPrice": 25, "priceGroups": prices})
    assert [(p["name"], p["price"]) for p in item["pricing"]["priceGroups"]] == [
        ("Sales Price", 25),
        ("Trade", 22),
        ("Wholesale", 20),
    ]
    # a service takes service rate types, goods take sales price types
    rate = [{"groupId": groups["Rate"]["id"], "price": 65}]
    service = api.item(type="service", pricing={"priceGroups": rate})
    assert _prices(service) == [("Rate", 65, False)]
    assert service["pricing"]["sellingPrice"] == 65
    problem(
        api.post(
            "/api/v1/items",
            {"itemCode": "G", "name": "G", "type": "inventory", "pricing": {"priceGroups": rate}},
        ),
        422,
    )
    # sending priceGroups replaces the list; not sending it keeps it
    kept = api.data(api.put(f"/api/v1/items/{item['id']}", {"name": "renamed"}))
    assert len(kept["pricing"]["priceGroups"]) == 3
    replaced = api.data(
        api.put(f"/api/v1/items/{item['id']}", {"pricing": {"priceGroups": prices[:1]}})
    )
    assert [p["name"] for p in replaced["pricing"]["priceGroups"]] == ["Sales Price", "Trade"]


def test_variants_and_images(api: Api) -> None:
    item = api.item(
        variants=[
            {
                "name": "Red Widget",
                "itemCode": "WDG-RED-M",
                "barcode": "1234567890124",
                "attributes": {"color": "Red", "size": "Medium"},
            },
        ],
        images=[
            {"url": "https://files.example.com/a.jpg"},
            {"url": "https://files.example.com/b.jpg"},
        ],
    )
    (variant,) = item["variants"]
    assert variant["id"].startswith("var_")
    assert variant["stock"] == 0
    assert variant["attributes"] == {"color": "Red", "size": "Medium"}
    assert [i["isPrimary"] for i in item["images"]] == [True, False]
    added = api.create(
        f"/api/v1/items/{item['id']}/variants", {"name": "Blue", "itemCode": "WDG-BLU-M"}
    )
    renamed = api.data(
        api.put(f"/api/v1/items/{item['id']}/variants/{added['id']}", {"name": "Navy"})
    )
    assert renamed["name"] == "Navy"
    assert renamed["itemCode"] == "WDG-BLU-M"
    listed = api.data(
        api.get("/api/v1/items", params={"includeVariants": "true", "search": "navy"})
    )
    assert [v["name"] for v in listed[0]["variants"]] == ["Red Widget", "Navy"]
    assert listed[0]["images"] is None
    deleted = api.data(api.delete(f"/api/v1/items/{item['id']}/variants/{added['id']}"))
    assert deleted == {"id": added["id"], "deleted": True}
    assert len(api.data(api.get(f"/api/v1/items/{item['id']}"))["variants"]) == 1
    problem(api.put(f"/api/v1/items/{item['id']}/variants/{added['id']}", {"name": "x"}), 404)
    other = api.item()
    problem(api.get(f"/api/v1/items/{other['id']}/variants/{variant['id']}"), 405)
    problem(api.put(f"/api/v1/items/{other['id']}/variants/{variant['id']}", {"name": "x"}), 404)
    two_primary = [{"url": "https://x.example/1.jpg", "isPrimary": True}] * 2
    problem(api.put(f"/api/v1/items/{item['id']}", {"images": two_primary}), 422)


def test_delete_item_without_history_removes_it(api: Api) -> None:
    item = api.item(variants=[{"name": "v", "itemCode": unique_code()}])
    assert api.data(api.delete(f"/api/v1/items/{item['id']}")) == {
        "id": item["id"],
        "deleted": True,
    }
    problem(api.get(f"/api/v1/items/{item['id']}"), 404, "item_not_found")
    problem(api.delete(f"/api/v1/items/{item['id']}"), 404)


def unique_code() -> str:
    from tests.support import unique

    return unique("CODE")


def test_delete_with_stock_history_deactivates(api: Api, database: Database) -> None:
    location = api.location()
    item = api.item(variants=[{"name": "v", "itemCode": unique_code()}])
    variant = item["variants"][0]
    put_stock(database, api, item["id"], location["id"], "2", variant_id=variant["id"])
    result = api.data(api.delete(f"/api/v1/items/{item['id']}/variants/{variant['id']}"))
    assert result == {"id": variant["id"], "deleted": False}
    assert api.data(api.delete(f"/api/v1/items/{item['id']}")) == {
        "id": item["id"],
        "deleted": False,
    }
    kept = api.data(api.get(f"/api/v1/items/{item['id']}"))
    assert kept["isActive"] is False
    assert kept["variants"][0]["isActive"] is False
    assert kept["inventory"]["currentStock"] == 2
    assert kept["locations"][0]["locationId"] == location["id"]
    problem(api.delete(f"/api/v1/locations/{location['id']}"), 409, "location_in_use")


def test_changes_are_announced_when_they_commit(api: Api, database: Database) -> None:
    location = api.location()
    item = api.item(variants=[{"name": "v", "itemCode": unique_code()}])
    put_stock(database, api, item["id"], location["id"], "1")
    api.data(api.put(f"/api/v1/items/{item['id']}", {"name": "Renamed"}))
    # a deletion that finds history deactivates instead (its savepoint rolls back)
    api.data(api.delete(f"/api/v1/items/{item['id']}"))
    with database.unit_of_work(write=False) as session:
        messages = session.scalars(
            select(OutboxEvent.message)
            .where(OutboxEvent.company_id == api.tenant.company_id)
            .order_by(OutboxEvent.created_at, OutboxEvent.id)
        )
        announced = [json.loads(m) for m in messages]
    assert [m["event"] for m in announced] == ["item.created", "item.updated", "item.deleted"]
    shown = api.data(api.get(f"/api/v1/items/{item['id']}"))
    assert announced[-1]["data"]["object"] == shown and shown["isActive"] is False
