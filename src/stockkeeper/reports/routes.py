from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from stockkeeper.api.deps import ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problem_responses
from stockkeeper.api.responses import ok
from stockkeeper.core.api_model import Envelope
from stockkeeper.core.types import utcnow
from stockkeeper.reports import export, low_stock, periods, valuation
from stockkeeper.reports.schemas import (
    AbcParams,
    AbcReport,
    Format,
    LowStockParams,
    LowStockReport,
    MovementParams,
    MovementReport,
    ValuationParams,
    ValuationReport,
)
from stockkeeper.tenancy.service import company_today, get_company

router = APIRouter(prefix="/api/v1/inventory/reports", tags=["Reports"], route_class=ApiRoute)
_FILES = {**export.FILE_RESPONSES, **problem_responses()}

# the columns of each report's file: heading, key of its rows
VALUATION_COLUMNS = [
    ("Item code", "item_code"),
    ("Item", "item_name"),
    ("Quantity", "quantity"),
    ("Average cost", "average_cost"),
    ("Value", "total_value"),
]
MOVEMENT_COLUMNS = [
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
LOW_STOCK_COLUMNS = [
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
ABC_COLUMNS = [
    ("Item code", "item_code"),
    ("Item", "item_name"),
    ("Class", "classification"),
    ("Usage", "annual_usage"),
    ("Unit cost", "unit_cost"),
    ("Usage value", "annual_value"),
    ("Cumulative %", "cumulative_percentage"),
]


def _respond(
    request: Request,
    given: Format | None,
    schema: type[BaseModel],
    document: dict[str, Any],
    *,
    name: str,
    day: date,
    columns: list[export.Column],
) -> Response:
    """The report in the envelope, or its items as the file asked for."""
    kind = export.wanted(request, given)
    if kind == "json":
        return ok(schema.model_validate(document))
    return export.file_response(kind, name, day, columns, document["items"])


@router.get(
    "/valuation",
    response_model=Envelope[ValuationReport],
    responses=_FILES,
    description="What the stock was worth at the end of `asOfDate` (any past day, exact), "
    "under `valuationMethod`: FIFO, perpetual LIFO, moving average or standard cost (with "
    "the purchase price variance). Stock in transit counts, at its own location. "
    "`format=csv|xlsx` downloads the items.",
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
    return _respond(
        request,
        query.format,
        ValuationReport,
        valuation.as_document(report),
        name="stock-valuation",
        day=report.as_of,
        columns=VALUATION_COLUMNS,
    )


def _period(
    query: MovementParams | AbcParams, start: date | None, end: date | None
) -> periods.PeriodQuery:
    return periods.PeriodQuery(
        date_from=start,
        date_to=end,
        location_id=query.location_id,
        category_id=query.category_id,
        item_id=query.item_id if isinstance(query, MovementParams) else None,
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
    return _respond(
        request,
        query.format,
        MovementReport,
        document,
        name="stock-movements",
        day=document["period_to"],
        columns=MOVEMENT_COLUMNS,
    )


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
    document = {
        "report_name": "Low Stock Report",
        "generated_at": utcnow(),
        "total_items": len(rows),
        "estimated_cost": sum((r["estimated_cost"] for r in rows), Decimal(0)),
        "items": rows,
    }
    return _respond(
        request,
        query.format,
        LowStockReport,
        document,
        name="low-stock",
        day=company_today(get_company(session, actor.company_id)),
        columns=LOW_STOCK_COLUMNS,
    )


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
    start = query.period_from or end - timedelta(days=364)  # the 365 days up to periodTo
    document = periods.abc_analysis(
        session, actor, _period(query, start, end), (query.a_threshold, query.b_threshold)
    )
    return _respond(
        request,
        query.format,
        AbcReport,
        document,
        name="abc-analysis",
        day=end,
        columns=ABC_COLUMNS,
    )
