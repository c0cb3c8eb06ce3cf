"""The stock list: levels from the stock slice, valued by the company's costing method."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item
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


def method_values(
    session: Session,
    company_id: str,
    revisions: dict[str, int],
    standard_costs: dict[str, Decimal],
) -> dict[tuple[str, str | None, str], Decimal]:
    """(item, variant, location) -> the value of its stock under the company's costing
    method, rounded to the currency's minor unit. ``revisions`` holds each item's cost
    revision, read before this runs."""
    if not revisions:
        return {}
    company = get_company(session, company_id)
    cent = Decimal(1).scaleb(-MINOR_UNITS.get(company.currency, 2))
    values = {}
    for history in snapshots.replays(
        session,
        company_id,
        revisions,
        company.costing_method,
        date.max,
        today=company_today(company),
    ):
        for location_id, position in history.outcome(standard_costs[history.item_id])[0].items():
            values[(history.item_id, history.variant_id, location_id)] = position.value.quantize(
                cent
            )
    return values


def valued(
    session: Session, company_id: str, rows: list[service.StockRow]
) -> list[service.StockRow]:
    """The rows with the value their stock has under the company's costing method."""
    items = {row.item.id: row.item for row in rows}
    values = method_values(
        session,
        company_id,
        {item_id: item.cost_revision for item_id, item in items.items()},
        {item_id: replay.standard_cost(item) for item_id, item in items.items()},
    )
    return _revalued(rows, values)


def _revalued(
    rows: list[service.StockRow], values: dict[tuple[str, str | None, str], Decimal]
) -> list[service.StockRow]:
    return [
        replace(row, value=values.get((row.item.id, row.variant_id, row.location.id), row.value))
        for row in rows
    ]


def _within_values(
    session: Session, company_id: str, filters: service.StockFilters, query: StockQuery
) -> tuple[list[service.StockRow], str | None, int]:
    """The page of stock rows whose value under the costing method lies within
    ``valueMin``..``valueMax``: every candidate row is valued first, then paged."""
    figures = service.stock_figures(session, company_id, filters)
    items = replay.costed_items(
        session,
        [Item.company_id == company_id, Item.id.in_({f.key[0] for f in figures})],
    )
    values = method_values(
        session,
        company_id,
        {item_id: item.cost_revision for item_id, item in items.items()},
        {item_id: item.standard_cost for item_id, item in items.items()},
    )
    low, high = query.value_min, query.value_max
    inside = [
        f
        for f in figures
        for value in [values.get((f.key[0], f.variant_id, f.key[2]), f.value)]
        if (low is None or value >= low) and (high is None or value <= high)
    ]
    after = service.after_cursor(query.cursor) if query.cursor else None
    rest = [f for f in inside if after is None or f.key > after]
    page = rest[: query.limit]
    next_cursor = service.stock_cursor(page[-1].key) if len(rest) > query.limit else None
    rows = service.stock_rows(session, company_id, filters, [f.key for f in page])
    return _revalued(rows, values), next_cursor, len(inside)


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
    )
    if query.value_min is None and query.value_max is None:
        rows, next_cursor, total = service.list_stock(
            session, actor.company_id, filters=filters, limit=query.limit, cursor=query.cursor
        )
        rows = valued(session, actor.company_id, rows)
    else:
        rows, next_cursor, total = _within_values(session, actor.company_id, filters, query)
    page = Page.of(next_cursor, query.limit, total)
    reads = [
        stock_read(r, include_reserved=query.include_reserved, reorder=query.include_reorder_info)
        for r in rows
    ]
    return ok_list(reads, page)
