"""Stock journals: each movement's entry, by kind of movement, under each method; the
period's filters and views; the files."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from tests.support import Api, problem

JOURNALS = "/api/v1/accounting/journals"
RECONCILIATION = "/api/v1/accounting/reconciliation"
ORDERS = "/api/v1/purchase-orders"
TRANSFERS = "/api/v1/inventory/transfers"
D = Decimal
Lines = list[tuple[str, str, Any, Any]]


def _sell(api: Api, location: str, item: str, quantity: int, day: str) -> dict[str, Any]:
    body = {"locationId": location, "date": day, "items": [{"itemId": item, "quantity": quantity}]}
    return api.data(api.post("/api/v1/inventory/issues", body), 201)  # type: ignore[no-any-return]


def set_method(api: Api, method: str) -> None:
    api.data(api.put("/api/v1/settings", {"defaultCostingMethod": method}))


def journal(api: Api, **params: Any) -> dict[str, Any]:
    query = {"dateFrom": "2026-01-01", "dateTo": "2026-12-31", **params}
    return api.data(api.get(JOURNALS, params=query))  # type: ignore[no-any-return]


def entries(report: dict[str, Any]) -> dict[str, Lines]:
    """Entry id -> its lines as (role, account code, debit, credit)."""
    found: dict[str, Lines] = {}
    for line in report["lines"]:
        found.setdefault(line["entryId"], []).append(
            (line["role"], line["accountCode"], line["debit"], line["credit"])
        )
    return found


def balance(report: dict[str, Any], role: str = "inventory") -> Decimal:
    return sum(
        (
            D(str(line["debit"])) - D(str(line["credit"]))
            for line in report["lines"]
            if line["role"] == role
        ),
        D(0),
    )


def tie_out(api: Api, **params: Any) -> dict[str, Any]:
    return api.data(api.get(RECONCILIATION, params=params))  # type: ignore[no-any-return]


def _textbook(api: Api) -> tuple[str, str]:
    """Found 10 @ 10, found 10 @ 12, sell 15, found 10 @ 14, sell 5 (standard cost 11)."""
    location = api.location()["id"]
    item = api.item(pricing={"costPrice": 11, "standardCost": 11})["id"]
    api.adjust(location, (item, 10, 10), date="2026-01-05")
    api.adjust(location, (item, 10, 12), date="2026-01-06")
    _sell(api, location, item, 15, "2026-01-07")
    api.adjust(location, (item, 10, 14), date="2026-01-08")
    _sell(api, location, item, 5, "2026-01-09")
    return location, item


def _received_order(api: Api) -> tuple[dict[str, Any], str, str]:
    """Ten bought at 4.50 from an item of cost price and standard cost 4, received."""
    supplier, location = api.supplier()["id"], api.location()["id"]
    item = api.item(pricing={"costPrice": 4, "standardCost": 4})["id"]
    line = {"itemId": item, "quantity": 10, "unitCost": 4.5}
    po = api.create(ORDERS, {"supplierId": supplier, "locationId": location, "items": [line]})
    api.data(api.put(f"{ORDERS}/{po['id']}", {"status": "ordered"}))
    api.data(api.put(f"{ORDERS}/{po['id']}", {"status": "received"}))
    return po, item, location


@pytest.mark.parametrize(
    ("method", "sold", "closing"),
    [
        ("fifo", [160, 60], 140),
        ("lifo", [170, 70], 120),
        ("average", [165, 65], 130),
        ("standard", [165, 55], 110),
    ],
)
def test_issues_cost_by_the_method_and_every_entry_balances(
    api: Api, method: str, sold: list[int], closing: int
) -> None:
    set_method(api, method)
    _textbook(api)
    report = journal(api)
    found = list(entries(report).values())
    assert len(found) == 5
    if method != "standard":
        assert found[0] == [
            ("inventory", "acc_inventory", 100, 0),
            ("adjustment", "acc_inventory_adjustments", 0, 100),
        ]
    assert [line[2] for entry in found for line in entry if line[0] == "cost_of_sales"] == sold
    for entry in found:
        assert sum(D(str(debit)) - D(str(credit)) for _, _, debit, credit in entry) == 0
    assert report["totalDebit"] == report["totalCredit"]
    assert balance(report) == closing
    tie = tie_out(api)
    assert (tie["valuation"], tie["journalBalance"], tie["difference"]) == (closing, closing, 0)
    assert tie["causes"] == []


def test_a_purchase_receipt_and_its_return_book_goods_received_not_invoiced(api: Api) -> None:
    po, item, location = _received_order(api)
    back = {"reason": "damaged", "items": [{"itemId": item, "quantity": 2}]}
    api.data(api.post(f"{ORDERS}/{po['id']}/returns", back), 201)
    today = {"dateFrom": "2020-01-01", "dateTo": "2030-12-31"}
    report = journal(api, **today)
    assert list(entries(report).values()) == [
        [("inventory", "acc_inventory", 45, 0), ("goods_received", "acc_grni", 0, 45)],
        [("inventory", "acc_inventory", 0, 9), ("goods_received", "acc_grni", 9, 0)],
    ]
    receipt = report["lines"][0]
    assert receipt["documentType"] == "purchase_order" and receipt["documentId"] == po["id"]
    assert receipt["documentNumber"] == po["orderNumber"]
    assert (receipt["itemId"], receipt["locationId"], receipt["movementType"]) == (
        item,
        location,
        "purchase",
    )
    assert receipt["movementId"] == receipt["entryId"] and receipt["kind"] == "movement"


def test_under_standard_cost_a_purchase_books_its_price_variance(api: Api) -> None:
    set_method(api, "standard")
    _received_order(api)
    report = journal(api, dateFrom="2020-01-01", dateTo="2030-12-31")
    assert list(entries(report).values()) == [
        [
            ("inventory", "acc_inventory", 40, 0),
            ("goods_received", "acc_grni", 0, 45),
            ("price_variance", "acc_ppv", 5, 0),
        ]
    ]


def test_adjustments_post_against_their_reason_or_line_account(api: Api) -> None:
    location = api.location()["id"]
    item = api.item()["id"]
    shrink = api.create(
        "/api/v1/accounts", {"code": "5300", "name": "Shrinkage", "type": "expense"}
    )
    api.data(api.put("/api/v1/inventory/adjustment-reasons/damaged", {"accountId": "5300"}))
    api.adjust(location, (item, 10, 3), date="2026-03-01")
    api.adjust(location, (item, -2), date="2026-03-02", reason="damaged")
    api.create(
        "/api/v1/inventory/adjustments",
        {
            "adjustmentType": "value",
            "reason": "found",
            "locationId": location,
            "date": "2026-03-03",
            "items": [{"itemId": item, "valueAdjusted": 8, "accountId": shrink["id"]}],
        },
    )
    assert list(entries(journal(api)).values()) == [
        [("inventory", "acc_inventory", 30, 0), ("adjustment", "acc_inventory_adjustments", 0, 30)],
        [("inventory", "acc_inventory", 0, 6), ("adjustment", "5300", 6, 0)],
        [("inventory", "acc_inventory", 8, 0), ("adjustment", "5300", 0, 8)],
    ]


def test_transfers_move_value_between_location_accounts_and_through_transit(api: Api) -> None:
    api.create("/api/v1/accounts", {"code": "1310", "name": "Shop stock", "type": "asset"})
    main = api.location()["id"]
    shop = api.location(type="store", inventoryAccountId="1310")["id"]
    item = api.item()["id"]
    api.adjust(main, (item, 10, 6), date="2026-04-01")
    api.create(
        TRANSFERS,
        {
            "date": "2026-04-02",
            "fromLocationId": main,
            "toLocationId": shop,
            "items": [{"itemId": item, "quantity": 4}],
        },
    )
    waiting = api.create(
        TRANSFERS,
        {
            "date": "2026-04-03",
            "fromLocationId": main,
            "toLocationId": shop,
            "requestApproval": True,
            "items": [{"itemId": item, "quantity": 5}],
        },
    )
    path = f"{TRANSFERS}/{waiting['id']}/status"
    shipped = api.data(api.request("PATCH", path, json={"status": "shipped"}))
    line = shipped["items"][0]["id"]
    received = {
        "status": "received",
        "reason": "damaged",
        "items": [{"id": line, "quantityReceived": 4}],
    }
    api.data(api.request("PATCH", path, json=received))
    found = list(entries(journal(api, dateTo="2099-12-31")).values())
    assert found[1] == [("inventory", "acc_inventory", 0, 24), ("inventory", "1310", 24, 0)]
    assert found[2] == [
        ("inventory", "acc_inventory", 0, 30),
        ("inventory", "acc_inventory_transit", 30, 0),
    ]
    assert sorted(found[3:]) == [
        [
            ("inventory", "acc_inventory_transit", 0, 6),
            ("adjustment", "acc_inventory_adjustments", 6, 0),
        ],
        [("inventory", "acc_inventory_transit", 0, 24), ("inventory", "1310", 24, 0)],
    ]
    tie = tie_out(api, asOfDate="2099-12-31")
    at = {
        row["locationId"]: (row["valuation"], row["journalBalance"], row["difference"])
        for row in tie["locations"]
    }
    assert at == {shop: (48, 48, 0), main: (6, 6, 0)}
    assert tie["difference"] == 0


def test_a_customer_return_comes_back_against_cost_of_goods_sold(api: Api) -> None:
    location = api.location()["id"]
    item = api.item()["id"]
    api.adjust(location, (item, 10, 5), date="2026-05-01")
    issue = _sell(api, location, item, 4, "2026-05-02")
    body = {
        "locationId": location,
        "issueId": issue["id"],
        "date": "2026-05-03",
        "items": [{"itemId": item, "quantity": 1}],
    }
    api.create("/api/v1/inventory/returns", body)
    found = list(entries(journal(api)).values())
    assert found[1] == [("inventory", "acc_inventory", 0, 20), ("cost_of_sales", "acc_cogs", 20, 0)]
    assert found[2] == [("inventory", "acc_inventory", 5, 0), ("cost_of_sales", "acc_cogs", 0, 5)]


def test_amounts_are_rounded_per_movement_and_add_up_to_the_valuation(api: Api) -> None:
    """Three for 9.999999, issued one by one: the thirds of a cent do not pile up."""
    location = api.location()["id"]
    item = api.item()["id"]
    api.adjust(location, (item, 3, 3.333333), date="2026-06-01")
    for day in ("2026-06-02", "2026-06-03"):
        _sell(api, location, item, 1, day)
    report = journal(api)
    assert [
        line[2]
        for entry in entries(report).values()
        for line in entry
        if line[0] == "cost_of_sales"
    ] == [3.33, 3.34]
    valuation = api.data(api.get("/api/v1/inventory/reports/valuation"))
    assert balance(report) == D(str(valuation["summary"]["totalValue"])) == D("3.33")
    assert tie_out(api)["difference"] == 0


def test_filters_views_and_files(api: Api) -> None:
    location, item = _textbook(api)
    other = api.location()["id"]
    everything = journal(api)
    by_account = journal(api, accountId="acc_cogs")
    assert {line["accountCode"] for line in by_account["lines"]} == {"acc_cogs"}
    assert len(by_account["lines"]) == 2
    assert journal(api, itemId=item)["lines"] == everything["lines"]
    assert journal(api, locationId=other)["lines"] == []
    january = journal(api, dateFrom="2026-01-06", dateTo="2026-01-07")
    assert len(entries(january)) == 2
    daily = journal(api, view="daily")
    assert daily["lines"] == []
    assert [(d["date"], d["accountCode"], d["debit"], d["credit"]) for d in daily["days"]][:2] == [
        ("2026-01-05", "acc_inventory", 100, 0),
        ("2026-01-05", "acc_inventory_adjustments", 0, 100),
    ]
    assert daily["totalDebit"] == everything["totalDebit"]
    query = {"dateFrom": "2026-01-01", "dateTo": "2026-12-31", "format": "csv"}
    text = api.get(JOURNALS, params=query).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(everything["lines"])
    assert (rows[0]["Account code"], rows[0]["Debit"], rows[0]["Location"]) == (
        "acc_inventory",
        "100",
        everything["lines"][0]["locationName"],
    )
    book = openpyxl.load_workbook(
        io.BytesIO(api.get(JOURNALS, params={**query, "format": "xlsx", "view": "daily"}).content)
    )
    sheet = book.active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]] == [
        "Date",
        "Account code",
        "Account",
        "Debit",
        "Credit",
    ]
    assert sheet.max_row == len(daily["days"]) + 1
    assert location


def test_bad_filters_are_refused_by_name(api: Api) -> None:
    refused = api.get(JOURNALS, params={"accountId": "nope"})
    assert problem(refused, 422, "unknown_account")["errors"][0]["field"] == "accountId"
    refused = api.get(JOURNALS, params={"itemId": "item_nope"})
    assert problem(refused, 422, "unknown_item")["errors"][0]["field"] == "itemId"
    refused = api.get(JOURNALS, params={"dateFrom": "2026-02-01", "dateTo": "2026-01-01"})
    assert problem(refused, 422)["errors"][0]["field"] == "dateFrom"
    refused = api.get(JOURNALS, params={"view": "weekly"})
    assert problem(refused, 422)["errors"][0]["field"] == "view"


def test_a_cent_two_locations_round_apart_is_booked_as_rounding(api: Api) -> None:
    """Three at 3.335 are worth 10.00 (10.005, to even); one moved is 3.34 at the shop, and
    leaves 6.67 behind: the warehouse lost 3.33."""
    main, shop = api.location()["id"], api.location(type="store")["id"]
    item = api.item()["id"]
    api.adjust(main, (item, 3, 3.335), date="2026-07-01")
    body = {
        "date": "2026-07-02",
        "fromLocationId": main,
        "toLocationId": shop,
        "items": [{"itemId": item, "quantity": 1}],
    }
    api.create(TRANSFERS, body)
    moved = list(entries(journal(api)).values())[1]
    assert moved == [
        ("inventory", "acc_inventory", 0, 3.33),
        ("inventory", "acc_inventory", 3.34, 0),
        ("rounding", "acc_inventory_adjustments", 0, 0.01),
    ]
    tie = tie_out(api)
    assert {row["locationId"]: row["valuation"] for row in tie["locations"]} == {
        main: 6.67,
        shop: 3.34,
    }
    assert tie["difference"] == 0
