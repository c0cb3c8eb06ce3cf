"""``/api/v1/suppliers``: list, create, update, delete, and a supplier with its recent
purchase orders."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stockkeeper.api.deps import Admin, ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_list
from stockkeeper.catalog.schemas.entities import (
    Deleted,
    SupplierCreate,
    SupplierListQuery,
    SupplierRead,
    SupplierUpdate,
)
from stockkeeper.catalog.service import suppliers as service
from stockkeeper.core.api_model import Envelope, ListEnvelope, Page
from stockkeeper.core.errors import InUse, InvalidCursor, NotFound
from stockkeeper.purchasing import service as purchasing
from stockkeeper.purchasing.schemas import SupplierDetail
from stockkeeper.purchasing.views import supplier_detail

# tags on each route: the detail is documented with the purchase orders first, as it always was
router = APIRouter(prefix="/api/v1/suppliers", route_class=ApiRoute)

_NOT_FOUND = NotFound.code_for("supplier")


@router.get(
    "",
    tags=["Suppliers"],
    response_model=ListEnvelope[SupplierRead],
    responses=problems(InvalidCursor),
    description="Suppliers ordered by name; `active=true` lists active ones only.",
)
def list_suppliers(
    session: DbSession, actor: Viewer, query: Annotated[SupplierListQuery, Query()]
) -> ExactJSONResponse:
    rows, next_cursor, total = service.list_suppliers(
        session, actor, filters=query, limit=query.limit, cursor=query.cursor
    )
    reads = [SupplierRead.model_validate(s) for s in rows]
    return ok_list(reads, Page.of(next_cursor, query.limit, total))


@router.post(
    "",
    tags=["Suppliers"],
    status_code=201,
    response_model=Envelope[SupplierRead],
    responses=problems(),
    description="The supplier gets the next creditor number (CRED001, CRED002, ...).",
)
def create_supplier(session: DbSession, actor: Admin, body: SupplierCreate) -> ExactJSONResponse:
    supplier = service.create_supplier(session, actor, supplier=body)
    return ok(SupplierRead.model_validate(supplier), 201)


@router.put(
    "/{supplier_id}",
    tags=["Suppliers"],
    response_model=Envelope[SupplierRead],
    responses=problems(_NOT_FOUND),
)
def update_supplier(
    session: DbSession, actor: Admin, supplier_id: str, body: SupplierUpdate
) -> ExactJSONResponse:
    supplier = service.update_supplier(session, actor, supplier_id=supplier_id, changes=body)
    return ok(SupplierRead.model_validate(supplier))


@router.delete(
    "/{supplier_id}",
    tags=["Suppliers"],
    response_model=Envelope[Deleted],
    responses=problems(_NOT_FOUND, InUse.code_for("supplier")),
    description="A supplier that items or orders refer to cannot be deleted (409).",
)
def delete_supplier(session: DbSession, actor: Admin, supplier_id: str) -> ExactJSONResponse:
    service.delete_supplier(session, actor, supplier_id=supplier_id)
    return ok(Deleted(id=supplier_id, deleted=True))


@router.get(
    "/{supplier_id}",
    tags=["Purchase orders", "Suppliers"],
    response_model=Envelope[SupplierDetail],
    responses=problems(_NOT_FOUND),
    description="A supplier with its 20 most recent purchase orders.",
)
def get_supplier(session: DbSession, actor: Viewer, supplier_id: str) -> ExactJSONResponse:
    view = purchasing.get_supplier_with_orders(session, actor, supplier_id=supplier_id)
    return ok(supplier_detail(view))
