from __future__ import annotations

from fastapi import APIRouter

from stockkeeper.api.deps import Admin, ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problem_responses
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_all
from stockkeeper.catalog.schemas.entities import (
    Deleted,
    PriceGroupCreate,
    PriceGroupRead,
    PriceGroupUpdate,
    PriceKind,
)
from stockkeeper.catalog.service import price_groups as service
from stockkeeper.core.api_model import Envelope

router = APIRouter(prefix="/api/v1/price-groups", tags=["Price groups"], route_class=ApiRoute)


@router.get("", response_model=Envelope[list[PriceGroupRead]], responses=problem_responses())
def list_price_groups(
    session: DbSession, actor: Viewer, kind: PriceKind | None = None
) -> ExactJSONResponse:
    groups = service.list_price_groups(session, actor, kind=kind)
    return ok_all([PriceGroupRead.model_validate(g) for g in groups])


@router.get(
    "/{group_id}", response_model=Envelope[PriceGroupRead], responses=problem_responses(404)
)
def get_price_group(session: DbSession, actor: Viewer, group_id: str) -> ExactJSONResponse:
    return ok(
        PriceGroupRead.model_validate(service.get_price_group(session, actor, group_id=group_id))
    )


@router.post(
    "", status_code=201, response_model=Envelope[PriceGroupRead], responses=problem_responses(409)
)
def create_price_group(
    session: DbSession, actor: Admin, body: PriceGroupCreate
) -> ExactJSONResponse:
    group = service.create_price_group(session, actor, values=body.model_dump())
    return ok(PriceGroupRead.model_validate(group), 201)


@router.put(
    "/{group_id}", response_model=Envelope[PriceGroupRead], responses=problem_responses(404, 409)
)
def update_price_group(
    session: DbSession, actor: Admin, group_id: str, body: PriceGroupUpdate
) -> ExactJSONResponse:
    group = service.update_price_group(
        session, actor, group_id=group_id, changes=body.model_dump(exclude_unset=True)
    )
    return ok(PriceGroupRead.model_validate(group))


@router.delete(
    "/{group_id}",
    response_model=Envelope[Deleted],
    responses=problem_responses(404, 409),
    description="Only an inactive group can be deleted, and never the last one of its kind; "
    "items' prices in it are removed with it.",
)
def delete_price_group(session: DbSession, actor: Admin, group_id: str) -> ExactJSONResponse:
    service.delete_price_group(session, actor, group_id=group_id)
    return ok(Deleted(id=group_id, deleted=True))
