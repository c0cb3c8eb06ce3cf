"""smallbiz: ``/api/inventory/categories``, ordered by position."""

from __future__ import annotations

from fastapi import APIRouter

from stockkeeper.api.deps import Admin, DbSession, Viewer, WritingRoute
from stockkeeper.api.responses import ExactJSONResponse
from stockkeeper.catalog.service import categories as service
from stockkeeper.compat.smallbiz import catalog_parse as parse
from stockkeeper.compat.smallbiz import catalog_render as render
from stockkeeper.compat.smallbiz import ids
from stockkeeper.compat.smallbiz.catalog_schemas import CategoryCreate, CategoryUpdate

router = APIRouter(route_class=WritingRoute)
PATH = "/api/inventory/categories"


@router.get(PATH)
def list_categories(session: DbSession, actor: Viewer) -> ExactJSONResponse:
    views = service.list_categories(session, actor)
    return ExactJSONResponse(render.categories(session, actor, views))


@router.post(PATH, status_code=201)
def create_category(session: DbSession, actor: Admin, body: CategoryCreate) -> ExactJSONResponse:
    view = service.create_category(session, actor, category=parse.new_category(body))
    return ExactJSONResponse(render.category(session, actor, view), status_code=201)


@router.put(PATH + "/{category_id}")
def update_category(
    session: DbSession, actor: Admin, category_id: int, body: CategoryUpdate
) -> ExactJSONResponse:
    record = ids.record(session, actor, "category", category_id)
    changes = parse.category_changes(body)
    view = service.update_category(session, actor, category_id=record, changes=changes)
    return ExactJSONResponse(render.category(session, actor, view))


@router.delete(PATH + "/{category_id}")
def delete_category(session: DbSession, actor: Admin, category_id: int) -> ExactJSONResponse:
    record = ids.record(session, actor, "category", category_id)
    service.delete_category(session, actor, category_id=record)
    return ExactJSONResponse({"ok": True})
