"""The valuation report against hand-computed textbook cases, under every method."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from stockkeeper.core import clock
from stockkeeper.core.db import Database
from stockkeeper.costing.service import snapshots
from tests.invariants import assert_ledger_consistent
from tests.support import Api

VALUATION = "/api/v1/inventory/reports/valuation"


def _buy(api: Api, location: str, item: str, quantity: int, cost: float, day: str) -> None:
    api.adjust(location, (item, quantity, cost), date=day, reason="found")


def _sell(api: Api, location: str, item: str, quantity: int, day: str) -> None:
    body = {"locationId": location, "date": day, "items": [{"itemId": item, "quantity": quantity}]}
    api.data(api.post("/api/v1/inventory/issues", body), 201)


def _value(api: Api, method: str, **params: Any) -> tuple[Any, Any]:
    report = api.data(api.get(VALUATION, params={"valuationMethod": method, **params}))
    return report["summary"]["totalQuantity"], report["summary"]["totalValue"]


def _textbook(api: Api) -> tuple[str, str]:
    """Buy 10 @ 10, buy 10 @ 12, sell 15, buy 10 @ 14, sell 5 (standard cost 11)."""
    location = api.location()["id"]
    item = api.item(pricing={"costPrice": 11, "standardCost": 11})["id"]
    _buy(api, location, item, 10, 10, "2026-01-05")
    _buy(api, location, item, 10, 12, "2026-01-06")
    _sell(api, location, item, 15, "2026-01-07")
    _buy(api, location, item, 10, 14, "2026-01-08")
    _sell(api, location, item, 5, "2026-01-09")
    return location, item


def test_a_textbook_sequence_under_every_method(api: Api, database: Database) -> None:
    _textbook(api)
    assert _value(api, "fifo") == (10, 140)  # 10 @ 14
    assert _value(api, "lifo") == (10, 120)  # 5 @ 10 and 5 @ 14
    assert _value(api, "average") == (10, 130)  # average 13 after the last purchase
    assert _value(api, "standard") == (10, 110)
    standard = api.data(api.get(VALUATION, params={"valuationMethod": "standard"}))
    # received 100 + 120 + 140 against a standard of 11 x 30
    assert standard["summary"]["purchasePriceVariance"] == 30
    assert standard["items"][0]["purchasePriceVariance"] == 30
    assert api.data(api.get(VALUATION))["summary"]["purchasePriceVariance"] is None
    # as of the evening of the first sale
    assert _value(api, "fifo", asOfDate="2026-01-07") == (5, 60)
    assert _value(api, "lifo", asOfDate="2026-01-07") == (5, 50)
    assert _value(api, "average", asOfDate="2026-01-07") == (5, 55)
    assert _value(api, "fifo", asOfDate="2026-01-04") == (0, 0)
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_backdated_receipt_recosts_later_issues(api: Api, database: Database) -> None:
    location, item = _textbook(api)
    _buy(api, location, item, 10, 6, "2026-01-04")  # found late: the oldest layer
    assert _value(api, "fifo") == (20, 10 * 12 + 10 * 14)  # the 6s and 10s went first
    assert _value(api, "lifo", asOfDate="2026-01-05") == (20, 160)
    assert _value(api, "average", asOfDate="2026-01-07") == (15, 15 * 28 / 3)  # 280 / 30
    assert_ledger_consistent(database, api.tenant.company_id)


def test_transfers_carry_cost_and_value_adjustments_revalue(api: Api, database: Database) -> None:
    main, shop = api.location()["id"], api.location(type="store")["id"]
    item = api.item()["id"]
    _buy(api, main, item, 10, 10, "2026-02-01")
    _buy(api, main, item, 10, 20, "2026-02-02")
    api.create(
        "/api/v1/inventory/transfers",
        {
            "date": "2026-02-03",
            "fromLocationId": main,
            "toLocationId": shop,
            "items": [{"itemId": item, "quantity": 12}],
        },
    )
    fifo = api.data(api.get(VALUATION, params={"valuationMethod": "fifo"}))
    at = {row["locationId"]: row["totalValue"] for row in fifo["byLocation"]}
    assert at == {main: 160, shop: 140}  # the oldest ten and two of the twenties moved
    lifo = api.data(api.get(VALUATION, params={"valuationMethod": "lifo"}))
    assert {row["locationId"]: row["totalValue"] for row in lifo["byLocation"]} == {
        main: 80,
        shop: 220,
    }
    api.create(
        "/api/v1/inventory/adjustments",
        {
            "adjustmentType": "value",
            "reason": "stock_count",
            "locationId": shop,
            "date": "2026-02-04",
            "items": [{"itemId": item, "valueAdjusted": 24}],
        },
    )
    fifo = api.data(api.get(VALUATION, params={"valuationMethod": "fifo", "locationId": shop}))
    assert fifo["summary"]["totalValue"] == 164 and [
        r["locationId"] for r in fifo["byLocation"]
    ] == [shop]
    before = api.data(
        api.get(VALUATION, params={"valuationMethod": "fifo", "asOfDate": "2026-02-03"})
    )
    assert before["summary"]["totalValue"] == 300
    assert_ledger_consistent(database, api.tenant.company_id)


def test_report_shape_groups_and_filters(api: Api, database: Database) -> None:
    tools = api.category(name="Tools")
    location = api.location()["id"]
    hammer = api.item(itemCode="HAM", categoryId=tools["id"])["id"]
    nails = api.item(itemCode="NAIL")["id"]
    api.item(itemCode="IDLE")
    _buy(api, location, hammer, 4, 25, "2026-03-01")
    _buy(api, location, nails, 1000, 0.02, "2026-03-01")
    report = api.data(api.get(VALUATION, params={"valuationMethod": "average"}))
    assert (report["reportName"], report["valuationMethod"], report["currency"]) == (
        "Stock Valuation Report",
        "average",
        "MYR",
    )
    assert report["summary"] == {
        "totalItems": 2,
        "totalQuantity": 1004,
        "totalValue": 120,
        "averageValue": 60,
        "purchasePriceVariance": None,
    }
    assert [
        (i["itemCode"], i["quantity"], i["averageCost"], i["totalValue"]) for i in report["items"]
    ] == [("HAM", 4, 25, 100), ("NAIL", 1000, 0.02, 20)]
    assert {c["categoryName"]: c["totalValue"] for c in report["byCategory"]} == {
        "Tools": 100,
        "Uncategorised": 20,
    }
    only_tools = api.data(api.get(VALUATION, params={"categoryId": tools["id"]}))
    assert [i["itemCode"] for i in only_tools["items"]] == ["HAM"]
    everything = api.data(api.get(VALUATION, params={"includeZeroStock": True}))
    assert [i["itemCode"] for i in everything["items"]] == ["HAM", "IDLE", "NAIL"]
    assert everything["valuationMethod"] == "average"  # the company's default


def test_stock_rows_follow_the_company_method(api: Api, database: Database) -> None:
    location, item = _textbook(api)
    [row] = api.stock(itemId=item)
    assert (row["stockValue"], row["averageCost"]) == (130, 13)  # average: the default
    api.data(api.put("/api/v1/settings", {"defaultCostingMethod": "fifo"}))
    [row] = api.stock(itemId=item)
    assert (row["stockValue"], row["averageCost"]) == (140, 14)
    api.data(api.put("/api/v1/settings", {"defaultCostingMethod": "average"}))
    _buy(api, location, item, 10, 6, "2026-01-04")  # found late: re-costs the later sales
    [row] = api.stock(itemId=item)
    assert row["stockValue"] == 224  # not the 190 a running average would have booked
    assert _value(api, "average") == (20, 224)


def test_the_stock_list_filters_by_value_under_the_company_method(api: Api) -> None:
    location, item = _textbook(api)  # worth 140 under FIFO, booked at 130 (a running average)
    other = api.item()["id"]
    _buy(api, location, other, 10, 20, "2026-01-05")  # 200 under every method
    api.data(api.put("/api/v1/settings", {"defaultCostingMethod": "fifo"}))

    def listed(**params: Any) -> tuple[list[tuple[str, Any]], Any]:
        body = api.get("/api/v1/inventory/stock", params={"locationId": location, **params})
        rows = [(r["itemId"], r["stockValue"]) for r in api.data(body)]
        return rows, body.json()["pagination"]

    assert listed(valueMin=135)[0] == sorted([(item, 140), (other, 200)])
    assert listed(valueMax=135)[0] == []
    assert listed(valueMin=140, valueMax=140)[0] == [(item, 140)]
    first, pagination = listed(valueMin=135, limit=1)
    assert pagination["total"] == 2 and pagination["hasMore"] is True
    second, pagination = listed(valueMin=135, limit=1, cursor=pagination["nextCursor"])
    assert first + second == sorted([(item, 140), (other, 200)])
    assert pagination["hasMore"] is False and pagination["total"] == 2
    api.data(api.put("/api/v1/settings", {"defaultCostingMethod": "average"}))
    assert listed(valueMin=135)[0] == [(other, 200)]  # 130 under the average


def test_reversing_a_receipt_takes_back_its_own_layer(
    api: Api, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Buy 10 @ 1, 10 @ 2 (reversed later), 10 @ 3; sell 10: FIFO sells the ones @ 1 and
    LIFO the ones @ 3, as if the reversed receipt had never been."""
    monkeypatch.setattr(snapshots, "WORTH_KEEPING", 0)  # the reports keep snapshots
    location = api.location()["id"]
    item = api.item()["id"]
    _buy(api, location, item, 10, 1, "2026-03-02")
    second = api.adjust(location, (item, 10, 2), date="2026-03-03", reason="found")
    _buy(api, location, item, 10, 3, "2026-03-04")
    assert _value(api, "fifo") == (30, 60)  # snapshots may be kept from here
    api.data(api.post(f"/api/v1/inventory/adjustments/{second['id']}/reverse"))
    assert _value(api, "fifo") == (20, 40)
    _sell(api, location, item, 10, str(clock.now().date()))  # the test company keeps UTC
    assert _value(api, "fifo") == (10, 30)
    assert _value(api, "lifo") == (10, 10)
    assert _value(api, "average") == (10, 20)
    assert_ledger_consistent(database, api.tenant.company_id)


