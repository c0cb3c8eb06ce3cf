"""``/api/v1/exports``: the catalogue and the stock as files an import takes back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from stockkeeper.api.deps import ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.imports.schemas import ExportQuery
from stockkeeper.imports.service import stock_layout
from stockkeeper.imports.service.item_export import items_file
from stockkeeper.imports.service.item_layout import HEADINGS
from stockkeeper.imports.service.stock_export import stock_file
from stockkeeper.reports.service import export

router = APIRouter(prefix="/api/v1/exports", tags=["Imports"], route_class=ApiRoute)
_COLUMNS = [(heading, heading) for heading in HEADINGS]
_STOCK_COLUMNS = [(heading, heading) for heading in stock_layout.HEADINGS]


@router.get(
    "/items",
    response_class=StreamingResponse,
    responses={**export.FILE_RESPONSES, **problems()},
    description="Every item and variant (a row each) in exactly the columns an import "
    "takes: export, edit, import again.",
)
def export_items(
    session: DbSession, actor: Viewer, query: Annotated[ExportQuery, Query()]
) -> StreamingResponse:
    found = items_file(session, actor)
    return export.file_response(query.format, "items", found.day, _COLUMNS, found.rows)


@router.get(
    "/stock",
    response_class=StreamingResponse,
    responses={**export.FILE_RESPONSES, **problems()},
    description="Every place of a warehouse or store holding stock (location, item or "
    "variant, bin, batch with its expiry, serial number; a row each) in exactly the columns "
    "a stock import takes, with its quantity on hand and as `unitCost` the item's average "
    "cost at the location. Imported again it posts nothing; edited, it sets what it says.",
)
def export_stock(
    session: DbSession, actor: Viewer, query: Annotated[ExportQuery, Query()]
) -> StreamingResponse:
    found = stock_file(session, actor)
    return export.file_response(query.format, "stock", found.day, _STOCK_COLUMNS, found.rows)
