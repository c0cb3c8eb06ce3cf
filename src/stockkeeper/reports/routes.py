from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from stockkeeper.core.api_model import Envelope
from stockkeeper.core.http import problem_responses
from stockkeeper.core.responses import ok
from stockkeeper.core.types import utcnow
from stockkeeper.reports import export, low_stock, periods, valuation
from stockkeeper.reports.schemas import (
    AbcParams,
    AbcReport,
    LowStockParams,
    LowStockReport,
    MovementParams,
    MovementReport,
    ValuationParams,
    ValuationReport,
)
from stockkeeper.tenancy.deps import ApiRoute, DbSession, Viewer
from stockkeeper.tenancy.service import company_today, get_company

router = APIRouter(prefix="/api/v1/inventory/reports", tags=["Reports"], route_class=ApiRoute)
_FILES = {**export.FILE_RESPONSES, **problem_responses()}


@router.get(
    "/valuation",
    response_model=Envelope[ValuationReport],
    responses=_FILES,
    description="What the stock was worth at the end of `asOfDate` (any past day, exact), "
    "under `valuationMethod`: FIFO, perpetual LIFO, moving average or standard cost. Stock "
    "in transit counts, at its own location. `format=csv|xlsx` downloads the items.",
)
def valuation_report(
    request: Request, session: DbSession, actor: Viewer, query: Annotated[ValuationParams, Query()]
) -> Response:
    report = valuation.valuation(
        session,
        actor,
        valuation.ValuationQuery(
            as_of=query.as_of_date,
            location_id=query.location_id,
            category_id=query.category_id,
            method=query.valuation_method,
            include_zero_stock=query.include_zero_stock,
        ),
    )
    document = valuation.as_document(report)
    kind = export.wanted(request, query.format)
    if kind != "json":
        columns = [
            ("Item code", "item_code"),
            ("Item", "item_name"),
            ("Quantity", "quantity"),
            ("Average cost", "average_cost"),
            ("Value", "total_value"),
        ]
        return export.file_response(
            kind, "stock-valuation", report.as_of, columns, document["items"]
        )
    return ok(ValuationReport.model_validate(document))


def _period(query: MovementParams | AbcParams, start: Any, end: Any) -> periods.PeriodQuery:
    return periods.PeriodQuery(
        date_from=start,
        date_to=end,
        location_id=query.location_id,
        category_id=query.category_id,
        item_id=getattr(query, "item_id", None),
        method=query.valuation_method,
    )


@router.get(
    "/movements",
    response_model=Envelope[MovementReport],
    responses=_FILES,
    description="For a period: per item (per item and location with `byLocation=true`) the "
    "opening quantity and value, what came in and went out, and the closing figures, valued "
    "by `valuationMethod`. Per item, moves between the company's own locations are left out.",
)
def movements_report(
    request: Request, session: DbSession, actor: Viewer, query: Annotated[MovementParams, Query()]
) -> Response:
    document = periods.movements_report(
        session,
        actor,
        _period(query, query.date_from, query.date_to),
        by_location=query.by_location,
    )
    kind = export.wanted(request, query.format)
    if kind != "json":
        columns = [
            ("Item code", "item_code"),
            ("Item", "item_name"),
            ("Location", "location_name"),
            ("Opening quantity", "opening_quantity"),
            ("Opening value", "opening_value"),
            ("In quantity", "in_quantity"),
            ("In value", "in_value"),
            ("Out quantity", "out_quantity"),
            ("Out value", "out_value"),
            ("Closing quantity", "closing_quantity"),
            ("Closing value", "closing_value"),
        ]
        return export.file_response(
            kind, "stock-movements", document["period_to"], columns, document["items"]
        )
    return ok(MovementReport.model_validate(document))


@router.get(
    "/low-stock",
    response_model=Envelope[LowStockReport],
    responses=_FILES,
    description="Every stocked item at or below its minimum stock or reorder point at a "
    "warehouse or store, with what is on order, the suggested order quantity (the reorder "
    "quantity less what is on order), the supplier and the estimated cost.",
)
def low_stock_report(
    request: Request, session: DbSession, actor: Viewer, query: Annotated[LowStockParams, Query()]
) -> Response:
    rows = low_stock.low_stock(
        session, actor, location_id=query.location_id, category_id=query.category_id
    )
    kind = export.wanted(request, query.format)
    if kind != "json":
        columns = [
            ("Item code", "item_code"),
            ("Item", "item_name"),
            ("Location", "location_name"),
            ("Current stock", "current_stock"),
            ("Minimum stock", "minimum_stock"),
            ("Reorder point", "reorder_point"),
            ("On order", "on_order_stock"),
            ("Suggested quantity", "suggested_quantity"),
            ("Supplier", "supplier_name"),
            ("Estimated cost", "estimated_cost"),
        ]
        today = company_today(get_company(session, actor.company_id))
        return export.file_response(kind, "low-stock", today, columns, rows)
    report = {
        "report_name": "Low Stock Report",
        "generated_at": utcnow(),
        "total_items": len(rows),
        "estimated_cost": sum((r["estimated_cost"] for r in rows), Decimal(0)),
        "items": rows,
    }
    return ok(LowStockReport.model_validate(report))


@router.get(
    "/abc-analysis",
    response_model=Envelope[AbcReport],
    responses=_FILES,
    description="Items ranked by usage value (goods issued for use: sales and fulfilments) "
    "over the period; class A holds the first `aThreshold` percent of the value (70 by "
    "default), B the next `bThreshold` (20), C the rest.",
)
def abc_report(
    request: Request, session: DbSession, actor: Viewer, query: Annotated[AbcParams, Query()]
) -> Response:
    end = query.period_to or company_today(get_company(session, actor.company_id))
    start = query.period_from or end.replace(year=end.year - 1) + timedelta(days=1)
    document = periods.abc_analysis(
        session, actor, _period(query, start, end), (query.a_threshold, query.b_threshold)
    )
    kind = export.wanted(request, query.format)
    if kind != "json":
        columns = [
            ("Item code", "item_code"),
            ("Item", "item_name"),
            ("Class", "classification"),
            ("Usage", "annual_usage"),
            ("Unit cost", "unit_cost"),
            ("Usage value", "annual_value"),
            ("Cumulative %", "cumulative_percentage"),
        ]
        return export.file_response(kind, "abc-analysis", end, columns, document["items"])
    return ok(AbcReport.model_validate(document))
