from __future__ import annotations

from fastapi import APIRouter

from stockkeeper.api.deps import Admin, ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problem_responses
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_all
from stockkeeper.catalog.models import Category
from stockkeeper.catalog.schemas.entities import (
    CategoryCreate,
    CategoryRead,
    CategoryUpdate,
    Deleted,
)
from stockkeeper.catalog.service import categories as service
from stockkeeper.catalog.service.categories import CategoryTree
from stockkeeper.core.api_model import Envelope

router = APIRouter(prefix="/api/v1/categories", tags=["Categories"], route_class=ApiRoute)


def _read(category: Category, tree: CategoryTree) -> CategoryRead:
    return CategoryRead(
        id=category.id,
        name=category.name,
        parent_id=category.parent_id,
        path=tree.path(category.id),
        color=category.color,
        position=category.position,
        created_at=category.created_at,
        updated_at=category.updated_at,
    )


def _one(session: DbSession, actor: Viewer, category: Category) -> ExactJSONResponse:
    return ok(_read(category, CategoryTree.load(session, actor.company_id)))


@router.get(
    "",
    response_model=Envelope[list[CategoryRead]],
    responses=problem_responses(),
    description="Every category of the company, ordered by position.",
)
def list_categories(session: DbSession, actor: Viewer) -> ExactJSONResponse:
    tree = CategoryTree.load(session, actor.company_id)
    return ok_all([_read(c, tree) for c in service.list_categories(session, actor)])


@router.get(
    "/{category_id}", response_model=Envelope[CategoryRead], responses=problem_responses(404)
)
def get_category(session: DbSession, actor: Viewer, category_id: str) -> ExactJSONResponse:
    return _one(session, actor, service.get_category(session, actor, category_id=category_id))


@router.post(
    "", status_code=201, response_model=Envelope[CategoryRead], responses=problem_responses()
)
def create_category(session: DbSession, actor: Admin, body: CategoryCreate) -> ExactJSONResponse:
    category = service.create_category(session, actor, values=body.model_dump())
    return ok(_read(category, CategoryTree.load(session, actor.company_id)), 201)


@router.put(
    "/{category_id}", response_model=Envelope[CategoryRead], responses=problem_responses(404)
)
def update_category(
    session: DbSession, actor: Admin, category_id: str, body: CategoryUpdate
) -> ExactJSONResponse:
    changes = body.model_dump(exclude_unset=True)
    return _one(
        session,
        actor,
        service.update_category(session, actor, category_id=category_id, changes=changes),
    )


@router.delete(
    "/{category_id}",
    response_model=Envelope[Deleted],
    responses=problem_responses(404, 409),
    description="Deletes a category; one that still has items or subcategories is a 409.",
)
def delete_category(session: DbSession, actor: Admin, category_id: str) -> ExactJSONResponse:
    service.delete_category(session, actor, category_id=category_id)
    return ok(Deleted(id=category_id, deleted=True))
