"""Two bare ASGI apps that bound what a write API can do on this machine, served by the same
uvicorn and called by the same httpx client as Stockkeeper.

- ``app``, the practical limit: inserts one SQLite row per request (WAL, the same
  ``synchronous`` setting as Stockkeeper) and answers with a small JSON body. Its database
  file comes from ``BENCH_LIMIT_DB``.
- ``ceiling``, what a posting's database work alone allows: it replays the statements one
  real posting ran (``BENCH_CEILING_PLAN``, written by ``bench/postings.py``) through the
  sqlite3 driver, with fresh ids, a fresh document number and the request's
  Idempotency-Key, on a copy of Stockkeeper's database (``BENCH_CEILING_DB``), and answers
  with the posting's response. No validation, no logic, no framework: whatever a posting
  does besides, it does on top of this.

Run as ``python -m uvicorn bench.limit_app:app`` (or ``:ceiling``).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from starlette.concurrency import run_in_threadpool

from stockkeeper.core.ids import new_id
from stockkeeper.core.sqlite import Writers

_local = threading.local()


@cache
def _writers(database: str) -> Writers:
    return Writers(database)


@contextmanager
def writer_turn() -> Iterator[None]:
    """The ceiling's writers take turns as Stockkeeper's do, within a process and between
    the server's processes."""
    writers = _writers(os.environ["BENCH_CEILING_DB"])
    if not writers.acquire(timeout=10):
        raise RuntimeError("no turn to write within 10 s")
    try:
        yield
    finally:
        writers.release()


def _connection(variable: str, *setup: str) -> sqlite3.Connection:
    """This thread's connection to the database file named by the environment ``variable``,
    in WAL mode with the ``synchronous`` setting asked for, after the ``setup`` statements."""
    connection: sqlite3.Connection | None = getattr(_local, variable, None)
    if connection is None:
        connection = sqlite3.connect(os.environ[variable], isolation_level=None, timeout=10)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(
            f"PRAGMA synchronous={os.environ.get('BENCH_LIMIT_SYNCHRONOUS', 'FULL')}"
        )
        for statement in setup:
            connection.execute(statement)
        setattr(_local, variable, connection)
    return connection


def _serve(work: Callable[[bytes, dict[bytes, bytes]], bytes]) -> Callable[..., Awaitable[None]]:
    """An ASGI app that runs ``work(body, headers)`` in a worker thread and answers 201 with
    what it returns."""

    async def serve(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        payload = await run_in_threadpool(work, body, dict(scope["headers"]))
        await send(
            {
                "type": "http.response.start",
                "status": 201,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    return serve


def _insert(body: bytes, _headers: dict[bytes, bytes]) -> bytes:
    connection = _connection(
        "BENCH_LIMIT_DB", "CREATE TABLE IF NOT EXISTS posting (id INTEGER PRIMARY KEY, body TEXT)"
    )
    connection.execute("BEGIN IMMEDIATE")
    cursor = connection.execute("INSERT INTO posting (body) VALUES (?)", (body.decode(),))
    connection.execute("COMMIT")
    return json.dumps({"success": True, "data": {"id": cursor.lastrowid}}).encode()


@cache
def _plan() -> dict[str, Any]:
    with open(os.environ["BENCH_CEILING_PLAN"]) as file:
        plan: dict[str, Any] = json.load(file)
    return plan


def _renewed(value: Any, fresh: dict[str, str]) -> Any:
    """``value`` with every captured id, number and key replaced by this request's."""
    if not isinstance(value, str):
        return value
    if value in fresh:
        return fresh[value]
    for old, new in fresh.items():  # ids inside a JSON text: the audit, event, response
        value = value.replace(old, new)
    return value


def _replay(_body: bytes, headers: dict[bytes, bytes]) -> bytes:
    plan = _plan()
    fresh = {old: new_id(old.partition("_")[0]) for old in plan["new_ids"]}
    # (the probe that waits for the server to start sends none)
    fresh[plan["key"]] = headers.get(b"idempotency-key", b"").decode() or new_id("key")
    # Stockkeeper's other pragmas (core/db.py)
    connection = _connection(
        "BENCH_CEILING_DB", "PRAGMA foreign_keys=ON", "PRAGMA cache_size=-32768"
    )
    with writer_turn():
        connection.execute("BEGIN IMMEDIATE")
        try:
            for n, (sql, params, many) in enumerate(plan["statements"]):
                if many:
                    connection.executemany(
                        sql, [[_renewed(v, fresh) for v in row] for row in params]
                    )
                    continue
                rows = connection.execute(sql, [_renewed(v, fresh) for v in params]).fetchall()
                if n == plan["counter"]:  # the number's digits at the end (ADJ-2026-0001)
                    prefix, digits = re.fullmatch(r"(.*?)(\d+)", plan["number"]).groups()  # type: ignore[union-attr]
                    fresh[plan["number"]] = f"{prefix}{rows[0][0]:0{len(digits)}d}"
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    return str(_renewed(plan["response"], fresh)).encode()


app = _serve(_insert)
ceiling = _serve(_replay)
