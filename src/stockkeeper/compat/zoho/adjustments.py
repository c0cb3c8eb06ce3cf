"""``/inventoryadjustments``: Zoho's face of the adjustment use cases. Zoho's ``adjusted`` is
the canonical ``posted``; approving is what posts an adjustment waiting for approval, as in
Zoho, and rejecting moves nothing. Every route takes (and leaves) Zoho's ``organization_id``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from stockkeeper.adjustments import service
from stockkeeper.api.deps import Admin, Clerk, DbSession, Viewer
from stockkeeper.api.responses import ExactJSONResponse
from stockkeeper.compat.zoho import parsing, rendering, router, schemas

_ONE = "/inventoryadjustments/{inventory_adjustment_id}"
Organization = Annotated[str | None, Query(max_length=100)]


@router.get("/inventoryadjustments")
def list_adjustments(
    session: DbSession, actor: Viewer, query: Annotated[schemas.ListQuery, Query()]
) -> ExactJSONResponse:
    skip, size = (query.page - 1) * query.per_page, query.per_page
    listed = service.list_adjustments(
        session, actor, filters=parsing.filters(query), limit=size, cursor=None, offset=skip
    )
    return rendering.page(listed.rows, listed.counted, query.page, size)


@router.post("/inventoryadjustments", status_code=201)
def create_adjustment(
    session: DbSession,
    actor: Clerk,
    body: schemas.NewAdjustment,
    organization_id: Organization = None,
) -> ExactJSONResponse:
    view = service.create_adjustment(session, actor, adjustment=parsing.new_adjustment(body))
    return rendering.one(view, rendering.ADDED, 201)


@router.get(_ONE)
def get_adjustment(
    session: DbSession,
    actor: Viewer,
    inventory_adjustment_id: str,
    organization_id: Organization = None,
) -> ExactJSONResponse:
    return rendering.one(
        service.get_adjustment(session, actor, adjustment_id=inventory_adjustment_id)
    )


@router.put(_ONE)
def update_adjustment(
    session: DbSession,
    actor: Clerk,
    inventory_adjustment_id: str,
    body: schemas.Adjustment,
    organization_id: Organization = None,
) -> ExactJSONResponse:
    view = service.update_adjustment(
        session, actor, adjustment_id=inventory_adjustment_id, content=parsing.content(body)
    )
    return rendering.one(view)


@router.delete(_ONE)
def delete_adjustment(
    session: DbSession,
    actor: Clerk,
    inventory_adjustment_id: str,
    organization_id: Organization = None,
) -> ExactJSONResponse:
    service.delete_adjustment(session, actor, adjustment_id=inventory_adjustment_id)
    return rendering.answer(rendering.DELETED)


@router.post(_ONE + "/submit")
def submit_adjustment(
    session: DbSession,
    actor: Clerk,
    inventory_adjustment_id: str,
    organization_id: Organization = None,
) -> ExactJSONResponse:
    """Not in Zoho's document: a draft goes for approval (``pending_approval``)."""
    return rendering.one(
        service.submit_adjustment(session, actor, adjustment_id=inventory_adjustment_id)
    )


@router.post(_ONE + "/status/adjusted")
def mark_adjusted(
    session: DbSession,
    actor: Clerk,
    inventory_adjustment_id: str,
    organization_id: Organization = None,
) -> ExactJSONResponse:
    """Not in Zoho's document: a draft (or an approved adjustment) moves its stock."""
    return rendering.one(
        service.post_adjustment(session, actor, adjustment_id=inventory_adjustment_id)
    )


@router.post(_ONE + "/approve")
def approve_adjustment(
    session: DbSession,
    actor: Admin,
    inventory_adjustment_id: str,
    organization_id: Organization = None,
) -> ExactJSONResponse:
    service.approve_adjustment(session, actor, adjustment_id=inventory_adjustment_id, post=True)
    return rendering.answer(rendering.SUCCESS)


@router.post(_ONE + "/reject")
def reject_adjustment(
    session: DbSession,
    actor: Admin,
    inventory_adjustment_id: str,
    body: schemas.Rejection | None = None,
    organization_id: Organization = None,
) -> ExactJSONResponse:
    reason = body.reason if body is not None else None
    service.reject_adjustment(session, actor, adjustment_id=inventory_adjustment_id, reason=reason)
    return rendering.answer(rendering.SUCCESS)
