"""Audit rows: every state change records who did what to which record, in its transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from stockkeeper.core.db import Base, insert_many
from stockkeeper.core.ids import ID_LENGTH, new_id
from stockkeeper.core.types import UTCDateTime, utcnow


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
    actor_account_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))  # a person's
    actor_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class Acting(Protocol):
    """Who acts: the tenancy's ``Actor`` (core cannot import it) or anything shaped like it;
    no key when a face acts for the company itself (the command line); a person's account
    when one signed in to the web face acts."""

    @property
    def company_id(self) -> str: ...
    @property
    def key_id(self) -> str | None: ...
    @property
    def account_id(self) -> str | None: ...
    @property
    def name(self) -> str: ...


def record(
    session: Session, actor: Acting, action: str, entity_type: str, entity_id: str, **details: Any
) -> None:
    """Writes an audit row; ``action`` is past tense, like ``adjustment.posted``."""
    record_many(session, actor, action, entity_type, [(entity_id, details)])


def record_many(
    session: Session,
    actor: Acting,
    action: str,
    entity_type: str,
    entities: Sequence[tuple[str, dict[str, Any]]],
) -> None:
    """Writes an audit row for each entity (its id and details), in one statement."""
    now = utcnow()
    rows = [
        {
            "company_id": actor.company_id,
            "id": new_id("aud"),
            "occurred_at": now,
            "actor_key_id": actor.key_id,
            "actor_account_id": actor.account_id,
            "actor_name": actor.name,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "details": details,
        }
        for entity_id, details in entities
    ]
    insert_many(session, AuditEvent, rows, flush=False)  # they reference only the company
