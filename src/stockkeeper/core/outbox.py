"""The outbox: events written in the transaction of the work that causes them, and delivered
afterwards by the worker (webhooks/). Nothing is announced for work that rolled back, and
nothing is lost when a process dies between the commit and the delivery.

Services announce what they changed with ``emit``; the events wait with the transaction and
go into the table with one statement just before it commits, whatever their number. An event
with a ``key`` stands for the latest state of something (a stock level): emitted again in the
same transaction, it replaces the one before, so each key is announced once per transaction.

An event is stored as the message its receivers get: ``{id, event, createdAt, data:
{object}}``, the object in the shape the API returns for it (with ``change`` beside it where
one event name covers several kinds of change).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal, get_args

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column

from stockkeeper.core.db import (
    Base,
    before_commit,
    company_key,
    insert_many,
    on_savepoint_rollback,
    transaction_state,
)
from stockkeeper.core.ids import ID_LENGTH, new_id
from stockkeeper.core.json import instant_text, render_json
from stockkeeper.core.types import UTCDateTime, utcnow

# what subscriptions may listen for; the name is the contract with receivers
EventName = Literal[
    "inventory.level",
    "inventory.adjustment",
    "inventory.count",
    "inventory.transfer",
    "inventory.issue",
    "inventory.return",
    "inventory.reservation",
    "purchase_order.updated",
    "purchase_order.received",
    "item.created",
    "item.updated",
    "item.deleted",
    "inventory.low_stock",
    "inventory.out_of_stock",
    "inventory.overstock",
    "inventory.negative_stock",
    "inventory.reorder_point",
    "inventory.expiry_warning",
    "inventory.alert.resolved",
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


def emit(
    session: Session,
    company_id: str,
    event: EventName,
    obj: dict[str, Any],
    *,
    change: str | None = None,
    key: tuple[str, ...] | None = None,
) -> Emitted:
    """Announces ``obj`` (already in the API's shape) when the transaction commits."""
    _known(event)
    pending = _pending(session)
    return _announce(pending, session.get_nested_transaction(), company_id, event, obj, change, key)


def emit_keyed(
    session: Session,
    company_id: str,
    event: EventName,
    objects: Iterable[tuple[tuple[str, ...], dict[str, Any]]],
) -> None:
    """Announces each ``(key, obj)`` as ``emit`` would, the transaction's events looked up
    once: a posting announces a level for each item and location it changed, by the
    thousand in a count."""
    _known(event)
    pending = _pending(session)
    within = session.get_nested_transaction()
    for key, obj in objects:
        _announce(pending, within, company_id, event, obj, None, key)


def _known(event: str) -> None:
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}")


def _announce(
    pending: dict[str, Any],
    within: SessionTransaction | None,
    company_id: str,
    event: str,
    obj: dict[str, Any],
    change: str | None,
    key: tuple[str, ...] | None,
) -> Emitted:
    now = utcnow()
    event_id = new_id("evt")
    data: dict[str, Any] = {"object": obj} if change is None else {"change": change, "object": obj}
    message = {"id": event_id, "event": event, "createdAt": instant_text(now), "data": data}
    once = key or (event_id,)
    if once in pending["events"]:  # replaced: it stands again if the replacing savepoint rolls back
        pending["earlier"].setdefault(once, []).append(
            (pending["events"][once], pending["within"][once])
        )
    pending["events"][once] = {
        "company_id": company_id,
        "id": event_id,
        "event": event,
        "message": render_json(message).decode(),
        "created_at": now,
        "dispatched": False,
    }
    pending["within"][once] = within
    return Emitted(event_id, event)


def pending(session: Session) -> list[dict[str, Any]]:
    """The messages the transaction will announce when it commits, in order."""
    events = transaction_state(session).get("outbox", {}).get("events", {})
    return [json.loads(event["message"], parse_float=Decimal) for event in events.values()]


def follow(session: Session, model: type[Base], row: dict[str, Any]) -> None:
    """Writes ``row`` right after the transaction's events (a delivery that names one)."""
    _pending(session)["followers"].setdefault(model, []).append(row)


def _pending(session: Session) -> dict[str, Any]:
    state = transaction_state(session)
    if "outbox" not in state:
        # "within": the savepoint each event was announced in, if any; "earlier": what an
        # event announced again under its key (a stock level's) replaced, and where
        state["outbox"] = {"events": {}, "within": {}, "earlier": {}, "followers": {}}
        before_commit(session, "outbox", _write)
        on_savepoint_rollback(session, "outbox", lambda savepoint: _forget(state, savepoint))
    pending: dict[str, Any] = state["outbox"]
    return pending


def _forget(state: dict[str, Any], savepoint: SessionTransaction) -> None:
    """What was announced inside a savepoint that rolled back was not done."""
    pending = state.get("outbox")
    if pending is None:
        return
    for once, within in list(pending["within"].items()):
        if _inside(within, savepoint):
            del pending["events"][once], pending["within"][once]
            earlier = pending["earlier"].pop(once, [])
            while earlier and _inside(earlier[-1][1], savepoint):
                earlier.pop()
            if earlier:  # announced before the savepoint: that announcement stands
                (pending["events"][once], pending["within"][once]) = earlier.pop()
                pending["earlier"][once] = earlier


def _inside(within: SessionTransaction | None, savepoint: SessionTransaction) -> bool:
    while within is not None and within is not savepoint:
        within = within.parent
    return within is savepoint


def _write(session: Session) -> None:
    pending = transaction_state(session).pop("outbox")
    if pending["events"]:
        # the events reference only their company, which exists
        insert_many(session, OutboxEvent, list(pending["events"].values()), flush=False)
    for model, rows in pending["followers"].items():
        insert_many(session, model, rows)
