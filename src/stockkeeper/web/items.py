"""The items: a list searched as one types (codes, barcodes, names) and filtered, paged by
the items' cursor; an item's page with its stock where it lies, its latest movements and its
cost figures; a page of its movements.

The list is a GET form that works without scripts; ``static/items.js`` sends it as one
types and swaps the results for the same URL's ``fragment=1``: the results alone."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request, Response

from stockkeeper.reports.service.item_trend import ItemOverTime, item_over_time
from stockkeeper.stock.service.item_screens import browse_items, item_movements
from stockkeeper.stock.values import ItemListing
from stockkeeper.tenancy.service import Role
from stockkeeper.web import nav
from stockkeeper.web.auth import DbSession, Viewer
from stockkeeper.web.charts import Chart, trend_chart
from stockkeeper.web.forms import parse
from stockkeeper.web.item_format import FORMATS
from stockkeeper.web.listing import pager
from stockkeeper.web.pages import page_router, render

router = page_router()
nav.register("Items", "/items", order=10)

PAGE = 50  # items a page
MOVEMENTS = 50  # movements a page of an item's movements

TYPES = {"inventory": "Stock item", "non_inventory": "Non-stock item", "service": "Service"}


@dataclass(frozen=True)
class ItemQuery:
    """The list's query as typed in the address: each filter a text, empty when unused."""

    search: str = ""
    category: str = ""
    type: str = ""
    active: str = ""
    low_stock: str = ""
    cursor: str = ""

    def filters(self) -> ItemListing:
        """The item list's filters (a value that does not fit is refused, 422)."""
        return parse(ItemListing, {k: v.strip() for k, v in self.given().items() if v.strip()})

    def given(self) -> dict[str, str]:
        """The filters typed, as the list's links carry them."""
        return {k: v for k, v in asdict(self).items() if k != "cursor" and v}


@router.get("/items")
def items_page(
    request: Request,
    session: DbSession,
    visit: Viewer,
    query: Annotated[ItemQuery, Depends()],
    fragment: bool = False,
) -> Response:
    found = browse_items(
        session, visit.actor, filters=query.filters(), limit=PAGE, cursor=query.cursor or None
    )
    template = "items/results.html" if fragment else "items/list.html"
    # the count shows above the results, as one types
    pages = replace(pager("/items", query.given(), query.cursor, found.page), total=None)
    can_create = visit.actor.role >= Role.admin
    context: dict[str, Any] = {"query": query, "found": found, "can_create": can_create}
    return render(request, template, pager=pages, types=TYPES, **context, **FORMATS)


@router.get("/items/{item_id}")
def item_page(request: Request, session: DbSession, visit: Viewer, item_id: str) -> Response:
    found = item_over_time(session, visit.actor, item_id=item_id)
    chart = _history(found)
    can_edit = visit.actor.role >= Role.admin
    context: dict[str, Any] = {"item": found.overview, "chart": chart, "can_edit": can_edit}
    return render(request, "items/item.html", types=TYPES, **context, **FORMATS)


def _history(found: ItemOverTime) -> Chart | None:
    caption = "Quantity and value at each month end and today"
    return (
        trend_chart(found.points, found.currency, caption, with_quantity=True)
        if found.points
        else None
    )


@router.get("/items/{item_id}/movements")
def item_movements_page(
    request: Request, session: DbSession, visit: Viewer, item_id: str, cursor: str = ""
) -> Response:
    view, movements = item_movements(
        session, visit.actor, item_id=item_id, limit=MOVEMENTS, cursor=cursor or None
    )
    next_link = _movements_link(item_id, movements.page.next_cursor)
    context: dict[str, Any] = {"view": view, "movements": movements, "next_link": next_link}
    return render(request, "items/movements.html", **context, **FORMATS)


def _movements_link(item_id: str, cursor: str | None) -> str | None:
    return f"/items/{item_id}/movements?{urlencode({'cursor': cursor})}" if cursor else None
