"""The one way to lock rows, and to tell that a wait for a lock ran out.

``lock`` runs a ``SELECT ... FOR UPDATE`` (on SQLite, where the write transaction holds the
whole database, the plain SELECT). It refuses to run outside a transaction, where the lock
would end with its own statement. On PostgreSQL every connection waits at most
``STOCKKEEPER_LOCK_TIMEOUT_MS`` for a lock (set as the connection opens, since a ``SET`` in
each transaction would cost every posting a statement); a wait that runs out, a deadlock, or
a SQLite writer that finds the database busy becomes ``Busy`` (503, retry). Errors are told
apart by the driver's error codes, never by the text of their messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, TypeVar, TypeVarTuple

from sqlalchemy import Select
from sqlalchemy.engine import Result
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from stockkeeper.core import metrics
from stockkeeper.core.db import run
from stockkeeper.core.errors import Busy

M = TypeVar("M")
Ts = TypeVarTuple("Ts")

# PostgreSQL: lock_not_available (a lock_timeout ran out), deadlock_detected
_BUSY_SQLSTATES = {"55P03", "40P01"}
# SQLite's primary result codes SQLITE_BUSY and SQLITE_LOCKED
_BUSY_SQLITE_CODES = {5, 6}
_SQLITE_CANTOPEN = 14


def is_busy(error: BaseException) -> bool:
    """Whether a driver error means a wait for a lock ran out (or would have deadlocked)."""
    cause = error.orig if isinstance(error, DBAPIError) else error
    if getattr(cause, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    code = getattr(cause, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _BUSY_SQLITE_CODES


def is_unreachable(error: BaseException) -> bool:
    """Whether a driver error means the database could not be reached: PostgreSQL's
    connection errors (no SQLSTATE, or class 08), SQLite's file that cannot be opened."""
    cause = error.orig if isinstance(error, DBAPIError) else error
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, OperationalError) and hasattr(cause, "sqlstate"):
        state = getattr(cause, "sqlstate", None)
        return state is None or str(state).startswith("08")
    code = getattr(cause, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == _SQLITE_CANTOPEN


def busy() -> Busy:
    metrics.busy_refused("lock")
    return Busy("the database is busy; retry the request")


@contextmanager
def busy_when_locked() -> Iterator[None]:
    """Turns a driver's lock timeout or deadlock into ``Busy``."""
    try:
        yield
    except DBAPIError as error:
        if is_busy(error):
            raise busy() from error
        raise


def lock(
    session: Session, statement: Select[*Ts], parameters: Any = None, *, core: bool = False
) -> Result[*Ts]:
    """Runs ``statement`` with ``FOR UPDATE``, its rows locked until the transaction ends.
    ``core`` runs it past the ORM (``core.db.run``), for the posting path's built-once
    statements, whose locking form is built once too."""
    locking = _for_update(statement) if core else statement.with_for_update()
    return _locking(session, locking, parameters, core=core)


def lock_one(session: Session, model: type[M], key: tuple[str, ...]) -> M | None:
    """The row of ``model`` with this primary key, read afresh and locked (None if missing)."""
    _refuse_outside_transaction(session)
    with busy_when_locked():
        return session.get(model, key, with_for_update=True, populate_existing=True)


def lock_skipping(session: Session, statement: Select[*Ts], **options: Any) -> Result[*Ts]:
    """Like ``lock``, but passes over rows another transaction holds (work queues)."""
    return _locking(session, statement.with_for_update(skip_locked=True, **options), None)


def _locking(
    session: Session, statement: Select[*Ts], parameters: Any, *, core: bool = False
) -> Result[*Ts]:
    _refuse_outside_transaction(session)
    with busy_when_locked():
        if core:
            return run(session, statement, parameters)
        return session.execute(statement, parameters)


def _refuse_outside_transaction(session: Session) -> None:
    connection = session.connection()  # begins the session's transaction if none is open
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        raise RuntimeError("a lock outside a transaction would end with its own statement")


@lru_cache(maxsize=64)
def _for_update(statement: Select[*Ts]) -> Select[*Ts]:
    """The locking form of a built-once statement, built once too."""
    return statement.with_for_update()
