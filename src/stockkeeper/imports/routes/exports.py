"""``/api/v1/exports``: the catalogue as files an import takes back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from stockkeeper.api.deps import ApiRoute, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.imports.schemas import ExportQuery
from stockkeeper.imports.service.item_export import items_file
from stockkeeper.imports.service.item_layout import HEADINGS
from stockkeeper.reports.service import export

router = APIRouter(prefix="/api/v1/exports", tags=["Imports"], route_class=ApiRoute)
_COLUMNS = [(heading, heading) for heading in HEADINGS]


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
