"""The company settings name the default accounts and tax rates: seeded with the standard
ones, changed by id or code, checked against the catalogues, and kept from being deleted."""

from __future__ import annotations

from typing import Any

from tests.support import Api, problem

STANDARD_ACCOUNTS = {
    "inventoryAccountId": "acc_inventory",
    "cogsAccountId": "acc_cogs",
    "salesAccountId": "acc_sales_revenue",
    "grniAccountId": "acc_grni",
    "adjustmentsAccountId": "acc_inventory_adjustments",
    "priceVarianceAccountId": "acc_ppv",
    "transitAccountId": "acc_inventory_transit",
}


def _by_code(api: Api, path: str) -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in api.data(api.get(path))}


def test_a_new_company_names_the_standard_accounts_and_sst(api: Api) -> None:
    settings = api.data(api.get("/api/v1/settings"))
    accounts = _by_code(api, "/api/v1/accounts")
    defaults = settings["defaultAccounts"]
    for field, code in STANDARD_ACCOUNTS.items():
        assert defaults[field] == code
        named = defaults[field.removesuffix("Id")]
        assert named == {"id": accounts[code]["id"], "code": code, "name": accounts[code]["name"]}
    rates = settings["defaultTaxRates"]
    assert (rates["salesTaxCode"], rates["purchaseTaxCode"]) == ("SST", "SST")
    assert rates["salesTaxRate"]["effectiveRate"] == 10
    assert rates["purchaseTaxRate"]["name"] == "Sales and service tax"


def test_defaults_change_by_id_or_code_and_what_is_not_sent_is_kept(api: Api) -> None:
    ppv = _by_code(api, "/api/v1/accounts")["acc_ppv"]
    zero = _by_code(api, "/api/v1/tax-rates")["ZERO"]
    body = {
        "defaultAccounts": {"inventoryAccountId": ppv["id"], "salesAccountId": "acc_cogs"},
        "defaultTaxRates": {"purchaseTaxCode": zero["id"]},
    }
    updated = api.data(api.put("/api/v1/settings", body))
    defaults = updated["defaultAccounts"]
    assert defaults["inventoryAccountId"] == ppv["id"]
    assert defaults["inventoryAccount"]["code"] == "acc_ppv"
    assert defaults["salesAccount"]["name"] == "Cost of goods sold"
    assert defaults["grniAccountId"] == "acc_grni"  # not sent: kept
    assert updated["defaultTaxRates"]["purchaseTaxRate"]["code"] == "ZERO"
    assert updated["defaultTaxRates"]["salesTaxCode"] == "SST"
    assert api.data(api.get("/api/v1/settings")) == updated


def test_unknown_inactive_or_null_defaults_are_refused_and_change_nothing(api: Api) -> None:
    retired = api.create("/api/v1/accounts", {"code": "acc_old", "name": "Old", "type": "asset"})
    api.data(api.put(f"/api/v1/accounts/{retired['id']}", {"active": False}))
    before = api.data(api.get("/api/v1/settings"))
    for body, code, field in (
        ({"defaultAccounts": {"cogsAccountId": "acc_nope"}}, "unknown_account", "cogsAccountId"),
        ({"defaultAccounts": {"transitAccountId": "acc_old"}}, "unknown_account", "transit"),
        ({"defaultTaxRates": {"salesTaxCode": "VAT"}}, "unknown_tax_rate", "salesTaxCode"),
        ({"defaultTaxRates": {"salesTaxCode": None}}, "validation_failed", "salesTaxCode"),
    ):
        error = problem(api.put("/api/v1/settings", body), 422, code)
        assert field in str(error["errors"]), error
    assert api.data(api.get("/api/v1/settings")) == before


def test_only_admins_change_the_defaults(api: Api) -> None:
    viewer = api.as_key(api.tenant.viewer_key)
    body = {"defaultTaxRates": {"salesTaxCode": "ZERO"}}
    problem(viewer.put("/api/v1/settings", body), 403)
    assert api.data(viewer.get("/api/v1/settings"))["defaultTaxRates"]["salesTaxCode"] == "SST"


