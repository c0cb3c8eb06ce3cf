"""smallbiz: ``/api/suppliers``, suppliers ordered by name, with creditor numbers; a
supplier's detail shows its 20 most recent purchase orders. The purchase orders' own paths
(``/api/suppliers/orders...``, ``/api/suppliers/packing-slips/zip``) are routed before
these (``orders.py``, ``packing_slips.py``), and ids here are integers, so no word is ever
taken for a supplier's id."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stockkeeper.api.deps import Admin, DbSession, Viewer, WritingRoute
from stockkeeper.api.responses import ExactJSONResponse
from stockkeeper.catalog.service import suppliers as service
from stockkeeper.catalog.values import NewSupplier, SupplierChanges, SupplierFilters
from stockkeeper.compat.smallbiz import ids
from stockkeeper.compat.smallbiz import purchasing_render as render
from stockkeeper.compat.smallbiz.purchasing_schemas import PathId, SupplierQuery
from stockkeeper.purchasing import service as purchasing

router = APIRouter(route_class=WritingRoute)
PATH = "/api/suppliers"
ONE = PATH + "/{supplier}"
EVERYTHING = 2**31  # what ``limit`` is without ``page``: every row


@router.get(PATH)
def list_suppliers(
    session: DbSession, actor: Viewer, query: Annotated[SupplierQuery, Query()]
) -> ExactJSONResponse:
    skip, take = query.window()
    filters = SupplierFilters(active=True if query.active else None)
    rows, _, _ = service.list_suppliers(
        session, actor, filters=filters, limit=take or EVERYTHING, cursor=None, offset=skip
    )
    return ExactJSONResponse(render.suppliers(session, actor, rows))


@router.post(PATH, status_code=201)
def create_supplier(session: DbSession, actor: Admin, body: NewSupplier) -> ExactJSONResponse:
    row = service.create_supplier(session, actor, supplier=body)
    return ExactJSONResponse(render.supplier(session, actor, row), status_code=201)


@router.get(ONE)
def get_supplier(session: DbSession, actor: Viewer, supplier: PathId) -> ExactJSONResponse:
    supplier_id = ids.record(session, actor, "supplier", supplier)
    view = purchasing.get_supplier_with_orders(session, actor, supplier_id=supplier_id)
    return ExactJSONResponse(render.supplier_with_orders(session, actor, view))


@router.put(ONE)
def update_supplier(
    session: DbSession, actor: Admin, supplier: PathId, body: SupplierChanges
) -> ExactJSONResponse:
    supplier_id = ids.record(session, actor, "supplier", supplier)
    row = service.update_supplier(session, actor, supplier_id=supplier_id, changes=body)
    return ExactJSONResponse(render.supplier(session, actor, row))


@router.delete(ONE)
def delete_supplier(session: DbSession, actor: Admin, supplier: PathId) -> ExactJSONResponse:
    service.delete_supplier(
        session, actor, supplier_id=ids.record(session, actor, "supplier", supplier)
    )
    return ExactJSONResponse({"ok": True})
