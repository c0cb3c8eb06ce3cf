"""SQLite engines: WAL mode with ``synchronous`` from the settings, foreign keys on and a busy
timeout. Write transactions start with ``BEGIN IMMEDIATE`` so that writers queue for the lock
at the start instead of failing to upgrade it half-way; reads use a plain deferred ``BEGIN``
and never wait for writers. Writers take turns before ``BEGIN IMMEDIATE`` (``Writers``): in
the order they came within a process, and by file locks between processes, taking turns with
each other. SQLite's busy handler polls with growing sleeps (up to 100 ms), and a plain lock
lets a thread that just arrived barge in, so a writer that came early could wait behind many
that came later (the webhook worker, under a stream of requests, waited seconds).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
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


# gates a process passes one after the other before the turn: busy processes take strict
# turns, up to one more of them than there are gates (two servers and the worker beside them)
GATES = 2


class Writers:
    """The writers of one SQLite file take turns: within the process in the order they came
    (``Turns``), and between processes (the server's, the worker beside them) by locks on
    files beside the database, which the system releases when a process dies.

    The process whose turn it is holds ``<file>-writer``. The next ones to want it wait at
    the gates before it (``<file>-writer-gate-2``, then ``-1``), each holding its gate until it
    gets the next one, so that the process that had the turn cannot take it straight back for
    its own next writer: it queues behind those already at the gates. Nobody polls: a gate is
    a FIFO its holder writes a byte to as it lets go, waking whoever waits for it, and the
    turn's release is announced the same way through ``<file>-writer-turn``."""

    def __init__(self, database: str | None) -> None:
        self.turns = Turns()
        # each lock with the FIFO that announces its release, the gates first
        self._locks: list[tuple[int, int]] = []
        if database and database != ":memory:":
            gates = [_fifo(f"{database}-writer-gate-{n}") for n in range(GATES, 0, -1)]
            turn = os.open(f"{database}-writer", os.O_RDWR | os.O_CREAT, 0o600)
            self._locks = [(gate, gate) for gate in gates]
            self._locks.append((turn, _fifo(f"{database}-writer-turn")))

    def acquire(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        if not self.turns.acquire(timeout):
            return False
        held: tuple[int, int] | None = None
        for lock in self._locks:
            taken = _take(*lock, deadline)
            if held is not None:
                _let_go(*held)
            if not taken:
                self.turns.release()
                return False
            held = lock
        return True

    def release(self) -> None:
        if self._locks:
            _let_go(*self._locks[-1])
        self.turns.release()


def _fifo(path: str) -> int:
    with contextlib.suppress(FileExistsError):
        os.mkfifo(path, 0o600)
    return os.open(path, os.O_RDWR | os.O_NONBLOCK)  # read and write: it never blocks


def _take(lock: int, released: int, deadline: float) -> bool:
    """Locks ``lock`` before the deadline, waiting between tries for a byte in the FIFO
    ``released`` (at most 5 ms: a process of an older version lets go without a word)."""
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
        if select.select([released], [], [], min(0.005, remaining))[0]:
            with contextlib.suppress(BlockingIOError):  # every waiter woke; one empties it
                os.read(released, 65536)


def _let_go(lock: int, released: int) -> None:
    fcntl.flock(lock, fcntl.LOCK_UN)
    with contextlib.suppress(BlockingIOError):  # full of bytes no one waited for: a waiter
        os.write(released, b"\0")  # empties it


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
