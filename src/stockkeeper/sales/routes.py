"""``/api/v1/inventory/issues`` and ``/returns``: goods out to customers and back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stockkeeper.api.deps import ApiRoute, Clerk, DbSession, Viewer
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok, ok_data, ok_page
from stockkeeper.core.api_model import Envelope, ListEnvelope
from stockkeeper.core.errors import InvalidCursor, NotFound, UnknownReference
from stockkeeper.sales import service
from stockkeeper.sales.errors import MoreThanIssued
from stockkeeper.sales.schemas import DocumentListQuery, DocumentRead, IssueCreate, ReturnCreate
from stockkeeper.sales.views import document_read
from stockkeeper.stock.errors import (
    FutureDate,
    InsufficientStock,
    InvalidLots,
    ItemCannotMove,
    PeriodLocked,
    SerialInStock,
    SerialNotInStock,
)

router = APIRouter(prefix="/api/v1/inventory", tags=["Sales"], route_class=ApiRoute)

_POSTING = (
    UnknownReference.code_for("location"),
    UnknownReference.code_for("bin"),
    UnknownReference.code_for("batch"),
    ItemCannotMove,
    InvalidLots,
    PeriodLocked,
    FutureDate,
)
_ONCE = (
    " When a document of this type with the `externalId` sent exists, the answer is that "
    "one, with 200 rather than 201, and nothing is posted."
)


@router.post(
    "/issues",
    status_code=201,
    response_model=Envelope[DocumentRead],
    responses=problems(*_POSTING, InsufficientStock, SerialNotInStock),
    description="Issues goods to a customer without a prior reservation (a sale movement per "
    "line, at the average cost), posted at once: every line, or none. Issuing more than is "
    "available is a 409 `insufficient_stock` naming every short line. Lines of non-stock "
    "items and services (and of stock items whose stock is not tracked) are recorded at their "
    "item's cost price with no stock check and no movement; they take no bin, batch or "
    "serial (422 `invalid_lots`)." + _ONCE,
)
def create_issue(session: DbSession, actor: Clerk, body: IssueCreate) -> ExactJSONResponse:
    view = service.create_issue(session, actor, issue=body)
    return ok_data(view.data, 200 if view.existing else 201)


@router.post(
    "/returns",
    status_code=201,
    response_model=Envelope[DocumentRead],
    responses=problems(
        *_POSTING, UnknownReference.code_for("issue"), MoreThanIssued, SerialInStock
    ),
    description="Takes a customer return back into stock, posted at once: to the document's "
    "location or each line's own (a quarantine or damaged-goods store, say), at the cost the "
    "goods left with. With `issueId`, no more can come back than went out on that issue "
    "(422 `more_than_issued`). Non-stock items and services come back with no movement, at "
    "the cost they went out with on the issue (else their cost price)." + _ONCE,
)
def create_return(session: DbSession, actor: Clerk, body: ReturnCreate) -> ExactJSONResponse:
    view = service.create_return(session, actor, customer_return=body)
    return ok_data(view.data, 200 if view.existing else 201)


@router.get("/issues", response_model=ListEnvelope[DocumentRead], responses=problems(InvalidCursor))
def list_issues(
    session: DbSession, actor: Viewer, query: Annotated[DocumentListQuery, Query()]
) -> ExactJSONResponse:
    page = service.list_issues(
        session, actor, filters=query, limit=query.limit, cursor=query.cursor
    )
    return ok_page(page, document_read, query.limit)


@router.get(
    "/issues/{document_id}",
    response_model=Envelope[DocumentRead],
    responses=problems(NotFound.code_for("issue")),
)
def get_issue(session: DbSession, actor: Viewer, document_id: str) -> ExactJSONResponse:
    return ok(document_read(service.get_issue(session, actor, issue_id=document_id)))


@router.get(
    "/returns", response_model=ListEnvelope[DocumentRead], responses=problems(InvalidCursor)
)
def list_returns(
    session: DbSession, actor: Viewer, query: Annotated[DocumentListQuery, Query()]
) -> ExactJSONResponse:
    page = service.list_returns(
        session, actor, filters=query, limit=query.limit, cursor=query.cursor
    )
    return ok_page(page, document_read, query.limit)


@router.get(
    "/returns/{document_id}",
    response_model=Envelope[DocumentRead],
    responses=problems(NotFound.code_for("return")),
)
def get_return(session: DbSession, actor: Viewer, document_id: str) -> ExactJSONResponse:
    return ok(document_read(service.get_return(session, actor, return_id=document_id)))
