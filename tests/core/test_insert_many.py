"""``core.db.insert_many``: many rows in one statement, stored as a Core insert stores them."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from stockkeeper.catalog.models import Location
from stockkeeper.core import sqlite_rows
from stockkeeper.core.db import ROWS_IN_ONE_STATEMENT, Database, insert_many, table_of
from stockkeeper.core.ids import new_id
from stockkeeper.core.types import utcnow
from tests.support import Tenant


def _locations(company_id: str, count: int) -> list[dict[str, Any]]:
    now = utcnow()
    return [
        {
            "company_id": company_id,
            "id": new_id("loc"),
            "name": f"Bulk {n}",
            "code": None,
            "type": "warehouse",
            "address": {"city": "Ipoh"} if n else None,
            "is_default": False,
            "is_active": bool(n % 2),
            "created_at": now,
            "updated_at": now,
        }
        for n in range(count)
    ]


def _stored(database: Database, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = list(rows[0])
    with database.unit_of_work(write=False) as session:
        found = {
            location.id: location
            for location in session.scalars(
                select(Location).where(Location.id.in_([row["id"] for row in rows]))
            )
        }
        return [{key: getattr(found[row["id"]], key) for key in keys} for row in rows]


@pytest.fixture
def many_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Locations written as the items are on SQLite: many rows a statement."""
    monkeypatch.setitem(table_of(Location).info, ROWS_IN_ONE_STATEMENT, True)


@pytest.mark.parametrize("together", [False, True])
@pytest.mark.parametrize("count", [1, 3])
def test_rows_are_stored_as_given(
    database: Database, tenant: Tenant, count: int, together: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(table_of(Location).info, ROWS_IN_ONE_STATEMENT, together)
    rows = _locations(tenant.company_id, count)
    with database.unit_of_work() as session:
        insert_many(session, Location, rows)
    assert _stored(database, rows) == rows


@pytest.mark.usefixtures("many_rows")
def test_rows_past_what_one_statement_takes_are_stored_in_order(
    database: Database, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite a statement takes at most so many rows (its text kept small); the others go
    in the next."""
    monkeypatch.setattr(sqlite_rows, "MOST", 2)
    rows = _locations(tenant.company_id, 5)
    with database.unit_of_work() as session:
        insert_many(session, Location, rows)
    assert _stored(database, rows) == rows
    if database.dialect == "sqlite":  # written in the order given
        with database.unit_of_work(write=False) as session:
            ids = select(Location.id).where(Location.id.in_([row["id"] for row in rows]))
            written = session.scalars(ids.order_by(text("rowid"))).all()
        assert written == [row["id"] for row in rows]


@pytest.mark.usefixtures("many_rows")
def test_row_counts_share_a_few_statement_texts(database: Database, tenant: Tenant) -> None:
    """The driver keeps a prepared program for each text it ran, and one of hundreds of rows
    is large: 5 rows and 7 take the same text (on SQLite, room for 8; on PostgreSQL every
    count does), so a long import's chunks of every size keep a few."""
    texts: list[str] = []

    def seen(*args: Any) -> None:
        texts.append(args[2])

    rows = _locations(tenant.company_id, 12)
    event.listen(database.engine, "before_cursor_execute", seen)
    try:
        with database.unit_of_work() as session:
            insert_many(session, Location, rows[:5])
            insert_many(session, Location, rows[5:])
    finally:
        event.remove(database.engine, "before_cursor_execute", seen)
    inserts = [text for text in texts if text.startswith("INSERT")]
    assert len(inserts) == 2 and inserts[0] == inserts[1]
    assert _stored(database, rows) == rows


def test_a_string_longer_than_its_column_is_refused_not_cut(
    database: Database, tenant: Tenant
) -> None:
    rows = _locations(tenant.company_id, 2)
    rows[1]["type"] = "w" * 30  # the column holds 16
    postgres = database.dialect == "postgresql"
    refused: AbstractContextManager[Any] = pytest.raises(DBAPIError) if postgres else nullcontext()
    with refused, database.unit_of_work() as session:
        insert_many(session, Location, rows)
    if not postgres:  # SQLite does not enforce a length: the string is kept whole
        assert _stored(database, rows)[1]["type"] == "w" * 30


def test_rows_must_name_the_columns_with_python_defaults(
    database: Database, tenant: Tenant
) -> None:
    rows = _locations(tenant.company_id, 2)
    for row in rows:
        del row["is_active"]
    with pytest.raises(TypeError, match="is_active"), database.unit_of_work() as session:
        insert_many(session, Location, rows)


@pytest.mark.parametrize("count", [1, 3])
def test_the_drivers_errors_come_out_as_sqlalchemys_and_listeners_hear_the_statement(
    database: Database, tenant: Tenant, count: int
) -> None:
    """The rows go to the driver's own cursor (``core.driver_calls``), past SQLAlchemy's
    execution: a key taken twice is still its IntegrityError, which the services catch, and
    what listens to statements (the tests that count them) still hears it."""
    rows = _locations(tenant.company_id, count)
    with database.unit_of_work() as session:
        insert_many(session, Location, rows)
    heard: list[tuple[str, bool]] = []

    def seen(*args: Any) -> None:
        heard.append((args[2], args[5]))

    event.listen(database.engine, "before_cursor_execute", seen)
    try:
        with pytest.raises(IntegrityError), database.unit_of_work() as session:
            insert_many(session, Location, rows)
    finally:
        event.remove(database.engine, "before_cursor_execute", seen)
    inserts = [(sql, many) for sql, many in heard if sql.startswith("INSERT INTO location")]
    # one statement: on SQLite an executemany for several rows, on PostgreSQL one of arrays
    assert inserts and [many for _, many in inserts] == [count > 1 and database.dialect == "sqlite"]


def test_a_single_row_may_leave_a_python_default_to_core(
    database: Database, tenant: Tenant
) -> None:
    row = _locations(tenant.company_id, 1)[0]
    del row["is_active"]
    with database.unit_of_work() as session:
        insert_many(session, Location, [row])
    assert _stored(database, [row]) == [row]
    with database.unit_of_work(write=False) as session:
        stored = session.get(Location, (tenant.company_id, row["id"]))
        assert stored is not None and stored.is_active is True
