"""``/api/v1/purchase-orders``: the canonical face of the purchasing use cases. The supplier
detail with its recent orders is served with the other supplier routes
(``catalog/routes/suppliers.py``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, File, Query, Request, UploadFile
from fastapi.responses import FileResponse, StreamingResponse

from stockkeeper.api.deps import Admin, ApiRoute, Clerk, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_data, ok_page
from stockkeeper.catalog.schemas.entities import Deleted
from stockkeeper.core.api_model import Envelope, ListEnvelope
from stockkeeper.core.errors import (
    IllegalTransition,
    InvalidCursor,
    NotFound,
    UnknownReference,
    UnsupportedMediaType,
)
from stockkeeper.purchasing import service
from stockkeeper.purchasing.errors import (
    InactiveSupplier,
    MoreThanReceived,
    NothingToReceive,
    OrderNotEditable,
    OrderNotOpen,
    OrderNotReceived,
    OverReceipt,
    UnknownOrderLine,
    UnknownStaff,
)
from stockkeeper.purchasing.schemas import (
    OrderCreate,
    OrderLines,
    OrderListQuery,
    OrderRead,
    OrderSummary,
    OrderUpdate,
    ReceiptCreate,
    ReorderRequest,
    ReorderResult,
    SlipStored,
    SupplierReturnCreate,
)
from stockkeeper.purchasing.service import slips
from stockkeeper.purchasing.views import (
    order_read,
    order_summary,
    reorder_result,
    slip_stored,
)
from stockkeeper.stock.errors import (
    FutureDate,
    InsufficientStock,
    InvalidLots,
    ItemCannotMove,
    PeriodLocked,
    SerialInStock,
    SerialNotInStock,
)
from stockkeeper.tenancy.errors import InvalidCurrency

router = APIRouter(tags=["Purchase orders"], route_class=ApiRoute)
PREFIX = "/api/v1/purchase-orders"
ORDER = PREFIX + "/{order_id}"

_NOT_FOUND = NotFound.code_for("purchase order")
_LINES = (UnknownReference.code_for("variant"), ItemCannotMove, InactiveSupplier)
_LOTS = (UnknownReference.code_for("bin"), UnknownReference.code_for("batch"), InvalidLots)
_RECEIPT = (
    *_LOTS,
    OrderNotOpen,
    OverReceipt,
    ItemCannotMove,
    SerialInStock,
    PeriodLocked,
    FutureDate,
)
_CREATE = (
    UnknownReference.code_for("supplier"),
    UnknownReference.code_for("location"),
    UnknownStaff,
    InvalidCurrency,
    *_LINES,
)


@router.get(
    f"{PREFIX}/packing-slips.zip",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/zip": {}}}, **problems()},
    description="A ZIP of the packing slips of the orders received in `year` (default: this "
    "year), at the top level of the archive, streamed.",
)
def packing_slips_zip(
    request: Request,
    session: DbSession,
    actor: Admin,
    year: Annotated[int | None, Query(ge=1900, le=9999)] = None,
) -> StreamingResponse:
    data_dir = request.app.state.settings.data_dir
    archive = service.packing_slips_archive(session, actor, year=year, data_dir=data_dir)
    disposition = f'attachment; filename="packing-slips-{archive.year}.zip"'
    return StreamingResponse(
        archive.chunks, media_type="application/zip", headers={"Content-Disposition": disposition}
    )


@router.post(
    PREFIX,
    status_code=201,
    response_model=Envelope[OrderRead],
    responses=problems(*_CREATE),
    description="Creates an order in status `created` with the next IO number (IO2601, "
    "IO2602, ... restarting each year). Lines can be given here or set with `PUT .../items`. "
    "Lines of non-stock items and services (and of stock items whose stock is not tracked) "
    "are ordered, received and returned like the others, but never move stock, count as on "
    "order or carry a cost layer.",
)
def create_order(session: DbSession, actor: Admin, body: OrderCreate) -> ExactJSONResponse:
    return ok_data(service.create_order(session, actor, order=body).data, 201)


_EVERYTHING = ReorderRequest()


@router.post(
    f"{PREFIX}/from-reorder",
    status_code=201,
    response_model=Envelope[ReorderResult],
    responses=problems(UnknownReference.code_for("location")),
    description="Orders what has fallen to its reorder point: for every active stocked item "
    "at or below its `reorderPoint` at a location, its `reorderQuantity` less what is "
    "already on order there, from its supplier at its cost price, one order (status "
    "`created`) per supplier and location, expected after the longest lead time. The body "
    "is optional and narrows the run. Returns the orders and, for every item considered, "
    "whether it was ordered or why not.",
)
def create_from_reorder(
    session: DbSession,
    actor: Admin,
    body: Annotated[ReorderRequest, Body(description="Optional: narrows the run")] = _EVERYTHING,
) -> ExactJSONResponse:
    return ok(reorder_result(service.create_orders_from_reorder(session, actor, run=body)), 201)


@router.get(PREFIX, response_model=ListEnvelope[OrderSummary], responses=problems(InvalidCursor))
def list_orders(
    session: DbSession, actor: Viewer, query: Annotated[OrderListQuery, Query()]
) -> ExactJSONResponse:
    page = service.list_orders(
        session, actor, filters=query, limit=query.limit, cursor=query.cursor
    )
    return ok_page(page, order_summary, query.limit)


@router.get(ORDER, response_model=Envelope[OrderRead], responses=problems(_NOT_FOUND))
def get_order(session: DbSession, actor: Viewer, order_id: str) -> ExactJSONResponse:
    return ok(order_read(service.get_order(session, actor, order_id=order_id)))


@router.put(
    f"{ORDER}/items",
    response_model=Envelope[OrderRead],
    responses=problems(_NOT_FOUND, OrderNotEditable, *_LINES),
    description="Replaces every line; only while the order is created or ordered.",
)
def replace_lines(
    session: DbSession, actor: Admin, order_id: str, body: OrderLines
) -> ExactJSONResponse:
    view = service.replace_order_lines(session, actor, order_id=order_id, lines=body.items)
    return ok_data(view.data)


@router.put(
    ORDER,
    response_model=Envelope[OrderRead],
    responses=problems(
        _NOT_FOUND,
        IllegalTransition,
        NothingToReceive,
        InvalidLots,
        ItemCannotMove,
        PeriodLocked,
        FutureDate,
    ),
    description="Changes the details and, with `status`, moves the order on: `ordered`, "
    "`received` (every open line received in full, dated `receivedDate` or today), "
    "`cancelled` (from created or ordered), `closed` (a partially received order closed "
    "short). A 409 `illegal_transition` lists the `allowedStatuses`.",
)
def update_order(
    session: DbSession, actor: Admin, order_id: str, body: OrderUpdate
) -> ExactJSONResponse:
    return ok_data(service.update_order(session, actor, order_id=order_id, changes=body).data)


@router.delete(
    ORDER,
    response_model=Envelope[Deleted],
    responses=problems(_NOT_FOUND, InsufficientStock, ItemCannotMove, PeriodLocked),
    description="Deletes an order in any status. What it received leaves again by reversing "
    "its movements (lines of non-stock items and services have none) and its packing slip "
    "file is removed; a 409 `insufficient_stock` names the items if that stock is gone (and "
    "negative stock is off), and nothing changes.",
)
def delete_order(
    request: Request, session: DbSession, actor: Admin, order_id: str
) -> ExactJSONResponse:
    data_dir = request.app.state.settings.data_dir
    service.delete_order(session, actor, order_id=order_id, data_dir=data_dir)
    return ok(Deleted(id=order_id, deleted=True))


@router.post(
    f"{ORDER}/receipts",
    status_code=201,
    response_model=Envelope[OrderRead],
    responses=problems(_NOT_FOUND, UnknownOrderLine, *_RECEIPT),
    description="Receives part of an ordered or partially received order: each entry names "
    "its line (`lineId`, or the item when it is on one line only), with a bin, batches or "
    "serial numbers as the item needs. Beyond a line's quantity only within its "
    "`tolerancePercent` (else 409 `over_receipt`). A line of a non-stock item or a service "
    "is received with no movement, and takes no bin, batch or serial (422 `invalid_lots`).",
)
def receive(
    session: DbSession, actor: Clerk, order_id: str, body: ReceiptCreate
) -> ExactJSONResponse:
    return ok_data(service.receive_order(session, actor, order_id=order_id, receipt=body).data, 201)


@router.post(
    f"{ORDER}/returns",
    status_code=201,
    response_model=Envelope[OrderRead],
    responses=problems(
        _NOT_FOUND,
        OrderNotReceived,
        UnknownReference.code_for("reason"),
        UnknownOrderLine,
        MoreThanReceived,
        ItemCannotMove,
        InsufficientStock,
        SerialNotInStock,
        PeriodLocked,
        FutureDate,
        *_LOTS,
    ),
    description="Sends received stock back to the supplier at the cost it came in with; at "
    "most what was received less what went back already (409 `more_than_received`).",
)
def return_goods(
    session: DbSession, actor: Clerk, order_id: str, body: SupplierReturnCreate
) -> ExactJSONResponse:
    view = service.return_to_supplier(session, actor, order_id=order_id, goods=body)
    return ok_data(view.data, 201)


@router.post(
    f"{ORDER}/packing-slip",
    status_code=201,
    response_model=Envelope[SlipStored],
    responses=problems(_NOT_FOUND, OrderNotReceived, UnsupportedMediaType),
    description="Uploads the packing slip (multipart field `file`: PDF, PNG or JPEG, found "
    "from the content; at most 10 MB) of a received or partially received order. It is "
    "stored as `{orderNumber}_{creditorNumber}_{receivedDate:YYYYMMDD}.{ext}`.",
)
def upload_slip(
    request: Request,
    session: DbSession,
    actor: Admin,
    order_id: str,
    file: Annotated[UploadFile, File(description="The packing slip")],
) -> ExactJSONResponse:
    data_dir = request.app.state.settings.data_dir
    view = service.attach_packing_slip(
        session, actor, order_id=order_id, file=file.file, data_dir=data_dir
    )
    return ok(slip_stored(view), 201)


@router.get(
    f"{ORDER}/packing-slip",
    response_class=FileResponse,
    responses={
        200: {"content": {t: {} for t in slips.CONTENT_TYPES.values()}},
        **problems(_NOT_FOUND, NotFound.code_for("packing slip of purchase order")),
    },
)
def download_slip(
    request: Request, session: DbSession, actor: Viewer, order_id: str
) -> FileResponse:
    data_dir = request.app.state.settings.data_dir
    slip = service.packing_slip_file(session, actor, order_id=order_id, data_dir=data_dir)
    return FileResponse(slip.path, media_type=slip.content_type, filename=slip.path.name)
