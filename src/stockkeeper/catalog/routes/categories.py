"""``/api/v1/categories``: the category tree."""

from __future__ import annotations

from fastapi import APIRouter

from stockkeeper.api.deps import Admin, ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_all
from stockkeeper.catalog.errors import CategoryCycle
from stockkeeper.catalog.schemas.entities import (
    CategoryCreate,
    CategoryRead,
    CategoryUpdate,
    Deleted,
)
from stockkeeper.catalog.service import categories as service
from stockkeeper.catalog.views import category_read
from stockkeeper.core.api_model import Envelope
from stockkeeper.core.errors import InUse, NotFound, UnknownReference

router = APIRouter(prefix="/api/v1/categories", tags=["Categories"], route_class=ApiRoute)

_NOT_FOUND = NotFound.code_for("category")
_UNKNOWN_PARENT = UnknownReference.code_for("category")
_UNKNOWN_ACCOUNT = UnknownReference.code_for("account")


@router.get(
    "",
    response_model=Envelope[list[CategoryRead]],
    responses=problems(),
    description="Every category of the company, ordered by position.",
)
def list_categories(session: DbSession, actor: Viewer) -> ExactJSONResponse:
    return ok_all([category_read(view) for view in service.list_categories(session, actor)])


@router.get("/{category_id}", response_model=Envelope[CategoryRead], responses=problems(_NOT_FOUND))
def get_category(session: DbSession, actor: Viewer, category_id: str) -> ExactJSONResponse:
    return ok(category_read(service.get_category(session, actor, category_id=category_id)))


@router.post(
    "",
    status_code=201,
    response_model=Envelope[CategoryRead],
    responses=problems(_UNKNOWN_PARENT, _UNKNOWN_ACCOUNT),
)
def create_category(session: DbSession, actor: Admin, body: CategoryCreate) -> ExactJSONResponse:
    return ok(category_read(service.create_category(session, actor, category=body)), 201)


@router.put(
    "/{category_id}",
    response_model=Envelope[CategoryRead],
    responses=problems(_NOT_FOUND, _UNKNOWN_PARENT, _UNKNOWN_ACCOUNT, CategoryCycle),
    description="Renames, recolours or moves a category; never under itself or one of its "
    "descendants (422 `category_cycle`).",
)
def update_category(
    session: DbSession, actor: Admin, category_id: str, body: CategoryUpdate
) -> ExactJSONResponse:
    view = service.update_category(session, actor, category_id=category_id, changes=body)
    return ok(category_read(view))


@router.delete(
    "/{category_id}",
    response_model=Envelope[Deleted],
    responses=problems(_NOT_FOUND, InUse.code_for("category")),
    description="Deletes a category; one that still has items or subcategories is a 409.",
)
def delete_category(session: DbSession, actor: Admin, category_id: str) -> ExactJSONResponse:
    service.delete_category(session, actor, category_id=category_id)
    return ok(Deleted(id=category_id, deleted=True))
