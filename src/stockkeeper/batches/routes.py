"""``/api/v1/inventory/batches``: many documents in one request, for shops and points of
sale that sync in bulk."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from stockkeeper.api.deps import ApiRoute, Clerk, DbSession
from stockkeeper.api.problems import FieldError, Problem, api_path, api_spelling, problems
from stockkeeper.api.responses import ExactJSONResponse, ok_data
from stockkeeper.batches import service
from stockkeeper.batches.errors import DocumentRefused
from stockkeeper.batches.schemas import DocumentBatchCreate, DocumentBatchRead
from stockkeeper.batches.values import MAX_DOCUMENTS
from stockkeeper.batches.views import batch_data
from stockkeeper.core.api_model import Envelope
from stockkeeper.core.errors import DomainError

router = APIRouter(prefix="/api/v1/inventory/batches", tags=["Batches"], route_class=ApiRoute)

BODY_LIMIT = 16 * 1024 * 1024  # bytes: a thousand documents of ten lines fit several times

_DESCRIPTION = f"""Posts up to {MAX_DOCUMENTS:,} documents (adjustments, issues, returns,
transfers; a body of up to 16 MiB) in one request: each is the body its own route takes, with
`type` beside it, and is created as that route creates it. With `atomic: true` every document
is posted or none is: the first refusal is a 422 `batch_document_refused` that names the
document (`index`, `documentType`, its fields under `documents.<index>`) and its own problem
(`problem`), and nothing is posted and no number used. Otherwise each document stands or falls
on its own and the answer (200) gives each one's result, in order: `created` with its `data`,
`existing` (its `externalId` named a document of its type posted before, in any earlier
request: that one is `data`, nothing is posted again), or `failed` with its `problem`, undone
entirely. A document its type's body does not take is refused so too (`validation_failed`,
with its fields); a document of no type named here makes the batch malformed (422
`validation_failed`, nothing posted). With an `Idempotency-Key`, a retry gets the first
answer and posts nothing."""


@router.post(
    "",
    response_model=Envelope[DocumentBatchRead],
    responses=problems(DocumentRefused),
    description=_DESCRIPTION,
)
def post_batch(session: DbSession, actor: Clerk, body: DocumentBatchCreate) -> ExactJSONResponse:
    view = service.post_batch(session, actor, batch=body.values())
    return ok_data(batch_data(view, _problem))


def _problem(refused: DomainError) -> dict[str, Any]:
    """A document's refusal as its own route's problem would say it."""
    detail = refused.detail
    if refused.detail_from_errors:
        detail = "; ".join(f"{api_path(e.field)}: {e.message}" for e in refused.errors)
    body = Problem(
        title=refused.kind.title,
        status=refused.kind.status,
        detail=detail,
        code=refused.code,
        errors=[
            FieldError(field=api_path(e.field), message=e.message, code=e.code)
            for e in refused.errors
        ],
    ).model_dump(exclude={"instance", "success", "request_id"})
    body.update(api_spelling(refused.details))
    return body
