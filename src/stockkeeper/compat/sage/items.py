"""``/stock_items``, ``/products`` and ``/services``: the items of each type, read, created,
updated and deleted (an item with stock history is made inactive instead). ``/products``
lists stock and non-stock items alike (as the document says), and reads either as a
product; a stock item's own fields are at ``/stock_items``. An item of another type at a
path is not found there. Inactive items are listed with ``active=false`` only;
``updated_or_created_since`` lists what changed since an instant."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from stockkeeper.api.deps import Admin, ApiRoute, DbSession, Viewer
from stockkeeper.catalog.values import ItemChanges
from stockkeeper.compat.sage.paging import sage_list, sage_record
from stockkeeper.compat.sage.records import item_records, one_item
from stockkeeper.compat.sage.render import PRODUCTS, SERVICES, STOCK_ITEMS
from stockkeeper.compat.sage.schemas import (
    ItemListQuery,
    ProductRequest,
    ServiceRequest,
    StockItemRequest,
)
from stockkeeper.stock.service import items as service
from stockkeeper.stock.values import ItemListing

router = APIRouter(route_class=ApiRoute)

# what each path lists and reads
_TYPES = {
    STOCK_ITEMS: ("inventory",),
    PRODUCTS: ("inventory", "non_inventory"),
    SERVICES: ("service",),
}


def _listing(collection: str, query: ItemListQuery) -> ItemListing:
    types = _TYPES[collection]
    kind = {"goods": True} if len(types) > 1 else {"type": types[0]}
    return ItemListing.model_validate(
        kind
        | {
            "active": query.active,
            "search": query.search,
            "updated_since": query.updated_or_created_since,
        }
    )


def _list(
    request: Request, session: DbSession, actor: Viewer, query: ItemListQuery, collection: str
) -> Response:
    page = service.list_items(
        session,
        actor,
        filters=_listing(collection, query),
        limit=query.items_per_page,
        cursor=None,
        offset=query.offset,
    )
    records = item_records(session, actor, page.rows, collection)
    return sage_list(request, query, records, page.counted)


def _get(session: DbSession, actor: Viewer, item_id: str, collection: str) -> Response:
    view = service.get_item(session, actor, item_id=item_id, types=_TYPES[collection])
    return sage_record(one_item(session, actor, view, collection))


ListParams = Annotated[ItemListQuery, Query()]


@router.get("/stock_items")
def list_stock_items(
    request: Request, session: DbSession, actor: Viewer, query: ListParams
) -> Response:
    return _list(request, session, actor, query, STOCK_ITEMS)


@router.get("/products")
def list_products(
    request: Request, session: DbSession, actor: Viewer, query: ListParams
) -> Response:
    return _list(request, session, actor, query, PRODUCTS)


@router.get("/services")
def list_services(
    request: Request, session: DbSession, actor: Viewer, query: ListParams
) -> Response:
    return _list(request, session, actor, query, SERVICES)


@router.get("/stock_items/{item_id}")
def get_stock_item(session: DbSession, actor: Viewer, item_id: str) -> Response:
    return _get(session, actor, item_id, STOCK_ITEMS)


@router.get("/products/{item_id}")
def get_product(session: DbSession, actor: Viewer, item_id: str) -> Response:
    return _get(session, actor, item_id, PRODUCTS)


@router.get("/services/{item_id}")
def get_service(session: DbSession, actor: Viewer, item_id: str) -> Response:
    return _get(session, actor, item_id, SERVICES)


@router.post("/stock_items", status_code=201)
def create_stock_item(session: DbSession, actor: Admin, body: StockItemRequest) -> Response:
    view = service.create_item(session, actor, item=body.stock_item.new_item("inventory"))
    return sage_record(one_item(session, actor, view, STOCK_ITEMS), 201)


@router.post("/products", status_code=201)
def create_product(session: DbSession, actor: Admin, body: ProductRequest) -> Response:
    view = service.create_item(session, actor, item=body.product.new_item("non_inventory"))
    return sage_record(one_item(session, actor, view, PRODUCTS), 201)


@router.post("/services", status_code=201)
def create_service(session: DbSession, actor: Admin, body: ServiceRequest) -> Response:
    view = service.create_item(session, actor, item=body.service.new_item("service"))
    return sage_record(one_item(session, actor, view, SERVICES), 201)


def _update(
    session: DbSession, actor: Admin, item_id: str, changes: ItemChanges, collection: str
) -> Response:
    """A Sage client names the prices it changes: the item's others are kept."""
    view = service.update_item(
        session,
        actor,
        item_id=item_id,
        changes=changes,
        types=_TYPES[collection],
        prices_by_group=True,
    )
    return sage_record(one_item(session, actor, view, collection))


@router.put("/stock_items/{item_id}")
def update_stock_item(
    session: DbSession, actor: Admin, item_id: str, body: StockItemRequest
) -> Response:
    return _update(session, actor, item_id, body.stock_item.changes("inventory"), STOCK_ITEMS)


@router.put("/products/{item_id}")
def update_product(
    session: DbSession, actor: Admin, item_id: str, body: ProductRequest
) -> Response:
    # purchase_ledger_account: a cost account
    return _update(session, actor, item_id, body.product.changes("non_inventory"), PRODUCTS)


@router.put("/services/{item_id}")
def update_service(
    session: DbSession, actor: Admin, item_id: str, body: ServiceRequest
) -> Response:
    return _update(session, actor, item_id, body.service.changes("service"), SERVICES)


def _delete(session: DbSession, actor: Admin, item_id: str, collection: str) -> Response:
    """Deleted, or made inactive where stock history names it (hidden from lists then)."""
    service.delete_item(session, actor, item_id=item_id, types=_TYPES[collection])
    return Response(status_code=204)


@router.delete("/stock_items/{item_id}", status_code=204)
def delete_stock_item(session: DbSession, actor: Admin, item_id: str) -> Response:
    return _delete(session, actor, item_id, STOCK_ITEMS)


@router.delete("/products/{item_id}", status_code=204)
def delete_product(session: DbSession, actor: Admin, item_id: str) -> Response:
    return _delete(session, actor, item_id, PRODUCTS)


@router.delete("/services/{item_id}", status_code=204)
def delete_service(session: DbSession, actor: Admin, item_id: str) -> Response:
    return _delete(session, actor, item_id, SERVICES)
