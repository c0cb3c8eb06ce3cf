"""The stock list: levels from the stock slice, valued by the company's costing method."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from stockkeeper.catalog.service.categories import CategoryTree
from stockkeeper.core.api_model import ListEnvelope, Page
from stockkeeper.core.currency import MINOR_UNITS
from stockkeeper.core.http import problem_responses
from stockkeeper.core.responses import ExactJSONResponse, ok_list
from stockkeeper.costing import replay, snapshots
from stockkeeper.stock import service
from stockkeeper.stock.routes import stock_read
from stockkeeper.stock.schemas import StockQuery, StockRead
from stockkeeper.tenancy.deps import ApiRoute, DbSession, Viewer
from stockkeeper.tenancy.service import company_today, get_company

router = APIRouter(prefix="/api/v1/inventory", tags=["Stock"], route_class=ApiRoute)


def valued(
    session: Session, company_id: str, rows: list[service.StockRow]
) -> list[service.StockRow]:
    """The rows with the value their stock has under the company's costing method, rounded
    to the currency's minor unit."""
    if not rows:
        return rows
    company = get_company(session, company_id)
    cent = Decimal(1).scaleb(-MINOR_UNITS.get(company.currency, 2))
    revisions = {row.item.id: row.item.cost_revision for row in rows}
    items = {row.item.id: row.item for row in rows}
    values: dict[tuple[str, str | None, str], Decimal] = {}
    for history in snapshots.replays(
        session,
        company_id,
        revisions,
        company.costing_method,
        date.max,
        today=company_today(company),
    ):
        standard = replay.standard_cost(items[history.item_id])
        for location_id, position in history.outcome(standard)[0].items():
            values[(history.item_id, history.variant_id, location_id)] = position.value.quantize(
                cent
            )
    return [
        replace(row, value=values.get((row.item.id, row.variant_id, row.location.id), row.value))
        for row in rows
    ]


@router.get(
    "/stock",
    response_model=ListEnvelope[StockRead],
    responses=problem_responses(),
    description="One row per item (and variant) and warehouse or store holding, reserving or "
    "awaiting stock; `averageCost` and `stockValue` follow the company's costing method.",
)
def list_stock(
    session: DbSession, actor: Viewer, query: Annotated[StockQuery, Query()]
) -> ExactJSONResponse:
    categories = (
        CategoryTree.load(session, actor.company_id).subtree(query.category_id)
        if query.category_id
        else None
    )
    filters = service.StockFilters(
        item_id=query.item_id,
        location_id=query.location_id,
        category_ids=categories,
        low_stock=query.low_stock,
        out_of_stock=query.out_of_stock,
        negative=query.negative,
        value_min=query.value_min,
        value_max=query.value_max,
    )
    rows, next_cursor, total = service.list_stock(
        session, actor.company_id, filters=filters, limit=query.limit, cursor=query.cursor
    )
    page = Page.of(next_cursor, query.limit, total)
    reads = [
        stock_read(r, include_reserved=query.include_reserved, reorder=query.include_reorder_info)
        for r in valued(session, actor.company_id, rows)
    ]
    return ok_list(reads, page)
