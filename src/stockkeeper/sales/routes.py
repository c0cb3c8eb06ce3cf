from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stockkeeper.api.deps import ApiRoute, Clerk, DbSession, Viewer
from stockkeeper.api.problems import problem_responses
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_list
from stockkeeper.core.api_model import Envelope, ListEnvelope, Page
from stockkeeper.sales import documents, reservations
from stockkeeper.sales.schemas import (
    DocumentLineRead,
    DocumentListQuery,
    DocumentRead,
    Fulfilment,
    IssueCreate,
    ItemRef,
    LocationRef,
    ReservationCreate,
    ReservationListQuery,
    ReservationRead,
    ReturnCreate,
)

router = APIRouter(prefix="/api/v1/inventory", tags=["Sales"], route_class=ApiRoute)


def reservation_read(view: reservations.ReservationView) -> ReservationRead:
    r = view.reservation
    status = reservations.shown_status(r)
    return ReservationRead(
        id=r.id,
        item_id=r.item_id,
        item=ItemRef(id=view.item.id, item_code=view.item.item_code, name=view.item.name),
        variant_id=r.variant_id,
        location_id=r.location_id,
        location=LocationRef(id=view.location.id, name=view.location.name),
        batch_id=r.batch_id,
        batch_number=view.batch_number,
        serial_number=view.serial_number,
        quantity=r.quantity,
        quantity_fulfilled=r.quantity_fulfilled,
        quantity_remaining=r.remaining if status == "active" else 0,
        reference=r.reference,
        notes=r.notes,
        expires_at=r.expires_at,
        status=status,
        allowed_actions=reservations.WORKFLOW.allowed(status),
        created_by=r.created_by,
        created_at=r.created_at,
        closed_by=r.closed_by,
        closed_at=r.closed_at,
    )


def _reservation(session: DbSession, actor: Viewer, reservation_id: str) -> ExactJSONResponse:
    return ok(
        reservation_read(
            reservations.get_reservation(session, actor, reservation_id=reservation_id)
        )
    )


@router.post(
    "/reservations",
    status_code=201,
    response_model=Envelope[ReservationRead],
    responses=problem_responses(409),
    description="Reserves stock at a location. Reserving more than is available there (on "
    "hand less what is already reserved) is a 409 `insufficient_stock`.",
)
def create_reservation(
    session: DbSession, actor: Clerk, body: ReservationCreate
) -> ExactJSONResponse:
    reservation = reservations.reserve(session, actor, values=body.model_dump(exclude_unset=True))
    return ok(
        reservation_read(
            reservations.get_reservation(session, actor, reservation_id=reservation.id)
        ),
        201,
    )


@router.get(
    "/reservations", response_model=ListEnvelope[ReservationRead], responses=problem_responses()
)
def list_reservations(
    session: DbSession, actor: Viewer, query: Annotated[ReservationListQuery, Query()]
) -> ExactJSONResponse:
    filters = reservations.ReservationFilters(
        item_id=query.item_id,
        location_id=query.location_id,
        status=query.status,
        reference=query.reference,
    )
    views, next_cursor, total = reservations.list_reservations(
        session, actor, filters=filters, limit=query.limit, cursor=query.cursor
    )
    return ok_list([reservation_read(v) for v in views], Page.of(next_cursor, query.limit, total))


@router.get(
    "/reservations/{reservation_id}",
    response_model=Envelope[ReservationRead],
    responses=problem_responses(404),
)
def get_reservation(session: DbSession, actor: Viewer, reservation_id: str) -> ExactJSONResponse:
    return _reservation(session, actor, reservation_id)


_ENDED = "A 409 `illegal_transition` once it is fulfilled, released or expired."


@router.post(
    "/reservations/{reservation_id}/release",
    response_model=Envelope[ReservationRead],
    responses=problem_responses(404, 409),
    description="Releases what is still reserved. " + _ENDED,
)
def release_reservation(session: DbSession, actor: Clerk, reservation_id: str) -> ExactJSONResponse:
    reservations.release(session, actor, reservation_id)
    return _reservation(session, actor, reservation_id)


