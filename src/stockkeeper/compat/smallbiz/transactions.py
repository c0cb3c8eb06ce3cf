"""smallbiz: ``/api/inventory/transactions``, the stock mutations at the company's warehouses
and stores, newest first, each with its signed ``delta`` and its ``reason``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stockkeeper.api.deps import DbSession, Viewer, WritingRoute
from stockkeeper.api.responses import ExactJSONResponse
from stockkeeper.compat.smallbiz import catalog_parse as parse
from stockkeeper.compat.smallbiz import catalog_render as render
from stockkeeper.compat.smallbiz.catalog_schemas import TransactionQuery
from stockkeeper.stock.service.movements import list_movements

router = APIRouter(route_class=WritingRoute)


@router.get("/api/inventory/transactions")
def list_transactions(
    session: DbSession, actor: Viewer, query: Annotated[TransactionQuery, Query()]
) -> ExactJSONResponse:
    filters = parse.movement_filters(session, actor, query)
    skip, take = parse.window(query)
    listed = list_movements(
        session, actor, filters=filters, limit=take, cursor=None, offset=skip, with_total=False
    )
    return ExactJSONResponse(render.transactions(session, actor, listed.rows))
