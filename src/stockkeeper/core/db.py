"""Engine, declarative base, the one unit of work, and Core statements past the ORM.

SQLite engines (WAL, writers taking turns) are built in ``core/sqlite.py``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

import simplejson
from sqlalchemy import (
    Column,
    Engine,
    ForeignKey,
    Insert,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    insert,
)
from sqlalchemy.engine import Connection, CursorResult, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    SessionTransaction,
    mapped_column,
    sessionmaker,
)
from sqlalchemy.sql import Executable

from stockkeeper.core.bulk_statements import bulk_insert, unnamed_defaults
from stockkeeper.core.driver_calls import driver_execute, driver_execute_each
from stockkeeper.core.driver_values import converted_columns
from stockkeeper.core.ids import ID_LENGTH
from stockkeeper.core.metrics import watch_pool
from stockkeeper.core.settings import Settings
from stockkeeper.core.sqlite import sqlite_engine
from stockkeeper.core.sqlite_rows import insert_rows

_log = logging.getLogger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def company_key(*, cascade: bool = False) -> Mapped[str]:
    """The ``company_id`` that begins every table's primary key (and every foreign key)."""
    return mapped_column(
        String(ID_LENGTH),
        ForeignKey("company.id", ondelete="CASCADE" if cascade else None),
        primary_key=True,
    )


def _iso(value: Any) -> str:
    """Dates and times in JSON columns (an audit row's details) as ISO 8601 text."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} as JSON")


# made once, not a call (as ``simplejson.dumps`` with options would); it keeps no state
_JSON_ENCODER = simplejson.JSONEncoder(use_decimal=True, ensure_ascii=False, default=_iso)


def _json_dumps(value: Any) -> str:
    if value is None:  # most documents' lines have no batches or serials
        return "null"
    return _JSON_ENCODER.encode(value)


def _json_loads(text: str) -> Any:
    # most rows' JSON columns hold nothing (an item's custom fields, a line's batches): read
    # without the parser, a new container each time
    if text == "null":
        return None
    if text == "{}":
        return {}
    if text == "[]":
        return []
    return json.loads(text, parse_float=Decimal)


_JSON = {"json_serializer": _json_dumps, "json_deserializer": _json_loads}


def create_db_engine(settings: Settings) -> Engine:
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        return sqlite_engine(settings, **_JSON)
    engine = create_engine(
        url,
        **_JSON,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_pre_ping=True,
        isolation_level="READ COMMITTED",
    )
    if settings.lock_timeout_ms:
        event.listen(engine, "connect", _lock_timeout(settings.lock_timeout_ms))
    return engine


def _lock_timeout(milliseconds: int) -> Callable[[Any, Any], None]:
    """How long a statement waits for a row lock before the lock helper's ``Busy``: set once
    on each connection as it opens (a SET in each transaction would cost every posting a
    statement), and committed, so that the pool's rollbacks keep it."""

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {int(milliseconds)}")
        dbapi_connection.commit()

    return on_connect


class Database:
    """One engine and its session factories: ``write`` sessions lock SQLite at BEGIN."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = create_db_engine(settings)
        watch_pool(self.engine)
        self._read = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            bind=self.engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )
        for factory in (self._read, self._write):
            event.listen(factory, "before_commit", _before_commit)
            event.listen(factory, "after_commit", _forget_transaction)
            event.listen(factory, "after_rollback", _forget_transaction)
            event.listen(factory, "after_soft_rollback", _savepoint_rolled_back)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def new_session(self, *, write: bool = True) -> Session:
        return (self._write if write else self._read)()

    def unit_of_work(self, *, write: bool = True) -> UnitOfWork:
        """``with database.unit_of_work() as session``: one transaction, committed on a clean
        exit and rolled back otherwise."""
        return UnitOfWork(self.new_session(write=write))

    def dispose(self) -> None:
        self.engine.dispose()


class UnitOfWork:
    """The one unit of work, for every face: a session in one transaction that the entrypoint
    commits (the hooks of ``before_commit`` run first) or rolls back, and then closes.
    Services only flush."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.ended = False

    def commit(self) -> None:
        try:
            self.session.commit()
        finally:
            self.close()

    def rollback(self) -> None:
        try:
            self.session.rollback()
        finally:
            self.close()

    def close(self) -> None:
        self.ended = True
        self.session.close()

    def __enter__(self) -> Session:
        self.session.begin()
        return self.session

    def __exit__(self, kind: type[BaseException] | None, *_: Any) -> None:
        if kind is None:
            self.commit()
        else:
            self.rollback()


