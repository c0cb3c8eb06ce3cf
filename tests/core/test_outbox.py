"""The outbox: a transaction's events wait with it and go out in one statement when it
commits; a rollback, or a savepoint's, forgets them; a keyed event is announced once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from stockkeeper.core import outbox
from stockkeeper.core.db import Database
from stockkeeper.core.outbox import OutboxEvent
from tests.support import Tenant


def _written(database: Database, company: str) -> list[tuple[str, str]]:
    with database.unit_of_work(write=False) as session:
        rows = session.execute(
            select(OutboxEvent.event, OutboxEvent.message)
            .where(OutboxEvent.company_id == company)
            .order_by(OutboxEvent.created_at, OutboxEvent.id)
        ).all()
    return [(name, message) for name, message in rows]


def test_events_go_out_in_one_statement_at_commit(database: Database, tenant: Tenant) -> None:
    company = tenant.company_id
    inserts: list[str] = []

    def count(*args: Any) -> None:
        if "outbox_event" in args[2]:
            inserts.append(args[2])

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        with database.unit_of_work() as session:
            for n in range(3):
                outbox.emit(session, company, "item.updated", {"id": f"item_{n}"})
            assert inserts == []  # nothing written before the commit
            assert [m["data"]["object"]["id"] for m in outbox.pending(session)] == [
                "item_0",
                "item_1",
                "item_2",
            ]
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    assert len(inserts) == 1
    assert [name for name, _ in _written(database, company)] == ["item.updated"] * 3


def _fail_after(session: Session, announce: Callable[[Session], object]) -> None:
    announce(session)
    raise RuntimeError("the work failed")


def _in_failing_work(database: Database, announce: Callable[[Session], object]) -> None:
    with database.unit_of_work() as session:
        _fail_after(session, announce)


def test_a_rollback_forgets_the_events(database: Database, tenant: Tenant) -> None:
    def announce(session: Session) -> object:
        return outbox.emit(session, tenant.company_id, "item.updated", {"id": "item_x"})

    with pytest.raises(RuntimeError):
        _in_failing_work(database, announce)
    assert _written(database, tenant.company_id) == []
    with database.unit_of_work() as session:  # a later transaction starts afresh
        outbox.emit(session, tenant.company_id, "item.created", {"id": "item_y"})
    assert [name for name, _ in _written(database, tenant.company_id)] == ["item.created"]


def test_a_savepoint_that_rolls_back_takes_its_events_with_it(
    database: Database, tenant: Tenant
) -> None:
    company = tenant.company_id

    def inside(session: Session) -> object:
        outbox.emit(session, company, "item.updated", {"id": "inside"})
        with session.begin_nested():
            return outbox.emit(session, company, "item.updated", {"id": "deeper"})

    with database.unit_of_work() as session:
        outbox.emit(session, company, "item.created", {"id": "kept"})
        with pytest.raises(RuntimeError), session.begin_nested():
            _fail_after(session, inside)
        with session.begin_nested():  # a savepoint released keeps what it announced
            outbox.emit(session, company, "item.deleted", {"id": "released"})
    written = _written(database, company)
    assert [name for name, _ in written] == ["item.created", "item.deleted"]


def test_a_keyed_event_is_announced_once_with_its_last_object(
    database: Database, tenant: Tenant
) -> None:
    company = tenant.company_id
    with database.unit_of_work() as session:
        for stock in (1, 2, 3):
            outbox.emit(session, company, "inventory.level", {"stock": stock}, key=("level", "a"))
        outbox.emit(session, company, "inventory.level", {"stock": 9}, key=("level", "b"))
    written = _written(database, company)
    assert len(written) == 2
    assert '"stock":3' in written[0][1] and '"stock":9' in written[1][1]


def test_keyed_events_announced_together_replace_and_are_replaced_as_one_by_one(
    database: Database, tenant: Tenant
) -> None:
    """``emit_keyed`` (a posting's levels) keeps the rules of ``emit``: one event a key, the
    last object; inside a savepoint that rolls back, the announcement before it stands."""
    company = tenant.company_id
    with database.unit_of_work() as session:
        outbox.emit(session, company, "inventory.level", {"stock": 1}, key=("level", "a"))
        outbox.emit_keyed(
            session,
            company,
            "inventory.level",
            [(("level", "a"), {"stock": 2}), (("level", "b"), {"stock": 5})],
        )
        with pytest.raises(RuntimeError), session.begin_nested():
            _fail_after(
                session,
                lambda inner: outbox.emit_keyed(
                    inner, company, "inventory.level", [(("level", "b"), {"stock": 7})]
                ),
            )
        assert [m["data"]["object"] for m in outbox.pending(session)] == [
            {"stock": 2},
            {"stock": 5},
        ]
    written = _written(database, company)
    assert [name for name, _ in written] == ["inventory.level"] * 2
    assert {'"stock":2', '"stock":5'} == {
        part for _, message in written for part in ('"stock":2', '"stock":5') if part in message
    }
    with pytest.raises(ValueError, match="unknown event"), database.unit_of_work() as session:
        outbox.emit_keyed(session, company, "inventory.nothing", [])  # type: ignore[arg-type]
