"""The reports: valuation, movements, low stock and ABC analysis, each with the filters its API
route takes, charts where people would rather look (value by category and by location, the
ABC classes), the items a page at a time, and CSV and XLSX downloads of the same columns as
the API's files.

A report is described once (``Report``): its filters' fields, the service that makes it,
its summary and its charts; one template shows any of them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from sqlalchemy.orm import Session

from stockkeeper.catalog.service.categories import list_categories
from stockkeeper.core.values import Values
from stockkeeper.reports.service import export, low_stock, periods, valuation
from stockkeeper.reports.values import (
    AbcFilters,
    LowStockFilters,
    MovementFilters,
    ValuationFilters,
)
from stockkeeper.reports.views import ReportView
from stockkeeper.tenancy.service import Actor
from stockkeeper.web import nav
from stockkeeper.web.auth import DbSession, Viewer
from stockkeeper.web.charts import Chart, Series
from stockkeeper.web.forms import Outcome, attempt, parse
from stockkeeper.web.item_format import money, quantity
from stockkeeper.web.listing import Pager, asked, page_number
from stockkeeper.web.pages import page_router, render
from stockkeeper.web.stock import places

router = page_router()
nav.register("Reports", "/reports", order=40)

ROWS = 100  # items a page
_FILES: dict[str, export.Format] = {"csv": "csv", "xlsx": "xlsx"}
METHODS = [
    ("fifo", "FIFO"),
    ("lifo", "LIFO"),
    ("average", "Moving average"),
    ("standard", "Standard"),
]


@dataclass(frozen=True)
class Input:
    """A filter's field: its name (the service's), label and kind (text, date, number,
    check, or a select of ``location``, ``category`` or ``method``)."""

    name: str
    label: str
    kind: str = "date"


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    about: str
    inputs: Sequence[Input]
    filters: type[Values]
    make: Callable[[Session, Actor, Any], ReportView]
    summary: Callable[[ReportView], list[tuple[str, str]]] = lambda view: []
    charts: Callable[[ReportView], list[Chart]] = lambda view: []
    path: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", f"/reports/{self.slug}")


def _figure(key: str, value: Any) -> str:
    """A cell: money with its cents, a quantity as it is, anything else as text."""
    if isinstance(value, Decimal):
        return money(value) if key.endswith(("_value", "_cost")) else quantity(value)
    return "" if value is None else str(value)


_TEXT = {"item_code", "item_name", "location_name", "supplier_name", "classification"}


def _cells(view: ReportView, row: dict[str, Any]) -> list[str]:
    return [_figure(key, row.get(key)) for _, key in view.columns]


def _grouped(view: ReportView, key: str, name: str, caption: str) -> Chart:
    groups = view.document[key]
    currency = view.document["currency"]
    labels = [group[name] for group in groups]
    values = [group["total_value"] for group in groups]
    return Chart(caption, name.split("_")[0].title(), labels, [Series(currency, values)], "bar")


def _valuation_summary(view: ReportView) -> list[tuple[str, str]]:
    summary, document = view.document["summary"], view.document
    return [
        ("As of", document["as_of_date"].isoformat()),
        ("Method", dict(METHODS)[document["valuation_method"]]),
        ("Items", str(summary["total_items"])),
        ("Quantity", quantity(summary["total_quantity"])),
        ("Total value", f"{money(summary['total_value'])} {document['currency']}"),
    ]


def _valuation_charts(view: ReportView) -> list[Chart]:
    return [
        _grouped(view, "by_category", "category_name", "Value by category"),
        _grouped(view, "by_location", "location_name", "Value by location"),
    ]


def _period(view: ReportView) -> list[tuple[str, str]]:
    document = view.document
    return [
        ("From", document["period_from"].isoformat()),
        ("To", document["period_to"].isoformat()),
        ("Method", dict(METHODS)[document["valuation_method"]]),
    ]


def _low_summary(view: ReportView) -> list[tuple[str, str]]:
    document = view.document
    return [
        ("Items", str(document["total_items"])),
        ("Estimated cost", money(document["estimated_cost"])),
    ]


def _abc_charts(view: ReportView) -> list[Chart]:
    classes = view.document["classification"]
    labels = [f"Class {label}" for label in classes]
    values = [figures["total_value"] for figures in classes.values()]
    counts = [Decimal(figures["item_count"]) for figures in classes.values()]
    series = [Series(f"Usage value ({view.document['currency']})", values)]
    return [
        Chart("Usage value by class", "Class", labels, series, "pie"),
        Chart("Items by class", "Class", labels, [Series("Items", counts)], "bar", quantity),
    ]


_WHERE = (
    Input("location_id", "Location", "location"),
    Input("category_id", "Category", "category"),
)
_METHOD = Input("valuation_method", "Valuation method", "method")
REPORTS = {
    report.slug: report
    for report in (
        Report(
            "valuation",
            "Stock valuation",
            "What the stock was worth at the end of a day, by any costing method.",
            (
                Input("as_of_date", "As of"),
                *_WHERE,
                _METHOD,
                Input("include_zero_stock", "Items with no stock too", "check"),
            ),
            ValuationFilters,
            lambda s, a, f: valuation.valuation_report(s, a, filters=f),
            _valuation_summary,
            _valuation_charts,
        ),
        Report(
            "movements",
            "Stock movements",
            "Per item over a period: the opening figures, what came in and went out, and the "
            "closing figures.",
            (
                Input("date_from", "From"),
                Input("date_to", "To"),
                *_WHERE,
                _METHOD,
                Input("by_location", "Per location", "check"),
            ),
            MovementFilters,
            lambda s, a, f: periods.movements_report(s, a, filters=f),
            _period,
        ),
        Report(
            "low-stock",
            "Low stock",
            "Items at or below their minimum stock or reorder point, with what to order.",
            _WHERE,
            LowStockFilters,
            lambda s, a, f: low_stock.low_stock_report(s, a, filters=f),
            _low_summary,
        ),
        Report(
            "abc",
            "ABC analysis",
            "Items ranked by the value of the goods issued for use over a period.",
            (
                Input("period_from", "From"),
                Input("period_to", "To"),
                *_WHERE,
                _METHOD,
                Input("a_threshold", "Class A, % of the value", "number"),
                Input("b_threshold", "Class B, % of the value", "number"),
            ),
            AbcFilters,
            lambda s, a, f: periods.abc_analysis(s, a, filters=f),
            _period,
            _abc_charts,
        ),
    )
}


@router.get("/reports")
def reports_page(request: Request, visit: Viewer) -> Response:
    return render(request, "reports/index.html", reports=list(REPORTS.values()))


@router.get("/reports/valuation")
def valuation_page(request: Request, session: DbSession, visit: Viewer) -> Response:
    return _answer(request, session, visit.actor, REPORTS["valuation"])


@router.get("/reports/movements")
def movements_page(request: Request, session: DbSession, visit: Viewer) -> Response:
    return _answer(request, session, visit.actor, REPORTS["movements"])


@router.get("/reports/low-stock")
def low_stock_page(request: Request, session: DbSession, visit: Viewer) -> Response:
    return _answer(request, session, visit.actor, REPORTS["low-stock"])


@router.get("/reports/abc")
def abc_page(request: Request, session: DbSession, visit: Viewer) -> Response:
    return _answer(request, session, visit.actor, REPORTS["abc"])


def _answer(request: Request, session: Session, actor: Actor, report: Report) -> Response:
    """The report's page for the filters asked for or, with ``format=csv|xlsx``, its file."""
    values = asked(request, [each.name for each in report.inputs])
    made = attempt(
        session, values, lambda: report.make(session, actor, parse(report.filters, values))
    )
    kind = _FILES.get(request.query_params.get("format", ""))
    view = made.result
    if view is not None and kind is not None:
        return export.file_response(kind, view.file_name, view.day, view.columns, view.rows)
    return _page(request, session, actor, report, values, made)


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    report: Report,
    values: dict[str, str],
    made: Outcome[ReportView],
) -> Response:
    """The filters as typed (with the refusal beside them), the summary, charts and a page of
    the items, and links to the files."""
    view = made.result
    number = page_number(request.query_params.get("page", ""))
    rows = view.rows[(number - 1) * ROWS : number * ROWS] if view else []
    return render(
        request,
        "reports/report.html",
        422 if made.form.failed else 200,
        report=report,
        view=view,
        form=made.form,
        rows=[(row.get("item_id"), _cells(view, row)) for row in rows] if view else [],
        numeric=[key not in _TEXT for _, key in view.columns] if view else [],
        options=_options(session, actor),
        pager=_pager(report.path, values, number, len(view.rows) if view else 0),
        downloads={kind: _link(report.path, {**values, "format": kind}) for kind in _FILES},
    )


def _pager(path: str, values: dict[str, str], number: int, total: int) -> Pager:
    first = _link(path, values) if number > 1 else None
    after = _link(path, {**values, "page": str(number + 1)}) if number * ROWS < total else None
    return Pager(total, first, after)


def _link(path: str, values: dict[str, str]) -> str:
    return f"{path}?{urlencode(values)}" if values else path


def _options(session: Session, actor: Actor) -> dict[str, list[tuple[str, str]]]:
    """What each select offers: locations, categories, costing methods."""
    return {
        "location": places(session, actor, None).locations,
        "category": [(each.category.id, each.path) for each in list_categories(session, actor)],
        "method": METHODS,
    }
