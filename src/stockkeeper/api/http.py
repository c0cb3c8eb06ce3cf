"""The HTTP edge: JSON bodies read exactly and strictly, and the body size limit."""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Coroutine
from decimal import Decimal
from typing import Any

from fastapi import Request, Response, params
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stockkeeper.api.problems import DuplicateJsonKey, NulCharacter, problem
from stockkeeper.core.api_model import json_decimal, json_integer
from stockkeeper.core.errors import Kind, TooLarge

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


def takes_json(route: APIRoute) -> bool:
    """Whether the route reads a JSON body (every one is an object); a file upload's form
    does not."""
    field = route.body_field
    return field is not None and not isinstance(field.field_info, params.Form)


async def read_json_body(request: Request, route: APIRoute) -> None:
    """Reads the JSON body of a route that takes one before its endpoint does, strictly: it
    must be an object (FastAPI reads a bare number as an empty object, and a ``null`` as no
    body at all), name no key twice and hold no NUL in any string (PostgreSQL refuses them).
    The endpoint then gets the body read here. A body that is not sent as JSON is left to
    FastAPI, which refuses it as not an object."""
    if not takes_json(route):
        return
    raw = await request.body()
    if raw and _is_json(request.headers.get("content-type", "")):
        request._json = parse_json_object(raw)  # what ``request.json()`` then returns


def _is_json(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """A JSON object, its non-integer numbers exact ``Decimal``s; a body that is malformed,
    not an object, names a key twice or holds a NUL is refused."""
    try:
        value = json.loads(
            raw, parse_float=json_decimal, parse_int=json_integer, object_pairs_hook=_unique_keys
        )
        unstorable = _unstorable(value)
    except json.JSONDecodeError as error:
        raise _malformed(error.msg) from error
    except UnicodeDecodeError as error:
        raise _malformed("it is not UTF-8") from error
    except RecursionError as error:
        raise _malformed("it is nested too deeply") from error
    if unstorable == "\x00":
        raise NulCharacter(NulCharacter.example)
    if unstorable:  # an escape such as "\ud800" alone is no character: not storable text
        raise _malformed("a string holds a lone surrogate escape (\\ud800 to \\udfff)")
    if not isinstance(value, dict):
        # said as pydantic says it of any other body that is not an object
        refusal = {"type": "model_type", "loc": ("body",), "msg": "must be a JSON object"}
        raise RequestValidationError([{**refusal, "input": value}])
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) < len(pairs):
        twice = next(key for key, n in Counter(key for key, _ in pairs).items() if n > 1)
        raise DuplicateJsonKey(f"the key {twice!r} appears more than once in one object", key=twice)
    return value


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL, and lone surrogates


def _unstorable(value: Any) -> str | None:
    """The first character no database stores in any string of the JSON value (keys too)."""
    if isinstance(value, str):
        found = _UNSTORABLE.search(value)
        return found.group() if found else None
    parts: list[Any] = []
    if isinstance(value, dict):
        parts = [*value.keys(), *value.values()]
    elif isinstance(value, list):
        parts = value
    return next((char for part in parts if (char := _unstorable(part)) is not None), None)


def _malformed(reason: str) -> RequestValidationError:
    """As FastAPI tells a body that is not JSON (the problem handler answers
    ``malformed_json``)."""
    error = {"type": "json_invalid", "loc": ("body", 0), "msg": "JSON decode error"}
    return RequestValidationError([{**error, "input": {}, "ctx": {"error": reason}}])


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
        """413, as every error is written: a problem document, or the body of the dialect
        whose prefix the path is under."""
        detail = f"the body is larger than {limit} bytes"
        response = problem(Request(scope), Kind.TOO_LARGE, TooLarge.code, detail)
        await response(scope, receive, send)
