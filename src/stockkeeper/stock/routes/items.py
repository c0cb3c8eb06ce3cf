"""``/api/v1/items``: the canonical face of the item use cases, items shown with their stock."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stockkeeper.accounting.errors import WrongTaxKind
from stockkeeper.api.deps import Admin, ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_data, ok_page
from stockkeeper.catalog.errors import ContradictsItem
from stockkeeper.catalog.schemas.entities import Deleted
from stockkeeper.catalog.schemas.items import (
    ItemRead,
    ItemUpdate,
    VariantCreate,
    VariantRead,
    VariantUpdate,
)
from stockkeeper.core.api_model import Envelope, ListEnvelope
from stockkeeper.core.errors import Duplicate, InvalidCursor, NotFound, UnknownReference
from stockkeeper.stock.errors import InvalidLots, ItemCannotMove, ItemHasStock, PeriodLocked
from stockkeeper.stock.item_schemas import ItemCreate
from stockkeeper.stock.schemas import ItemDetail, ItemListQuery
from stockkeeper.stock.service import items as service
from stockkeeper.stock.views.items import item_read
from stockkeeper.tenancy.errors import InvalidCurrency

router = APIRouter(prefix="/api/v1/items", tags=["Items"], route_class=ApiRoute)

_NOT_FOUND = NotFound.code_for("item")
_VARIANT_NOT_FOUND = NotFound.code_for("variant")
_CODES = (Duplicate.code_for("item_code"), Duplicate.code_for("barcode"))
_CONTENT = (
    *_CODES,
    UnknownReference.code_for("category"),
    UnknownReference.code_for("supplier"),
    UnknownReference.code_for("price group"),
    UnknownReference.code_for("account"),
    UnknownReference.code_for("tax rate"),
    WrongTaxKind,
    InvalidCurrency,
    ContradictsItem,
)
# what the opening stock of a new item can meet as it is posted
_OPENING = (
    UnknownReference.code_for("location"),
    UnknownReference.code_for("bin"),
    UnknownReference.code_for("batch"),
    ItemCannotMove,
    InvalidLots,
    PeriodLocked,
)
_DEACTIVATED = (
    "; one with stock history is deactivated instead (`deleted: false`), so that its history "
    "stays readable."
)


@router.get("", response_model=ListEnvelope[ItemRead], responses=problems(InvalidCursor))
def list_items_route(
    session: DbSession, actor: Viewer, query: Annotated[ItemListQuery, Query()]
) -> ExactJSONResponse:
    page = service.list_items(session, actor, filters=query, limit=query.limit, cursor=query.cursor)
    return ok_page(page, item_read, query.limit)


@router.get("/{item_id}", response_model=Envelope[ItemDetail], responses=problems(_NOT_FOUND))
def get_item_route(
    session: DbSession,
    actor: Viewer,
    item_id: str,
    includeStockHistory: bool = False,  # noqa: N803
    includeTransactions: bool = False,  # noqa: N803
) -> ExactJSONResponse:
    view = service.get_item(
        session,
        actor,
        item_id=item_id,
        stock_history=includeStockHistory,
        transactions=includeTransactions,
    )
    return ok_data(view.detail())


@router.post(
    "",
    status_code=201,
    response_model=Envelope[ItemRead],
    responses=problems(*_CONTENT, *_OPENING),
    description="Creates an item, with its variants, prices and images, numbered from the "
    "company's item sequence (`articleNumber`). Item codes and barcodes are unique across the "
    "company's items and variants. A stock item may bring its opening stock "
    "(`inventory.openingStock`), posted with it or, if refused, nothing is created.",
)
def create_item_route(session: DbSession, actor: Admin, body: ItemCreate) -> ExactJSONResponse:
    return ok_data(service.create_item(session, actor, item=body).data, 201)


@router.put(
    "/{item_id}",
    response_model=Envelope[ItemRead],
    responses=problems(_NOT_FOUND, *_CONTENT, ItemHasStock),
    description="Changes what is sent and keeps the rest. An item that holds stock cannot "
    "stop being a tracked stock item or change between plain, batch and serial tracking "
    "(409 `item_has_stock`).",
)
def update_item_route(
    session: DbSession, actor: Admin, item_id: str, body: ItemUpdate
) -> ExactJSONResponse:
    return ok_data(service.update_item(session, actor, item_id=item_id, changes=body).data)


@router.delete(
    "/{item_id}",
    response_model=Envelope[Deleted],
    responses=problems(_NOT_FOUND),
    description="Deletes the item" + _DEACTIVATED,
)
def delete_item_route(session: DbSession, actor: Admin, item_id: str) -> ExactJSONResponse:
    deleted = service.delete_item(session, actor, item_id=item_id)
    return ok(Deleted(id=item_id, deleted=deleted))


@router.post(
    "/{item_id}/variants",
    status_code=201,
    response_model=Envelope[VariantRead],
    responses=problems(_NOT_FOUND, *_CODES),
)
def create_variant_route(
    session: DbSession, actor: Admin, item_id: str, body: VariantCreate
) -> ExactJSONResponse:
    view = service.create_variant(session, actor, item_id=item_id, variant=body)
    return ok_data(view.data, 201)


@router.put(
    "/{item_id}/variants/{variant_id}",
    response_model=Envelope[VariantRead],
    responses=problems(_NOT_FOUND, _VARIANT_NOT_FOUND, *_CODES),
)
def update_variant_route(
    session: DbSession, actor: Admin, item_id: str, variant_id: str, body: VariantUpdate
) -> ExactJSONResponse:
    view = service.update_variant(
        session, actor, item_id=item_id, variant_id=variant_id, changes=body
    )
    return ok_data(view.data)


@router.delete(
    "/{item_id}/variants/{variant_id}",
    response_model=Envelope[Deleted],
    responses=problems(_NOT_FOUND, _VARIANT_NOT_FOUND),
    description="Deletes the variant" + _DEACTIVATED,
)
def delete_variant_route(
    session: DbSession, actor: Admin, item_id: str, variant_id: str
) -> ExactJSONResponse:
    deleted = service.delete_variant(session, actor, item_id=item_id, variant_id=variant_id)
    return ok(Deleted(id=variant_id, deleted=deleted))
