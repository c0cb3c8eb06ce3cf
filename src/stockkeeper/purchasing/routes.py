from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Body, File, Query, Request, UploadFile
from fastapi.responses import FileResponse, StreamingResponse
from pydantic import Field

from stockkeeper.api.deps import Admin, ApiRoute, Clerk, DbSession, Viewer
from stockkeeper.api.problems import problem_responses
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_data, ok_list
from stockkeeper.catalog.schemas.entities import Deleted, SupplierRead
from stockkeeper.catalog.service import suppliers
from stockkeeper.core import outbox
from stockkeeper.core.api_model import ApiModel, Envelope, ListEnvelope, Page
from stockkeeper.core.json import dump
from stockkeeper.purchasing import lifecycle, orders, receiving, reorder, slips
from stockkeeper.purchasing.orders import OrderView, open_quantity
from stockkeeper.purchasing.schemas import (
    LocationRef,
    OrderCreate,
    OrderLineRead,
    OrderLines,
    OrderListQuery,
    OrderRead,
    OrderSummary,
    OrderUpdate,
    PackingSlipRead,
    ReceiptCreate,
    ReceiptLineRead,
    ReceiptRead,
    ReorderDecision,
    ReorderRequest,
    ReorderResult,
    ReturnCreate,
    SupplierRef,
)
from stockkeeper.tenancy.service import company_today, get_company

router = APIRouter(tags=["Purchase orders"], route_class=ApiRoute)
PREFIX = "/api/v1/purchase-orders"


def _summary(view: OrderView) -> dict[str, object]:
    o = view.order
    return {
        "id": o.id,
        "order_number": o.order_number,
        "status": o.status,
        "supplier_id": o.supplier_id,
        "supplier_name": view.supplier.name,
        "location_id": o.location_id,
        "order_date": o.order_date,
        "expected_date": o.expected_date,
        "received_date": o.received_date,
        "currency": o.currency,
        "total": view.total,
        "item_count": len(view.lines),
        "total_quantity": sum((line.quantity for line, _ in view.lines), 0),
    }


def order_summary(view: OrderView) -> OrderSummary:
    return OrderSummary.model_validate(_summary(view))


def order_read(view: OrderView) -> OrderRead:
    o = view.order
    return OrderRead.model_validate(
        _summary(view)
        | {
            "allowed_statuses": orders.WORKFLOW.allowed(o.status),
            "supplier": SupplierRef(
                id=view.supplier.id,
                name=view.supplier.name,
                creditor_number=view.supplier.creditor_number,
            ),
            "location": LocationRef(id=view.location.id, name=view.location.name),
            "staff_id": o.staff_id,
            "staff_name": o.staff_name,
            "exchange_rate": o.exchange_rate,
            "notes": o.notes,
            "packing_slip_number": o.packing_slip_number,
            "packing_slip": PackingSlipRead(
                filename=o.packing_slip_file, content_type=o.packing_slip_type
            )
            if o.packing_slip_file and o.packing_slip_type
            else None,
            "items": [
                OrderLineRead(
                    id=line.id,
                    item_id=item.id,
                    item_code=item.item_code,
                    item_name=item.name,
                    variant_id=line.variant_id,
                    supplier_item_code=line.supplier_item_code,
                    quantity=line.quantity,
                    unit_cost=line.unit_cost,
                    total=line.quantity * line.unit_cost,
                    tolerance_percent=line.tolerance_percent,
                    quantity_received=line.quantity_received,
                    quantity_returned=line.quantity_returned,
                    quantity_open=open_quantity(o, line),
                    notes=line.notes,
                )
                for line, item in view.lines
            ],
            "receipts": [
                ReceiptRead(
                    id=receipt.id,
                    kind=receipt.kind,
                    date=receipt.receipt_date,
                    reference=receipt.reference,
                    notes=receipt.notes,
                    items=[
                        ReceiptLineRead(
                            line_id=line.order_line_id,
                            item_id=line.item_id,
                            quantity=line.quantity,
                            unit_cost=line.unit_cost,
                            total_cost=line.total_cost,
                            bin_id=line.bin_id,
                            batches=line.batches,
                            serial_numbers=line.serial_numbers,
                        )
                        for line in lines
                    ],
                    created_by=receipt.created_by,
                    created_at=receipt.created_at,
                )
                for receipt, lines in view.receipts
            ],
            "created_by": o.created_by,
            "created_at": o.created_at,
            "updated_at": o.updated_at,
        }
    )


def _files(request: Request) -> Path:
    root: Path = request.app.state.settings.data_dir
    return root


