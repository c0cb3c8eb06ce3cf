"""``/api/v1/inventory/counts``: the canonical face of the count use cases."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stockkeeper.api.deps import Admin, ApiRoute, Clerk, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_data, ok_page
from stockkeeper.core.api_model import Envelope, ListEnvelope
from stockkeeper.core.errors import IllegalTransition, InvalidCursor, NotFound, UnknownReference
from stockkeeper.counts import service
from stockkeeper.counts.errors import InvalidEntries
from stockkeeper.counts.schemas import (
    CountCreate,
    CountDetailRead,
    CountLinesCreate,
    CountListQuery,
    CountRead,
    CountReadQuery,
    RecountRequest,
)
from stockkeeper.counts.views import count_detail, count_read
from stockkeeper.stock.errors import (
    FutureDate,
    InsufficientStock,
    InvalidLots,
    ItemCannotMove,
    PeriodLocked,
    SerialInStock,
    SerialNotInStock,
)

router = APIRouter(prefix="/api/v1/inventory/counts", tags=["Stock counts"], route_class=ApiRoute)

_NOT_FOUND = NotFound.code_for("count")
_ILLEGAL = "A 409 `illegal_transition` (with `allowedActions`) when the status does not allow it."


@router.post(
    "",
    status_code=201,
    response_model=Envelope[CountRead],
    responses=problems(
        UnknownReference.code_for("location"),
        UnknownReference.code_for("category"),
        UnknownReference.code_for("item"),
        UnknownReference.code_for("bin"),
    ),
    description="Opens a count of a warehouse or store (all of it, or the categories, bins "
    "or items named) and takes the snapshot of what the ledger holds there now.",
)
def open_count(session: DbSession, actor: Clerk, body: CountCreate) -> ExactJSONResponse:
    return ok_data(service.open_count(session, actor, count=body).data, 201)


@router.get("", response_model=ListEnvelope[CountRead], responses=problems(InvalidCursor))
def list_counts(
    session: DbSession, actor: Viewer, query: Annotated[CountListQuery, Query()]
) -> ExactJSONResponse:
    page = service.list_counts(
        session, actor, filters=query, limit=query.limit, cursor=query.cursor
    )
    return ok_page(page, count_read, query.limit)


@router.get("/{count_id}", response_model=Envelope[CountDetailRead], responses=problems(_NOT_FOUND))
def get_count(
    session: DbSession, actor: Viewer, count_id: str, query: Annotated[CountReadQuery, Query()]
) -> ExactJSONResponse:
    view = service.get_count(session, actor, count_id=count_id, which=query.lines)
    return ok(count_detail(view))


@router.post(
    "/{count_id}/lines",
    response_model=Envelope[CountRead],
    responses=problems(_NOT_FOUND, IllegalTransition, InvalidEntries),
    description="Adds counted entries, all of them or none: a 422 `invalid_count_entries` "
    "names every entry at fault, by its index. " + _ILLEGAL,
)
def count_lines(
    session: DbSession, actor: Clerk, count_id: str, body: CountLinesCreate
) -> ExactJSONResponse:
    view = service.count_lines(session, actor, count_id=count_id, entries=body.entries)
    return ok_data(view.data)


@router.post(
    "/{count_id}/recount",
    response_model=Envelope[CountRead],
    responses=problems(_NOT_FOUND, IllegalTransition, UnknownReference.code_for("count line")),
    description="Sends lines back to be counted again (their counts cleared); a submitted "
    "count goes back to counting. " + _ILLEGAL,
)
def recount_lines(
    session: DbSession, actor: Clerk, count_id: str, body: RecountRequest
) -> ExactJSONResponse:
    view = service.recount_lines(session, actor, count_id=count_id, line_ids=body.line_ids)
    return ok_data(view.data)


@router.post(
    "/{count_id}/submit",
    response_model=Envelope[CountRead],
    responses=problems(_NOT_FOUND, IllegalTransition),
    description="Ends counting: the count waits for review. " + _ILLEGAL,
)
def submit_count(session: DbSession, actor: Clerk, count_id: str) -> ExactJSONResponse:
    return ok_data(service.submit_count(session, actor, count_id=count_id).data)


@router.post(
    "/{count_id}/approve",
    response_model=Envelope[CountRead],
    responses=problems(_NOT_FOUND, IllegalTransition),
    description="Approves a submitted count; admins only. " + _ILLEGAL,
)
def approve_count(session: DbSession, actor: Admin, count_id: str) -> ExactJSONResponse:
    return ok_data(service.approve_count(session, actor, count_id=count_id).data)


@router.post(
    "/{count_id}/post",
    response_model=Envelope[CountRead],
    responses=problems(
        _NOT_FOUND,
        IllegalTransition,
        ItemCannotMove,
        InvalidLots,
        InsufficientStock,
        PeriodLocked,
        SerialInStock,
        SerialNotInStock,
        FutureDate,
    ),
    description="Posts an approved count: one adjustment (reason `stock_count`) of the "
    "variances of its counted lines; lines not counted change nothing. Admins only. " + _ILLEGAL,
)
def post_count(session: DbSession, actor: Admin, count_id: str) -> ExactJSONResponse:
    return ok_data(service.post_count(session, actor, count_id=count_id).data)


@router.post(
    "/{count_id}/cancel",
    response_model=Envelope[CountRead],
    responses=problems(_NOT_FOUND, IllegalTransition),
    description="Cancels a count that is not posted. " + _ILLEGAL,
)
def cancel_count(session: DbSession, actor: Clerk, count_id: str) -> ExactJSONResponse:
    return ok_data(service.cancel_count(session, actor, count_id=count_id).data)
