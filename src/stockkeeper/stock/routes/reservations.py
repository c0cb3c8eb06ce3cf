"""``/api/v1/inventory/reservations``: stock held for a reference, then fulfilled, released
or expired."""

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
    SerialNotInStock,
)
from stockkeeper.stock.schemas import (
    Fulfilment,
    ReservationCreate,
    ReservationListQuery,
    ReservationRead,
)
from stockkeeper.stock.service import reservations as service
from stockkeeper.stock.views.reservations import reservation_read

router = APIRouter(
    # tagged with sales as they always were, so that generated clients keep their grouping
    prefix="/api/v1/inventory/reservations",
    tags=["Sales"],
    route_class=ApiRoute,
)
_NOT_FOUND = NotFound.code_for("reservation")
_ENDED = "A 409 `illegal_transition` once it is fulfilled, released or expired."


@router.post(
    "",
    status_code=201,
    response_model=Envelope[ReservationRead],
    responses=problems(
        UnknownReference.code_for("location"),
        UnknownReference.code_for("batch"),
        UnknownReference.code_for("serial"),
        ItemCannotMove,
        InsufficientStock,
    ),
    description="Reserves stock at a location. Reserving more than is available there (on "
    "hand less what is already reserved) is a 409 `insufficient_stock`.",
)
def create_reservation(
    session: DbSession, actor: Clerk, body: ReservationCreate
) -> ExactJSONResponse:
    return ok_data(service.create_reservation(session, actor, reservation=body).data, 201)


@router.get("", response_model=ListEnvelope[ReservationRead], responses=problems(InvalidCursor))
def list_reservations(
    session: DbSession, actor: Viewer, query: Annotated[ReservationListQuery, Query()]
) -> ExactJSONResponse:
    page = service.list_reservations(
        session, actor, filters=query, limit=query.limit, cursor=query.cursor
    )
    return ok_page(page, reservation_read, query.limit)


@router.get(
    "/{reservation_id}", response_model=Envelope[ReservationRead], responses=problems(_NOT_FOUND)
)
def get_reservation(session: DbSession, actor: Viewer, reservation_id: str) -> ExactJSONResponse:
    view = service.get_reservation(session, actor, reservation_id=reservation_id)
    return ok(reservation_read(view))


@router.post(
    "/{reservation_id}/release",
    response_model=Envelope[ReservationRead],
    responses=problems(_NOT_FOUND, IllegalTransition),
    description="Releases what is still reserved. " + _ENDED,
)
def release_reservation(session: DbSession, actor: Clerk, reservation_id: str) -> ExactJSONResponse:
    view = service.release_reservation(session, actor, reservation_id=reservation_id)
    return ok_data(view.data)


@router.post(
    "/{reservation_id}/fulfil",
    response_model=Envelope[ReservationRead],
    responses=problems(
        _NOT_FOUND,
        IllegalTransition,
        UnknownReference.code_for("bin"),
        UnknownReference.code_for("batch"),
        InvalidLots,
        SerialNotInStock,
        InsufficientStock,
        PeriodLocked,
        FutureDate,
    ),
    description="Issues reserved stock to the customer (a sale movement): all that is left, "
    "or `quantity` of it, the rest staying reserved. " + _ENDED,
)
def fulfil_reservation(
    session: DbSession, actor: Clerk, reservation_id: str, body: Fulfilment
) -> ExactJSONResponse:
    view = service.fulfil_reservation(
        session, actor, reservation_id=reservation_id, fulfilment=body
    )
    return ok_data(view.data)
