"""Tax rates and accounts through the Codat dialect: in Codat's models, the same rows as the
canonical API's, paged with Codat's links and filtered by status and modified date."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.compat.codat.support import Codat, body, refused
from tests.support import Api, Tenant

TAX_RATE_KEYS = {
    "id", "name", "code", "effectiveTaxRate", "totalTaxRate", "components", "status",
    "validDatatypeLinks", "sourceModifiedDate", "modifiedDate",
}  # fmt: skip
ACCOUNT_KEYS = {
    "id", "nominalCode", "name", "description", "fullyQualifiedCategory", "fullyQualifiedName",
    "currency", "currentBalance", "type", "status", "isBankAccount", "validDatatypeLinks",
    "sourceModifiedDate", "modifiedDate",
}  # fmt: skip


def _canonical(api: Api, path: str) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in api.data(api.get(path))}


def test_tax_rates_are_the_companys_in_codats_model(
    api: Api, client: TestClient, tenant: Tenant
) -> None:
    made = api.create(
        "/api/v1/tax-rates",
        {
            "code": "GSTPST",
            "name": "GST and PST",
            "components": [{"name": "GST", "rate": 5}, {"name": "PST", "rate": "7.5"}],
        },
    )
    codat = Codat(client, tenant)
    listed = codat.read("taxRates")
    canonical = _canonical(api, "/api/v1/tax-rates")
    assert {r["id"] for r in listed["results"]} == set(canonical)
    assert listed["totalResults"] == len(canonical)
    for record in listed["results"]:
        assert set(record) == TAX_RATE_KEYS
        assert record["code"] == canonical[record["id"]]["code"]
        assert record["effectiveTaxRate"] == canonical[record["id"]]["effectiveRate"]
    one = body(codat.get(f"{codat.data()}/taxRates/{made['id']}"))
    assert (one["name"], one["effectiveTaxRate"], one["totalTaxRate"]) == (
        "GST and PST",
        12.5,
        12.5,
    )
    assert one["components"] == [
        {"name": "GST", "rate": 5, "isCompound": False},
        {"name": "PST", "rate": 7.5, "isCompound": False},
    ]
    assert one["status"] == "Active"
    refused(codat.get(f"{codat.data()}/taxRates/tax_missing"), 404)


def test_an_archived_tax_rate_is_found_by_status(
    api: Api, client: TestClient, tenant: Tenant
) -> None:
    made = api.create("/api/v1/tax-rates", {"code": "OLD", "name": "Old rate"})
    api.data(api.put(f"/api/v1/tax-rates/{made['id']}", {"active": False}))
    codat = Codat(client, tenant)
    archived = codat.read("taxRates", query="status=Archived")
    assert [(r["id"], r["status"]) for r in archived["results"]] == [(made["id"], "Archived")]
    active = codat.read("taxRates", query="status!=Archived")
    assert made["id"] not in {r["id"] for r in active["results"]} and active["results"]
    since = codat.read(
        "taxRates", query=f"sourceModifiedDate>={archived['results'][0]['sourceModifiedDate']}"
    )
    assert made["id"] in {r["id"] for r in since["results"]}
    refused(codat.get(f"{codat.data()}/taxRates", params={"query": "itemStatus=Active"}), 400)


def test_accounts_are_the_chart_in_codats_model(
    api: Api, client: TestClient, tenant: Tenant
) -> None:
    codat = Codat(client, tenant)
    canonical = _canonical(api, "/api/v1/accounts")
    listed = codat.read("accounts", pageSize=5000)
    assert {r["id"] for r in listed["results"]} == set(canonical)
    types = {"asset": "Asset", "income": "Income", "cost_of_sales": "Expense"}
    for record in listed["results"]:
        assert set(record) == ACCOUNT_KEYS
        ours = canonical[record["id"]]
        assert (record["nominalCode"], record["name"]) == (ours["code"], ours["name"])
        assert record["currency"] == "MYR" and record["currentBalance"] is None
        assert record["type"] == types.get(ours["type"], record["type"])
        assert record["fullyQualifiedName"].endswith("." + ours["name"])
    cogs = next(r for r in listed["results"] if canonical[r["id"]]["type"] == "cost_of_sales")
    assert cogs["fullyQualifiedCategory"] == "Expense.CostOfSales"
    one = body(codat.get(f"{codat.data()}/accounts/{cogs['id']}"))
    assert one == cogs
    refused(codat.get(f"{codat.data()}/accounts/acct_missing"), 404)


def test_accounts_are_paged(api: Api, client: TestClient, tenant: Tenant) -> None:
    codat = Codat(client, tenant)
    total = len(_canonical(api, "/api/v1/accounts"))
    seen: list[str] = []
    page = 1
    while True:
        listed = codat.read("accounts", pageSize=3, page=page)
        assert listed["totalResults"] == total and len(listed["results"]) <= 3
        seen += [r["id"] for r in listed["results"]]
        if "next" not in listed["_links"]:
            break
        page += 1
    assert len(seen) == len(set(seen)) == total and page == -(-total // 3)
