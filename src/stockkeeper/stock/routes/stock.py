"""``/api/v1/inventory/stock``, ``/movements`` and ``/levels``: stock rows per item and
location (valued by the costing method) and counts that set them, the ledger, and stock at
its finest grain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stockkeeper.adjustments import service as adjustments
from stockkeeper.adjustments.schemas import StockCount
from stockkeeper.api.deps import ApiRoute, Clerk, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_list
from stockkeeper.core.api_model import Envelope, ListEnvelope, Page
from stockkeeper.core.errors import InvalidCursor, UnknownReference
from stockkeeper.costing.service import stock_values
from stockkeeper.stock.errors import (
    FutureDate,
    InsufficientStock,
    InvalidLots,
    ItemCannotMove,
    PeriodLocked,
)
from stockkeeper.stock.schemas import (
    LevelQuery,
    LevelRead,
    MovementQuery,
    MovementRead,
    StockQuery,
    StockRead,
)
from stockkeeper.stock.service import lot_levels, movements
from stockkeeper.stock.views.stock import level_read, movement_read, stock_read

# tags on each route: a count is documented with the adjustments it posts, as it always was
router = APIRouter(prefix="/api/v1/inventory", route_class=ApiRoute)


@router.get(
    "/stock",
    tags=["Stock"],
    response_model=ListEnvelope[StockRead],
    responses=problems(InvalidCursor),
    description="One row per item (and variant) and warehouse or store holding, reserving or "
    "awaiting stock; `averageCost` and `stockValue` follow the company's costing method.",
)
def list_stock(
    session: DbSession, actor: Viewer, query: Annotated[StockQuery, Query()]
) -> ExactJSONResponse:
    page = stock_values.list_stock(
        session, actor, filters=query, limit=query.limit, cursor=query.cursor
    )
    reads = [
        stock_read(row, include_reserved=query.include_reserved, reorder=query.include_reorder_info)
        for row in page.rows
    ]
    return ok_list(reads, Page.of(page.next_cursor, query.limit, page.counted))


@router.put(
    "/stock",
    tags=["Stock adjustments"],
    response_model=Envelope[StockRead],
    responses=problems(
        UnknownReference.code_for("location"),
        UnknownReference.code_for("item"),
        UnknownReference.code_for("reason"),
        UnknownReference.code_for("bin"),
        ItemCannotMove,
        InvalidLots,
        InsufficientStock,
        PeriodLocked,
        FutureDate,
    ),
    description="Sets a counted quantity: posts a stock-count adjustment for the difference "
    "(none when the count matches) and returns the stock at that location.",
)
def count_stock(session: DbSession, actor: Clerk, body: StockCount) -> ExactJSONResponse:
    return ok(stock_read(adjustments.count_stock(session, actor, count=body)))


@router.get(
    "/movements",
    tags=["Stock"],
    response_model=ListEnvelope[MovementRead],
    responses=problems(InvalidCursor),
    description="The ledger as signed rows at warehouses and stores, newest first.",
)
def list_movements(
    session: DbSession, actor: Viewer, query: Annotated[MovementQuery, Query()]
) -> ExactJSONResponse:
    listed = movements.list_movements(
        session, actor, filters=query, limit=query.limit, cursor=query.cursor
    )
    rows = [movement_read(r) for r in listed.rows]
    return ok_list(rows, Page.of(listed.next_cursor, query.limit, listed.counted))


@router.get(
    "/levels",
    tags=["Stock"],
    response_model=ListEnvelope[LevelRead],
    responses=problems(InvalidCursor),
    description="Stock at its finest grain: one row per item (and variant), warehouse or store, "
    "bin, batch and serial number, with batch numbers, expiry dates and serial numbers.",
)
def list_levels(
    session: DbSession, actor: Viewer, query: Annotated[LevelQuery, Query()]
) -> ExactJSONResponse:
    rows, next_cursor, total = lot_levels.list_levels(
        session, actor, filters=query, limit=query.limit, cursor=query.cursor
    )
    return ok_list([level_read(row) for row in rows], Page.of(next_cursor, query.limit, total))
