"""The report screens over HTTP: each shows the figures of its service (the summary, the
charts' tables, the items), takes its API route's filters (a value that does not fit is shown
beside its field), and downloads the API's columns as CSV and XLSX."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from stockkeeper.core.db import Database
from stockkeeper.reports.service.export import CSV, XLSX
from stockkeeper.reports.service.periods import abc_analysis
from stockkeeper.reports.service.valuation import valuation_report
from stockkeeper.reports.values import AbcFilters, ValuationFilters
from stockkeeper.tenancy.service import Role
from stockkeeper.web.item_format import money
from tests.support import Api, Tenant, unique
from tests.web.conftest import Web


def _stocked(api: Api) -> dict[str, dict[str, str]]:
    """Bolts (a category of fasteners) at the main warehouse and at a store; a nut below its
    minimum stock, of no category, at the main warehouse."""
    fasteners = api.category(name=unique("Fasteners"))
    main, store = api.location(name=unique("Main")), api.location(name=unique("Shop"), type="store")
    bolt = api.item(itemCode=unique("BOLT"), name="Hex bolt", categoryId=fasteners["id"])
    nut = api.item(itemCode=unique("NUT"), name="Hex nut", inventory={"minimumStock": 10})
    api.adjust(main["id"], (bolt["id"], "10", "1.25"), (nut["id"], "4", "0.50"))
    api.adjust(store["id"], (bolt["id"], "2", "1.25"))
    return {"fasteners": fasteners, "main": main, "store": store, "bolt": bolt, "nut": nut}


def _table(html: str, caption: str) -> dict[str, str]:
    """A chart's table (found by its caption): each row's label and its figure."""
    table = html.split(f"<figcaption>{caption}</figcaption>", 1)[1].split("</table>", 1)[0]
    return dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num">([^<]+)</td>', table))


def _rows(html: str) -> list[list[str]]:
    """The items' table: each row's cells as text."""
    table = html.split('<table class="report-rows">', 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    ]


def test_the_valuation_shows_the_services_figures_with_charts_by_category_and_location(
    api: Api, signed_in: Callable[[Role], Web], database: Database, tenant: Tenant
) -> None:
    made = _stocked(api)
    with database.unit_of_work() as session:
        document = valuation_report(session, tenant.actor, filters=ValuationFilters()).document
    assert document["summary"]["total_value"] == 17
    html = signed_in(Role.viewer).get("/reports/valuation").text
    assert f"<dd>{money(document['summary']['total_value'])} " in html
    by_category = _table(html, "Value by category")
    assert by_category == {made["fasteners"]["name"]: "15.00", "Uncategorised": "2.00"}
    by_location = _table(html, "Value by location")
    assert by_location == {made["main"]["name"]: "14.50", made["store"]["name"]: "2.50"}
    assert html.count('<div class="chart-drawing"><svg') == 2
    rows = _rows(html)
    assert [row[0] for row in rows] == sorted([made["bolt"]["itemCode"], made["nut"]["itemCode"]])
    bolt = next(row for row in rows if row[0] == made["bolt"]["itemCode"])
    assert bolt == [made["bolt"]["itemCode"], "Hex bolt", "12", "1.25", "15.00"]
    assert f'<a href="/items/{made["bolt"]["id"]}">' in html


def test_the_filters_narrow_the_report_and_a_bad_value_is_shown_beside_its_field(
    api: Api, signed_in: Callable[[Role], Web]
) -> None:
    made = _stocked(api)
    web = signed_in(Role.viewer)
    at_store = web.get("/reports/valuation", params={"location_id": made["store"]["id"]}).text
    assert [row[:3] for row in _rows(at_store)] == [[made["bolt"]["itemCode"], "Hex bolt", "2"]]
    fasteners = web.get("/reports/valuation", params={"category_id": made["fasteners"]["id"]})
    assert [row[0] for row in _rows(fasteners.text)] == [made["bolt"]["itemCode"]]
    wrong = web.get("/reports/valuation", params={"as_of_date": "yesterday"})
    assert wrong.status_code == 422
    assert 'aria-invalid="true" aria-describedby="e-as_of_date"' in wrong.text
    assert 'value="yesterday"' in wrong.text and "report-rows" not in wrong.text
    over = web.get("/reports/abc", params={"a_threshold": "80", "b_threshold": "30"})
    assert over.status_code == 422 and 'id="e-b_threshold"' in over.text


def test_downloads_hold_the_apis_columns_as_csv_and_xlsx(
    api: Api, signed_in: Callable[[Role], Web]
) -> None:
    made = _stocked(api)
    web = signed_in(Role.viewer)
    page = web.get("/reports/low-stock").text
    assert 'href="/reports/low-stock?format=csv"' in page
    answer = web.get("/reports/low-stock", params={"format": "csv"})
    assert answer.headers["content-type"].startswith(CSV)
    assert 'attachment; filename="low-stock-' in answer.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Item code", "Item", "Location", "Current stock"]
    assert [row[:4] for row in rows[1:]] == [
        [made["nut"]["itemCode"], "Hex nut", made["main"]["name"], "4"]
    ]
    api_file = api.get("/api/v1/inventory/reports/low-stock", params={"format": "csv"})
    assert [row[:4] for row in csv.reader(io.StringIO(api_file.text.lstrip("\ufeff")))] == [
        row[:4] for row in rows
    ]
    workbook = web.get("/reports/valuation", params={"format": "xlsx"})
    assert workbook.headers["content-type"] == XLSX and workbook.content[:2] == b"PK"


def test_the_movements_report_per_location(api: Api, signed_in: Callable[[Role], Web]) -> None:
    made = _stocked(api)
    html = signed_in(Role.viewer).get("/reports/movements", params={"by_location": "true"}).text
    assert 'name="by_location" value="true" checked' in html
    bolts = [row for row in _rows(html) if row[0] == made["bolt"]["itemCode"]]
    assert sorted((row[2], row[5], row[10]) for row in bolts) == sorted(
        [(made["main"]["name"], "10", "12.50"), (made["store"]["name"], "2", "2.50")]
    )


def test_the_abc_analysis_shows_its_classes_in_charts(
    api: Api, signed_in: Callable[[Role], Web], database: Database, tenant: Tenant
) -> None:
    location = api.location()["id"]
    for code, cost, sold in (("BIG", 70, 10), ("MID", 20, 10), ("SMALL", 1, 100)):
        item = api.item(itemCode=unique(code))["id"]
        api.adjust(location, (item, sold, cost), date="2026-04-01")
        body = {
            "locationId": location,
            "date": "2026-04-02",
            "items": [{"itemId": item, "quantity": sold}],
        }
        api.data(api.post("/api/v1/inventory/issues", body), 201)
    period = {"period_from": "2026-04-01", "period_to": "2026-04-30"}
    html = signed_in(Role.viewer).get("/reports/abc", params=period).text
    with database.unit_of_work() as session:
        classes = abc_analysis(session, tenant.actor, filters=AbcFilters(**period)).document[
            "classification"
        ]
    assert _table(html, "Usage value by class") == {
        f"Class {label}": money(figures["total_value"]) for label, figures in classes.items()
    }
    assert _table(html, "Items by class") == {"Class A": "1", "Class B": "1", "Class C": "1"}
    assert [row[2] for row in _rows(html)] == ["A", "B", "C"]


def test_the_reports_link_from_one_header_link(signed_in: Callable[[Role], Web]) -> None:
    html = signed_in(Role.viewer).get("/reports").text
    assert html.count('href="/reports"') == 1  # the header's
    for path in ("/reports/valuation", "/reports/movements", "/reports/low-stock", "/reports/abc"):
        assert f'href="{path}"' in html


def test_a_page_number_that_is_no_number_shows_the_first_page(
    signed_in: Callable[[Role], Web],
) -> None:
    web = signed_in(Role.viewer)
    for page in ("²", "0", "-1", "x", "99999999999"):
        answer = web.get("/reports/low-stock", params={"page": page})
        assert answer.status_code == 200, page
