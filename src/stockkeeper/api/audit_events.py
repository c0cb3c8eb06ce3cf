"""``/api/v1/audit-events``: who changed what, and when, as the audit rows recorded it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field

from stockkeeper.api.deps import Admin, ApiRoute, DbSession
from stockkeeper.api.problems import problems
from stockkeeper.api.responses import ExactJSONResponse, ok_list
from stockkeeper.core.api_model import ApiModel, ListEnvelope, Page
from stockkeeper.core.audit_trail import AuditEvent, AuditFilters, list_audit_events
from stockkeeper.core.errors import InvalidCursor

router = APIRouter(prefix="/api/v1/audit-events", tags=["Audit"], route_class=ApiRoute)


class ActorRead(ApiModel):
    key_id: str | None = Field(description="The API key; null for the command line and worker")
    account_id: str | None = Field(
        description="The person signed in to the web UI who acted; null for a key or a system"
    )
    name: str = Field(examples=["admin"])


class AuditEventRead(ApiModel):
    id: str
    occurred_at: dt.datetime
    actor: ActorRead
    action: str = Field(examples=["adjustment.posted"], description="Past tense")
    entity_type: str = Field(examples=["adjustment"])
    entity_id: str
    details: dict[str, Any]


class AuditQuery(AuditFilters, ApiModel):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None


def audit_event_read(row: AuditEvent) -> AuditEventRead:
    return AuditEventRead(
        id=row.id,
        occurred_at=row.occurred_at,
        actor=ActorRead(
            key_id=row.actor_key_id, account_id=row.actor_account_id, name=row.actor_name
        ),
        action=row.action,
        entity_type=row.entity_type,
        entity_id=row.entity_id,
        details=row.details,
    )


@router.get(
    "",
    response_model=ListEnvelope[AuditEventRead],
    responses=problems(InvalidCursor),
    description="The company's audit trail, newest first: every change, who made it (the API "
    "key, or the command line or worker) and what it was. Admins only.",
)
def list_audit_events_route(
    session: DbSession, actor: Admin, query: Annotated[AuditQuery, Query()]
) -> ExactJSONResponse:
    rows, next_cursor, total = list_audit_events(
        session, actor, filters=query, limit=query.limit, cursor=query.cursor
    )
    reads = [audit_event_read(row) for row in rows]
    return ok_list(reads, Page.of(next_cursor, query.limit, total))
