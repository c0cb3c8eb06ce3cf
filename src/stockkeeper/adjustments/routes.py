from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stockkeeper.adjustments import lifecycle, reasons, service
from stockkeeper.adjustments.schemas import (
    AdjustmentCreate,
    AdjustmentDraft,
    AdjustmentLineRead,
    AdjustmentListQuery,
    AdjustmentRead,
    CustomField,
    LocationRef,
    ReasonCreate,
    ReasonRead,
    ReasonUpdate,
    Rejection,
    StockCount,
)
from stockkeeper.catalog.schemas.entities import Deleted
from stockkeeper.core import outbox
from stockkeeper.core.api_model import Envelope, ListEnvelope, Page
from stockkeeper.core.http import problem_responses
from stockkeeper.core.responses import ExactJSONResponse, dump, ok, ok_all, ok_data, ok_list
from stockkeeper.stock.routes import stock_read
from stockkeeper.stock.schemas import StockRead
from stockkeeper.tenancy.deps import Admin, ApiRoute, Clerk, DbSession, Viewer

router = APIRouter(prefix="/api/v1/inventory", tags=["Stock adjustments"], route_class=ApiRoute)


def adjustment_read(view: service.AdjustmentView) -> AdjustmentRead:
    a = view.adjustment
    return AdjustmentRead(
        id=a.id,
        adjustment_number=a.adjustment_number,
        date=a.adjustment_date,
        type=a.type,
        adjustment_type=a.adjustment_type,
        reason=a.reason,
        status=a.status,
        allowed_actions=lifecycle.allowed_actions(a.status),
        location_id=a.location_id,
        location=LocationRef(id=view.location.id, name=view.location.name),
        reference=a.reference,
        notes=a.notes,
        custom_fields=[CustomField.model_validate(f) for f in a.custom_fields],
        total_value=a.total_value if a.posted_at else None,
        created_by=a.created_by,
        created_at=a.created_at,
        submitted_by=a.submitted_by,
        submitted_at=a.submitted_at,
        approved_by=a.approved_by,
        approved_at=a.approved_at,
        rejected_by=a.rejected_by,
        rejected_at=a.rejected_at,
        rejection_reason=a.rejection_reason,
        posted_by=a.posted_by,
        posted_at=a.posted_at,
        reversed_by=a.reversed_by,
        reversed_at=a.reversed_at,
        items=[
            AdjustmentLineRead(
                id=line.id,
                item_id=item.id,
                item_code=item.item_code,
                item_name=item.name,
                variant_id=line.variant_id,
                bin_id=line.bin_id,
                current_stock=line.current_stock,
                adjusted_stock=line.adjusted_stock,
                adjustment_quantity=line.adjustment_quantity,
                value_adjusted=line.value_adjusted,
                unit_cost=line.unit_cost,
                total_cost=line.total_cost,
                reason=line.reason,
                notes=line.notes,
                batches=line.batches,
                serial_numbers=line.serial_numbers,
            )
            for line, item in view.lines
        ],
    )


@router.post(
    "/adjustments",
    status_code=201,
    response_model=Envelope[AdjustmentRead],
    responses=problem_responses(409),
    description="Creates an adjustment and posts it at once: every line moves stock, or none does. "
    "Removing more than is available is a 409 naming every short line, unless the company "
    "allows negative stock. With `status: draft` it stays a draft.",
)
def create_adjustment(
    session: DbSession, actor: Clerk, body: AdjustmentCreate
) -> ExactJSONResponse:
    view = service.create_adjustment(session, actor, values=body.model_dump(exclude_unset=True))
    return _announced(session, actor, view, 201)


@router.get(
    "/adjustments", response_model=ListEnvelope[AdjustmentRead], responses=problem_responses()
)
def list_adjustments(
    session: DbSession, actor: Viewer, query: Annotated[AdjustmentListQuery, Query()]
) -> ExactJSONResponse:
    filters = service.AdjustmentFilters(
        date_from=query.date_from,
        date_to=query.date_to,
        type=query.type,
        reason=query.reason,
        status=query.status,
        adjustment_type=query.adjustment_type,
        location_id=query.location_id,
        item_id=query.item_id,
    )
    views, next_cursor, total = service.list_adjustments(
        session, actor, filters=filters, limit=query.limit, cursor=query.cursor
    )
    page = Page.of(next_cursor, query.limit, total)
    return ok_list([adjustment_read(v) for v in views], page)


@router.get(
    "/adjustments/{adjustment_id}",
    response_model=Envelope[AdjustmentRead],
    responses=problem_responses(404),
)
def get_adjustment(session: DbSession, actor: Viewer, adjustment_id: str) -> ExactJSONResponse:
    return _current(session, actor, adjustment_id)


def _current(session: DbSession, actor: Viewer, adjustment_id: str) -> ExactJSONResponse:
    return ok(adjustment_read(service.get_adjustment(session, actor, adjustment_id=adjustment_id)))


def _announced(
    session: DbSession, actor: Viewer, view: service.AdjustmentView, status_code: int = 200
) -> ExactJSONResponse:
    """The adjustment, announced as ``inventory.adjustment`` when it moved stock (it was
    posted or reversed by this request)."""
    data = dump(adjustment_read(view))
    if data["status"] in ("posted", "reversed"):
        outbox.emit(session, actor.company_id, "inventory.adjustment", data)
    return ok_data(data, status_code)


_ILLEGAL = "A 409 `illegal_transition` (with `allowedActions`) when the status does not allow it."


