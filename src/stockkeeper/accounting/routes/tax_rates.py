"""``/api/v1/tax-rates``: the company's tax rates and their components."""

from __future__ import annotations

from fastapi import APIRouter

from stockkeeper.accounting.schemas import TaxRateCreate, TaxRateRead, TaxRateUpdate
from stockkeeper.accounting.service import tax_rates as service
from stockkeeper.accounting.views import tax_rate_read
from stockkeeper.api.deps import Admin, ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_all
from stockkeeper.catalog.schemas.entities import Deleted
from stockkeeper.core.api_model import Envelope
from stockkeeper.core.errors import Duplicate, InUse, NotFound

router = APIRouter(prefix="/api/v1/tax-rates", tags=["Tax rates"], route_class=ApiRoute)

_NOT_FOUND = NotFound.code_for("tax rate")


@router.get("", response_model=Envelope[list[TaxRateRead]], responses=problems())
def list_tax_rates(session: DbSession, actor: Viewer) -> ExactJSONResponse:
    return ok_all([tax_rate_read(r) for r in service.list_tax_rates(session, actor)])


@router.get("/{tax_rate_id}", response_model=Envelope[TaxRateRead], responses=problems(_NOT_FOUND))
def get_tax_rate(session: DbSession, actor: Viewer, tax_rate_id: str) -> ExactJSONResponse:
    return ok(tax_rate_read(service.get_tax_rate(session, actor, tax_rate_id=tax_rate_id)))


@router.post(
    "",
    status_code=201,
    response_model=Envelope[TaxRateRead],
    responses=problems(Duplicate.code_for("code")),
    description="A code is unique in the company, and is kept once made: items may name "
    "a tax rate by its id or its code.",
)
def create_tax_rate(session: DbSession, actor: Admin, body: TaxRateCreate) -> ExactJSONResponse:
    return ok(tax_rate_read(service.create_tax_rate(session, actor, rate=body)), 201)


@router.put("/{tax_rate_id}", response_model=Envelope[TaxRateRead], responses=problems(_NOT_FOUND))
def update_tax_rate(
    session: DbSession, actor: Admin, tax_rate_id: str, body: TaxRateUpdate
) -> ExactJSONResponse:
    rate = service.update_tax_rate(session, actor, tax_rate_id=tax_rate_id, changes=body)
    return ok(tax_rate_read(rate))


@router.delete(
    "/{tax_rate_id}",
    response_model=Envelope[Deleted],
    responses=problems(_NOT_FOUND, InUse.code_for("tax rate")),
    description="Only a rate no item names; one in use is refused (409, naming the items) "
    "and can be deactivated instead.",
)
def delete_tax_rate(session: DbSession, actor: Admin, tax_rate_id: str) -> ExactJSONResponse:
    service.delete_tax_rate(session, actor, tax_rate_id=tax_rate_id)
    return ok(Deleted(id=tax_rate_id, deleted=True))
