"""Reading the audit rows back: who changed what, and when."""

from __future__ import annotations

from typing import Any

from pydantic import Field
from sqlalchemy.orm import Session

from stockkeeper.core.api_model import Instant
from stockkeeper.core.audit import Acting
from stockkeeper.core.audit import AuditEvent as AuditEvent
from stockkeeper.core.pagination import Keyset, instant, keyset_page, resume
from stockkeeper.core.values import Values


class AuditFilters(Values):
    """Which audit rows to read: of one entity (its type, and an id), by one actor (the
    key's id, or the name of a system actor), of one action, within a period."""

    entity_type: str | None = Field(default=None, examples=["adjustment"])
    entity_id: str | None = None
    actor: str | None = Field(
        default=None, description="An API key id, a person's account id, or `cli` or `worker`"
    )
    action: str | None = Field(default=None, examples=["adjustment.posted"])
    occurred_from: Instant | None = Field(default=None, description="At or after this instant")
    occurred_to: Instant | None = Field(default=None, description="Before this instant")


def list_audit_events(
    session: Session, actor: Acting, *, filters: AuditFilters, limit: int, cursor: str | None
) -> tuple[list[AuditEvent], str | None, int]:
    """The company's audit rows, newest first; the page, next cursor and total."""
    listing = resume("audit_event", filters, cursor)
    filters = listing.filters
    a = AuditEvent
    where: list[Any] = [a.company_id == actor.company_id]
    for value, column in (
        (filters.entity_type, a.entity_type),
        (filters.entity_id, a.entity_id),
        (filters.action, a.action),
    ):
        if value is not None:
            where.append(column == value)
    if filters.actor is not None:
        where.append(
            (a.actor_key_id == filters.actor)
            | (a.actor_account_id == filters.actor)
            | (a.actor_name == filters.actor)
        )
    if filters.occurred_from is not None:
        where.append(a.occurred_at >= filters.occurred_from)
    if filters.occurred_to is not None:
        where.append(a.occurred_at < filters.occurred_to)
    return keyset_page(
        session,
        a,
        where,
        Keyset(key=a.occurred_at, ident=a.id, descending=True),
        listing,
        limit=limit,
        key=instant,
    )
