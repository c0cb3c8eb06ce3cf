"""Categories and locations may name their own inventory account, and adjustment reasons
their own account, instead of the company's defaults: checked and shown as items' are."""

from __future__ import annotations

from typing import Any

from tests.support import Api, problem

REASONS = "/api/v1/inventory/adjustment-reasons"


def _account(api: Api, code: str) -> dict[str, Any]:
    (row,) = [a for a in api.data(api.get("/api/v1/accounts")) if a["code"] == code]
    return {"id": row["id"], "code": code, "name": row["name"]}


def test_a_category_names_its_inventory_account_by_code_or_id(api: Api) -> None:
    plain = api.category()
    assert (plain["inventoryAccountId"], plain["inventoryAccount"]) == (None, None)
    transit = _account(api, "acc_inventory_transit")
    made = api.category(inventoryAccountId="acc_inventory_transit")
    assert made["inventoryAccount"] == transit
    path = f"/api/v1/categories/{made['id']}"
    changed = api.data(api.put(path, {"inventoryAccountId": _account(api, "acc_ppv")["id"]}))
    assert changed["inventoryAccount"]["code"] == "acc_ppv"
    listed = {c["id"]: c for c in api.data(api.get("/api/v1/categories"))}
    assert listed[made["id"]]["inventoryAccount"]["code"] == "acc_ppv"
    removed = api.data(api.put(path, {"inventoryAccountId": None}))
    assert (removed["inventoryAccountId"], removed["inventoryAccount"]) == (None, None)


def test_a_location_names_its_inventory_account(api: Api) -> None:
    made = api.location(inventoryAccountId="acc_inventory_transit")
    assert made["inventoryAccount"] == _account(api, "acc_inventory_transit")
    path = f"/api/v1/locations/{made['id']}"
    changed = api.data(api.put(path, {"inventoryAccountId": "acc_inventory"}))
    assert changed["inventoryAccount"]["name"] == "Inventory"
    assert api.data(api.get(path))["inventoryAccountId"] == "acc_inventory"
    listed = {loc["id"]: loc for loc in api.data(api.get("/api/v1/locations"))}
    assert listed[made["id"]]["inventoryAccount"]["code"] == "acc_inventory"


def test_a_reason_names_its_counter_account(api: Api) -> None:
    body = {"code": "shrinkage", "name": "Shrinkage", "accountId": "acc_inventory_adjustments"}
    made = api.create(REASONS, body)
    assert made["account"] == _account(api, "acc_inventory_adjustments")
    changed = api.data(api.put(f"{REASONS}/damaged", {"accountId": "acc_ppv"}))
    assert (changed["accountId"], changed["account"]["code"]) == ("acc_ppv", "acc_ppv")
    listed = {r["code"]: r for r in api.data(api.get(REASONS))}
    assert listed["damaged"]["account"]["name"] == "Purchase price variance"
    assert listed["shrinkage"]["accountId"] == "acc_inventory_adjustments"
    assert listed["lost"]["account"] is None


def test_unknown_or_inactive_accounts_are_refused(api: Api) -> None:
    retired = api.create("/api/v1/accounts", {"code": "acc_old", "name": "Old", "type": "asset"})
    api.data(api.put(f"/api/v1/accounts/{retired['id']}", {"active": False}))
    category, location = api.category(), api.location()
    for method, path, body, field in (
        ("post", "/api/v1/categories", {"name": "C", "inventoryAccountId": "x"}, "inventory"),
        ("put", f"/api/v1/categories/{category['id']}", {"inventoryAccountId": "acc_old"}, "inv"),
        ("post", "/api/v1/locations", {"name": "L", "inventoryAccountId": "acc_old"}, "inv"),
        ("put", f"/api/v1/locations/{location['id']}", {"inventoryAccountId": "nope"}, "inv"),
        ("post", REASONS, {"code": "r1", "name": "R", "accountId": "nope"}, "accountId"),
        ("put", f"{REASONS}/lost", {"accountId": "acc_old"}, "accountId"),
    ):
        error = problem(getattr(api, method)(path, body), 422, "unknown_account")
        assert field in error["errors"][0]["field"], error
    assert {r["code"]: r for r in api.data(api.get(REASONS))}["lost"]["account"] is None
    assert api.data(api.get(f"/api/v1/categories/{category['id']}"))["inventoryAccount"] is None


def test_an_account_they_name_cannot_be_deleted(api: Api) -> None:
    for code in ("acc_a", "acc_b", "acc_c"):
        api.create("/api/v1/accounts", {"code": code, "name": code, "type": "asset"})
    api.category(name="Fasteners", inventoryAccountId="acc_a")
    api.location(name="Annex", inventoryAccountId="acc_b")
    api.create(REASONS, {"code": "theft", "name": "Theft", "accountId": "acc_c"})
    for code, user in (("acc_a", "category Fasteners"), ("acc_b", "location Annex")):
        account = _account(api, code)
        error = problem(api.delete(f"/api/v1/accounts/{account['id']}"), 409, "account_in_use")
        assert user in error["detail"]
    account = _account(api, "acc_c")
    error = problem(api.delete(f"/api/v1/accounts/{account['id']}"), 409, "account_in_use")
    assert "adjustment reason theft" in error["detail"]
    api.data(api.put(f"{REASONS}/theft", {"accountId": None}))
    assert api.data(api.delete(f"/api/v1/accounts/{account['id']}"))["deleted"] is True
