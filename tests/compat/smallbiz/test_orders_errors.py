"""smallbiz purchase orders refused: each error is ``{"error": ...}`` with the status of its
kind (404, 422, 409 for a move the status does not allow, 401, 403), and changes nothing."""

from __future__ import annotations

from typing import Any

from stockkeeper.core.db import Database
from tests.compat.smallbiz.purchasing_support import (
    ORDERS,
    SUPPLIERS,
    error,
    move,
    ok,
    on_hand,
    order,
    product,
    supplier,
    warehouse,
)
from tests.invariants import assert_ledger_consistent
from tests.support import Api


def items_of(order_id: int) -> str:
    return f"{ORDERS}/{order_id}/items"


def test_unknown_and_malformed_orders_are_refused(api: Api, database: Database) -> None:
    warehouse(api)
    acme = supplier(api)
    _, product_id = product(database, api)
    assert "supplier" in error(api.post(ORDERS, {"supplier_id": 999999}), 422)
    assert "supplier_id" in error(api.post(ORDERS, {}), 422)
    error(api.post(ORDERS, {"supplier_id": "acme"}), 422)
    error(api.post(ORDERS, {"supplier_id": str(acme["id"])}), 422)  # ids are JSON integers
    error(api.post(ORDERS, {"supplier_id": acme["id"] + 0.5}), 422)
    error(api.post(ORDERS, {"supplier_id": acme["id"], "order_date": "25.03.2026"}), 422)
    error(api.post(ORDERS, {"supplier_id": acme["id"], "items": []}), 422)  # not documented
    error(api.post(ORDERS, {"supplier_id": acme["id"], "staff_id": 999999}), 422)
    error(api.post(ORDERS, "not an object"), 422)
    error(api.get(f"{ORDERS}/999999"), 404)
    error(api.get(f"{ORDERS}/first"), 422)
    for huge in (2**31, 2**64, -1, 0):  # no id is out of an integer column's range
        error(api.get(f"{ORDERS}/{huge}"), 422)
        error(api.get(f"{SUPPLIERS}/{huge}"), 422)
        error(api.put(items_of(huge), {"items": []}), 422)
    error(api.post(ORDERS, {"supplier_id": 2**64}), 422)
    error(api.get(ORDERS, params={"status": "partially_received"}), 422)
    error(api.put(f"{ORDERS}/999999", {"notes": "x"}), 404)
    error(api.delete(f"{ORDERS}/999999"), 404)
    error(api.put(f"{ORDERS}/999999/items", {"items": []}), 404)

    made = order(api, acme["id"])
    items = f"{ORDERS}/{made['id']}/items"
    error(api.put(items, {"items": [{"product_id": 999999, "quantity": 1, "unit_cost": 1}]}), 422)
    for bad in ({"quantity": 0}, {"quantity": -1}, {"quantity": "lots"}, {"unit_cost": -1}):
        line = {"product_id": product_id, "quantity": 1, "unit_cost": 1, **bad}
        error(api.put(items, {"items": [line]}), 422)
    error(api.put(items, {"lines": []}), 422)
    error(api.put(f"{ORDERS}/{made['id']}", {"status": "lost"}), 422)
    error(api.put(f"{ORDERS}/{made['id']}", {"total": 5}), 422)
    assert ok(api.get(f"{ORDERS}/{made['id']}")) == made  # nothing changed


def test_inactive_suppliers_take_no_new_orders(api: Api, database: Database) -> None:
    warehouse(api)
    acme = supplier(api, name="Acme")
    ok(api.put(f"{SUPPLIERS}/{acme['id']}", {"active": False}))
    assert "inactive" in error(api.post(ORDERS, {"supplier_id": acme["id"]}), 422)
    assert ok(api.get(ORDERS)) == []


def test_moves_the_status_does_not_allow_are_conflicts(api: Api, database: Database) -> None:
    warehouse(api)
    acme = supplier(api)
    item, product_id = product(database, api)
    made = order(api, acme["id"], (product_id, 3, 1))
    ok(move(api, made["id"], "created"))  # what it shows: nothing to do
    ok(move(api, made["id"], "ordered"))
    error(move(api, made["id"], "created"), 409)  # never back
    ok(move(api, made["id"], "received"))
    assert on_hand(api, item) == 3
    for status in ("ordered", "cancelled", "created"):
        error(move(api, made["id"], status), 409)
    line = {"product_id": product_id, "quantity": 1, "unit_cost": 1}
    assert "lines" in error(api.put(f"{ORDERS}/{made['id']}/items", {"items": [line]}), 409)

    empty = order(api, acme["id"])
    assert "nothing" in error(move(api, empty["id"], "received"), 409)
    assert ok(api.get(f"{ORDERS}/{empty['id']}"))["status"] == "created"  # not even ordered
    ok(move(api, empty["id"], "ordered"))
    assert "nothing" in error(move(api, empty["id"], "received"), 409)
    cancelled = order(api, acme["id"], (product_id, 1, 1))
    ok(move(api, cancelled["id"], "cancelled"))
    error(move(api, cancelled["id"], "ordered"), 409)
    error(api.put(f"{ORDERS}/{cancelled['id']}/items", {"items": [line]}), 409)
    assert on_hand(api, item) == 3
    assert_ledger_consistent(database, api.tenant.company_id)


def test_deleting_a_received_order_whose_stock_is_gone_is_refused(
    api: Api, database: Database
) -> None:
    location = warehouse(api)
    acme = supplier(api)
    item, product_id = product(database, api)
    made = order(api, acme["id"], (product_id, 2, 1))
    ok(move(api, made["id"], "ordered"))
    ok(move(api, made["id"], "received"))
    api.adjust(location, (item, -2))
    assert "stock" in error(api.delete(f"{ORDERS}/{made['id']}"), 409)
    assert ok(api.get(f"{ORDERS}/{made['id']}"))["status"] == "received"
    assert on_hand(api, item) == 0
    assert_ledger_consistent(database, api.tenant.company_id)


def test_roles_and_keys(api: Api, database: Database) -> None:
    warehouse(api)
    acme = supplier(api)
    made = order(api, acme["id"])
    viewer, clerk = api.as_key(api.tenant.viewer_key), api.as_key(api.tenant.clerk_key)
    assert ok(viewer.get(f"{ORDERS}/{made['id']}"))["id"] == made["id"]
    assert [o["id"] for o in ok(viewer.get(ORDERS))] == [made["id"]]
    writes: list[tuple[str, str, Any]] = [
        ("POST", ORDERS, {"supplier_id": acme["id"]}),
        ("PUT", f"{ORDERS}/{made['id']}", {"status": "ordered"}),
        ("PUT", f"{ORDERS}/{made['id']}/items", {"items": []}),
        ("DELETE", f"{ORDERS}/{made['id']}", None),
    ]
    for method, path, body in writes:
        error(clerk.request(method, path, json=body), 403)  # "Auth: Admin"
        error(api.as_key("sk_nope").request(method, path, json=body), 401)
    error(api.client.get(ORDERS), 401)
    assert "X-Company-Id" in error(
        api.client.get(ORDERS, headers={"Authorization": f"Bearer {api.tenant.admin_key}"}), 403
    )
    assert ok(api.get(f"{ORDERS}/{made['id']}")) == made
