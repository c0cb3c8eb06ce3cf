"""smallbiz: purchase orders, ``/api/suppliers/orders``: listed newest first with their
supplier's name and item counts, one with all its lines; created (status ``created``, an IO
number, no lines yet), its lines replaced while created or ordered, moved on (``received``
receives everything still open), and deleted in any status with its stock effects."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from stockkeeper.api.deps import Admin, DbSession, Viewer, WritingRoute
from stockkeeper.api.responses import ExactJSONResponse
from stockkeeper.compat.smallbiz import purchasing_parse as parse
from stockkeeper.compat.smallbiz import purchasing_render as render
from stockkeeper.compat.smallbiz.purchasing_schemas import (
    OrderCreate,
    OrderItems,
    OrderQuery,
    OrderUpdate,
    PathId,
)
from stockkeeper.purchasing import service
from stockkeeper.purchasing.values import OrderFilters

router = APIRouter(route_class=WritingRoute)
PATH = "/api/suppliers/orders"
ONE = PATH + "/{order}"
EVERYTHING = 2**31  # what ``limit`` is without ``page``: every row
_ALL = OrderFilters()


@router.get(PATH)
def list_orders(
    session: DbSession, actor: Viewer, query: Annotated[OrderQuery, Query()]
) -> ExactJSONResponse:
    skip, take = query.window()
    limit, statuses = take or EVERYTHING, parse.statuses(query)
    found = service.list_orders(
        session, actor, filters=_ALL, limit=limit, cursor=None, offset=skip, statuses=statuses
    )
    return ExactJSONResponse(render.orders(session, actor, found.rows))


@router.get(ONE)
def get_order(session: DbSession, actor: Viewer, order: PathId) -> ExactJSONResponse:
    view = service.get_order(session, actor, order_id=parse.order_id(session, actor, order))
    return ExactJSONResponse(render.order(session, actor, view))


@router.post(PATH, status_code=201)
def create_order(session: DbSession, actor: Admin, body: OrderCreate) -> ExactJSONResponse:
    view = service.create_order(session, actor, order=parse.new_order(session, actor, body))
    return ExactJSONResponse(render.order(session, actor, view), status_code=201)


@router.put(ONE + "/items")
def replace_items(
    session: DbSession, actor: Admin, order: PathId, body: OrderItems
) -> ExactJSONResponse:
    order_id = parse.order_id(session, actor, order)
    lines = parse.order_lines(session, actor, body.items)
    view = service.replace_order_lines(session, actor, order_id=order_id, lines=lines)
    return ExactJSONResponse(render.order(session, actor, view))


@router.put(ONE)
def update_order(
    session: DbSession, actor: Admin, order: PathId, body: OrderUpdate
) -> ExactJSONResponse:
    order_id = parse.order_id(session, actor, order)
    changes = parse.order_changes(session, actor, order_id, body)
    view = service.update_order(
        session, actor, order_id=order_id, changes=changes, order_on_the_way=True
    )
    return ExactJSONResponse(render.order(session, actor, view))


@router.delete(ONE)
def delete_order(
    request: Request, session: DbSession, actor: Admin, order: PathId
) -> ExactJSONResponse:
    order_id = parse.order_id(session, actor, order)
    data_dir = request.app.state.settings.data_dir
    service.delete_order(session, actor, order_id=order_id, data_dir=data_dir)
    return ExactJSONResponse({"ok": True})
