"""Items name accounts and tax rates by id or by code; both are checked against the
company's catalogues and returned with the names and the effective rate."""

from __future__ import annotations

from typing import Any

from tests.api.test_items import _documented_body
from tests.support import Api, problem


def _by_code(api: Api, path: str) -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in api.data(api.get(path))}


def test_the_bigledger_example_is_created_unchanged_and_named(api: Api) -> None:
    body = _documented_body(api)
    item = api.create("/api/v1/items", body)
    accounts = _by_code(api, "/api/v1/accounts")
    accounting = item["accounting"]
    assert accounting["incomeAccountId"] == "acc_sales_revenue"
    assert accounting["incomeAccount"] == {
        "id": accounts["acc_sales_revenue"]["id"],
        "code": "acc_sales_revenue",
        "name": "Sales",
    }
    assert accounting["expenseAccount"]["name"] == "Cost of goods sold"
    assert accounting["assetAccount"]["name"] == "Inventory"
    sst = _by_code(api, "/api/v1/tax-rates")["SST"]
    expected = {
        "id": sst["id"],
        "code": "SST",
        "name": "Sales and service tax",
        "effectiveRate": 10,
        "isDefault": False,
    }
    assert item["tax"]["salesTaxRate"] == item["tax"]["purchaseTaxRate"] == expected
    (listed,) = api.data(api.get("/api/v1/items"))
    assert (listed["accounting"], listed["tax"]) == (item["accounting"], item["tax"])


def test_references_by_id_are_kept_and_named(api: Api) -> None:
    accounts = _by_code(api, "/api/v1/accounts")
    zero = _by_code(api, "/api/v1/tax-rates")["ZERO"]
    item = api.item(
        accounting={"incomeAccountId": accounts["acc_sales_revenue"]["id"]},
        tax={"salesTaxCode": zero["id"], "purchaseTaxCode": "EXEMPT"},
    )
    assert item["accounting"]["incomeAccountId"] == accounts["acc_sales_revenue"]["id"]
    assert item["accounting"]["incomeAccount"]["code"] == "acc_sales_revenue"
    assert item["accounting"]["expenseAccount"] is None
    assert item["tax"]["salesTaxRate"]["code"] == "ZERO"
    assert item["tax"]["purchaseTaxRate"]["name"] == "Exempt"
    path = f"/api/v1/items/{item['id']}"
    changes = {"accounting": {"expenseAccountId": accounts["acc_ppv"]["id"]}}
    updated = api.data(api.put(path, changes))
    assert updated["accounting"]["expenseAccount"]["name"] == "Purchase price variance"
    assert updated["accounting"]["incomeAccount"]["code"] == "acc_sales_revenue"  # kept


def test_a_renamed_account_shows_its_new_name_on_the_item(api: Api) -> None:
    item = api.item(accounting={"assetAccountId": "acc_inventory"})
    account = _by_code(api, "/api/v1/accounts")["acc_inventory"]
    api.data(api.put(f"/api/v1/accounts/{account['id']}", {"name": "Stock on hand"}))
    fetched = api.data(api.get(f"/api/v1/items/{item['id']}"))
    assert fetched["accounting"]["assetAccount"]["name"] == "Stock on hand"


def test_unknown_or_inactive_references_are_422_naming_the_field(api: Api) -> None:
    body = {"itemCode": "REF-1", "name": "Ref", "type": "inventory"}
    error = problem(
        api.post("/api/v1/items", {**body, "accounting": {"expenseAccountId": "acc_nowhere"}}),
        422,
        "unknown_account",
    )
    assert [e["field"] for e in error["errors"]] == ["accounting.expenseAccountId"]
    error = problem(
        api.post("/api/v1/items", {**body, "tax": {"purchaseTaxCode": "VAT20"}}),
        422,
        "unknown_tax_rate",
    )
    assert [e["field"] for e in error["errors"]] == ["tax.purchaseTaxCode"]
    assert "purchaseTaxCode" in error["detail"]
    ppv = _by_code(api, "/api/v1/accounts")["acc_ppv"]
    api.data(api.put(f"/api/v1/accounts/{ppv['id']}", {"active": False}))
    item = api.item()
    change = {"accounting": {"incomeAccountId": "acc_ppv"}}
    problem(api.put(f"/api/v1/items/{item['id']}", change), 422, "unknown_account")
    assert api.data(api.get(f"/api/v1/items/{item['id']}"))["accounting"]["incomeAccountId"] is None


def test_what_an_item_names_cannot_be_deleted_but_can_be_deactivated(api: Api) -> None:
    api.item(
        itemCode="USES-COGS",
        accounting={"expenseAccountId": "acc_cogs"},
        tax={"salesTaxCode": "SST"},
    )
    cogs = _by_code(api, "/api/v1/accounts")["acc_cogs"]
    error = problem(api.delete(f"/api/v1/accounts/{cogs['id']}"), 409, "account_in_use")
    assert "USES-COGS" in error["detail"]
    sst = _by_code(api, "/api/v1/tax-rates")["SST"]
    error = problem(api.delete(f"/api/v1/tax-rates/{sst['id']}"), 409, "tax_rate_in_use")
    assert "USES-COGS" in error["detail"]
    assert api.data(api.put(f"/api/v1/accounts/{cogs['id']}", {"active": False}))["active"] is False
    unused = api.create("/api/v1/accounts", {"code": "acc_unused", "name": "U", "type": "asset"})
    assert api.data(api.delete(f"/api/v1/accounts/{unused['id']}"))["deleted"] is True
