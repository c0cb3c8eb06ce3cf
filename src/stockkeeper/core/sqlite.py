"""SQLite engines: WAL mode with ``synchronous`` from the settings, foreign keys on and a busy
timeout. Write transactions start with ``BEGIN IMMEDIATE`` so that writers queue for the lock
at the start instead of failing to upgrade it half-way; reads use a plain deferred ``BEGIN``
and never wait for writers. Writers take turns before ``BEGIN IMMEDIATE`` (``Writers``): in
the order they came within a process, and by a file lock tried every half millisecond between
processes. SQLite's busy handler polls with growing sleeps (up to 100 ms), and a plain lock
lets a thread that just arrived barge in, so a writer that came early could wait behind many
that came later (the webhook worker, under a stream of requests, waited seconds).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from stockkeeper.core.errors import Busy
from stockkeeper.core.metrics import busy_refused
from stockkeeper.core.settings import Settings


class Turns:
    """A lock handed to its waiters in the order they asked for it."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiting: deque[threading.Lock] = deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        if turn.acquire(timeout=timeout):
            return True
        with self._mutex:
            if turn in self._waiting:  # gave up before its turn came
                self._waiting.remove(turn)
                return False
        return True  # its turn came as it gave up

    def release(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().release()  # handed over: still held
            else:
                self._held = False


class Writers:
    """The writers of one SQLite file take turns: within the process in the order they came
    (``Turns``), and with other processes (a worker beside the server) by a lock on a file
    beside the database, tried every half millisecond."""

    def __init__(self, database: str | None) -> None:
        self.turns = Turns()
        self._file = (
            os.open(f"{database}-writer", os.O_RDWR | os.O_CREAT, 0o600)
            if database and database != ":memory:"
            else None
        )

    def acquire(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        if not self.turns.acquire(timeout):
            return False
        while self._file is not None:
            try:
                fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    self.turns.release()
                    return False
                time.sleep(0.0005)
        return True

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
        self.turns.release()


# one per database file: every engine of the process on that file takes turns on the same one
_WRITERS: dict[str, Writers] = {}
_WRITERS_LOCK = threading.Lock()


def _writers(database: str | None) -> Writers:
    path = str(Path(database).resolve()) if database and database != ":memory:" else ""
    with _WRITERS_LOCK:
        if path not in _WRITERS:
            _WRITERS[path] = Writers(path or None)
        return _WRITERS[path]


def sqlite_engine(settings: Settings, **options: Any) -> Engine:
    """An engine on the SQLite file of the settings' URL, created if missing."""
    url = make_url(settings.database_url)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={
            "check_same_thread": False,
            "timeout": settings.sqlite_busy_timeout_ms / 1000,
        },
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        # the connection used last is used next: each holds a page cache of its own, and the
        # fewer connections take turns, the fewer caches fill
        pool_use_lifo=True,
        **options,
    )
    event.listen(engine, "connect", _pragmas(settings))
    _take_turns(engine, _writers(url.database), settings.sqlite_busy_timeout_ms / 1000)
    return engine


def _pragmas(settings: Settings) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={settings.sqlite_synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA cache_size=-{settings.sqlite_cache_mb * 1024}")
        cursor.execute(f"PRAGMA busy_timeout={settings.sqlite_busy_timeout_ms}")
        cursor.close()

    return on_connect


def _take_turns(engine: Engine, writer: Writers, wait: float) -> None:
    """Write transactions take the writers' turn, then ``BEGIN IMMEDIATE``; the turn passes
    on when the connection goes back to the pool."""

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode != "IMMEDIATE":
            connection.exec_driver_sql(f"BEGIN {mode}")
            return
        if not writer.acquire(timeout=wait):
            busy_refused("sqlite_writer")
            raise Busy("the database is busy; retry the request")
        connection.info["writer"] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            connection.info.pop("writer")
            writer.release()
            raise

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        if record.info.pop("writer", False):
            writer.release()
