"""smallbiz: ``/api/inventory/products``, stock items in smallbiz's shape."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stockkeeper.adjustments.service.item_counts import update_item_counted
from stockkeeper.api.deps import Admin, DbSession, Viewer, WritingRoute
from stockkeeper.api.responses import ExactJSONResponse
from stockkeeper.compat.smallbiz import catalog_parse as parse
from stockkeeper.compat.smallbiz import catalog_render as render
from stockkeeper.compat.smallbiz import ids
from stockkeeper.compat.smallbiz.catalog_schemas import ProductCreate, ProductQuery, ProductUpdate
from stockkeeper.stock.service import items

router = APIRouter(route_class=WritingRoute)
PATH = "/api/inventory/products"


@router.get(PATH)
def list_products(
    session: DbSession, actor: Viewer, query: Annotated[ProductQuery, Query()]
) -> ExactJSONResponse:
    filters = parse.product_listing(session, actor, query)
    skip, take = parse.window(query)
    page = items.list_items(session, actor, filters=filters, limit=take, cursor=None, offset=skip)
    return ExactJSONResponse(render.products(session, actor, page.rows))


@router.post(PATH, status_code=201)
def create_product(session: DbSession, actor: Admin, body: ProductCreate) -> ExactJSONResponse:
    item = parse.new_item(session, actor, body)
    view = items.create_item(session, actor, item=item)
    return ExactJSONResponse(render.product(session, actor, view), status_code=201)


@router.put(PATH + "/{product_id}")
def update_product(
    session: DbSession, actor: Admin, product_id: int, body: ProductUpdate
) -> ExactJSONResponse:
    item_id = ids.record(session, actor, "item", product_id)
    changes = parse.item_changes(session, actor, body)
    view = update_item_counted(
        session, actor, item_id=item_id, changes=changes, on_hand=body.quantity_on_hand
    )
    return ExactJSONResponse(render.product(session, actor, view))


@router.delete(PATH + "/{product_id}")
def delete_product(session: DbSession, actor: Admin, product_id: int) -> ExactJSONResponse:
    items.delete_item(session, actor, item_id=ids.record(session, actor, "item", product_id))
    return ExactJSONResponse({"ok": True})
