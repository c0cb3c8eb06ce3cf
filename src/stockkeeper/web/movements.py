"""The ledger: movements at warehouses and stores, newest first, found by item, location,
type, dates or reference, a page at a time; each row links to its item and its document."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from sqlalchemy.orm import Session

from stockkeeper.core.pagination import Listed
from stockkeeper.stock.schemas import MovementRead
from stockkeeper.stock.service.movements import list_movements
from stockkeeper.stock.values import MOVEMENT_TYPES, MovementFilters
from stockkeeper.stock.views.stock import movement_read
from stockkeeper.tenancy.service import Actor
from stockkeeper.web import nav
from stockkeeper.web.auth import DbSession, Viewer
from stockkeeper.web.forms import Outcome, attempt, parse
from stockkeeper.web.item_format import quantity
from stockkeeper.web.listing import PAGE_SIZE, asked, pager
from stockkeeper.web.pages import page_router, render
from stockkeeper.web.stock import places

router = page_router()
nav.register("Movements", "/movements", order=25)

FILTERS = ("item_id", "location_id", "type", "date_from", "date_to", "reference")
# the documents that have a page of their own, by the ledger's document type
DOCUMENT_PAGES = {
    "adjustment": "/adjustments/",
    "transfer": "/transfers/",
    "purchase_order": "/purchase-orders/",
    "issue": "/issues/",
    "return": "/returns/",
}


@router.get("/movements")
def movements_page(
    request: Request, session: DbSession, visit: Viewer, cursor: str = ""
) -> Response:
    values = asked(request, FILTERS)
    listed = attempt(session, values, lambda: _listed(session, visit.actor, values, cursor))
    return _page(request, session, visit.actor, values, listed)


def _listed(
    session: Session, actor: Actor, values: dict[str, str], cursor: str
) -> Listed[dict[str, Any]]:
    filters = parse(MovementFilters, values)
    return list_movements(
        session, actor, filters=filters, limit=PAGE_SIZE, cursor=cursor or None, with_total=False
    )


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    values: dict[str, str],
    listed: Outcome[Listed[dict[str, Any]]],
) -> Response:
    """The filters as typed (with the refusal beside them) and a page of movements, each
    with its item's name and, where it has a page, its document's address."""
    page = listed.result
    where = places(session, actor, None)
    return render(
        request,
        "movements.html",
        422 if listed.form.failed else 200,
        form=listed.form,
        rows=[_shown(row) for row in page.rows] if page else None,
        locations=where.locations,
        location_names=dict(where.locations),
        types=[(kind, kind.replace("_", " ")) for kind in MOVEMENT_TYPES],
        pager=pager("/movements", values, request.query_params.get("cursor", ""), page),
        quantity=quantity,
    )


def _shown(row: dict[str, Any]) -> tuple[MovementRead, str, str | None]:
    """A movement as the API shows it, its item's name, and its document's page if any."""
    movement = movement_read(row)
    document = DOCUMENT_PAGES.get(movement.document.type)
    return movement, row["item_name"], document + movement.document.id if document else None
