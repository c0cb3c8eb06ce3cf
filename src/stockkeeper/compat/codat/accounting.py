"""``/companies/{companyId}/data/taxRates`` and ``/accounts`` (each also by id): the
company's tax rates and chart of accounts in Codat's models. Both are short lists read whole
and paged here; ``query`` filters them by ``status`` (``Active``, ``Archived``) with ``=`` or
``!=`` and by ``sourceModifiedDate`` (or ``modifiedDate``) with ``>``, ``>=``, ``<``, ``<=``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from stockkeeper.accounting.service import accounts, tax_rates
from stockkeeper.accounting.views import account_read, tax_rate_read
from stockkeeper.api.deps import DbSession, Viewer
from stockkeeper.api.responses import ExactJSONResponse
from stockkeeper.compat.codat.company import company_of
from stockkeeper.compat.codat.paging import one_page
from stockkeeper.compat.codat.query import ListParams, parse_query, time_bounds
from stockkeeper.compat.codat.render import account_record, tax_rate_record
from stockkeeper.compat.codat.routing import CodatRoute

router = APIRouter(route_class=CodatRoute)

FIELDS: dict[str, tuple[str, ...]] = {
    "sourceModifiedDate": (),
    "modifiedDate": (),
    "status": ("Active", "Archived"),
}
Params = Annotated[ListParams, Query()]
Record = dict[str, Any]


def matching(params: ListParams) -> Callable[[Any, Record], bool]:
    """Whether a row (its record beside it) is one the query asks for."""
    conditions = parse_query(params.query, FIELDS)
    since, before = time_bounds(conditions)
    statuses = [(c.value, c.operator == "=") for c in conditions if c.field == "status"]

    def keep(row: Any, record: Record) -> bool:
        if since is not None and row.updated_at < since:
            return False
        if before is not None and row.updated_at >= before:
            return False
        return all((record["status"] == value) == equal for value, equal in statuses)

    return keep


def _records(rows: list[Any], render: Callable[[Any], Record], params: ListParams) -> list[Record]:
    keep = matching(params)
    return [r for r, row in ((render(row), row) for row in rows) if keep(row, r)]


def _tax_rates(request: Request, session: DbSession, actor: Viewer, params: ListParams) -> Response:
    rows = [tax_rate_read(rate) for rate in tax_rates.list_tax_rates(session, actor)]
    return one_page(request, params, _records(rows, tax_rate_record, params))


def _accounts(request: Request, session: DbSession, actor: Viewer, params: ListParams) -> Response:
    company = company_of(session, actor)
    rows = [account_read(account) for account in accounts.list_accounts(session, actor)]
    return one_page(request, params, _records(rows, lambda r: account_record(r, company), params))


@router.get("/companies/{companyId}/data/taxRates")
def list_tax_rates(request: Request, session: DbSession, actor: Viewer, params: Params) -> Response:
    return _tax_rates(request, session, actor, params)


@router.get("/companies/{companyId}/data/taxRates/{taxRateId}")
def get_tax_rate(
    session: DbSession, actor: Viewer, tax_rate_id: Annotated[str, Path(alias="taxRateId")]
) -> Response:
    rate = tax_rates.get_tax_rate(session, actor, tax_rate_id=tax_rate_id)
    return ExactJSONResponse(tax_rate_record(tax_rate_read(rate)))


@router.get("/companies/{companyId}/data/accounts")
def list_accounts(request: Request, session: DbSession, actor: Viewer, params: Params) -> Response:
    return _accounts(request, session, actor, params)


@router.get("/companies/{companyId}/data/accounts/{accountId}")
def get_account(
    session: DbSession, actor: Viewer, account_id: Annotated[str, Path(alias="accountId")]
) -> Response:
    account = account_read(accounts.get_account(session, actor, account_id=account_id))
    return ExactJSONResponse(account_record(account, company_of(session, actor)))
