"""The Sage document's examples replayed: every example request it writes is sent (its ids
substituted), and every documented response is compared with ours: the same names, nesting
and JSON types, and equal values where the request determined them (the records are made
with the document's own codes, descriptions, prices, accounts and rates first)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.compat.sage.support import (
    P,
    body,
    move,
    price_types,
    shape_difference,
    spec_requests,
    spec_responses,
    value_difference,
    warehouse,
)
from tests.invariants import assert_ledger_consistent
from tests.support import Api, Tenant

# every request line of the document, as the tests below send it
SENT = {
    "GET /products",
    "GET /stock_items",
    "GET /services",
    "GET /stock_items/{id}",
    "GET /products/{id}",
    "GET /services/id",
    "GET /stock_movements/{id}",
    "POST /product_sales_price_types",
    "GET /product_sales_price_types",
    "PUT /product_sales_price_types/id",
    "DELETE /product_sales_price_types/id",
    "POST /service_rate_types",
    "GET /service_rate_types",
    "PUT /service_rate_types/id",
    "DELETE /service_rate_types/id",
}


def test_every_request_of_the_document_is_replayed_here() -> None:
    assert set(spec_requests()) == SENT


def _books(api: Api) -> dict[str, str]:
    """The accounts and the tax rate the document's records name, as Sage shows them."""
    ids = {}
    for code, name, kind in (
        ("4000", "Sales - Products", "income"),
        ("1000", "Stock", "asset"),
        ("5000", "Cost of sales - goods", "cost_of_sales"),
    ):
        made = api.create("/api/v1/accounts", {"code": code, "name": name, "type": kind})
        ids[code] = made["id"]
    rate = api.create(
        "/api/v1/tax-rates",
        {"code": "GB_STANDARD", "name": "Standard", "components": [{"name": "VAT", "rate": 20}]},
    )
    ids["tax"] = rate["id"]
    return ids


def _goods(books: dict[str, str], purchase: str, **fields: Any) -> dict[str, Any]:
    return {
        "notes": "",
        "sales_ledger_account_id": books["4000"],
        "sales_tax_rate_id": books["tax"],
        "purchase_ledger_account_id": books[purchase],
        "purchase_tax_rate_id": books["tax"],
        **fields,
    }


def _prices(types: dict[str, str], *prices: str) -> list[dict[str, Any]]:
    names = ("Sales Price", "Trade", "Wholesale")
    return [
        {"product_sales_price_type_id": types[name], "price": price, "price_includes_tax": False}
        for name, price in zip(names, prices, strict=True)
    ]


def _same(documented: Any, ours: Any, made: frozenset[str] = frozenset()) -> None:
    assert shape_difference(documented, ours) is None, shape_difference(documented, ours)
    found = value_difference(documented, ours, made=made)
    assert found is None, found


# the record's own displayed_as: the document shows one that is neither its code nor its
# description ("Stock Item One" for "Stock test"); ours is its description
_TOP = frozenset({"displayed_as"})