@router.put(
    "/adjustments/{adjustment_id}",
    response_model=Envelope[AdjustmentRead],
    responses=problem_responses(404, 409),
    description="Replaces a draft's content and lines. " + _ILLEGAL,
)
def update_adjustment(
    session: DbSession, actor: Clerk, adjustment_id: str, body: AdjustmentDraft
) -> ExactJSONResponse:
    service.update_adjustment(
        session, actor, adjustment_id=adjustment_id, values=body.model_dump(exclude_unset=True)
    )
    return _current(session, actor, adjustment_id)


@router.delete(
    "/adjustments/{adjustment_id}",
    response_model=Envelope[Deleted],
    responses=problem_responses(404, 409),
    description="Deletes a draft. " + _ILLEGAL,
)
def delete_adjustment(session: DbSession, actor: Clerk, adjustment_id: str) -> ExactJSONResponse:
    service.delete_adjustment(session, actor, adjustment_id=adjustment_id)
    return ok(Deleted(id=adjustment_id, deleted=True))


@router.post(
    "/adjustments/{adjustment_id}/submit",
    response_model=Envelope[AdjustmentRead],
    responses=problem_responses(404, 409),
    description="Submits a draft for approval (`pending_approval`). " + _ILLEGAL,
)
def submit_adjustment(session: DbSession, actor: Clerk, adjustment_id: str) -> ExactJSONResponse:
    lifecycle.submit(session, actor, adjustment_id)
    return _current(session, actor, adjustment_id)


@router.post(
    "/adjustments/{adjustment_id}/approve",
    response_model=Envelope[AdjustmentRead],
    responses=problem_responses(404, 409),
    description="Approves an adjustment pending approval; admins only. " + _ILLEGAL,
)
def approve_adjustment(session: DbSession, actor: Admin, adjustment_id: str) -> ExactJSONResponse:
    lifecycle.approve(session, actor, adjustment_id)
    return _current(session, actor, adjustment_id)


@router.post(
    "/adjustments/{adjustment_id}/reject",
    response_model=Envelope[AdjustmentRead],
    responses=problem_responses(404, 409),
    description="Rejects an adjustment pending approval, with a reason; admins only. " + _ILLEGAL,
)
def reject_adjustment(
    session: DbSession, actor: Admin, adjustment_id: str, body: Rejection
) -> ExactJSONResponse:
    lifecycle.reject(session, actor, adjustment_id, reason=body.reason)
    return _current(session, actor, adjustment_id)


@router.post(
    "/adjustments/{adjustment_id}/post",
    response_model=Envelope[AdjustmentRead],
    responses=problem_responses(404, 409),
    description="Posts a draft or an approved adjustment: every line moves stock, or none does. "
    + _ILLEGAL,
)
def post_adjustment(session: DbSession, actor: Clerk, adjustment_id: str) -> ExactJSONResponse:
    lifecycle.post(session, actor, adjustment_id)
    return _announced(
        session, actor, service.get_adjustment(session, actor, adjustment_id=adjustment_id)
    )


@router.post(
    "/adjustments/{adjustment_id}/reverse",
    response_model=Envelope[AdjustmentRead],
    responses=problem_responses(404, 409),
    description="Reverses a posted adjustment with movements dated today that undo its own: "
    "stock it added leaves at the average cost, stock it removed comes back at the value it "
    "left with. A 409 `insufficient_stock` when the stock it added is no longer there. " + _ILLEGAL,
)
def reverse_adjustment(session: DbSession, actor: Clerk, adjustment_id: str) -> ExactJSONResponse:
    lifecycle.reverse(session, actor, adjustment_id)
    return _announced(
        session, actor, service.get_adjustment(session, actor, adjustment_id=adjustment_id)
    )


@router.put(
    "/stock",
    response_model=Envelope[StockRead],
    responses=problem_responses(409),
    description="Sets a counted quantity: posts a stock-count adjustment for the difference "
    "(none when the count matches) and returns the stock at that location.",
)
def count_stock(session: DbSession, actor: Clerk, body: StockCount) -> ExactJSONResponse:
    row = service.count_stock(session, actor, values=body.model_dump(exclude_unset=True))
    return ok(stock_read(row))


@router.get(
    "/adjustment-reasons", response_model=Envelope[list[ReasonRead]], responses=problem_responses()
)
def list_reasons(session: DbSession, actor: Viewer) -> ExactJSONResponse:
    return ok_all([ReasonRead.model_validate(r) for r in reasons.list_reasons(session, actor)])


@router.post(
    "/adjustment-reasons",
    status_code=201,
    response_model=Envelope[ReasonRead],
    responses=problem_responses(409),
)
def create_reason(session: DbSession, actor: Admin, body: ReasonCreate) -> ExactJSONResponse:
    return ok(
        ReasonRead.model_validate(reasons.create_reason(session, actor, values=body.model_dump())),
        201,
    )


@router.put(
    "/adjustment-reasons/{code}",
    response_model=Envelope[ReasonRead],
    responses=problem_responses(404),
)
def update_reason(
    session: DbSession, actor: Admin, code: str, body: ReasonUpdate
) -> ExactJSONResponse:
    reason = reasons.update_reason(
        session, actor, code=code, changes=body.model_dump(exclude_unset=True)
    )
    return ok(ReasonRead.model_validate(reason))


@router.delete(
    "/adjustment-reasons/{code}",
    response_model=Envelope[Deleted],
    responses=problem_responses(404, 409),
    description="Deletes a company's own reason that no adjustment uses; standard ones can "
    "only be deactivated.",
)
def delete_reason(session: DbSession, actor: Admin, code: str) -> ExactJSONResponse:
    reasons.delete_reason(session, actor, code=code)
    return ok(Deleted(id=code, deleted=True))
