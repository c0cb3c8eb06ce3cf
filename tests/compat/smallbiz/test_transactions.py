"""smallbiz stock transactions over HTTP: the ledger's signed rows at warehouses and stores,
newest first, with ``delta`` and a ``reason`` for each way stock moves (internal
consumption included), filtered by product and dates, paged; their deltas add up to the
products' quantity on hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from stockkeeper.core.db import Database
from tests.compat.smallbiz.catalog_support import (
    PRODUCTS,
    TRANSACTIONS,
    assert_same_shape,
    canonical_item,
    listed,
    product,
)
from tests.invariants import assert_ledger_consistent
from tests.support import Api

ORDERS = "/api/v1/purchase-orders"


def _today() -> date:
    """The companies of the tests keep their books in UTC."""
    return datetime.now(UTC).date()


def _reasons(rows: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    return [(row["reason"], row["delta"]) for row in rows]


def _receive(api: Api, supplier: str, warehouse: str, item: str, quantity: int) -> str:
    lines = [{"itemId": item, "quantity": quantity, "unitCost": 2}]
    order = api.create(ORDERS, {"supplierId": supplier, "locationId": warehouse, "items": lines})
    for status in ("ordered", "received"):
        api.data(api.put(f"{ORDERS}/{order['id']}", {"status": status}))
    return str(order["id"])


def test_every_way_stock_moves_has_its_reason(api: Api, database: Database) -> None:
    warehouse = api.location()["id"]
    store = api.location(type="store")["id"]
    made = product(api, name="Coffee beans", sku="BEANS", quantity_on_hand=20)
    item = canonical_item(api, "BEANS")["id"]
    supplier = api.supplier()["id"]
    order = _receive(api, supplier, warehouse, item, 5)
    api.adjust(warehouse, (item, -2), reason="internal_consumption")
    api.adjust(warehouse, (item, -1), reason="damaged")
    sale = {"locationId": warehouse, "items": [{"itemId": item, "quantity": 3}]}
    api.create("/api/v1/inventory/issues", sale)
    transfer = {"fromLocationId": warehouse, "toLocationId": store}
    api.create(
        "/api/v1/inventory/transfers", transfer | {"items": [{"itemId": item, "quantity": 4}]}
    )
    api.data(api.delete(f"{ORDERS}/{order}"))

    rows = listed(api, TRANSACTIONS, product_id=made["id"])
    assert sorted(_reasons(rows)) == sorted(
        [
            ("opening_stock", 20),
            ("incoming_delivery", 5),
            ("internal_consumption", -2),
            ("manual_adjustment", -1),
            ("sale", -3),
            ("transfer", -4),  # a transfer between two premises: its two sides
            ("transfer", 4),
            ("incoming_delivery_reversed", -5),
        ]
    )
    assert rows[-1]["reason"] == "opening_stock"  # newest first
    assert len({row["id"] for row in rows}) == len(rows)
    assert all(isinstance(row["id"], int) for row in rows)
    assert {(row["product_id"], row["product_name"], row["sku"]) for row in rows} == {
        (made["id"], "Coffee beans", "BEANS")
    }
    [quantity] = [p["quantity_on_hand"] for p in listed(api, PRODUCTS) if p["id"] == made["id"]]
    assert sum(row["delta"] for row in rows) == quantity == 14
    documented = {"id": 1, "product_id": 1, "delta": -1, "reason": "sale", "date": "2026-01-01"}
    for row in rows:
        assert_same_shape(documented, row)
        assert date.fromisoformat(row["date"]) == _today()
    assert [row["id"] for row in listed(api, TRANSACTIONS)] == [row["id"] for row in rows]
    assert_ledger_consistent(database, api.tenant.company_id)


def test_filters_and_pages(api: Api) -> None:
    api.location()
    tea = product(api, quantity_on_hand=2)
    milk = product(api, quantity_on_hand=3)
    answer = listed(api, TRANSACTIONS)
    assert [row["product_id"] for row in answer] == [milk["id"], tea["id"]]
    assert [row["delta"] for row in listed(api, TRANSACTIONS, product_id=tea["id"])] == [2]
    today = _today()
    assert len(listed(api, TRANSACTIONS, **{"from": today.isoformat()})) == 2
    assert len(listed(api, TRANSACTIONS, to=today.isoformat())) == 2
    assert listed(api, TRANSACTIONS, **{"from": (today + timedelta(days=1)).isoformat()}) == []
    assert listed(api, TRANSACTIONS, to=(today - timedelta(days=1)).isoformat()) == []
    assert listed(api, TRANSACTIONS, page=1, limit=1) == answer[:1]
    assert listed(api, TRANSACTIONS, page=2, limit=1) == answer[1:]
    assert listed(api, TRANSACTIONS, page=3, limit=1) == []
    assert [row["delta"] for row in answer] == [Decimal(3), Decimal(2)]
