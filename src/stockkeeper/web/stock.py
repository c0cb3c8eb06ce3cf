"""Stock by warehouse or store (and bin): on hand, reserved, available and on order per item,
found by item, location, bin or below the item's minimum stock, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request, Response
from sqlalchemy.orm import Session

from stockkeeper.catalog.service.locations import list_bins, list_locations
from stockkeeper.core.pagination import Listed
from stockkeeper.costing.service.stock_values import list_stock
from stockkeeper.stock.service.rows import StockRow
from stockkeeper.stock.values import StockListFilters
from stockkeeper.stock.views.stock import stock_read
from stockkeeper.tenancy.service import Actor
from stockkeeper.web import nav
from stockkeeper.web.auth import DbSession, Viewer
from stockkeeper.web.forms import Outcome, attempt, parse
from stockkeeper.web.item_format import quantity
from stockkeeper.web.listing import PAGE_SIZE, asked, pager
from stockkeeper.web.pages import page_router, render

router = page_router()
nav.register("Stock", "/stock", order=20)

FILTERS = ("search", "location_id", "bin_id", "low_stock")


@router.get("/stock")
def stock_page(request: Request, session: DbSession, visit: Viewer, cursor: str = "") -> Response:
    values = asked(request, FILTERS)
    listed = attempt(session, values, lambda: _listed(session, visit.actor, values, cursor))
    return _page(request, session, visit.actor, values, listed)


def _listed(
    session: Session, actor: Actor, values: dict[str, str], cursor: str
) -> Listed[StockRow]:
    filters = parse(StockListFilters, values)
    # not counted: counting sums every level of the company, and a page only its own
    return list_stock(
        session, actor, filters=filters, limit=PAGE_SIZE, cursor=cursor or None, count=False
    )


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    values: dict[str, str],
    listed: Outcome[Listed[StockRow]],
) -> Response:
    """The filters as typed (with the refusal beside them) and a page of rows."""
    page = listed.result
    return render(
        request,
        "stock.html",
        422 if listed.form.failed else 200,
        form=listed.form,
        rows=[stock_read(row) for row in page.rows] if page else None,
        places=places(session, actor, values.get("location_id")),
        pager=pager("/stock", values, request.query_params.get("cursor", ""), page),
        quantity=quantity,
    )


@dataclass(frozen=True)
class Places:
    """What the location and bin filters offer: the warehouses and stores, and the bins of
    the one chosen, as (value, text)."""

    locations: list[tuple[str, str]]
    bins: list[tuple[str, str]] = field(default_factory=list)


def places(session: Session, actor: Actor, location_id: str | None) -> Places:
    locations = [(loc.id, loc.name) for loc in list_locations(session, actor)]
    if location_id not in {ident for ident, _ in locations}:
        return Places(locations)
    bins = list_bins(session, actor, location_id=location_id)
    return Places(locations, [(each.id, each.code) for each in bins])
