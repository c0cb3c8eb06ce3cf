"""``/api/v1/accounts``: the company's chart of accounts."""

from __future__ import annotations

from fastapi import APIRouter

from stockkeeper.accounting.schemas import AccountCreate, AccountRead, AccountUpdate
from stockkeeper.accounting.service import accounts as service
from stockkeeper.accounting.views import account_read
from stockkeeper.api.deps import Admin, ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_all
from stockkeeper.catalog.schemas.entities import Deleted
from stockkeeper.core.api_model import Envelope
from stockkeeper.core.errors import Duplicate, InUse, NotFound

router = APIRouter(prefix="/api/v1/accounts", tags=["Accounts"], route_class=ApiRoute)

_NOT_FOUND = NotFound.code_for("account")


@router.get("", response_model=Envelope[list[AccountRead]], responses=problems())
def list_accounts(session: DbSession, actor: Viewer) -> ExactJSONResponse:
    return ok_all([account_read(a) for a in service.list_accounts(session, actor)])


@router.get("/{account_id}", response_model=Envelope[AccountRead], responses=problems(_NOT_FOUND))
def get_account(session: DbSession, actor: Viewer, account_id: str) -> ExactJSONResponse:
    return ok(account_read(service.get_account(session, actor, account_id=account_id)))


@router.post(
    "",
    status_code=201,
    response_model=Envelope[AccountRead],
    responses=problems(Duplicate.code_for("code")),
    description="A code is unique in the company, and is kept once made: items may name "
    "an account by its id or its code.",
)
def create_account(session: DbSession, actor: Admin, body: AccountCreate) -> ExactJSONResponse:
    return ok(account_read(service.create_account(session, actor, account=body)), 201)


@router.put("/{account_id}", response_model=Envelope[AccountRead], responses=problems(_NOT_FOUND))
def update_account(
    session: DbSession, actor: Admin, account_id: str, body: AccountUpdate
) -> ExactJSONResponse:
    account = service.update_account(session, actor, account_id=account_id, changes=body)
    return ok(account_read(account))


@router.delete(
    "/{account_id}",
    response_model=Envelope[Deleted],
    responses=problems(_NOT_FOUND, InUse.code_for("account")),
    description="Only an account no item names; one in use is refused (409, naming the "
    "items) and can be deactivated instead.",
)
def delete_account(session: DbSession, actor: Admin, account_id: str) -> ExactJSONResponse:
    service.delete_account(session, actor, account_id=account_id)
    return ok(Deleted(id=account_id, deleted=True))
