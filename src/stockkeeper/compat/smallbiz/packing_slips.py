"""smallbiz: packing slips. A received order's slip is uploaded (multipart ``file``, a PDF
or an image of at most 10 MB, stored as ``{order_number}_{creditor_number}_{received_date}``
with the extension of its type) and downloaded; a year's slips come as one ZIP."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import FileResponse, StreamingResponse

from stockkeeper.api.deps import Admin, DbSession, Viewer, WritingRoute
from stockkeeper.api.responses import ExactJSONResponse
from stockkeeper.compat.smallbiz import purchasing_parse as parse
from stockkeeper.compat.smallbiz.purchasing_schemas import PathId, ZipQuery
from stockkeeper.purchasing import service

router = APIRouter(route_class=WritingRoute)
SLIP = "/api/suppliers/orders/{order}/packing-slip"


@router.get("/api/suppliers/packing-slips/zip", response_class=StreamingResponse)
def packing_slips_zip(
    request: Request, session: DbSession, actor: Admin, query: Annotated[ZipQuery, Query()]
) -> StreamingResponse:
    data_dir = request.app.state.settings.data_dir
    archive = service.packing_slips_archive(session, actor, year=query.year, data_dir=data_dir)
    disposition = f'attachment; filename="packing-slips-{archive.year}.zip"'
    headers = {"Content-Disposition": disposition}
    return StreamingResponse(archive.chunks, media_type="application/zip", headers=headers)


@router.post(SLIP)
def upload_slip(
    request: Request,
    session: DbSession,
    actor: Admin,
    order: PathId,
    file: Annotated[UploadFile, File()],
) -> ExactJSONResponse:
    order_id, data_dir = parse.order_id(session, actor, order), request.app.state.settings.data_dir
    view = service.attach_packing_slip(
        session, actor, order_id=order_id, file=file.file, data_dir=data_dir
    )
    return ExactJSONResponse({"ok": True, "filename": view.order.packing_slip_file})


@router.get(SLIP, response_class=FileResponse)
def download_slip(
    request: Request, session: DbSession, actor: Viewer, order: PathId
) -> FileResponse:
    order_id, data_dir = parse.order_id(session, actor, order), request.app.state.settings.data_dir
    slip = service.packing_slip_file(session, actor, order_id=order_id, data_dir=data_dir)
    return FileResponse(slip.path, media_type=slip.content_type, filename=slip.path.name)
