"""``/api/v1/price-groups``: sales price types for goods, service rate types for services."""

from __future__ import annotations

from fastapi import APIRouter

from stockkeeper.api.deps import Admin, ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_all
from stockkeeper.catalog.schemas.entities import (
    Deleted,
    PriceGroupCreate,
    PriceGroupRead,
    PriceGroupUpdate,
)
from stockkeeper.catalog.service import price_groups as service
from stockkeeper.catalog.values import PriceKind
from stockkeeper.core.api_model import Envelope
from stockkeeper.core.errors import Duplicate, InUse, NotFound

router = APIRouter(prefix="/api/v1/price-groups", tags=["Price groups"], route_class=ApiRoute)

_NOT_FOUND = NotFound.code_for("price group")
_DUPLICATE = Duplicate.code_for("name")


@router.get("", response_model=Envelope[list[PriceGroupRead]], responses=problems())
def list_price_groups(
    session: DbSession, actor: Viewer, kind: PriceKind | None = None
) -> ExactJSONResponse:
    groups = service.list_price_groups(session, actor, kind=kind)
    return ok_all([PriceGroupRead.model_validate(g) for g in groups])


@router.get("/{group_id}", response_model=Envelope[PriceGroupRead], responses=problems(_NOT_FOUND))
def get_price_group(session: DbSession, actor: Viewer, group_id: str) -> ExactJSONResponse:
    group = service.get_price_group(session, actor, group_id=group_id)
    return ok(PriceGroupRead.model_validate(group))


@router.post(
    "",
    status_code=201,
    response_model=Envelope[PriceGroupRead],
    responses=problems(_DUPLICATE),
    description="A group's name is unique among the groups of its kind.",
)
def create_price_group(
    session: DbSession, actor: Admin, body: PriceGroupCreate
) -> ExactJSONResponse:
    group = service.create_price_group(session, actor, group=body)
    return ok(PriceGroupRead.model_validate(group), 201)


@router.put(
    "/{group_id}",
    response_model=Envelope[PriceGroupRead],
    responses=problems(_NOT_FOUND, _DUPLICATE),
)
def update_price_group(
    session: DbSession, actor: Admin, group_id: str, body: PriceGroupUpdate
) -> ExactJSONResponse:
    group = service.update_price_group(session, actor, group_id=group_id, changes=body)
    return ok(PriceGroupRead.model_validate(group))


@router.delete(
    "/{group_id}",
    response_model=Envelope[Deleted],
    responses=problems(_NOT_FOUND, InUse.code_for("price group")),
    description="Only an inactive group can be deleted, never the last one of its kind nor "
    "one that holds the items' selling prices (`holdsSellingPrice`); items' prices in it are "
    "removed with it.",
)
def delete_price_group(session: DbSession, actor: Admin, group_id: str) -> ExactJSONResponse:
    service.delete_price_group(session, actor, group_id=group_id)
    return ok(Deleted(id=group_id, deleted=True))
