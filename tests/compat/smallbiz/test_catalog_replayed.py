"""The smallbiz document's catalogue requests replayed (issue 21, section 4): each table of
fields sent as a request (ids substituted), and each answer compared with what the document
says it holds: the same names, nesting and JSON types, and the values the request sets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.compat.smallbiz.catalog_support import (
    CATEGORIES,
    PRODUCTS,
    TRANSACTIONS,
    answer,
    assert_same_shape,
    assert_values,
    first_difference,
    listed,
)
from tests.support import Api

# a product as the document describes it: the fields of its POST table, "category and
# supplier data" (category_name, category_color, supplier_name) and the article number
PRODUCT = {
    "id": 1,
    "name": "Product name",
    "sku": "Stock-keeping unit code",
    "price": 1.5,
    "purchase_price": 1.0,
    "quantity_on_hand": 10,
    "low_stock_threshold": 5,
    "category_id": 1,
    "category_name": "Category",
    "category_color": "#6e56cf",
    "supplier_id": 1,
    "supplier_name": "Supplier",
    "vat_rate_id": 1,
    "ean_code": "EAN barcode",
    "article_number": "ART_PRODUCT001",
}
# what the document says is optional on a product: null when it is not there
OPTIONAL = frozenset(
    {"category_id", "category_name", "category_color", "supplier_id", "supplier_name"}
    | {"vat_rate_id", "ean_code"}
)
CATEGORY = {"id": 1, "name": "Category", "color": "#6e56cf", "position": 0}
TRANSACTION = {"id": 1, "product_id": 1, "delta": 1, "reason": "reason string"}


def _body(sent: dict[str, Any]) -> dict[str, Any]:
    """A body as a client writes it: decimals as JSON numbers."""
    return {k: float(v) if isinstance(v, Decimal) else v for k, v in sent.items()}


@pytest.fixture
def related(api: Api) -> dict[str, int]:
    """A category, a supplier and a VAT rate, by the integer ids smallbiz shows them with (the
    supplier and the rate through a canonical item that names them)."""
    api.location()
    category = answer(api.post(CATEGORIES, {"name": "Beverages"}), 201)
    supplier = api.supplier(name="Fresh Supplies")
    rate = api.create("/api/v1/tax-rates", {"code": "V21", "name": "VAT 21%"})
    api.item(name="Seed", supplierId=supplier["id"], tax={"salesTaxCode": rate["id"]})
    [seed] = listed(api, PRODUCTS, search="seed")
    return {
        "category_id": category["id"],
        "supplier_id": seed["supplier_id"],
        "vat_rate_id": seed["vat_rate_id"],
    }


def test_the_comparison_names_the_first_difference() -> None:
    assert first_difference(PRODUCT, PRODUCT) is None
    assert (
        first_difference({"a": {"b": 1}}, {"a": {"b": "1"}})
        == "$.a.b: documented number, ours string ('1')"
    )
    assert first_difference({"a": 1, "b": 2}, {"a": 1}) == "$.b: missing"
    assert first_difference([{"a": True}], [{"a": True}, {"a": None}]) == (
        "$[1].a: documented boolean, ours null (None)"
    )
    assert first_difference({"a": None}, {"a": [1]}) is None  # a null says nothing of the type
    assert first_difference({"a": 1}, {"a": None}, nullable=frozenset("a")) is None
    assert first_difference({"b": {"a": 1}}, {"b": None}, nullable=frozenset("a")) is not None


def test_post_products_with_every_field_of_its_table(api: Api, related: dict[str, int]) -> None:
    sent = {
        "name": "Sparkling water 1L",
        "sku": "SPW-1L",
        "price": Decimal("0.99"),
        "purchase_price": Decimal("0.45"),
        "quantity_on_hand": 48,
        "low_stock_threshold": 12,
        **related,
        "ean_code": "8712345678906",
    }
    made = answer(api.post(PRODUCTS, _body(sent)), 201)
    assert_same_shape(PRODUCT, made)
    assert_values(sent, made)
    assert (made["category_name"], made["category_color"]) == ("Beverages", "#6e56cf")
    assert made["supplier_name"] == "Fresh Supplies"
    assert made["article_number"] == "ART_PRODUCT002"  # the seed took 001
    [again] = listed(api, PRODUCTS, search="sparkling")
    assert again == made | {"updated_at": again["updated_at"]}


def test_post_products_with_its_required_fields_only(api: Api) -> None:
    api.location()
    sent = {"name": "Tea", "sku": "TEA", "price": 3, "purchase_price": 1, "quantity_on_hand": 0}
    made = answer(api.post(PRODUCTS, sent), 201)
    assert_values(sent, made)
    assert made["article_number"] == "ART_PRODUCT001"  # the document's example
    assert made["low_stock_threshold"] == 5  # "default 5"
    assert isinstance(made["vat_rate_id"], int)  # "defaults to the system default VAT rate"
    assert (made["category_id"], made["supplier_id"], made["ean_code"]) == (None, None, None)


def test_get_products_with_every_parameter(api: Api, related: dict[str, int]) -> None:
    answer(
        api.post(
            PRODUCTS,
            {
                "name": "Seedling",
                "sku": "SDL",
                "price": 1,
                "purchase_price": 1,
                "quantity_on_hand": 0,
                "supplier_id": related["supplier_id"],
            },
        ),
        201,
    )
    params = {"search": "seed", "supplier_id": related["supplier_id"], "page": 1, "limit": 50}
    rows = listed(api, PRODUCTS, **params)
    assert [row["name"] for row in rows] == ["Seed", "Seedling"]
    assert_same_shape(
        [
            PRODUCT
            | {"category_id": None, "category_name": None, "category_color": None, "ean_code": None}
        ],
        rows,
    )
    assert {row["supplier_name"] for row in rows} == {"Fresh Supplies"}


def test_put_products_field_by_field(api: Api, related: dict[str, int]) -> None:
    made = answer(
        api.post(
            PRODUCTS,
            {
                "name": "Juice",
                "sku": "JUICE",
                "price": 2,
                "purchase_price": 1,
                "quantity_on_hand": 6,
            },
        ),
        201,
    )
    api.data(api.put("/api/v1/settings", {"purchaseOrdersEnabled": False}))
    changes = {
        "name": "Orange juice",
        "sku": "JUICE-OR",
        "price": Decimal("2.49"),
        "purchase_price": Decimal("1.15"),
        "quantity_on_hand": 9,
        "low_stock_threshold": 3,
        **related,
        "ean_code": "5000000000001",
    }
    for name, value in changes.items():
        changed = answer(api.put(f"{PRODUCTS}/{made['id']}", _body({name: value})))
        assert_same_shape(PRODUCT, changed, OPTIONAL)
        assert changed[name] == value and changed["id"] == made["id"]
    assert_values(changes, listed(api, PRODUCTS, search="orange")[0])
    assert answer(api.delete(f"{PRODUCTS}/{made['id']}")) == {"ok": True}


def test_categories_as_documented(api: Api) -> None:
    made = answer(api.post(CATEGORIES, {"name": "Dairy"}), 201)
    assert_same_shape(CATEGORY, made)
    assert (made["name"], made["color"]) == ("Dairy", "#6e56cf")  # the documented default
    coloured = answer(api.post(CATEGORIES, {"name": "Bakery", "color": "#ff8800"}), 201)
    assert coloured["color"] == "#ff8800"
    changes = {"name": "Milk", "color": "#00ffaa", "position": 7}
    for name, value in changes.items():
        assert answer(api.put(f"{CATEGORIES}/{made['id']}", {name: value}))[name] == value
    rows = listed(api, CATEGORIES)
    assert_same_shape([CATEGORY], rows)
    assert [row["name"] for row in rows] == ["Bakery", "Milk"]  # by position
    assert answer(api.delete(f"{CATEGORIES}/{made['id']}")) == {"ok": True}


def test_get_transactions_with_every_parameter(api: Api) -> None:
    api.location()
    made = answer(
        api.post(
            PRODUCTS,
            {"name": "Eggs", "sku": "EGG", "price": 3, "purchase_price": 2, "quantity_on_hand": 12},
        ),
        201,
    )
    [row] = listed(api, TRANSACTIONS, product_id=made["id"])
    params = {"product_id": made["id"], "from": row["date"], "to": row["date"]}
    rows = listed(api, TRANSACTIONS, **params)
    assert rows == [row]
    assert_same_shape([TRANSACTION], rows)
    assert (row["product_id"], row["delta"]) == (made["id"], 12)
