from __future__ import annotations

from fastapi import APIRouter

from stockkeeper.api.deps import Admin, ApiRoute, DbSession
from stockkeeper.api.problems import problem_responses
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_all
from stockkeeper.core.api_model import Envelope
from stockkeeper.tenancy import service
from stockkeeper.tenancy.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead

router = APIRouter(prefix="/api/v1/api-keys", tags=["API keys"], route_class=ApiRoute)


@router.get("", response_model=Envelope[list[ApiKeyRead]], responses=problem_responses())
def list_api_keys(session: DbSession, actor: Admin) -> ExactJSONResponse:
    keys = service.list_api_keys(session, company_id=actor.company_id)
    return ok_all([ApiKeyRead.model_validate(k) for k in keys])


@router.post(
    "",
    status_code=201,
    response_model=Envelope[ApiKeyCreated],
    responses=problem_responses(),
    description="Creates a key; the response holds the key itself, the only time it is shown.",
)
def create_api_key(session: DbSession, actor: Admin, body: ApiKeyCreate) -> ExactJSONResponse:
    key, token = service.create_api_key(
        session, company_id=actor.company_id, role=service.Role[body.role], name=body.name
    )
    read = ApiKeyRead.model_validate(key)
    return ok(ApiKeyCreated(**read.model_dump(), key=token), 201)


@router.delete(
    "/{key_id}",
    response_model=Envelope[ApiKeyRead],
    responses=problem_responses(404),
    description="Revokes the key: requests with it get 401 from now on.",
)
def revoke_api_key(session: DbSession, actor: Admin, key_id: str) -> ExactJSONResponse:
    key = service.revoke_api_key(session, company_id=actor.company_id, key_id=key_id)
    return ok(ApiKeyRead.model_validate(key))
