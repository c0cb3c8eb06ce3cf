"""smallbiz products over HTTP: stock items in its shape, created with their opening stock,
listed, searched and paged, changed (their quantity as a stock count where the company does
not receive stock on purchase orders) and deleted."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from stockkeeper.core.db import Database
from tests.compat.smallbiz.catalog_support import (
    CATEGORIES,
    PRODUCTS,
    TRANSACTIONS,
    answer,
    canonical_item,
    listed,
    product,
    refused,
)
from tests.invariants import assert_ledger_consistent
from tests.support import Api


def _without_purchase_orders(api: Api) -> None:
    api.data(api.put("/api/v1/settings", {"purchaseOrdersEnabled": False}))


def _by_id(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in rows}


def test_a_product_is_a_stock_item_with_its_opening_stock(api: Api, database: Database) -> None:
    warehouse = api.location()["id"]  # the first warehouse: the default
    category = answer(api.post(CATEGORIES, {"name": "Drinks", "color": "#112233"}), 201)
    made = product(
        api,
        name="Cola 33cl",
        sku="COLA-33",
        price=1.25,
        purchase_price=0.6,
        quantity_on_hand=24,
        category_id=category["id"],
        ean_code="8710000000017",
    )
    assert isinstance(made["id"], int) and made["id"] > 0
    assert (made["name"], made["sku"], made["ean_code"]) == (
        "Cola 33cl",
        "COLA-33",
        "8710000000017",
    )
    assert (made["price"], made["purchase_price"], made["quantity_on_hand"]) == (
        Decimal("1.25"),
        Decimal("0.6"),
        24,
    )
    assert made["low_stock_threshold"] == 5  # smallbiz's default
    assert made["article_number"].startswith("ART_PRODUCT")
    assert (made["category_id"], made["category_name"], made["category_color"]) == (
        category["id"],
        "Drinks",
        "#112233",
    )
    assert (made["supplier_id"], made["supplier_name"]) == (None, None)
    assert isinstance(made["vat_rate_id"], int)  # the company's default rate

    item = canonical_item(api, "COLA-33")
    assert item["inventory"]["currentStock"] == 24 and item["inventory"]["minimumStock"] == 5
    assert item["pricing"]["sellingPrice"] == 1.25 and item["pricing"]["costPrice"] == 0.6
    assert item["tax"]["salesTaxRate"]["isDefault"] is True
    [level] = api.stock(itemId=item["id"])
    assert (level["locationId"], level["currentStock"]) == (warehouse, 24)
    [opening] = listed(api, TRANSACTIONS, product_id=made["id"])
    assert (opening["delta"], opening["reason"]) == (24, "opening_stock")
    assert opening["reference"] == made["article_number"]
    movements = api.data(api.get("/api/v1/inventory/movements", params={"itemId": item["id"]}))
    assert [(m["type"], m["quantity"], m["unitCost"]) for m in movements] == [
        ("opening_stock", 24, 0.6)
    ]
    assert_ledger_consistent(database, api.tenant.company_id)


def test_ids_are_stable_integers_and_the_list_shows_the_related_names(api: Api) -> None:
    api.location()
    supplier = api.supplier(name="Acme Drinks")
    # a canonical item naming the supplier: the product list numbers the supplier for clients
    api.item(name="Bottled water", supplierId=supplier["id"])
    [water] = listed(api, PRODUCTS, search="bottled")
    assert water["supplier_name"] == "Acme Drinks" and isinstance(water["supplier_id"], int)
    mine = product(api, name="Lemonade", supplier_id=water["supplier_id"], quantity_on_hand=3)
    assert (mine["supplier_id"], mine["supplier_name"]) == (water["supplier_id"], "Acme Drinks")
    first = _by_id(listed(api, PRODUCTS))
    again = _by_id(listed(api, PRODUCTS))
    assert first.keys() == again.keys() == {water["id"], mine["id"]}
    assert first[mine["id"]]["sku"] == again[mine["id"]]["sku"] == mine["sku"]
    assert mine["id"] > water["id"]  # numbered in the order they were first shown
    assert [p["name"] for p in listed(api, PRODUCTS)] == ["Bottled water", "Lemonade"]
    assert [p["id"] for p in listed(api, PRODUCTS, supplier_id=mine["supplier_id"])] == [
        water["id"],
        mine["id"],
    ]
    assert listed(api, PRODUCTS, supplier_id=mine["supplier_id"] + 1000) == []
    assert [p["id"] for p in listed(api, PRODUCTS, search="lemon")] == [mine["id"]]


def test_pages_by_number_and_everything_without_a_page(api: Api) -> None:
    names = [f"Paged {n:02d}" for n in range(7)]
    for name in reversed(names):
        product(api, name=name)
    assert [p["name"] for p in listed(api, PRODUCTS)] == names
    assert [p["name"] for p in listed(api, PRODUCTS, page=1, limit=3)] == names[:3]
    assert [p["name"] for p in listed(api, PRODUCTS, page=3, limit=3)] == names[6:]
    assert listed(api, PRODUCTS, page=4, limit=3) == []
    assert len(listed(api, PRODUCTS, page=1)) == 7  # 50 a page unless said
    # a page past a million would skip more rows than the database's integers hold
    huge = ({"page": 1_000_001}, {"page": 2**63 - 1}, {"page": 10**20})
    for params in ({"page": 0}, {"limit": 0}, {"page": "one"}, {"sort": "name"}, *huge):
        refused(api.get(PRODUCTS, params=params), 422)
    assert listed(api, PRODUCTS, page=1_000_000, limit=1000) == []


def test_an_update_changes_what_it_sends(api: Api) -> None:
    api.location()
    category = answer(api.post(CATEGORIES, {"name": "Snacks"}), 201)
    made = product(api, name="Crisps", price=2, category_id=category["id"], ean_code="12345")
    changed = answer(
        api.put(
            f"{PRODUCTS}/{made['id']}",
            {"price": 2.5, "purchase_price": 1.1, "low_stock_threshold": 12, "ean_code": None},
        )
    )
    assert (changed["id"], changed["name"], changed["sku"]) == (made["id"], "Crisps", made["sku"])
    assert (changed["price"], changed["purchase_price"], changed["low_stock_threshold"]) == (
        Decimal("2.5"),
        Decimal("1.1"),
        12,
    )
    assert changed["ean_code"] is None and changed["category_name"] == "Snacks"
    moved = answer(api.put(f"{PRODUCTS}/{made['id']}", {"category_id": None, "name": "Chips"}))
    assert (moved["name"], moved["category_id"], moved["category_color"]) == ("Chips", None, None)
    assert canonical_item(api, made["sku"])["name"] == "Chips"
    assert answer(api.put(f"{PRODUCTS}/{made['id']}", {})) == moved | {
        "updated_at": moved["updated_at"]
    }


def test_a_vat_rate_is_taken_by_its_number(api: Api) -> None:
    rate = api.create(
        "/api/v1/tax-rates",
        {"code": "LOW", "name": "Low rate", "components": [{"name": "VAT", "rate": 9}]},
    )
    api.item(name="Book", tax={"salesTaxCode": rate["id"]})
    [book] = listed(api, PRODUCTS, search="book")
    default = product(api, name="Pen")["vat_rate_id"]
    assert book["vat_rate_id"] != default
    low = product(api, name="Magazine", vat_rate_id=book["vat_rate_id"])
    assert low["vat_rate_id"] == book["vat_rate_id"]
    assert canonical_item(api, low["sku"])["tax"]["salesTaxCode"] == rate["id"]
    back = answer(api.put(f"{PRODUCTS}/{low['id']}", {"vat_rate_id": None}))
    assert back["vat_rate_id"] == default  # the default applies again
    assert "tax rate" in refused(api.put(f"{PRODUCTS}/{low['id']}", {"vat_rate_id": 999}), 422)


def test_quantity_is_set_as_a_count_only_without_purchase_orders(
    api: Api, database: Database
) -> None:
    warehouse = api.location()["id"]
    made = product(api, quantity_on_hand=10)
    path = f"{PRODUCTS}/{made['id']}"
    words = refused(api.put(path, {"quantity_on_hand": 4, "price": 99}), 409)
    assert "purchase order" in words
    assert listed(api, PRODUCTS)[0]["price"] == 10  # nothing changed
    same = answer(api.put(path, {"quantity_on_hand": 10, "price": 11}))  # an unchanged quantity
    assert (same["quantity_on_hand"], same["price"]) == (10, 11)

    _without_purchase_orders(api)
    counted = answer(api.put(path, {"quantity_on_hand": 4}))
    assert counted["quantity_on_hand"] == 4
    item = canonical_item(api, made["sku"])
    [level] = api.stock(itemId=item["id"])
    assert (level["locationId"], level["currentStock"]) == (warehouse, 4)
    count, opening = listed(api, TRANSACTIONS, product_id=made["id"])
    assert (count["delta"], count["reason"], opening["delta"]) == (-6, "stock_count", 10)
    adjustments = api.data(api.get("/api/v1/inventory/adjustments", params={"itemId": item["id"]}))
    assert [(a["reason"], a["items"][0]["adjustmentQuantity"]) for a in adjustments] == [
        ("stock_count", -6)
    ]
    assert answer(api.put(path, {"quantity_on_hand": 9}))["quantity_on_hand"] == 9
    refused(api.put(path, {"quantity_on_hand": -1}), 422)
    assert_ledger_consistent(database, api.tenant.company_id)


def test_delete_answers_ok_and_the_product_is_gone(api: Api) -> None:
    api.location()
    plain = product(api)
    stocked = product(api, quantity_on_hand=2)
    plain_id = canonical_item(api, plain["sku"])["id"]
    assert answer(api.delete(f"{PRODUCTS}/{plain['id']}")) == {"ok": True}
    assert answer(api.delete(f"{PRODUCTS}/{stocked['id']}")) == {"ok": True}
    assert listed(api, PRODUCTS) == []
    assert api.get(f"/api/v1/items/{plain_id}").status_code == 404
    # an item with stock history is kept, inactive (the canonical rule), out of the list
    assert canonical_item(api, stocked["sku"])["isActive"] is False
    refused(api.put(f"{PRODUCTS}/{plain['id']}", {"price": 1}), 404)
    refused(api.delete(f"{PRODUCTS}/{plain['id']}"), 404)
