"""The chart of accounts: seeded for a new company, changed by admins, read by anyone."""

from __future__ import annotations

from sqlalchemy import select

from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.db import Database
from tests.support import Api, make_tenant, problem

STANDARD = [
    ("acc_cogs", "Cost of goods sold", "cost_of_sales"),
    ("acc_grni", "Goods received not invoiced", "liability"),
    ("acc_inventory", "Inventory", "asset"),
    ("acc_inventory_adjustments", "Inventory adjustments", "expense"),
    ("acc_inventory_transit", "Inventory in transit", "asset"),
    ("acc_ppv", "Purchase price variance", "expense"),
    ("acc_sales_revenue", "Sales", "income"),
]


def test_a_new_company_starts_with_the_standard_accounts(api: Api) -> None:
    accounts = api.data(api.get("/api/v1/accounts"))
    assert [(a["code"], a["name"], a["type"]) for a in accounts] == STANDARD
    assert all(a["active"] and a["id"].startswith("acct_") for a in accounts)


def test_create_read_update_delete(api: Api, database: Database) -> None:
    created = api.create(
        "/api/v1/accounts", {"code": "acc_freight", "name": "Freight in", "type": "expense"}
    )
    path = f"/api/v1/accounts/{created['id']}"
    assert api.data(api.get(path)) == created
    assert (created["code"], created["name"], created["active"]) == (
        "acc_freight",
        "Freight in",
        True,
    )
    updated = api.data(api.put(path, {"name": "Freight inwards", "type": "cost_of_sales"}))
    assert (updated["code"], updated["name"], updated["type"]) == (
        "acc_freight",
        "Freight inwards",
        "cost_of_sales",
    )
    assert api.data(api.delete(path)) == {"id": created["id"], "deleted": True}
    problem(api.get(path), 404, "account_not_found")
    with database.unit_of_work() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_id == created["id"])
        ).all()
    assert sorted(actions) == ["account.created", "account.deleted", "account.updated"]


def test_a_code_is_unique_in_the_company_and_kept(api: Api) -> None:
    body = problem(
        api.post("/api/v1/accounts", {"code": "acc_cogs", "name": "Again", "type": "expense"}),
        409,
        "duplicate_code",
    )
    assert body["errors"][0]["field"] == "code"
    (cogs,) = [a for a in api.data(api.get("/api/v1/accounts")) if a["code"] == "acc_cogs"]
    problem(api.put(f"/api/v1/accounts/{cogs['id']}", {"code": "acc_other"}), 422)


def test_bad_input_is_422_naming_the_field(api: Api) -> None:
    for body, field in (
        ({"code": "acc_x", "name": "X", "type": "revenue"}, "type"),
        ({"code": "", "name": "X", "type": "asset"}, "code"),
        ({"code": "acc_x", "type": "asset"}, "name"),
    ):
        error = problem(api.post("/api/v1/accounts", body), 422, "validation_failed")
        assert [e["field"] for e in error["errors"]] == [field]
    (first, *_) = api.data(api.get("/api/v1/accounts"))
    error = problem(api.put(f"/api/v1/accounts/{first['id']}", {"name": None}), 422)
    assert error["errors"][0]["field"] == "name"


def test_viewers_read_and_only_admins_change(api: Api) -> None:
    viewer = api.as_key(api.tenant.viewer_key)
    clerk = api.as_key(api.tenant.clerk_key)
    assert len(api.data(viewer.get("/api/v1/accounts"))) == len(STANDARD)
    body = {"code": "acc_new", "name": "New", "type": "asset"}
    problem(clerk.post("/api/v1/accounts", body), 403)
    (first, *_) = api.data(api.get("/api/v1/accounts"))
    problem(viewer.delete(f"/api/v1/accounts/{first['id']}"), 403)


def test_another_companys_account_is_not_found(api: Api, database: Database) -> None:
    other = make_tenant(database)
    (first, *_) = api.data(Api(api.client, other, other.admin_key).get("/api/v1/accounts"))
    problem(api.get(f"/api/v1/accounts/{first['id']}"), 404, "account_not_found")
    problem(api.delete(f"/api/v1/accounts/{first['id']}"), 404, "account_not_found")
