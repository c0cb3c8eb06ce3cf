"""Audit rows: every state change records who did what to which record, in its transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from pydantic import Field
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from stockkeeper.core.db import Base, insert_into, run
from stockkeeper.core.ids import ID_LENGTH, new_id
from stockkeeper.core.pagination import Keyset, keyset_page
from stockkeeper.core.types import UTCDateTime, utcnow
from stockkeeper.core.values import Values


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_company_id_entity", "company_id", "entity_type", "entity_id"),
        Index("ix_audit_event_company_id_occurred_at", "company_id", "occurred_at", "id"),
    )

    company_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("company.id"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_key_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    actor_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class Acting(Protocol):
    """Who acts: the tenancy's ``Actor`` (core cannot import it) or anything shaped like it;
    no key when a face acts for the company itself (the command line)."""

    @property
    def company_id(self) -> str: ...
    @property
    def key_id(self) -> str | None: ...
    @property
    def name(self) -> str: ...


def record(
    session: Session, actor: Acting, action: str, entity_type: str, entity_id: str, **details: Any
) -> None:
    """Writes an audit row; ``action`` is past tense, like ``adjustment.posted``."""
    run(
        session,
        insert_into(AuditEvent),
        {
            "company_id": actor.company_id,
            "id": new_id("aud"),
            "occurred_at": utcnow(),
            "actor_key_id": actor.key_id,
            "actor_name": actor.name,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "details": details,
        },
        flush=False,  # it references only the company
    )


class AuditFilters(Values):
    """Which audit rows to read: of one entity (its type, and an id), by one actor (the
    key's id, or the name of a system actor), of one action, within a period."""

    entity_type: str | None = Field(default=None, examples=["adjustment"])
    entity_id: str | None = None
    actor: str | None = Field(default=None, description="An API key id, or `cli` or `worker`")
    action: str | None = Field(default=None, examples=["adjustment.posted"])
    occurred_from: datetime | None = Field(default=None, description="At or after this instant")
    occurred_to: datetime | None = Field(default=None, description="Before this instant")


def list_audit_events(
    session: Session, actor: Acting, *, filters: AuditFilters, limit: int, cursor: str | None
) -> tuple[list[AuditEvent], str | None, int]:
    """The company's audit rows, newest first; the page, next cursor and total."""
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
        where.append((a.actor_key_id == filters.actor) | (a.actor_name == filters.actor))
    if filters.occurred_from is not None:
        where.append(a.occurred_at >= filters.occurred_from)
    if filters.occurred_to is not None:
        where.append(a.occurred_at < filters.occurred_to)
    return keyset_page(
        session,
        a,
        where,
        Keyset(key=a.occurred_at, ident=a.id, descending=True),
        kind="audit_event",
        limit=limit,
        cursor=cursor,
        parse=datetime.fromisoformat,
    )
