from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stockkeeper.api.deps import ApiRoute, Clerk, DbSession, Viewer
from stockkeeper.api.problems import problem_responses
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_data, ok_list
from stockkeeper.core import outbox
from stockkeeper.core.api_model import Envelope, ListEnvelope, Page
from stockkeeper.core.json import dump
from stockkeeper.transfers import service, workflow
from stockkeeper.transfers.schemas import (
    ApprovalRead,
    LocationRef,
    ShippingRead,
    StatusChange,
    TransferCreate,
    TransferLineRead,
    TransferListQuery,
    TransferRead,
)

router = APIRouter(prefix="/api/v1/inventory", tags=["Stock transfers"], route_class=ApiRoute)


def transfer_read(view: service.TransferView) -> TransferRead:
    t = view.transfer
    return TransferRead(
        id=t.id,
        transfer_number=t.transfer_number,
        date=t.transfer_date,
        status=t.status,
        allowed_statuses=workflow.WORKFLOW.allowed(t.status),
        from_location_id=t.from_location_id,
        from_location=LocationRef(id=view.source.id, name=view.source.name),
        to_location_id=t.to_location_id,
        to_location=LocationRef(id=view.destination.id, name=view.destination.name),
        reference=t.reference,
        notes=t.notes,
        items=[
            TransferLineRead(
                id=line.id,
                item_id=item.id,
                item_code=item.item_code,
                item_name=item.name,
                variant_id=line.variant_id,
                from_bin_id=line.from_bin_id,
                to_bin_id=line.to_bin_id,
                quantity_requested=line.quantity_requested,
                quantity_shipped=line.quantity_shipped,
                quantity_received=line.quantity_received,
                quantity_written_off=line.quantity_written_off,
                write_off_reason=line.write_off_reason,
                unit_cost=line.unit_cost,
                total_cost=line.total_cost,
                notes=line.notes,
                batches=line.batches,
                serial_numbers=line.serial_numbers,
            )
            for line, item in view.lines
        ],
        shipping=ShippingRead.model_validate(t.shipping),
        total_value=t.total_value,
        approvals=[ApprovalRead.model_validate(a) for a in view.approvals],
        created_by=t.created_by,
        created_at=t.created_at,
        updated_at=t.updated_at,
    )


def _announced(
    session: DbSession, actor: Viewer, transfer_id: str, status_code: int = 200
) -> ExactJSONResponse:
    """The transfer, announced as ``inventory.transfer`` (it was created or moved on)."""
    data = dump(transfer_read(service.get_transfer(session, actor, transfer_id=transfer_id)))
    outbox.emit(session, actor.company_id, "inventory.transfer", data)
    return ok_data(data, status_code)


@router.post(
    "/transfers",
    status_code=201,
    response_model=Envelope[TransferRead],
    responses=problem_responses(409),
    description="Creates a transfer. Without `requestApproval` or `status: draft` it is carried "
    "out at once, straight from source to destination (status `completed`); a 409 "
    "`insufficient_stock` names every short line. With `requestApproval` it waits in "
    "`pending_approval`.",
)
def create_transfer(session: DbSession, actor: Clerk, body: TransferCreate) -> ExactJSONResponse:
    transfer = service.create_transfer(session, actor, values=body.model_dump(exclude_unset=True))
    return _announced(session, actor, transfer.id, 201)


@router.get("/transfers", response_model=ListEnvelope[TransferRead], responses=problem_responses())
def list_transfers(
    session: DbSession, actor: Viewer, query: Annotated[TransferListQuery, Query()]
) -> ExactJSONResponse:
    filters = service.TransferFilters(
        status=query.status,
        from_location_id=query.from_location_id,
        to_location_id=query.to_location_id,
        location_id=query.location_id,
        item_id=query.item_id,
        date_from=query.date_from,
        date_to=query.date_to,
    )
    views, next_cursor, total = service.list_transfers(
        session, actor, filters=filters, limit=query.limit, cursor=query.cursor
    )
    return ok_list([transfer_read(v) for v in views], Page.of(next_cursor, query.limit, total))


@router.get(
    "/transfers/{transfer_id}",
    response_model=Envelope[TransferRead],
    responses=problem_responses(404),
)
def get_transfer(session: DbSession, actor: Viewer, transfer_id: str) -> ExactJSONResponse:
    return ok(transfer_read(service.get_transfer(session, actor, transfer_id=transfer_id)))


@router.patch(
    "/transfers/{transfer_id}/status",
    response_model=Envelope[TransferRead],
    responses=problem_responses(404, 409),
    description="Moves a transfer on: `pending_approval`; `approved` or `rejected` (admins "
    "only); `shipped` (stock leaves the source for in transit; `items` may ship less than "
    "requested); `received` (it arrives at the destination; `items` may say less arrived, "
    "and the shortfall is written off with `reason`, so the transfer becomes `completed`); "
    "`cancelled` before shipping. Each change is recorded in `approvals` with who, when and "
    "the notes. A 409 `illegal_transition` (with `allowedStatuses`) when the status does not "
    "allow the change.",
)
def change_status(
    session: DbSession, actor: Clerk, transfer_id: str, body: StatusChange
) -> ExactJSONResponse:
    workflow.change_status(session, actor, transfer_id, change=body.model_dump(exclude_unset=True))
    return _announced(session, actor, transfer_id)
