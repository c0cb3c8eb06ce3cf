"""smallbiz suppliers: creditor numbers, ordered by name, the active filter and paging, a
supplier with its recent orders, updates, deletes, integer ids and errors as ``{error}``."""

from __future__ import annotations

from stockkeeper.core.db import Database
from tests.compat.smallbiz.purchasing_support import (
    ORDERS,
    SUPPLIERS,
    error,
    number,
    ok,
    order,
    record,
    supplier,
    warehouse,
)
from tests.support import Api


def test_suppliers_are_numbered_listed_by_name_and_paged(api: Api, database: Database) -> None:
    made = [supplier(api, name=name) for name in ("Cobalt", "acme", "Birch")]
    assert [s["creditor_number"] for s in made] == ["CRED001", "CRED002", "CRED003"]
    assert [s["id"] for s in made] == sorted(s["id"] for s in made)  # later, higher
    assert all(type(s["id"]) is int for s in made)
    assert made[0]["active"] is True and made[0]["email"] is None

    listed = ok(api.get(SUPPLIERS))
    assert [s["name"] for s in listed] == ["acme", "Birch", "Cobalt"]  # by name, any case
    assert {s["id"] for s in listed} == {s["id"] for s in made}  # the same ids each time
    assert ok(api.get(SUPPLIERS, params={"page": 2, "limit": 2})) == listed[2:]
    assert ok(api.get(SUPPLIERS, params={"page": 1, "limit": 2})) == listed[:2]
    assert ok(api.get(SUPPLIERS, params={"page": 3, "limit": 2})) == []

    birch = made[2]
    changed = ok(api.put(f"{SUPPLIERS}/{birch['id']}", {"active": False, "phone": "+60 3-1234"}))
    assert (changed["id"], changed["active"], changed["phone"]) == (
        birch["id"],
        False,
        "+60 3-1234",
    )
    assert changed["name"] == "Birch" and changed["creditor_number"] == "CRED003"
    active = ok(api.get(SUPPLIERS, params={"active": "true"}))
    assert [s["name"] for s in active] == ["acme", "Cobalt"]
    assert len(ok(api.get(SUPPLIERS, params={"active": "false"}))) == 3  # only true filters
    canonical = api.data(
        api.get(f"/api/v1/suppliers/{record(database, api, 'supplier', birch['id'])}")
    )
    assert (canonical["name"], canonical["active"]) == ("Birch", False)


def test_a_supplier_shows_its_recent_orders(api: Api, database: Database) -> None:
    warehouse(api)
    acme = supplier(api, name="Acme")
    other = supplier(api)
    mine = [order(api, acme["id"], order_date=day) for day in ("2026-03-01", "2026-03-05")]
    order(api, other["id"])
    shown = ok(api.get(f"{SUPPLIERS}/{acme['id']}"))
    assert (shown["id"], shown["name"], shown["creditor_number"]) == (
        acme["id"],
        "Acme",
        acme["creditor_number"],
    )
    assert [o["id"] for o in shown["orders"]] == [mine[1]["id"], mine[0]["id"]]  # newest first
    assert {o["supplier_name"] for o in shown["orders"]} == {"Acme"}
    many = [order(api, acme["id"]) for _ in range(20)]
    recent = ok(api.get(f"{SUPPLIERS}/{acme['id']}"))["orders"]
    assert len(recent) == 20 and mine[0]["id"] not in {o["id"] for o in recent}
    assert many[-1]["id"] in {o["id"] for o in recent}


def test_deleting_a_supplier(api: Api, database: Database) -> None:
    warehouse(api)
    gone, used = supplier(api), supplier(api)
    order(api, used["id"])
    assert ok(api.delete(f"{SUPPLIERS}/{gone['id']}")) == {"ok": True}
    assert "not found" in error(api.get(f"{SUPPLIERS}/{gone['id']}"), 404)
    error(api.delete(f"{SUPPLIERS}/{gone['id']}"), 404)
    assert "deactivate" in error(api.delete(f"{SUPPLIERS}/{used['id']}"), 409)
    assert [s["id"] for s in ok(api.get(SUPPLIERS))] == [used["id"]]


def test_supplier_errors_are_smallbiz_errors(api: Api, database: Database) -> None:
    acme = supplier(api)
    assert "name" in error(api.post(SUPPLIERS, {"email": "a@b.example"}), 422)
    assert "email" in error(api.post(SUPPLIERS, {"name": "X", "email": "not-an-address"}), 422)
    error(api.post(SUPPLIERS, {"name": "X", "vat_number": "1"}), 422)  # an unknown field
    error(api.put(f"{SUPPLIERS}/{acme['id']}", {"name": None}), 422)
    error(api.get(f"{SUPPLIERS}/999999"), 404)
    error(api.put(f"{SUPPLIERS}/999999", {"name": "Y"}), 404)
    error(api.get(f"{SUPPLIERS}/acme"), 422)
    error(api.get(SUPPLIERS, params={"page": 0}), 422)
    error(api.get(SUPPLIERS, params={"sort": "name"}), 422)
    error(api.as_key(api.tenant.viewer_key).post(SUPPLIERS, {"name": "Z"}), 403)
    error(api.as_key(api.tenant.clerk_key).delete(f"{SUPPLIERS}/{acme['id']}"), 403)
    error(api.as_key("sk_wrong").get(SUPPLIERS), 401)
    error(api.client.get(SUPPLIERS), 401)
    assert ok(api.as_key(api.tenant.viewer_key).get(SUPPLIERS))[0]["id"] == acme["id"]
    assert [s["name"] for s in ok(api.get(SUPPLIERS))] == [acme["name"]]  # nothing changed


def test_the_order_paths_are_not_taken_for_supplier_ids(api: Api, database: Database) -> None:
    warehouse(api)
    acme = supplier(api)
    made = order(api, acme["id"])
    assert [o["id"] for o in ok(api.get(ORDERS))] == [made["id"]]
    assert ok(api.get(f"{ORDERS}/{made['id']}"))["order_number"] == made["order_number"]
    zipped = api.get(f"{SUPPLIERS}/packing-slips/zip")
    assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"
    assert (
        number(database, api, "supplier", record(database, api, "supplier", acme["id"]))
        == acme["id"]
    )
