"""``/api/v1/inventory/transfers``: the canonical face of the transfer use cases."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stockkeeper.api.deps import ApiRoute, Clerk, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_data, ok_page
from stockkeeper.core.api_model import Envelope, ListEnvelope
from stockkeeper.core.errors import IllegalTransition, InvalidCursor, NotFound, UnknownReference
from stockkeeper.stock.errors import (
    FutureDate,
    InsufficientStock,
    InvalidLots,
    ItemCannotMove,
    PeriodLocked,
    SerialInStock,
    SerialNotInStock,
)
from stockkeeper.transfers import service
from stockkeeper.transfers.errors import AdminOnly, ApprovalRequired
from stockkeeper.transfers.schemas import (
    StatusChange,
    TransferCreate,
    TransferListQuery,
    TransferRead,
)
from stockkeeper.transfers.views import transfer_read

router = APIRouter(
    prefix="/api/v1/inventory/transfers", tags=["Stock transfers"], route_class=ApiRoute
)

_NOT_FOUND = NotFound.code_for("transfer")
_LOTS = (UnknownReference.code_for("batch"), InvalidLots, SerialNotInStock)
_POSTING = (InsufficientStock, PeriodLocked, FutureDate, *_LOTS)
_CONTENT = (
    UnknownReference.code_for("location"),
    UnknownReference.code_for("bin"),
    ItemCannotMove,
)


@router.post(
    "",
    status_code=201,
    response_model=Envelope[TransferRead],
    responses=problems(*_CONTENT, *_POSTING),
    description="Creates a transfer. Without `requestApproval` or `status: draft` it is carried "
    "out at once, straight from source to destination (status `completed`); a 409 "
    "`insufficient_stock` names every short line. With `requestApproval` it waits in "
    "`pending_approval`. When a transfer with the `externalId` sent exists, the answer is "
    "that one, with 200 rather than 201, and nothing is created.",
)
def create_transfer(session: DbSession, actor: Clerk, body: TransferCreate) -> ExactJSONResponse:
    view = service.create_transfer(session, actor, transfer=body)
    return ok_data(view.data, 200 if view.existing else 201)


@router.get("", response_model=ListEnvelope[TransferRead], responses=problems(InvalidCursor))
def list_transfers(
    session: DbSession, actor: Viewer, query: Annotated[TransferListQuery, Query()]
) -> ExactJSONResponse:
    page = service.list_transfers(
        session, actor, filters=query, limit=query.limit, cursor=query.cursor
    )
    return ok_page(page, transfer_read, query.limit)


@router.get("/{transfer_id}", response_model=Envelope[TransferRead], responses=problems(_NOT_FOUND))
def get_transfer(session: DbSession, actor: Viewer, transfer_id: str) -> ExactJSONResponse:
    return ok(transfer_read(service.get_transfer(session, actor, transfer_id=transfer_id)))


@router.patch(
    "/{transfer_id}/status",
    response_model=Envelope[TransferRead],
    responses=problems(
        _NOT_FOUND,
        IllegalTransition,
        AdminOnly,
        ApprovalRequired,
        ItemCannotMove,
        UnknownReference.code_for("reason"),
        SerialInStock,
        *_POSTING,
    ),
    description="Moves a transfer on: `pending_approval`; `approved` or `rejected` (admins "
    "only); `shipped` (stock leaves the source for in transit; `items` may ship less than "
    "requested; from `pending_approval` an admin's shipping approves it first, and anyone "
    "else gets 409 `approval_required`); `received` (it arrives at the destination; `items` "
    "may say less arrived, and the shortfall is written off with `reason`, so the transfer "
    "becomes `completed`); `cancelled` before shipping. Each change is recorded in "
    "`approvals` with who, when and the notes. A 409 `illegal_transition` (with "
    "`allowedStatuses`) when the status does not allow the change.",
)
def change_status(
    session: DbSession, actor: Clerk, transfer_id: str, body: StatusChange
) -> ExactJSONResponse:
    view = service.change_transfer_status(session, actor, transfer_id=transfer_id, change=body)
    return ok_data(view.data)
