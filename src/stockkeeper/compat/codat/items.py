"""``/companies/{companyId}/data/items`` and ``/items/{itemId}``: the company's items in
Codat's model, listed a page at a time in name order. ``query`` filters by
``sourceModifiedDate`` (or ``modifiedDate``: the same) with ``>``, ``>=``, ``<`` and ``<=``
(an incremental sync) and by ``itemStatus`` (``Active``, ``Archived``) with ``=`` or ``!=``.
The path's ``companyId`` is read by the route class (``CodatRoute``), not by the endpoints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from stockkeeper.api.deps import DbSession, Viewer
from stockkeeper.api.responses import ExactJSONResponse
from stockkeeper.catalog.service.item_accounts import booked_accounts
from stockkeeper.compat.codat.company import company_of
from stockkeeper.compat.codat.paging import codat_list
from stockkeeper.compat.codat.query import Condition, ListParams, parse_query, time_bounds
from stockkeeper.compat.codat.render import item_record
from stockkeeper.compat.codat.routing import CodatRoute
from stockkeeper.stock.service import items as service
from stockkeeper.stock.values import ItemListing
from stockkeeper.stock.views.items import ItemView

router = APIRouter(route_class=CodatRoute)

FIELDS: dict[str, tuple[str, ...]] = {
    "sourceModifiedDate": (),
    "modifiedDate": (),
    "itemStatus": ("Active", "Archived"),
}


def _filters(conditions: list[Condition]) -> dict[str, Any]:
    since, before = time_bounds(conditions)
    filters: dict[str, Any] = {"updated_since": since, "updated_before": before}
    for c in conditions:
        if c.field == "itemStatus":
            filters["active"] = (c.value == "Active") == (c.operator == "=")
    return filters


def listing(params: ListParams) -> ItemListing:
    """The listing the query asks for, in name order."""
    conditions = parse_query(params.query, FIELDS)
    return ItemListing.model_validate(_filters(conditions) | {"sort": "name"})


def records(session: DbSession, actor: Viewer, views: list[ItemView]) -> list[dict[str, Any]]:
    """The items' records, with the accounts they book to (three queries for them all)."""
    company = company_of(session, actor, locations=True)
    booked = booked_accounts(session, actor, items=[view.item for view in views])
    return [item_record(view, company, booked[view.item.id]) for view in views]


def _list(request: Request, session: DbSession, actor: Viewer, params: ListParams) -> Response:
    page = service.list_items(
        session,
        actor,
        filters=listing(params),
        limit=params.page_size,
        cursor=None,
        offset=params.offset,
    )
    return codat_list(request, params, records(session, actor, page.rows), page.counted)


def _get(session: DbSession, actor: Viewer, item_id: str) -> Response:
    view = service.get_item(session, actor, item_id=item_id)
    (record,) = records(session, actor, [view])
    return ExactJSONResponse(record)


@router.get("/companies/{companyId}/data/items")
def list_items(
    request: Request,
    session: DbSession,
    actor: Viewer,
    params: Annotated[ListParams, Query()],
) -> Response:
    return _list(request, session, actor, params)


@router.get("/companies/{companyId}/data/items/{itemId}")
def get_item(
    session: DbSession,
    actor: Viewer,
    item_id: Annotated[str, Path(alias="itemId")],
) -> Response:
    return _get(session, actor, item_id)
