"""New rows written past the unit of work's flush (which costs more than the statement for
an import's hundreds of items) and kept in the session as rows read from the database are
kept: its queries find them, later changes to them are saved, and a savepoint that rolls
back takes them away with their rows, as it would rows the flush wrote."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy.orm import Session, SessionTransaction, make_transient, make_transient_to_detached

from stockkeeper.core.db import Base, insert_new, on_savepoint_rollback, transaction_state

Kept = list[tuple[SessionTransaction, tuple[Base, ...]]]


def insert_kept(session: Session, *rows: Base) -> None:
    """Inserts the new rows as ``insert_new`` does and keeps them in the session."""
    insert_new(session, *rows)
    for row in rows:
        for key in _keys(type(row)):
            row.__dict__.setdefault(key, None)  # written as NULL (unset, it would be expired)
        make_transient_to_detached(row)
    session.add_all(rows)
    within = session.get_nested_transaction()
    if within is not None:
        state = transaction_state(session)
        state.setdefault("kept_rows", []).append((within, rows))
        on_savepoint_rollback(session, "kept_rows", lambda savepoint: _undo(state, savepoint))


@cache
def _keys(model: type[Base]) -> tuple[str, ...]:
    return tuple(attribute.key for attribute in model.__mapper__.column_attrs)


def _undo(state: dict[str, Any], savepoint: SessionTransaction) -> None:
    """The rows kept inside a savepoint that rolled back leave the session, new again."""
    kept: Kept = state.get("kept_rows", [])
    for within, rows in [k for k in kept if _inside(k[0], savepoint)]:
        kept.remove((within, rows))
        for row in rows:
            session = Session.object_session(row)
            if session is not None:
                session.expunge(row)
            make_transient(row)


def _inside(within: SessionTransaction | None, savepoint: SessionTransaction) -> bool:
    while within is not None and within is not savepoint:
        within = within.parent
    return within is savepoint
