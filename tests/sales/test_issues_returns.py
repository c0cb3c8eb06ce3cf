"""Sales issues and customer returns: posted at once, returns at the cost the goods left with."""

from __future__ import annotations

import datetime as dt
from typing import Any

from stockkeeper.core.db import Database
from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem

ISSUES = "/api/v1/inventory/issues"
RETURNS = "/api/v1/inventory/returns"
YEAR = dt.date.today().year


def _value_at(api: Api, item: str, location: str) -> tuple[Any, Any]:
    (row,) = api.stock(itemId=item, locationId=location)
    return row["currentStock"], row["stockValue"]


def test_issue_and_return_against_it(api: Api, database: Database) -> None:
    shop = api.location(type="store")["id"]
    quarantine = api.location(name="Quarantine")["id"]
    item, other = api.item()["id"], api.item()["id"]
    api.adjust(shop, (item, 10, 5), (other, 4, 2))
    issue = api.create(
        ISSUES,
        {
            "locationId": shop,
            "reference": "INV-2026-0107",
            "customer": "Acme Sdn Bhd",
            "items": [{"itemId": item, "quantity": 4}, {"itemId": other, "quantity": 1}],
        },
    )
    assert issue["documentNumber"] == f"ISS-{YEAR}-0001"
    assert [(line["quantity"], line["unitCost"], line["totalCost"]) for line in issue["items"]] == [
        (4, 5, 20),
        (1, 2, 2),
    ]
    assert (issue["totalValue"], issue["customer"]) == (22, "Acme Sdn Bhd")
    assert _value_at(api, item, shop) == (6, 30)
    movements = api.data(
        api.get("/api/v1/inventory/movements", params={"reference": "INV-2026-0107"})
    )
    assert sorted((m["type"], m["quantity"]) for m in movements) == [("sale", -4), ("sale", -1)]

    api.adjust(shop, (item, 6, 11))  # the average moves; the return still comes back at 5
    returned = api.create(
        RETURNS,
        {
            "locationId": shop,
            "issueId": issue["id"],
            "reference": "RMA-1",
            "items": [
                {"itemId": item, "quantity": 1},
                {"itemId": item, "quantity": 2, "locationId": quarantine, "notes": "damaged"},
            ],
        },
    )
    assert returned["documentNumber"] == f"RET-{YEAR}-0001" and returned["issueId"] == issue["id"]
    assert [(line["locationId"], line["unitCost"]) for line in returned["items"]] == [
        (shop, 5),
        (quarantine, 5),
    ]
    assert _value_at(api, item, quarantine) == (2, 10)
    too_many = api.post(
        RETURNS,
        {"locationId": shop, "issueId": issue["id"], "items": [{"itemId": item, "quantity": 2}]},
    )
    assert problem(too_many, 422, "more_than_issued")["errors"][0]["field"] == "items.0.quantity"
    not_on_it = api.post(
        RETURNS,
        {
            "locationId": shop,
            "issueId": issue["id"],
            "items": [{"itemId": api.item()["id"], "quantity": 1}],
        },
    )
    refused = problem(not_on_it, 422, "more_than_issued")
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("items.0.itemId", "not_on_issue")
    ]
    assert refused["detail"] == f"{issue['documentNumber']} did not issue this item"
    problem(
        api.post(
            RETURNS,
            {
                "issueId": returned["id"],
                "locationId": shop,
                "items": [{"itemId": item, "quantity": 1}],
            },
        ),
        422,
        "unknown_issue",
    )

    listed = api.data(api.get(RETURNS, params={"issueId": issue["id"]}))
    assert [r["id"] for r in listed] == [returned["id"]]
    assert api.data(api.get(f"{ISSUES}/{issue['id']}")) == issue
    problem(api.get(f"{ISSUES}/{returned['id']}"), 404, "issue_not_found")
    assert_ledger_consistent(database, api.tenant.company_id)


def test_return_without_issue_uses_the_latest_sale_cost(api: Api, database: Database) -> None:
    shop = api.location(type="store")["id"]
    item = api.item(pricing={"costPrice": 9})["id"]
    never_sold = api.item(pricing={"costPrice": 9})["id"]
    api.adjust(shop, (item, 2, 3))
    api.create(ISSUES, {"locationId": shop, "items": [{"itemId": item, "quantity": 2}]})
    back = api.create(
        RETURNS,
        {
            "locationId": shop,
            "items": [{"itemId": item, "quantity": 1}, {"itemId": never_sold, "quantity": 1}],
        },
    )
    assert [line["unitCost"] for line in back["items"]] == [3, 9]
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_short_issue_posts_nothing(api: Api, database: Database) -> None:
    shop = api.location(type="store")["id"]
    first, second = api.item()["id"], api.item()["id"]
    api.adjust(shop, (first, 5, 1), (second, 1, 1))
    short = api.post(
        ISSUES,
        {
            "locationId": shop,
            "items": [{"itemId": first, "quantity": 2}, {"itemId": second, "quantity": 3}],
        },
    )
    body = problem(short, 409, "insufficient_stock")
    assert [s["itemId"] for s in body["shortages"]] == [second]
    assert api.data(api.get(ISSUES)) == []
    assert _value_at(api, first, shop) == (5, 5)
    assert (
        api.create(ISSUES, {"locationId": shop, "items": [{"itemId": first, "quantity": 1}]})[
            "documentNumber"
        ]
        == f"ISS-{YEAR}-0001"
    )
    assert_ledger_consistent(database, api.tenant.company_id)