def _current(session: DbSession, actor: Viewer, order_id: str) -> ExactJSONResponse:
    return ok(order_read(orders.get_order(session, actor, order_id=order_id)))


def _announced(
    session: DbSession, actor: Viewer, order_id: str, was: str, status_code: int = 200
) -> ExactJSONResponse:
    """The order; ``purchase_order.received`` is announced when this request received it."""
    data = dump(order_read(orders.get_order(session, actor, order_id=order_id)))
    if data["status"] == "received" and was != "received":
        outbox.emit(session, actor.company_id, "purchase_order.received", data)
    return ok_data(data, status_code)


@router.get(
    f"{PREFIX}/packing-slips.zip",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/zip": {}}}, **problem_responses()},
    description="A ZIP of the packing slips of the orders received in `year` (default: this "
    "year), at the top level of the archive, streamed.",
)
def packing_slips_zip(
    request: Request,
    session: DbSession,
    actor: Admin,
    year: Annotated[int | None, Query(ge=1900, le=9999)] = None,
) -> StreamingResponse:
    year = year or company_today(get_company(session, actor.company_id)).year
    names = orders.slips_of_year(session, actor, year)
    return StreamingResponse(
        slips.zip_stream(_files(request), actor.company_id, names),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="packing-slips-{year}.zip"'},
    )


@router.post(
    PREFIX,
    status_code=201,
    response_model=Envelope[OrderRead],
    responses=problem_responses(),
    description="Creates an order in status `created` with the next IO number (IO2601, "
    "IO2602, ... restarting each year). Lines can be given here or set with `PUT .../items`.",
)
def create_order(session: DbSession, actor: Admin, body: OrderCreate) -> ExactJSONResponse:
    order = orders.create_order(session, actor, values=body.model_dump(exclude_unset=True))
    return ok(order_read(orders.get_order(session, actor, order_id=order.id)), 201)


_EVERYTHING = ReorderRequest()


