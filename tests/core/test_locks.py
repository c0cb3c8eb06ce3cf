"""The lock helper: it refuses to lock outside a transaction, and a wait for a lock that
runs out is ``Busy`` (503 with Retry-After), told by the driver's error codes."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Select, select
from sqlalchemy.exc import OperationalError

from stockkeeper.api.problems import install_error_handlers
from stockkeeper.core.db import Database
from stockkeeper.core.errors import Busy
from stockkeeper.core.locks import is_busy, lock
from stockkeeper.core.settings import Settings
from stockkeeper.tenancy.models import Company
from tests.support import Tenant


def test_a_lock_outside_a_transaction_is_refused(database: Database, tenant: Tenant) -> None:
    query = select(Company).where(Company.id == tenant.company_id)
    with database.new_session() as session:
        # a fresh session begins its transaction for the lock, which holds until the end
        assert lock(session, query).scalars().one().id == tenant.company_id
        assert session.in_transaction()
    autocommit = database.engine.execution_options(isolation_level="AUTOCOMMIT")
    with database.new_session() as session:
        session.bind = autocommit
        with pytest.raises(RuntimeError, match="outside a transaction"):
            lock(session, query)


def test_sqlite_busy_and_locked_are_told_by_their_codes() -> None:
    busy = sqlite3.OperationalError("any words at all")
    busy.sqlite_errorcode = 5  # SQLITE_BUSY
    other = sqlite3.OperationalError("database is locked")  # the words alone do not count
    other.sqlite_errorcode = 1
    assert is_busy(OperationalError("SELECT 1", None, busy))
    assert not is_busy(OperationalError("SELECT 1", None, other))


@pytest.fixture
def impatient(settings: Settings) -> Iterator[Database]:
    """A database that waits a fifth of a second for a lock: a row's on PostgreSQL, the
    database's write lock on SQLite."""
    waits = {"lock_timeout_ms": 200, "sqlite_busy_timeout_ms": 200}
    database = Database(settings.model_copy(update=waits))
    yield database
    database.dispose()


def test_a_wait_for_a_lock_that_runs_out_is_busy(impatient: Database, tenant: Tenant) -> None:
    query = select(Company).where(Company.id == tenant.company_id)
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with impatient.unit_of_work() as session:
            lock(session, query).scalars().one()
            held.set()
            release.wait(5)

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert held.wait(5)
        with pytest.raises(Busy):
            _lock_once(impatient, query)
    finally:
        release.set()
        thread.join()


def _lock_once(database: Database, query: Select[Company]) -> None:
    with database.unit_of_work() as session:
        lock(session, query)


def test_busy_is_503_with_retry_after() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/busy")
    def refuse() -> None:
        raise Busy("the database is busy; retry the request")

    response = TestClient(app).get("/busy")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.json()["code"] == "busy"