def test_the_stock_item_product_service_and_movement_of_the_document(
    api: Api, tenant: Tenant, database: Any
) -> None:
    documented = spec_responses()
    warehouse(api)
    books, types = _books(api), price_types(api)
    stock = body(
        api.post(
            f"{P}/stock_items",
            {
                "stock_item": _goods(
                    books,
                    "1000",
                    item_code="Stock test",
                    description="Stock test",
                    cost_price="2.0",
                    sales_prices=_prices(types, "11.0", "3.0", "2.0"),
                    purchase_description="",
                    reorder_level="0.0",
                    reorder_quantity="0.0",
                    location="",
                    barcode="",
                    supplier_part_number="",
                    weight=0,
                    measurement_unit="kg",
                )
            },
        ),
        201,
    )
    body(move(api, stock["id"], "9.0", cost_price="2.0", details="Opening", reference="OB"), 201)
    got = body(api.get(f"{P}/stock_items/{stock['id']}"))
    _same(documented["GET /stock_items/{id}"], got, _TOP)

    product = {
        "product": _goods(
            books,
            "5000",
            item_code="Test Product",
            description="Product used for test purposes",
            cost_price=25,
            sales_prices=_prices(types, "50.0", "40.0", "30.0"),
        )
    }
    made = body(api.post(f"{P}/products", product), 201)
    _same(documented["GET /products/{id}"], body(api.get(f"{P}/products/{made['id']}")))

    rate = price_types(api, "service_rate_types")["Rate"]
    service = {
        "service": _goods(
            books,
            "5000",
            item_code="Test Services",
            description="Test",
            purchase_description="",
            sales_rates=[{"service_rate_type_id": rate, "rate": "2.0", "rate_includes_tax": False}],
        )
    }
    made = body(api.post(f"{P}/services", service), 201)
    # the document's service shows "Sales - Products (4000)" as its sales account: so does ours
    _same(documented["GET /services/id"], body(api.get(f"{P}/services/{made['id']}")))

    sold = body(move(api, stock["id"], "-8.0", details="Test", reference="SI-12"), 201)
    got = body(api.get(f"{P}/stock_movements/{sold['id']}"))
    _same(documented["GET /stock_movements/{id}"], got)
    assert got == sold  # the movement posted is the movement read, its item as it stands
    assert (got["quantity"], got["stock_item"]["quantity_in_stock"]) == ("-8.0", "1.0")
    assert_ledger_consistent(database, tenant.company_id)


def _listed(api: Api, path: str) -> dict[str, Any]:
    listed: dict[str, Any] = body(api.get(f"{P}/{path}"))
    return listed


def test_the_list_of_the_document(api: Api) -> None:
    documented = spec_responses()["GET /services"]  # the example after the three list requests
    for description in ("Product One", "Product Two"):
        api.post(
            f"{P}/products", {"product": {"item_code": description, "description": description}}
        )
    api.post(
        f"{P}/stock_items", {"stock_item": {"item_code": "SI1", "description": "Stock Item One"}}
    )
    products = _listed(api, "products")
    _same(documented, products)
    assert [entry["$path"].split("/")[1] for entry in products["$items"]] == ["products"] * 3
    stock_items = _listed(api, "stock_items")
    assert [e["displayed_as"] for e in stock_items["$items"]] == ["Stock Item One"]
    assert stock_items["$items"][0]["$path"].startswith("/stock_items/")
    rate = price_types(api, "service_rate_types")["Rate"]
    api.post(
        f"{P}/services",
        {
            "service": {
                "item_code": "S1",
                "description": "Fitting",
                "sales_rates": [{"service_rate_type_id": rate, "rate": 40}],
            }
        },
    )
    services = _listed(api, "services")
    assert shape_difference(documented, services) is None
    assert (services["$total"], services["$items"][0]["displayed_as"]) == (1, "Fitting")


@pytest.mark.parametrize(
    ("collection", "wrapper", "default"),
    [
        ("product_sales_price_types", "product_sales_price_type", "Sales Price"),
        ("service_rate_types", "service_rate_type", "Rate"),
    ],
)
def test_the_price_type_requests_of_the_document(
    api: Api, collection: str, wrapper: str, default: str
) -> None:
    made = body(api.post(f"{P}/{collection}", {wrapper: {"name": "Export"}}), 201)
    assert (made["name"], made["active"], made["$path"]) == (
        "Export",
        True,
        f"/{collection}/{made['id']}",
    )
    assert "Export" in price_types(api, collection)
    # the document's rule: deactivated first with a PUT, then deleted
    changed = body(api.put(f"{P}/{collection}/{made['id']}", {wrapper: {"active": False}}))
    assert (changed["name"], changed["active"]) == ("Export", False)
    assert api.delete(f"{P}/{collection}/{made['id']}").status_code == 204
    assert set(price_types(api, collection)) >= {default}
    assert "Export" not in price_types(api, collection)
    assert api.get(f"{P}/{collection}/{made['id']}").status_code == 404


def test_decimals_are_written_as_sage_writes_them(api: Api) -> None:
    warehouse(api)
    made = body(
        api.post(
            f"{P}/stock_items",
            {"stock_item": {"item_code": "D1", "description": "D1", "cost_price": "2.50"}},
        ),
        201,
    )
    assert (made["cost_price"], made["quantity_in_stock"], made["weight"]) == ("2.5", "0.0", 0)
