"""``/product_sales_price_types`` and ``/service_rate_types``: the price groups of each kind.
As the document says, a type can be deleted only when more than one exists and it was made
inactive first (a PUT with ``active: false``); the one holding the items' own selling price
(Sales Price, Rate) is never deleted, so one always stays. Inactive types are listed with
``active=false`` only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from stockkeeper.api.deps import Admin, ApiRoute, DbSession, Viewer
from stockkeeper.catalog.service import price_groups as service
from stockkeeper.compat.sage.paging import sage_list, sage_record
from stockkeeper.compat.sage.render import PriceGroupRow, price_type_record
from stockkeeper.compat.sage.schemas import RateTypeRequest, RecordListQuery, SalesPriceTypeRequest

router = APIRouter(route_class=ApiRoute)

SALES, RATES = "sales_price", "service_rate"
ListParams = Annotated[RecordListQuery, Query()]


def _page(request: Request, query: RecordListQuery, groups: list[PriceGroupRow]) -> Response:
    """The types of the list's activity, a page of them (a company has a handful)."""
    shown = [g for g in groups if g.is_active == query.active]
    page = shown[query.offset : query.offset + query.items_per_page]
    return sage_list(request, query, [price_type_record(g) for g in page], len(shown))


@router.get("/product_sales_price_types")
def list_sales_price_types(
    request: Request, session: DbSession, actor: Viewer, query: ListParams
) -> Response:
    return _page(request, query, list(service.list_price_groups(session, actor, kind=SALES)))


@router.get("/service_rate_types")
def list_service_rate_types(
    request: Request, session: DbSession, actor: Viewer, query: ListParams
) -> Response:
    return _page(request, query, list(service.list_price_groups(session, actor, kind=RATES)))


@router.get("/product_sales_price_types/{type_id}")
def get_sales_price_type(session: DbSession, actor: Viewer, type_id: str) -> Response:
    group = service.get_price_group(session, actor, group_id=type_id, kind=SALES)
    return sage_record(price_type_record(group))


@router.get("/service_rate_types/{type_id}")
def get_service_rate_type(session: DbSession, actor: Viewer, type_id: str) -> Response:
    group = service.get_price_group(session, actor, group_id=type_id, kind=RATES)
    return sage_record(price_type_record(group))


@router.post("/product_sales_price_types", status_code=201)
def create_sales_price_type(
    session: DbSession, actor: Admin, body: SalesPriceTypeRequest
) -> Response:
    group = body.product_sales_price_type.new_group(SALES)
    return sage_record(
        price_type_record(service.create_price_group(session, actor, group=group)), 201
    )


@router.post("/service_rate_types", status_code=201)
def create_service_rate_type(session: DbSession, actor: Admin, body: RateTypeRequest) -> Response:
    group = body.service_rate_type.new_group(RATES)
    return sage_record(
        price_type_record(service.create_price_group(session, actor, group=group)), 201
    )


@router.put("/product_sales_price_types/{type_id}")
def update_sales_price_type(
    session: DbSession, actor: Admin, type_id: str, body: SalesPriceTypeRequest
) -> Response:
    changes = body.product_sales_price_type.changes()
    group = service.update_price_group(
        session, actor, group_id=type_id, changes=changes, kind=SALES
    )
    return sage_record(price_type_record(group))


@router.put("/service_rate_types/{type_id}")
def update_service_rate_type(
    session: DbSession, actor: Admin, type_id: str, body: RateTypeRequest
) -> Response:
    changes = body.service_rate_type.changes()
    group = service.update_price_group(
        session, actor, group_id=type_id, changes=changes, kind=RATES
    )
    return sage_record(price_type_record(group))


@router.delete("/product_sales_price_types/{type_id}", status_code=204)
def delete_sales_price_type(session: DbSession, actor: Admin, type_id: str) -> Response:
    service.delete_price_group(session, actor, group_id=type_id, kind=SALES)
    return Response(status_code=204)


@router.delete("/service_rate_types/{type_id}", status_code=204)
def delete_service_rate_type(session: DbSession, actor: Admin, type_id: str) -> Response:
    service.delete_price_group(session, actor, group_id=type_id, kind=RATES)
    return Response(status_code=204)