@router.post(
    "/reservations/{reservation_id}/fulfil",
    response_model=Envelope[ReservationRead],
    responses=problem_responses(404, 409),
    description="Issues reserved stock to the customer (a sale movement): all that is left, "
    "or `quantity` of it, the rest staying reserved. " + _ENDED,
)
def fulfil_reservation(
    session: DbSession, actor: Clerk, reservation_id: str, body: Fulfilment
) -> ExactJSONResponse:
    reservations.fulfil(session, actor, reservation_id, values=body.model_dump(exclude_unset=True))
    return _reservation(session, actor, reservation_id)


def document_read(view: documents.DocumentView) -> DocumentRead:
    d = view.document
    return DocumentRead(
        id=d.id,
        document_number=d.document_number,
        date=d.document_date,
        location_id=d.location_id,
        location=LocationRef(id=view.location.id, name=view.location.name),
        issue_id=d.issue_id,
        reference=d.reference,
        customer=d.customer,
        notes=d.notes,
        total_value=d.total_value,
        created_by=d.created_by,
        created_at=d.created_at,
        items=[
            DocumentLineRead(
                id=line.id,
                item_id=item.id,
                item_code=item.item_code,
                item_name=item.name,
                variant_id=line.variant_id,
                location_id=line.location_id,
                bin_id=line.bin_id,
                quantity=line.quantity,
                unit_cost=line.unit_cost,
                total_cost=line.total_cost,
                notes=line.notes,
                batches=line.batches,
                serial_numbers=line.serial_numbers,
            )
            for line, item in view.lines
        ],
    )


def _create(session: DbSession, actor: Clerk, kind: str, body: IssueCreate) -> ExactJSONResponse:
    document = documents.create_document(
        session, actor, kind, values=body.model_dump(exclude_unset=True)
    )
    view = documents.get_document(session, actor, kind, document_id=document.id)
    return ok(document_read(view), 201)


@router.post(
    "/issues",
    status_code=201,
    response_model=Envelope[DocumentRead],
    responses=problem_responses(409),
    description="Issues goods to a customer without a prior reservation (a sale movement per "
    "line, at the average cost), posted at once: every line, or none. Issuing more than is "
    "available is a 409 `insufficient_stock` naming every short line.",
)
def create_issue(session: DbSession, actor: Clerk, body: IssueCreate) -> ExactJSONResponse:
    return _create(session, actor, "issue", body)


@router.post(
    "/returns",
    status_code=201,
    response_model=Envelope[DocumentRead],
    responses=problem_responses(),
    description="Takes a customer return back into stock, posted at once: to the document's "
    "location or each line's own (a quarantine or damaged-goods store, say), at the cost the "
    "goods left with. With `issueId`, no more can come back than went out on that issue "
    "(422 `more_than_issued`).",
)
def create_return(session: DbSession, actor: Clerk, body: ReturnCreate) -> ExactJSONResponse:
    return _create(session, actor, "return", body)


def _reads(kind: str, plural: str) -> None:
    """The list and read routes of issues or returns."""

    def list_documents(
        session: DbSession, actor: Viewer, query: Annotated[DocumentListQuery, Query()]
    ) -> ExactJSONResponse:
        filters = documents.DocumentFilters(
            date_from=query.date_from,
            date_to=query.date_to,
            reference=query.reference,
            location_id=query.location_id,
            item_id=query.item_id,
            issue_id=query.issue_id,
        )
        views, next_cursor, total = documents.list_documents(
            session, actor, kind, filters=filters, limit=query.limit, cursor=query.cursor
        )
        return ok_list([document_read(v) for v in views], Page.of(next_cursor, query.limit, total))

    def get_document(session: DbSession, actor: Viewer, document_id: str) -> ExactJSONResponse:
        return ok(
            document_read(documents.get_document(session, actor, kind, document_id=document_id))
        )

    router.add_api_route(
        f"/{plural}",
        list_documents,
        methods=["GET"],
        response_model=ListEnvelope[DocumentRead],
        responses=problem_responses(),
        name=f"list_{plural}",
    )
    router.add_api_route(
        f"/{plural}/{{document_id}}",
        get_document,
        methods=["GET"],
        response_model=Envelope[DocumentRead],
        responses=problem_responses(404),
        name=f"get_{kind}",
    )


_reads("issue", "issues")
_reads("return", "returns")
