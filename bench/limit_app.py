"""The practical limit for a write API on this machine: a minimal ASGI app that inserts one
SQLite row per request (WAL, the same ``synchronous`` setting as Stockkeeper) and answers
with a small JSON body. Served by the same uvicorn, called by the same httpx client.

Run as ``python -m uvicorn bench.limit_app:app``; the database file comes from the
``BENCH_LIMIT_DB`` environment variable.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from typing import Any

_local = threading.local()


def _connection() -> sqlite3.Connection:
    connection: sqlite3.Connection | None = getattr(_local, "connection", None)
    if connection is None:
        connection = sqlite3.connect(os.environ["BENCH_LIMIT_DB"], isolation_level=None, timeout=10)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(
            f"PRAGMA synchronous={os.environ.get('BENCH_LIMIT_SYNCHRONOUS', 'FULL')}"
        )
        connection.execute("CREATE TABLE IF NOT EXISTS posting (id INTEGER PRIMARY KEY, body TEXT)")
        _local.connection = connection
    return connection


def _insert(body: bytes) -> int:
    connection = _connection()
    connection.execute("BEGIN IMMEDIATE")
    cursor = connection.execute("INSERT INTO posting (body) VALUES (?)", (body.decode(),))
    connection.execute("COMMIT")
    return int(cursor.lastrowid or 0)


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    from starlette.concurrency import run_in_threadpool

    row = await run_in_threadpool(_insert, body)
    payload = json.dumps({"success": True, "data": {"id": row}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 201,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": payload})
