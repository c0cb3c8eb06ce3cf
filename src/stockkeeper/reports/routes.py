from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stockkeeper.core.api_model import Envelope
from stockkeeper.core.http import problem_responses
from stockkeeper.core.responses import ExactJSONResponse, ok
from stockkeeper.reports import valuation
from stockkeeper.reports.schemas import ValuationParams, ValuationReport
from stockkeeper.tenancy.deps import ApiRoute, DbSession, Viewer

router = APIRouter(prefix="/api/v1/inventory/reports", tags=["Reports"], route_class=ApiRoute)


@router.get(
    "/valuation",
    response_model=Envelope[ValuationReport],
    responses=problem_responses(),
    description="What the stock was worth at the end of `asOfDate` (any past day, exact), "
    "under `valuationMethod`: FIFO, perpetual LIFO, moving average or standard cost. Stock "
    "in transit counts, at its own location.",
)
def valuation_report(
    session: DbSession, actor: Viewer, query: Annotated[ValuationParams, Query()]
) -> ExactJSONResponse:
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
    return ok(ValuationReport.model_validate(valuation.as_document(report)))
