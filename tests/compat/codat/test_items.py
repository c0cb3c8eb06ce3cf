"""Items through the Codat dialect: the document's example built through the canonical API
reads back equal to it, lists are paged with Codat's links and filtered by its query language
(an incremental sync by sourceModifiedDate, itemStatus), and the company comes from the path."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from stockkeeper.core.db import Database
from stockkeeper.tenancy.service import get_company, update_company
from tests.compat.codat.support import Codat, P, body, difference, example_item, refused
from tests.support import Api, Tenant, make_tenant, unique


def _example_built(api: Api, database: Database, tenant: Tenant) -> dict[str, Any]:
    """The document's item, its account, tax rate, location, company and stock made first."""
    with database.unit_of_work() as session:
        update_company(session, get_company(session, tenant.company_id), {"name": "Company Ltd"})
    account = api.create(
        "/api/v1/accounts", {"code": "145", "name": "Depreciation Expense", "type": "expense"}
    )
    rate = api.create(
        "/api/v1/tax-rates",
        {"code": "HST", "name": "HST", "components": [{"name": "HST", "rate": 13}]},
    )
    boston = api.location(name="Boston")
    item = api.item(
        itemCode="100",
        name="Product Services",
        description="Item description",
        purchaseDescription="Item description",
        pricing={"costPrice": "100.5", "sellingPrice": "100.5"},
        accounting={"incomeAccountId": account["id"], "expenseAccountId": account["id"]},
        tax={"salesTaxCode": rate["id"], "purchaseTaxCode": rate["id"]},
    )
    api.adjust(boston["id"], (item["id"], 2, "50"))
    return {"item": item, "account": account, "rate": rate, "location": boston}


def test_the_documents_example_reads_back_equal_ids_and_dates_aside(
    api: Api, client: TestClient, database: Database, tenant: Tenant
) -> None:
    made = _example_built(api, database, tenant)
    codat = Codat(client, tenant)
    record = body(codat.get(f"{codat.data()}/items/{made['item']['id']}"))
    # the document's item is Xero's "unknown": Stockkeeper knows whether an item is active
    aside = {"id", "sourceModifiedDate", "itemStatus"}
    assert difference(record, example_item(), aside) is None
    assert record["id"] == made["item"]["id"] and record["itemStatus"] == "Active"
    assert record["type"] == "Inventory"
    assert record["modifiedDate"] == record["sourceModifiedDate"]
    for line in (record["billItem"], record["invoiceItem"]):
        assert line["accountRef"]["id"] == made["account"]["id"]
        assert line["taxRateRef"]["id"] == made["rate"]["id"]
    assert record["subsidiaryRefs"] == [{"id": tenant.company_id, "name": "Company Ltd"}]
    (at,) = record["quantityOnHandPerLocation"]
    assert at["locationRef"] == {"id": made["location"]["id"], "name": "Boston"}
    listed = codat.read("items")["results"]
    assert [r["id"] for r in listed] == [record["id"]]
    assert listed[0] == record


def test_stock_moving_shows_in_the_quantities_per_location(
    api: Api, client: TestClient, tenant: Tenant
) -> None:
    codat = Codat(client, tenant)
    north, south = api.location(name="North"), api.location(name="South")
    item = api.item(pricing={"costPrice": "3"})
    api.adjust(north["id"], (item["id"], "4.5"))
    api.adjust(south["id"], (item["id"], 2))
    api.adjust(south["id"], (item["id"], -2))  # nothing left there: not listed
    record = body(codat.get(f"{codat.data()}/items/{item['id']}"))
    assert record["quantityOnHandPerLocation"] == [
        {"locationRef": {"id": north["id"], "name": "North"}, "quantity": Decimal("4.5")}
    ]
    # the same as the canonical stock levels, where there is any
    levels = {r["locationId"]: r["currentStock"] for r in api.stock(itemId=item["id"])}
    shown = {at["locationRef"]["id"]: at["quantity"] for at in record["quantityOnHandPerLocation"]}
    assert shown == {where: level for where, level in levels.items() if level}


def test_types_and_flags_follow_the_item(api: Api, client: TestClient, tenant: Tenant) -> None:
    codat = Codat(client, tenant)
    service = api.item(type="service", purchasable=False, pricing={"sellingPrice": "40"})
    goods = api.item(type="non_inventory", sellable=False, purchaseDescription="Bought as")
    one = body(codat.get(f"{codat.data()}/items/{service['id']}"))
    assert (one["type"], one["isBillItem"], one["billItem"]) == ("Service", False, None)
    assert one["isInvoiceItem"] and one["invoiceItem"]["unitPrice"] == 40
    other = body(codat.get(f"{codat.data()}/items/{goods['id']}"))
    assert (other["type"], other["isInvoiceItem"], other["invoiceItem"]) == (
        "NonInventory",
        False,
        None,
    )
    assert other["billItem"]["description"] == "Bought as"
    assert other["quantityOnHandPerLocation"] == []


