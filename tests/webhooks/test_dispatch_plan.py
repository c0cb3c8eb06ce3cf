"""The worker marks the events it dispatched through the outbox's primary key: the outbox
keeps every event, and a statement that read the whole table would take longer with each
one, holding SQLite's only write lock (every posting waits for it) all that while."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, func, select

from stockkeeper.core.db import Database
from stockkeeper.core.outbox import OutboxEvent
from stockkeeper.core.settings import Settings
from stockkeeper.webhooks.service.delivery import Worker
from tests.support import Api


def test_dispatched_events_are_marked_by_their_key_not_by_reading_the_outbox(
    api: Api, database: Database, settings: Settings
) -> None:
    api.adjust(api.location()["id"], (api.item()["id"], 5, 2))
    marked: list[tuple[str, Any]] = []

    def capture(*args: Any) -> None:
        _connection, _cursor, statement, parameters, _context, _many = args
        if statement.lstrip().upper().startswith("UPDATE OUTBOX_EVENT"):
            marked.append((statement, parameters))

    worker = Worker(database, settings)
    event.listen(database.engine, "before_cursor_execute", capture)
    try:
        assert worker.round() > 0
    finally:
        event.remove(database.engine, "before_cursor_execute", capture)
        worker.close()
    with database.unit_of_work(write=False) as session:
        waiting = select(func.count()).where(OutboxEvent.dispatched.is_(False))
        assert session.scalar(waiting) == 0
    [(statement, parameters)] = marked
    with database.engine.connect() as connection:
        if database.dialect == "postgresql":
            connection.exec_driver_sql("SET enable_seqscan = off")  # the plan, were it large
            explained = connection.exec_driver_sql("EXPLAIN " + statement, parameters)
        else:
            explained = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        steps = "\n".join(str(row[-1]) for row in explained)
    assert "outbox_event" in steps
    assert "SCAN outbox_event" not in steps and "Seq Scan" not in steps, steps
