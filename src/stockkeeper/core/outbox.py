"""The outbox: events written in the transaction of the work that causes them, and delivered
afterwards by the worker (webhooks/). Nothing is announced for work that rolled back, and
nothing is lost when a process dies between the commit and the delivery.

An event is stored as the message its receivers get: ``{id, event, createdAt, data:
{object}}``, the object in the shape the API returns for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from stockkeeper.core.db import Base, company_key, insert_into, run
from stockkeeper.core.ids import ID_LENGTH, new_id
from stockkeeper.core.responses import render_json
from stockkeeper.core.types import UTCDateTime, utcnow

# what subscriptions may listen for; the name is the contract with receivers
EventName = Literal[
    "inventory.low_stock",
    "inventory.out_of_stock",
    "inventory.overstock",
    "inventory.negative_stock",
    "inventory.reorder_point",
    "inventory.expiry_warning",
    "inventory.alert.resolved",
    "inventory.adjustment",
    "inventory.transfer",
    "purchase_order.received",
]
EVENTS: tuple[str, ...] = get_args(EventName)


class OutboxEvent(Base):
    __tablename__ = "outbox_event"
    __table_args__ = (Index("ix_outbox_event_dispatched_created_at", "dispatched", "created_at"),)

    company_id: Mapped[str] = company_key(cascade=True)
    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    event: Mapped[str] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(Text)  # the JSON body receivers get
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # set by the worker once the event is queued for each subscription listening for it
    dispatched: Mapped[bool] = mapped_column(default=False)


@dataclass(frozen=True)
class Emitted:
    id: str
    event: str


def emit(session: Session, company_id: str, event: EventName, obj: dict[str, Any]) -> Emitted:
    """Writes the event in the session's transaction; ``obj`` is already in the API's shape."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}")
    now = utcnow()
    event_id = new_id("evt")
    message = {"id": event_id, "event": event, "createdAt": now, "data": {"object": obj}}
    run(
        session,
        insert_into(OutboxEvent),
        {
            "company_id": company_id,
            "id": event_id,
            "event": event,
            "message": render_json(message).decode(),
            "created_at": now,
            "dispatched": False,
        },
        flush=False,  # it references only the company
    )
    return Emitted(event_id, event)