# --- what a transaction keeps until it ends ---------------------------------------------------


def transaction_state(session: Session) -> dict[str, Any]:
    """What belongs to the session's current transaction (the outbox's pending events, say):
    forgotten when it commits or rolls back."""
    state: dict[str, Any] = session.info.setdefault("transaction", {})
    return state


def before_commit(session: Session, name: str, hook: Callable[[Session], None]) -> None:
    """Runs ``hook`` once, just before the session's current transaction commits."""
    transaction_state(session).setdefault("before_commit", {}).setdefault(name, hook)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the transaction goes on
        return
    for hook in transaction_state(session).pop("before_commit", {}).values():
        hook(session)


def on_savepoint_rollback(
    session: Session, name: str, hook: Callable[[SessionTransaction], None]
) -> None:
    """Runs ``hook`` with each savepoint of the current transaction that rolls back, so that
    what was done inside it can be forgotten with it."""
    transaction_state(session).setdefault("savepoint_rollback", {}).setdefault(name, hook)


def _savepoint_rolled_back(session: Session, previous: SessionTransaction) -> None:
    if previous.nested:
        for hook in transaction_state(session).get("savepoint_rollback", {}).values():
            hook(previous)


def _forget_transaction(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released or rolled back, not the end
        return
    session.info.pop("transaction", None)


def keep_cache(
    session: Session,
    model: type[Base],
    rows: list[dict[str, Any]],
    updated: list[str],
    *,
    first: Executable | None = None,
) -> None:
    """Writes rows of a cache a report keeps (rows with the same key are replaced: their
    ``updated`` columns), after the statement ``first`` when given, in a transaction of its
    own, since the report's is a read. When the database is too busy to take them, they wait
    for the next report."""
    if not rows:
        return
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    try:
        with (
            Session(bind=engine.execution_options(sqlite_begin="IMMEDIATE")) as writer,
            writer.begin(),
        ):
            if first is not None:
                writer.execute(first)
            statement = insert_ignoring_duplicates(writer, model)
            key = [column.name for column in table_of(model).primary_key]
            writer.execute(
                statement.on_conflict_do_update(
                    index_elements=key,
                    set_={column: statement.excluded[column] for column in updated},
                ),
                rows,
            )
    except DBAPIError as error:
        _log.warning("%s not kept: %s", table_of(model).name, error)


def insert_ignoring_duplicates(session: Session, model: type[Base]) -> Any:
    """An INSERT that skips rows whose key exists already (both engines say it differently)."""
    return insert_on_conflict(session.get_bind().dialect.name, model)


def insert_on_conflict(dialect: str, model: type[Base]) -> Any:
    """An INSERT that can say what to do ON CONFLICT, in the named dialect's own form."""
    from sqlalchemy.dialects import postgresql, sqlite

    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def table_of(model: Any) -> Table:
    """The mapped class's table, for Core statements."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def run(
    session: Session, statement: Executable, parameters: Any = None, *, flush: bool = True
) -> CursorResult[Any]:
    """Runs a Core statement on the session's connection, past the ORM's execution path (which
    costs more than the statement). What the session has pending is flushed first, as the
    session would, unless the statement can neither see nor reference it (``flush=False``)."""
    if flush:
        session.flush()
    return session.connection().execute(statement, parameters)


def insert_new(session: Session, *rows: Base) -> None:
    """Inserts new rows with one Core INSERT per table, past the unit of work's flush (which
    costs several times as much for a document's few rows). Python-side column defaults are
    set on the rows first; the rows stay outside the session, so later changes to them are
    not saved, and the session does not know them."""
    by_model: dict[type[Base], list[dict[str, Any]]] = {}
    for row in rows:
        model = type(row)
        given = row.__dict__  # what was set on a new row (its attributes' events cost more)
        for column, key in _defaulted(model):
            if given.get(key) is None:
                default: Any = column.default
                if default is None:
                    raise TypeError(
                        f"{column}: insert_new would write NULL over its server default"
                    )
                if not (default.is_scalar or default.is_callable):
                    raise TypeError(f"{column}: insert_new sets only Python-side defaults")
                given[key] = default.arg(None) if default.is_callable else default.arg
        values = {column.key: given.get(key) for column, key in _columns(model)}
        by_model.setdefault(model, []).append(values)
    for model, model_rows in by_model.items():
        insert_many(session, model, model_rows)


B = TypeVar("B", bound=Base)


def new_row(model: type[B], **values: Any) -> B:
    """A new (transient) row of ``model``, its values set as its constructor would set them
    but past their attribute events, which cost more than the rest of a document's line: a
    new row has no history to keep, and ``insert_new`` or a flush writes what it holds.
    Later changes to it go through the events as usual."""
    row: B = model.__mapper__.class_manager.new_instance()
    row.__dict__.update(values)
    return row


# a table's ``info`` flag: on SQLite, insert_many writes its rows in statements of many rows
# (``core.sqlite_rows``), for triggers that work once a statement (a full-text index writes
# what it was given at each statement's end); other tables take one executemany
ROWS_IN_ONE_STATEMENT = "rows_in_one_statement"


def insert_many(
    session: Session, model: type[Base], rows: list[dict[str, Any]], *, flush: bool = True
) -> None:
    """Inserts rows that all name the same columns with one statement whatever their number:
    on PostgreSQL ``INSERT ... SELECT`` from one array a column (``unnest``), on SQLite one
    executemany, or ``VALUES`` of many rows for a table flagged ``ROWS_IN_ONE_STATEMENT``.
    The values go to the driver as each column's type converts them, on the driver's own
    cursor (``core.driver_calls``): the Core executemany handles every row's parameters one
    by one, and for a document of hundreds of lines that cost more than the insert. Rows
    must name every column with a Python-side default, but for a single row: Core sets
    them for it."""
    if flush:
        session.flush()
    if not rows:
        return
    connection = session.connection()
    keys = tuple(rows[0])
    if len(rows) == 1 and unnamed_defaults(table_of(model), keys):  # Core sets them
        run(session, insert_into(model), rows, flush=False)
        return
    statement, converters = bulk_insert(table_of(model), keys, connection.dialect)
    columns = converted_columns(rows, keys, converters)
    if connection.dialect.name == "postgresql":
        driver_execute(connection, statement, tuple(columns))
    elif table_of(model).info.get(ROWS_IN_ONE_STATEMENT):
        insert_rows(connection, statement[: statement.index(" VALUES ")], columns)
    else:
        driver_execute_each(connection, statement, list(zip(*columns, strict=True)))


@cache
def _columns(model: type[Base]) -> tuple[tuple[Column[Any], str], ...]:
    """The table's columns and the attributes that hold them."""
    mapper = model.__mapper__
    return tuple(
        (column, mapper.get_property_by_column(column).key) for column in table_of(model).columns
    )


@cache
def _defaulted(model: type[Base]) -> tuple[tuple[Column[Any], str], ...]:
    """The table's columns with a default, Python-side (``insert_new`` sets it where a row
    has no value) or the server's (``insert_new`` refuses to write NULL over it)."""
    return tuple(
        (column, key)
        for column, key in _columns(model)
        if column.default is not None or column.server_default is not None
    )


@cache
def insert_into(model: type[Base]) -> Insert:
    """The model's INSERT, built once (building it costs more than running it)."""
    return insert(table_of(model))


def hold(session: Session, *rows: Any) -> None:
    """Keeps the rows referenced for the session's life: its identity map keeps only what
    something references, and a request reads the same row in several places."""
    session.info.setdefault("held_rows", []).extend(row for row in rows if row is not None)


def connection_problem(url: str) -> str | None:
    """Why the database at ``url`` cannot be reached, or None when it answers."""
    engine = create_engine(
        url, connect_args={"connect_timeout": 3} if url.startswith("postgresql") else {}
    )
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except Exception as error:  # any failure to connect is the answer
        return f"{type(error).__name__}: {str(error).splitlines()[0]}"
    finally:
        engine.dispose()
    return None
