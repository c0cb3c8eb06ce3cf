"""``/api/v1/inventory/reports``: the inventory reports, in the envelope or as files."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from stockkeeper.api.deps import ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ok
from stockkeeper.core.api_model import Envelope
from stockkeeper.core.errors import UnknownReference
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
from stockkeeper.reports.service import export, low_stock, periods, valuation
from stockkeeper.reports.views import ReportView

router = APIRouter(prefix="/api/v1/inventory/reports", tags=["Reports"], route_class=ApiRoute)
_FILES = {**export.FILE_RESPONSES, **problems()}
_LOCATED = {**export.FILE_RESPONSES, **problems(UnknownReference.code_for("location"))}


def _respond(request: Request, given: Format | None, view: ReportView) -> Response:
    """The report in the envelope, or its items as the file asked for."""
    kind = export.wanted(request, given)
    if kind == "json":
        return ok(view.read())
    return export.file_response(kind, view.file_name, view.day, view.columns, view.rows)


@router.get(
    "/valuation",
    response_model=Envelope[ValuationReport],
    responses=_LOCATED,
    description="What the stock was worth at the end of `asOfDate` (any past day, exact), "
    "under `valuationMethod`: FIFO, perpetual LIFO, moving average or standard cost (with "
    "the purchase price variance). Stock in transit counts, at its own location. "
    "`format=csv|xlsx` downloads the items.",
)
def valuation_report(
    request: Request, session: DbSession, actor: Viewer, query: Annotated[ValuationParams, Query()]
) -> Response:
    report = valuation.valuation_report(session, actor, filters=query)
    return _respond(request, query.format, report)


@router.get(
    "/movements",
    response_model=Envelope[MovementReport],
    responses=_LOCATED,
    description="For a period: per item (per item and location with `byLocation=true`) the "
    "opening quantity and value, what came in and went out, and the closing figures, valued "
    "by `valuationMethod`. Per item, moves between the company's own locations are left out.",
)
def movements_report(
    request: Request, session: DbSession, actor: Viewer, query: Annotated[MovementParams, Query()]
) -> Response:
    report = periods.movements_report(session, actor, filters=query)
    return _respond(request, query.format, report)


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
    report = low_stock.low_stock_report(session, actor, filters=query)
    return _respond(request, query.format, report)


@router.get(
    "/abc-analysis",
    response_model=Envelope[AbcReport],
    responses=_LOCATED,
    description="Items ranked by usage value (goods issued for use: sales and fulfilments) "
    "over the period; class A holds the first `aThreshold` percent of the value (70 by "
    "default), B the next `bThreshold` (20), C the rest.",
)
def abc_report(
    request: Request, session: DbSession, actor: Viewer, query: Annotated[AbcParams, Query()]
) -> Response:
    report = periods.abc_analysis(session, actor, filters=query)
    return _respond(request, query.format, report)