def test_today_starts_from_the_settled_day_and_sees_what_moved_since(api: Api) -> None:
    """The valuation of today, asked again, replays only the items moved since the settled
    day (two days back): a sale dated today, a receipt dated yesterday and one backdated
    before the settled day all show, and the items that did not move keep their figures."""
    location = api.location()["id"]
    still, sold = api.item()["id"], api.item()["id"]
    today = clock.now().date()  # the test company keeps UTC

    def day(back: int) -> str:
        return str(today - timedelta(days=back))

    def by_item() -> dict[str, Any]:
        report = api.data(api.get(VALUATION, params={"valuationMethod": "fifo"}))
        return {row["itemId"]: (row["quantity"], row["totalValue"]) for row in report["items"]}

    _buy(api, location, still, 5, 2, day(10))
    _buy(api, location, sold, 10, 3, day(10))
    assert by_item() == by_item() == {still: (5, 10), sold: (10, 30)}
    _sell(api, location, sold, 4, day(0))
    assert by_item() == {still: (5, 10), sold: (6, 18)}
    _buy(api, location, sold, 2, 5, day(1))
    assert by_item() == {still: (5, 10), sold: (8, 28)}
    _buy(api, location, still, 1, 4, day(5))  # before the settled day: its revision rises
    assert by_item() == {still: (6, 14), sold: (8, 28)}