@router.post(
    f"{PREFIX}/from-reorder",
    status_code=201,
    response_model=Envelope[ReorderResult],
    responses=problem_responses(),
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
    values = body.model_dump(exclude_unset=True)
    decisions = reorder.create_from_reorder(session, actor, values)
    created = {d.order.id: d.order for d in decisions if d.order is not None}
    views = [orders.get_order(session, actor, order_id=i) for i in created]
    result = ReorderResult(
        orders=[order_summary(v) for v in views],
        items=[
            ReorderDecision(
                item_id=d.item.id,
                item_code=d.item.item_code,
                item_name=d.item.name,
                location_id=d.location_id,
                current_stock=d.on_hand,
                reorder_point=d.item.reorder_point,
                reorder_quantity=d.item.reorder_quantity,
                on_order_stock=d.on_order,
                supplier_id=d.item.supplier_id,
                included=d.included,
                reason=d.reason,
                quantity=d.quantity if d.included else 0,
                order_id=d.order.id if d.order is not None else None,
                order_number=d.order.order_number if d.order is not None else None,
            )
            for d in decisions
        ],
    )
    return ok(result, 201)


@router.get(PREFIX, response_model=ListEnvelope[OrderSummary], responses=problem_responses())
def list_orders(
    session: DbSession, actor: Viewer, query: Annotated[OrderListQuery, Query()]
) -> ExactJSONResponse:
    filters = orders.OrderFilters(
        status=query.status,
        supplier_id=query.supplier_id,
        location_id=query.location_id,
        item_id=query.item_id,
        date_from=query.date_from,
        date_to=query.date_to,
    )
    views, next_cursor, total = orders.list_orders(
        session, actor, filters=filters, limit=query.limit, cursor=query.cursor
    )
    return ok_list([order_summary(v) for v in views], Page.of(next_cursor, query.limit, total))


@router.get(
    f"{PREFIX}/{{order_id}}", response_model=Envelope[OrderRead], responses=problem_responses(404)
)
def get_order(session: DbSession, actor: Viewer, order_id: str) -> ExactJSONResponse:
    return _current(session, actor, order_id)


@router.put(
    f"{PREFIX}/{{order_id}}/items",
    response_model=Envelope[OrderRead],
    responses=problem_responses(404, 409),
    description="Replaces every line; only while the order is created or ordered.",
)
def replace_lines(
    session: DbSession, actor: Admin, order_id: str, body: OrderLines
) -> ExactJSONResponse:
    orders.replace_lines(session, actor, order_id, body.model_dump(exclude_unset=True)["items"])
    return _current(session, actor, order_id)


@router.put(
    f"{PREFIX}/{{order_id}}",
    response_model=Envelope[OrderRead],
    responses=problem_responses(404, 409),
    description="Changes the details and, with `status`, moves the order on: `ordered`, "
    "`received` (every open line received in full, dated `receivedDate` or today), "
    "`cancelled` (from created or ordered), `closed` (a partially received order closed "
    "short). A 409 `illegal_transition` lists the `allowedStatuses`.",
)
def update_order(
    session: DbSession, actor: Admin, order_id: str, body: OrderUpdate
) -> ExactJSONResponse:
    was = orders.locked_order(session, actor, order_id).status
    lifecycle.update_order(session, actor, order_id, body.model_dump(exclude_unset=True))
    return _announced(session, actor, order_id, was)


@router.delete(
    f"{PREFIX}/{{order_id}}",
    response_model=Envelope[Deleted],
    responses=problem_responses(404, 409),
    description="Deletes an order in any status. What it received leaves again by reversing "
    "movements and its packing slip file is removed; a 409 `insufficient_stock` names the "
    "items if that stock is gone (and negative stock is off), and nothing changes.",
)
def delete_order(
    request: Request, session: DbSession, actor: Admin, order_id: str
) -> ExactJSONResponse:
    orders.delete_order(session, actor, order_id, _files(request))
    return ok(Deleted(id=order_id, deleted=True))


@router.post(
    f"{PREFIX}/{{order_id}}/receipts",
    status_code=201,
    response_model=Envelope[OrderRead],
    responses=problem_responses(404, 409),
    description="Receives part of an ordered or partially received order: each entry names "
    "its line (`lineId`, or the item when it is on one line only), with a bin, batches or "
    "serial numbers as the item needs. Beyond a line's quantity only within its "
    "`tolerancePercent` (else 409 `over_receipt`).",
)
def receive(
    session: DbSession, actor: Clerk, order_id: str, body: ReceiptCreate
) -> ExactJSONResponse:
    was = orders.locked_order(session, actor, order_id).status
    receiving.receive_by_id(session, actor, order_id, body.model_dump(exclude_unset=True))
    return _announced(session, actor, order_id, was, 201)


@router.post(
    f"{PREFIX}/{{order_id}}/returns",
    status_code=201,
    response_model=Envelope[OrderRead],
    responses=problem_responses(404, 409),
    description="Sends received stock back to the supplier at the cost it came in with; at "
    "most what was received less what went back already (409 `more_than_received`).",
)
def return_goods(
    session: DbSession, actor: Clerk, order_id: str, body: ReturnCreate
) -> ExactJSONResponse:
    receiving.return_to_supplier(session, actor, order_id, body.model_dump(exclude_unset=True))
    return ok(order_read(orders.get_order(session, actor, order_id=order_id)), 201)


class SlipStored(ApiModel):
    ok: bool = True
    filename: str
    content_type: str


@router.post(
    f"{PREFIX}/{{order_id}}/packing-slip",
    status_code=201,
    response_model=Envelope[SlipStored],
    responses=problem_responses(404, 409, 415),
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
    order = orders.attach_slip(session, actor, order_id, _files(request), file.file)
    assert order.packing_slip_file is not None
    assert order.packing_slip_type is not None
    return ok(
        SlipStored(filename=order.packing_slip_file, content_type=order.packing_slip_type), 201
    )


@router.get(
    f"{PREFIX}/{{order_id}}/packing-slip",
    response_class=FileResponse,
    responses={
        200: {"content": {t: {} for t in slips.CONTENT_TYPES.values()}},
        **problem_responses(404),
    },
)
def download_slip(
    request: Request, session: DbSession, actor: Viewer, order_id: str
) -> FileResponse:
    path, content_type = orders.slip_file(session, actor, order_id, _files(request))
    return FileResponse(path, media_type=content_type, filename=path.name)


class SupplierDetail(SupplierRead):
    recent_orders: list[OrderSummary] = Field(description="The 20 most recent orders")


@router.get(
    "/api/v1/suppliers/{supplier_id}",
    response_model=Envelope[SupplierDetail],
    responses=problem_responses(404),
    tags=["Suppliers"],
    description="A supplier with its 20 most recent purchase orders.",
)
def get_supplier(session: DbSession, actor: Viewer, supplier_id: str) -> ExactJSONResponse:
    supplier = suppliers.get_supplier(session, actor, supplier_id=supplier_id)
    recent = orders.recent_orders(session, actor, supplier_id)
    return ok(
        SupplierDetail.model_validate(
            SupplierRead.model_validate(supplier).model_dump()
            | {"recent_orders": [order_summary(v) for v in recent]}
        )
    )
