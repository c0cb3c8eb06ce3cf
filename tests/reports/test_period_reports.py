"""The movements, low-stock and ABC reports, and every report as CSV and XLSX."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import openpyxl

from stockkeeper.core import clock
from stockkeeper.core.db import Database
from tests.reports.test_valuation import _buy, _sell, _textbook
from tests.support import Api, problem

REPORTS = "/api/v1/inventory/reports"
FIGURES = (
    "openingQuantity",
    "openingValue",
    "inQuantity",
    "inValue",
    "outQuantity",
    "outValue",
    "closingQuantity",
    "closingValue",
)


def test_the_movements_report_for_a_period(api: Api, database: Database) -> None:
    location, item = _textbook(api)
    params = {"dateFrom": "2026-01-07", "dateTo": "2026-01-08", "valuationMethod": "fifo"}
    report = api.data(api.get(f"{REPORTS}/movements", params=params))
    assert (report["reportName"], report["periodFrom"], report["periodTo"]) == (
        "Stock Movement Report",
        "2026-01-07",
        "2026-01-08",
    )
    [row] = report["items"]
    figures = [row[k] for k in FIGURES]
    assert figures == [20, 220, 10, 140, 15, 160, 15, 200]  # FIFO: the tens, then five twelves
    average = api.data(
        api.get(f"{REPORTS}/movements", params=params | {"valuationMethod": "average"})
    )
    assert average["items"][0]["outValue"] == 165 and average["items"][0]["closingValue"] == 195

    shop = api.location(type="store")["id"]
    api.create(
        "/api/v1/inventory/transfers",
        {
            "date": "2026-01-08",
            "fromLocationId": location,
            "toLocationId": shop,
            "items": [{"itemId": item, "quantity": 4}],
        },
    )
    whole = api.data(api.get(f"{REPORTS}/movements", params=params))["items"][0]
    assert (whole["inQuantity"], whole["outQuantity"], whole["locationId"]) == (10, 15, None)
    split = api.data(api.get(f"{REPORTS}/movements", params=params | {"byLocation": True}))["items"]
    assert {
        (r["locationId"], r["inQuantity"], r["outQuantity"], r["closingQuantity"]) for r in split
    } == {
        (location, 10, 19, 11),
        (shop, 4, 0, 4),
    }


def test_a_period_that_ends_before_it_starts_is_refused(api: Api) -> None:
    backwards = {"dateFrom": "2026-02-01", "dateTo": "2026-01-01"}
    refused = problem(api.get(f"{REPORTS}/movements", params=backwards), 422)
    assert [e["field"] for e in refused["errors"]] == ["dateFrom"]


def test_the_low_stock_report(api: Api, database: Database) -> None:
    location = api.location()["id"]
    supplier = api.supplier()
    low = api.item(
        itemCode="LOW",
        inventory={"minimumStock": 10, "reorderPoint": 12, "reorderQuantity": 30},
        pricing={"costPrice": 2},
        supplierId=supplier["id"],
    )["id"]
    fine = api.item(itemCode="FINE", inventory={"minimumStock": 1})["id"]
    _buy(api, location, low, 8, 2, "2026-03-01")
    _buy(api, location, fine, 5, 1, "2026-03-01")
    po = api.create(
        "/api/v1/purchase-orders",
        {
            "supplierId": supplier["id"],
            "locationId": location,
            "items": [{"itemId": low, "quantity": 12, "unitCost": 2}],
        },
    )
    api.data(api.put(f"/api/v1/purchase-orders/{po['id']}", {"status": "ordered"}))
    report = api.data(api.get(f"{REPORTS}/low-stock"))
    assert report["totalItems"] == 1 and report["estimatedCost"] == 36
    [row] = report["items"]
    assert (
        row["itemCode"],
        row["currentStock"],
        row["onOrderStock"],
        row["suggestedQuantity"],
    ) == ("LOW", 8, 12, 18)
    assert (row["supplierName"], row["estimatedCost"]) == (supplier["name"], 36)
    api.item(itemCode="NEW", inventory={"minimumStock": 4}, pricing={"costPrice": 3})
    rows = api.data(api.get(f"{REPORTS}/low-stock"))["items"]
    new = next(r for r in rows if r["itemCode"] == "NEW")  # never stocked: low where it lands
    assert (new["locationId"], new["currentStock"], new["suggestedQuantity"]) == (location, 0, 4)
    elsewhere = api.location(type="store")["id"]
    only_store = api.data(api.get(f"{REPORTS}/low-stock", params={"locationId": elsewhere}))
    assert only_store["items"] == []


def _abc(api: Api) -> None:
    location = api.location()["id"]
    for code, cost, sold in (("BIG", 70, 10), ("MID", 20, 10), ("SMALL", 1, 100)):
        item = api.item(itemCode=code)["id"]
        _buy(api, location, item, sold, cost, "2026-04-01")
        _sell(api, location, item, sold, "2026-04-02")


def test_the_abc_analysis(api: Api, database: Database) -> None:
    _abc(api)
    params = {"periodFrom": "2026-04-01", "periodTo": "2026-04-30"}
    report = api.data(api.get(f"{REPORTS}/abc-analysis", params=params))
    assert [
        (i["itemCode"], i["classification"], i["annualValue"], i["cumulativePercentage"])
        for i in report["items"]
    ] == [("BIG", "A", 700, 70), ("MID", "B", 200, 90), ("SMALL", "C", 100, 100)]
    assert report["classification"]["A"] == {
        "itemCount": 1,
        "percentage": 33.33,
        "valuePercentage": 70,
        "totalValue": 700,
    }
    assert report["items"][2]["annualUsage"] == 100 and report["items"][2]["unitCost"] == 1
    wider = api.data(
        api.get(f"{REPORTS}/abc-analysis", params=params | {"aThreshold": 80, "bThreshold": 15})
    )
    assert [i["classification"] for i in wider["items"]] == ["A", "A", "B"]  # B began at 90 < 95
    problem(api.get(f"{REPORTS}/abc-analysis", params={"aThreshold": 80, "bThreshold": 30}), 422)
    before = api.data(
        api.get(
            f"{REPORTS}/abc-analysis", params={"periodFrom": "2026-03-01", "periodTo": "2026-03-31"}
        )
    )
    assert before["items"] == [] and before["classification"]["A"]["itemCount"] == 0


def _rows_of_csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_every_report_downloads_as_csv_and_xlsx(api: Api, database: Database) -> None:
    _abc(api)
    params = {"periodFrom": "2026-04-01", "periodTo": "2026-04-30"}
    as_csv = api.get(f"{REPORTS}/abc-analysis", params=params | {"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert (
        as_csv.headers["content-disposition"]
        == 'attachment; filename="abc-analysis-2026-04-30.csv"'
    )
    rows = _rows_of_csv(as_csv)
    assert rows[0][:3] == ["Item code", "Item", "Class"]
    assert [(r[0], r[2], r[5]) for r in rows[1:]] == [
        ("BIG", "A", "700"),
        ("MID", "B", "200"),
        ("SMALL", "C", "100"),
    ]
    by_accept = api.get(f"{REPORTS}/valuation", headers={"Accept": "text/csv"})
    assert [r[0] for r in _rows_of_csv(by_accept)] == ["Item code"]  # everything was sold
    xlsx = api.get(
        f"{REPORTS}/movements",
        params={"dateFrom": "2026-04-01", "dateTo": "2026-04-30", "format": "xlsx"},
    )
    assert xlsx.headers["content-disposition"].endswith('-2026-04-30.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:4] == ("Item code", "Item", "Location", "Opening quantity")
    assert sorted((v[0], v[5], v[7]) for v in values[1:]) == [
        ("BIG", 10, 10),
        ("MID", 10, 10),
        ("SMALL", 100, 100),
    ]
    low = api.get(f"{REPORTS}/low-stock", params={"format": "csv"})
    assert _rows_of_csv(low)[0][0] == "Item code"


def test_a_period_up_to_today_is_replayed_again_only_in_its_last_days(api: Api) -> None:
    """The settled part of a period (up to two days back) is kept between reports; what is
    posted later, dated today or backdated into it, shows in the next report all the same."""
    location, item = api.location()["id"], api.item()["id"]
    today = clock.now().date()  # the test company keeps UTC

    def day(back: int) -> str:
        return str(today - timedelta(days=back))

    _buy(api, location, item, 10, 10, day(9))
    _buy(api, location, item, 10, 12, day(5))
    _sell(api, location, item, 4, day(1))
    params = {"dateFrom": day(6), "itemId": item, "valuationMethod": "fifo"}

    def figures() -> list[Any]:
        [row] = api.data(api.get(f"{REPORTS}/movements", params=params))["items"]
        return [row[k] for k in FIGURES]

    def used() -> tuple[Any, Any]:
        abc = {"periodFrom": day(6), "valuationMethod": "fifo"}
        report = api.data(api.get(f"{REPORTS}/abc-analysis", params=abc))
        [row] = [r for r in report["items"] if r["itemId"] == item]
        return row["annualUsage"], row["annualValue"]

    assert figures() == figures() == [10, 100, 10, 120, 4, 40, 16, 180]
    assert used() == used() == (4, 40)
    _sell(api, location, item, 2, day(0))
    assert figures() == [10, 100, 10, 120, 6, 60, 14, 160]
    _buy(api, location, item, 5, 8, day(4))  # into the settled part
    _sell(api, location, item, 10, day(3))
    assert figures() == [10, 100, 15, 160, 16, 172, 9, 88]
    assert used() == (16, 172)
