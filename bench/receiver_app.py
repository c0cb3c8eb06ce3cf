"""A webhook receiver for the benchmarks, in a process of its own: answers every POST with
204 and keeps when each arrived, its event and the id of its object; ``GET /received``
returns them as JSON ``[[arrival (epoch seconds), event, object id], ...]``.

Run as ``python -m uvicorn bench.receiver_app:app``.
"""

from __future__ import annotations

import json
import time
from typing import Any

_received: list[tuple[float, str, str]] = []


async def _body(receive: Any) -> bytes:
    body: bytes = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


async def _answer(send: Any, status: int, payload: bytes = b"") -> None:
    headers = [(b"content-type", b"application/json")] if payload else []
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    if scope["method"] == "GET":
        await _answer(send, 200, json.dumps(_received).encode())
        return
    arrived = time.time()
    message = json.loads(await _body(receive))
    _received.append((arrived, message["event"], str(message["data"]["object"].get("id"))))
    await _answer(send, 204)
