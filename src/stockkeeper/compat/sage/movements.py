"""``/stock_movements``: the ledger's movements at warehouses and stores, signed (out is
negative), numbered, each with its stock item whole; and manual movements, posted as a
stock take adjustment of one line at the default warehouse (a negative quantity takes stock
out, and is refused, naming every short line, where it would take more than there is)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from stockkeeper.api.deps import Clerk, DbSession, Viewer, WritingRoute
from stockkeeper.compat.sage.paging import sage_list, sage_record
from stockkeeper.compat.sage.records import movement_records, one_movement
from stockkeeper.compat.sage.schemas import MovementListQuery, MovementRequest
from stockkeeper.reports.service import movement_history as service

router = APIRouter(route_class=WritingRoute)
ListParams = Annotated[MovementListQuery, Query()]


@router.get("/stock_movements")
def list_stock_movements(
    request: Request,
    session: DbSession,
    actor: Viewer,
    query: Annotated[MovementListQuery, Query()],
) -> Response:
    entries, total = service.list_movement_entries(
        session, actor, item_id=query.stock_item_id, offset=query.offset, limit=query.items_per_page
    )
    return sage_list(request, query, movement_records(session, actor, entries), total)


@router.get("/stock_movements/{movement_id}")
def get_stock_movement(session: DbSession, actor: Viewer, movement_id: str) -> Response:
    entry = service.get_movement_entry(session, actor, entry_id=movement_id)
    return sage_record(one_movement(session, actor, entry))


@router.post("/stock_movements", status_code=201)
def create_stock_movement(session: DbSession, actor: Clerk, body: MovementRequest) -> Response:
    adjustment = body.stock_movement.adjustment()
    entry = service.post_manual_movement(session, actor, adjustment=adjustment)
    return sage_record(one_movement(session, actor, entry), 201)
