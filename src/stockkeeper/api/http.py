"""The HTTP edge: exact-decimal JSON bodies and the body size limit."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Coroutine
from decimal import Decimal
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stockkeeper.api.problems import PROBLEM_JSON, Problem
from stockkeeper.core.errors import Kind, TooLarge
from stockkeeper.core.json import render_json

log = logging.getLogger("stockkeeper")


class ExactRoute(APIRoute):
    """Parses JSON bodies with every non-integer number as an exact ``Decimal``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def exact_handler(request: Request) -> Response:
            return await handler(exact_request(request))

        return exact_handler


def exact_request(request: Request) -> Request:
    return (
        request
        if isinstance(request, _ExactRequest)
        else _ExactRequest(request.scope, request.receive)
    )


class _ExactRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = json.loads(await self.body(), parse_float=Decimal)
        return self._json


class BodyLimitMiddleware:
    """Refuses a request body over ``max_bytes`` with 413, declared or streamed; paths ending
    in one of ``uploads`` (file uploads) have that limit instead."""

    def __init__(self, app: ASGIApp, max_bytes: int, uploads: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.uploads = uploads or {}

    def _limit(self, path: str) -> int:
        return next(
            (limit for suffix, limit in self.uploads.items() if path.endswith(suffix)),
            self.max_bytes,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._too_large(scope, receive, send, limit)
            return
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if size > limit:
                await self._too_large(scope, receive, send, limit)
                return
            if message["type"] != "http.request" or not message.get("more_body"):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        body = render_json(
            Problem(
                title=Kind.TOO_LARGE.title,
                status=413,
                code=TooLarge.code,
                detail=f"the body is larger than {limit} bytes",
                instance=scope["path"],
            ).model_dump()
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
