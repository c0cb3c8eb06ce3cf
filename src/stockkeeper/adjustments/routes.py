"""``/api/v1/inventory/adjustments``: the canonical face of the adjustment use cases."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stockkeeper.adjustments import service
from stockkeeper.adjustments.schemas import (
    AdjustmentCreate,
    AdjustmentDraft,
    AdjustmentListQuery,
    AdjustmentRead,
    Rejection,
)
from stockkeeper.adjustments.views import adjustment_read
from stockkeeper.api.deps import Admin, ApiRoute, Clerk, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_data, ok_page
from stockkeeper.catalog.schemas.entities import Deleted
from stockkeeper.core.api_model import Envelope, ListEnvelope
from stockkeeper.core.errors import IllegalTransition, InvalidCursor, NotFound, UnknownReference
from stockkeeper.stock.errors import (
    FutureDate,
    InsufficientStock,
    InvalidLots,
    ItemCannotMove,
    NothingToRevalue,
    PeriodLocked,
    SerialInStock,
    SerialNotInStock,
    ValueBelowZero,
)

router = APIRouter(
    prefix="/api/v1/inventory/adjustments", tags=["Stock adjustments"], route_class=ApiRoute
)

_NOT_FOUND = NotFound.code_for("adjustment")
_CONTENT = (
    UnknownReference.code_for("location"),
    UnknownReference.code_for("reason"),
    UnknownReference.code_for("bin"),
    UnknownReference.code_for("batch"),
    UnknownReference.code_for("account"),
    ItemCannotMove,
    InvalidLots,
)
_POSTING = (
    InsufficientStock,
    PeriodLocked,
    NothingToRevalue,
    ValueBelowZero,
    SerialInStock,
    SerialNotInStock,
)
_ILLEGAL = "A 409 `illegal_transition` (with `allowedActions`) when the status does not allow it."


@router.post(
    "",
    status_code=201,
    response_model=Envelope[AdjustmentRead],
    responses=problems(*_CONTENT, *_POSTING, FutureDate),
    description="Creates an adjustment and posts it at once: every line moves stock, or none does. "
    "Removing more than is available is a 409 naming every short line, unless the company "
    "allows negative stock. With `status: draft` it stays a draft. When an adjustment with "
    "the `externalId` sent exists, the answer is that one, with 200 rather than 201, and "
    "nothing is created.",
)
def create_adjustment(
    session: DbSession, actor: Clerk, body: AdjustmentCreate
) -> ExactJSONResponse:
    view = service.create_adjustment(session, actor, adjustment=body)
    return ok_data(view.data, 200 if view.existing else 201)


@router.get("", response_model=ListEnvelope[AdjustmentRead], responses=problems(InvalidCursor))
def list_adjustments(
    session: DbSession, actor: Viewer, query: Annotated[AdjustmentListQuery, Query()]
) -> ExactJSONResponse:
    page = service.list_adjustments(
        session, actor, filters=query, limit=query.limit, cursor=query.cursor
    )
    return ok_page(page, adjustment_read, query.limit)


@router.get(
    "/{adjustment_id}", response_model=Envelope[AdjustmentRead], responses=problems(_NOT_FOUND)
)
def get_adjustment(session: DbSession, actor: Viewer, adjustment_id: str) -> ExactJSONResponse:
    return ok(adjustment_read(service.get_adjustment(session, actor, adjustment_id=adjustment_id)))


@router.put(
    "/{adjustment_id}",
    response_model=Envelope[AdjustmentRead],
    responses=problems(_NOT_FOUND, IllegalTransition, *_CONTENT),
    description="Replaces a draft's content and lines. " + _ILLEGAL,
)
def update_adjustment(
    session: DbSession, actor: Clerk, adjustment_id: str, body: AdjustmentDraft
) -> ExactJSONResponse:
    view = service.update_adjustment(session, actor, adjustment_id=adjustment_id, content=body)
    return ok_data(view.data)


@router.delete(
    "/{adjustment_id}",
    response_model=Envelope[Deleted],
    responses=problems(_NOT_FOUND, IllegalTransition),
    description="Deletes a draft. " + _ILLEGAL,
)
def delete_adjustment(session: DbSession, actor: Clerk, adjustment_id: str) -> ExactJSONResponse:
    service.delete_adjustment(session, actor, adjustment_id=adjustment_id)
    return ok(Deleted(id=adjustment_id, deleted=True))


@router.post(
    "/{adjustment_id}/submit",
    response_model=Envelope[AdjustmentRead],
    responses=problems(_NOT_FOUND, IllegalTransition),
    description="Submits a draft for approval (`pending_approval`). " + _ILLEGAL,
)
def submit_adjustment(session: DbSession, actor: Clerk, adjustment_id: str) -> ExactJSONResponse:
    return ok_data(service.submit_adjustment(session, actor, adjustment_id=adjustment_id).data)


@router.post(
    "/{adjustment_id}/approve",
    response_model=Envelope[AdjustmentRead],
    responses=problems(_NOT_FOUND, IllegalTransition),
    description="Approves an adjustment pending approval; admins only. " + _ILLEGAL,
)
def approve_adjustment(session: DbSession, actor: Admin, adjustment_id: str) -> ExactJSONResponse:
    return ok_data(service.approve_adjustment(session, actor, adjustment_id=adjustment_id).data)


@router.post(
    "/{adjustment_id}/reject",
    response_model=Envelope[AdjustmentRead],
    responses=problems(_NOT_FOUND, IllegalTransition),
    description="Rejects an adjustment pending approval, with a reason; admins only. " + _ILLEGAL,
)
def reject_adjustment(
    session: DbSession, actor: Admin, adjustment_id: str, body: Rejection
) -> ExactJSONResponse:
    view = service.reject_adjustment(
        session, actor, adjustment_id=adjustment_id, reason=body.reason
    )
    return ok_data(view.data)


@router.post(
    "/{adjustment_id}/post",
    response_model=Envelope[AdjustmentRead],
    responses=problems(
        _NOT_FOUND,
        IllegalTransition,
        UnknownReference.code_for("bin"),
        ItemCannotMove,
        InvalidLots,
        *_POSTING,
        FutureDate,
    ),
    description="Posts a draft or an approved adjustment: every line moves stock, or none does. "
    + _ILLEGAL,
)
def post_adjustment(session: DbSession, actor: Clerk, adjustment_id: str) -> ExactJSONResponse:
    return ok_data(service.post_adjustment(session, actor, adjustment_id=adjustment_id).data)


@router.post(
    "/{adjustment_id}/reverse",
    response_model=Envelope[AdjustmentRead],
    responses=problems(_NOT_FOUND, IllegalTransition, *_POSTING),
    description="Reverses a posted adjustment with movements dated today that undo its own: "
    "stock it added leaves at the average cost, stock it removed comes back at the value it "
    "left with. A 409 `insufficient_stock` when the stock it added is no longer there. " + _ILLEGAL,
)
def reverse_adjustment(session: DbSession, actor: Clerk, adjustment_id: str) -> ExactJSONResponse:
    return ok_data(service.reverse_adjustment(session, actor, adjustment_id=adjustment_id).data)