def test_pages_carry_codats_links(api: Api, client: TestClient, tenant: Tenant) -> None:
    codat = Codat(client, tenant)
    names = sorted(api.item(name=unique("Page"))["name"] for _ in range(5))
    first = codat.read("items", pageSize=2)
    assert (first["pageNumber"], first["pageSize"], first["totalResults"]) == (1, 2, 5)
    assert [r["name"] for r in first["results"]] == names[:2]
    links = first["_links"]
    assert set(links) == {"self", "current", "next"}
    assert links["next"]["href"].endswith("/data/items?pageSize=2&page=2")
    second = body(codat.get(P + links["next"]["href"]))  # an href is under the base URL
    assert second["pageNumber"] == 2 and [r["name"] for r in second["results"]] == names[2:4]
    assert second["_links"]["self"]["href"] == links["next"]["href"]
    third = codat.read("items", pageSize=2, page=3)
    assert [r["name"] for r in third["results"]] == names[4:]
    assert set(third["_links"]) == {"self", "current", "previous"}
    assert "page=2" in third["_links"]["previous"]["href"]
    beyond = codat.read("items", pageSize=2, page=9)
    assert beyond["results"] == [] and "page=3" in beyond["_links"]["previous"]["href"]


def test_an_incremental_sync_reads_what_changed_since(
    api: Api, client: TestClient, tenant: Tenant
) -> None:
    codat = Codat(client, tenant)
    old = api.item(name="Old")
    time.sleep(0.01)
    moment = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    time.sleep(0.01)
    new = api.item(name="New")
    since = codat.read("items", query=f"sourceModifiedDate>{moment}")
    assert [r["id"] for r in since["results"]] == [new["id"]]
    assert since["totalResults"] == 1
    before = codat.read("items", query=f"sourceModifiedDate<={moment}")
    assert [r["id"] for r in before["results"]] == [old["id"]]
    api.data(api.put(f"/api/v1/items/{old['id']}", {"isActive": False}))
    changed = codat.read("items", query=f"sourceModifiedDate>={moment} && itemStatus=Archived")
    assert [(r["id"], r["itemStatus"]) for r in changed["results"]] == [(old["id"], "Archived")]
    active = codat.read("items", query="itemStatus!=Archived")
    assert [r["id"] for r in active["results"]] == [new["id"]]
    day = codat.read("items", query="sourceModifiedDate<2000-01-01")
    assert day["results"] == [] and day["totalResults"] == 0
    # a first sync's earliest instant (year 1) and a latest (year 9999) bound nothing
    every = {old["id"], new["id"]}
    for query in (
        "sourceModifiedDate>0001-01-01T00:00:00Z",
        "modifiedDate>=1899-12-31 && sourceModifiedDate<9999-12-31T23:59:59.999999Z",
        "sourceModifiedDate<=9999-12-31T23:59:59.999999Z",
        "sourceModifiedDate>0001-01-01T00:00:00+01:00",  # .NET's least, at a local offset
        "sourceModifiedDate<9999-12-31T23:00:00-05:00",
    ):
        assert {r["id"] for r in codat.read("items", query=query)["results"]} == every, query
    assert codat.read("items", query="sourceModifiedDate>9999-12-31")["results"] == []


def test_a_query_that_does_not_read_is_a_400_in_codats_shape(
    api: Api, client: TestClient, tenant: Tenant
) -> None:
    codat = Codat(client, tenant)
    api.item()
    for query in (
        "sourceModifiedDate>yesterday",
        "colour=red",
        "itemStatus=Deleted",
        "itemStatus>Active",
        "sourceModifiedDate=2021-01-01",
        "itemStatus=Active || itemStatus=Archived",
        "itemStatus",
        "itemStatus=Active &&",
    ):
        error = refused(codat.get(f"{codat.data()}/items", params={"query": query}), 400)
        assert error["validation"]["errors"][0]["itemId"] == "query", query
    too_big = refused(codat.get(f"{codat.data()}/items", params={"pageSize": 5001}), 422)
    assert too_big["validation"]["errors"][0]["itemId"] == "pageSize"
    refused(codat.get(f"{codat.data()}/items", params={"page": 0}), 422)
    refused(codat.get(f"{codat.data()}/items", params={"orderBy": "name"}), 422)


def test_the_company_is_the_one_the_path_names(
    api: Api, client: TestClient, database: Database, tenant: Tenant
) -> None:
    item = api.item()
    codat = Codat(client, tenant)
    other = make_tenant(database)
    path = f"{codat.data()}/items/{item['id']}"
    assert body(codat.get(path))["id"] == item["id"]
    assert body(codat.get(path, headers={"X-Company-Id": tenant.company_id}))["id"] == item["id"]
    # the key of one company, the path of another: as the canonical API answers another company
    refused(codat.get(f"{codat.data(other.company_id)}/items"), 403)
    refused(codat.get(path, headers={"X-Company-Id": other.company_id}), 403)
    theirs = Codat(client, other)
    refused(theirs.get(f"{theirs.data()}/items/{item['id']}"), 404)
    refused(theirs.get(f"{codat.data()}/items", headers={"X-Company-Id": other.company_id}), 403)
    anonymous = Codat(client, tenant, key="").get(path)
    assert refused(anonymous, 401)["correlationId"] == anonymous.headers["X-Request-Id"]
    refused(Codat(client, tenant, key="sk_nonsense").get(path), 401)
    refused(codat.get(f"{codat.data()}/items/item_missing"), 404)
    refused(codat.get(f"{codat.data()}/nothing"), 404)
    refused(client.post(path, headers={"Authorization": f"Bearer {tenant.admin_key}"}), 405)
