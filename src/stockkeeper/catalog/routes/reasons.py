"""``/api/v1/inventory/adjustment-reasons``: the reasons stock is adjusted, written off or
returned for."""

from __future__ import annotations

from fastapi import APIRouter

from stockkeeper.api.deps import Admin, ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_all
from stockkeeper.catalog.schemas.entities import Deleted, ReasonCreate, ReasonRead, ReasonUpdate
from stockkeeper.catalog.service import reasons as service
from stockkeeper.core.api_model import Envelope
from stockkeeper.core.errors import Duplicate, InUse, NotFound, UnknownReference

router = APIRouter(
    prefix="/api/v1/inventory/adjustment-reasons",
    tags=["Stock adjustments"],
    route_class=ApiRoute,
)
_NOT_FOUND = NotFound.code_for("adjustment reason")
_UNKNOWN_ACCOUNT = UnknownReference.code_for("account")


@router.get("", response_model=Envelope[list[ReasonRead]], responses=problems())
def list_reasons(session: DbSession, actor: Viewer) -> ExactJSONResponse:
    return ok_all([ReasonRead.model_validate(r) for r in service.list_reasons(session, actor)])


@router.post(
    "",
    status_code=201,
    response_model=Envelope[ReasonRead],
    responses=problems(Duplicate.code_for("code"), _UNKNOWN_ACCOUNT),
)
def create_reason(session: DbSession, actor: Admin, body: ReasonCreate) -> ExactJSONResponse:
    return ok(ReasonRead.model_validate(service.create_reason(session, actor, reason=body)), 201)


@router.put(
    "/{code}", response_model=Envelope[ReasonRead], responses=problems(_NOT_FOUND, _UNKNOWN_ACCOUNT)
)
def update_reason(
    session: DbSession, actor: Admin, code: str, body: ReasonUpdate
) -> ExactJSONResponse:
    reason = service.update_reason(session, actor, code=code, changes=body)
    return ok(ReasonRead.model_validate(reason))


@router.delete(
    "/{code}",
    response_model=Envelope[Deleted],
    responses=problems(_NOT_FOUND, InUse.code_for("reason")),
    description="Deletes a company's own reason that no document uses; standard ones can "
    "only be deactivated.",
)
def delete_reason(session: DbSession, actor: Admin, code: str) -> ExactJSONResponse:
    service.delete_reason(session, actor, code=code)
    return ok(Deleted(id=code, deleted=True))
