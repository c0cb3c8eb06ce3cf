"""``/api/v1/api-keys``: the company's API keys."""

from __future__ import annotations

from fastapi import APIRouter

from stockkeeper.api.deps import Admin, ApiRoute, DbSession
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_all
from stockkeeper.core.api_model import Envelope
from stockkeeper.core.errors import NotFound
from stockkeeper.tenancy import service
from stockkeeper.tenancy.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead
from stockkeeper.tenancy.views import api_key_created, api_key_read

router = APIRouter(prefix="/api/v1/api-keys", tags=["API keys"], route_class=ApiRoute)


@router.get("", response_model=Envelope[list[ApiKeyRead]], responses=problems())
def list_api_keys(session: DbSession, actor: Admin) -> ExactJSONResponse:
    return ok_all([api_key_read(key) for key in service.list_api_keys(session, actor)])


@router.post(
    "",
    status_code=201,
    response_model=Envelope[ApiKeyCreated],
    responses=problems(),
    description="Creates a key; the response holds the key itself, the only time it is shown.",
)
def create_api_key(session: DbSession, actor: Admin, body: ApiKeyCreate) -> ExactJSONResponse:
    return ok(api_key_created(service.create_api_key(session, actor, key=body)), 201)


@router.delete(
    "/{key_id}",
    response_model=Envelope[ApiKeyRead],
    responses=problems(NotFound.code_for("API key")),
    description="Revokes the key: requests with it get 401 from now on.",
)
def revoke_api_key(session: DbSession, actor: Admin, key_id: str) -> ExactJSONResponse:
    return ok(api_key_read(service.revoke_api_key(session, actor, key_id=key_id)))