def test_what_the_defaults_name_cannot_be_deleted(api: Api) -> None:
    grni = _by_code(api, "/api/v1/accounts")["acc_grni"]
    error = problem(api.delete(f"/api/v1/accounts/{grni['id']}"), 409, "account_in_use")
    assert "defaultAccounts.grniAccountId" in error["detail"]
    sst = _by_code(api, "/api/v1/tax-rates")["SST"]
    error = problem(api.delete(f"/api/v1/tax-rates/{sst['id']}"), 409, "tax_rate_in_use")
    assert "defaultTaxRates.salesTaxCode" in error["detail"]
    api.data(api.put("/api/v1/settings", {"defaultAccounts": {"grniAccountId": "acc_ppv"}}))
    assert api.data(api.delete(f"/api/v1/accounts/{grni['id']}"))["deleted"] is True


def test_an_item_naming_no_rate_shows_the_default_it_uses(api: Api) -> None:
    plain = api.item(itemCode="PLAIN")
    named = api.item(itemCode="NAMED", tax={"salesTaxCode": "EXEMPT"})
    assert plain["tax"]["salesTaxCode"] is None  # as the item names it
    assert plain["tax"]["salesTaxRate"]["code"] == "SST"
    assert plain["tax"]["salesTaxRate"]["isDefault"] is True
    assert named["tax"]["salesTaxRate"]["code"] == "EXEMPT"
    assert named["tax"]["salesTaxRate"]["isDefault"] is False
    assert named["tax"]["purchaseTaxRate"]["isDefault"] is True
    api.data(api.put("/api/v1/settings", {"defaultTaxRates": {"salesTaxCode": "ZERO"}}))
    listed = {i["itemCode"]: i["tax"] for i in api.data(api.get("/api/v1/items"))}
    assert listed["PLAIN"]["salesTaxRate"]["code"] == "ZERO"
    assert listed["PLAIN"]["salesTaxRate"]["isDefault"] is True
    assert listed["NAMED"]["salesTaxRate"]["code"] == "EXEMPT"
    shown = api.data(api.get(f"/api/v1/items/{plain['id']}"))["tax"]
    assert shown["salesTaxRate"]["effectiveRate"] == 0
    assert shown["purchaseTaxRate"]["code"] == "SST"


def test_a_rate_taxes_only_what_it_applies_to(api: Api) -> None:
    for code, applies_to in (("BUY", "purchases"), ("SELL", "sales")):
        api.create("/api/v1/tax-rates", {"code": code, "name": code, "appliesTo": applies_to})
    item = api.item(itemCode="KINDS")
    path = f"/api/v1/items/{item['id']}"
    for body, field in (
        ({"tax": {"salesTaxCode": "BUY"}}, "tax.salesTaxCode"),
        ({"tax": {"purchaseTaxCode": "SELL"}}, "tax.purchaseTaxCode"),
    ):
        error = problem(api.put(path, body), 422, "wrong_kind")
        assert [e["field"] for e in error["errors"]] == [field]
        error = problem(api.post("/api/v1/items", {**_new_item(), **body}), 422, "wrong_kind")
        assert field in error["detail"]
    for body, field in (
        ({"defaultTaxRates": {"salesTaxCode": "BUY"}}, "defaultTaxRates.salesTaxCode"),
        ({"defaultTaxRates": {"purchaseTaxCode": "SELL"}}, "defaultTaxRates.purchaseTaxCode"),
    ):
        error = problem(api.put("/api/v1/settings", body), 422, "wrong_kind")
        assert [e["field"] for e in error["errors"]] == [field]
    fitting = {"salesTaxCode": "SELL", "purchaseTaxCode": "BUY"}
    updated = api.data(api.put(path, {"tax": fitting}))
    assert updated["tax"]["salesTaxRate"]["code"] == "SELL"
    settings = api.data(api.put("/api/v1/settings", {"defaultTaxRates": fitting}))
    assert settings["defaultTaxRates"]["purchaseTaxRate"]["code"] == "BUY"


def _new_item() -> dict[str, Any]:
    return {"itemCode": "NEW-KIND", "name": "New", "type": "inventory"}
