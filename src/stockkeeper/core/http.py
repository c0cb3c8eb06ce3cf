"""The HTTP edge: exact-decimal JSON bodies, problem+json errors, the body size limit."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Coroutine
from decimal import Decimal
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stockkeeper.core.errors import DomainError, Kind
from stockkeeper.core.responses import ExactJSONResponse, render_json

log = logging.getLogger("stockkeeper")

PROBLEM_JSON = "application/problem+json"


class FieldError(BaseModel):
    field: str = Field(examples=["pricing.costPrice"])
    message: str = Field(examples=["must be a JSON number"])
    code: str = Field(examples=["invalid"])


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = "about:blank"
    title: str = Field(examples=["Conflict"])
    status: int = Field(examples=[409])
    detail: str = Field(examples=["an item with itemCode 'WDG-001' already exists"])
    code: str = Field(examples=["duplicate_item_code"])
    instance: str | None = Field(default=None, examples=["/api/v1/items"])
    success: bool = False
    errors: list[FieldError] = Field(default_factory=list)


_DESCRIPTIONS = {
    400: "Malformed JSON or a malformed header",
    401: "Missing, unknown or revoked API key",
    403: "The key does not belong to the company, or its role is too weak",
    404: "No such resource in this company",
    409: "The request conflicts with the current state",
    413: "The body is larger than the limit",
    415: "The file is not of an accepted type",
    422: "The request failed validation",
    503: "The database is busy; retry",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the errors a route can return (auth errors always apply)."""
    codes = sorted({400, 401, 403, 413, 422, 503, *statuses})
    return {code: {"model": Problem, "description": _DESCRIPTIONS[code]} for code in codes}


def document_problems_as_problem_json(app: FastAPI) -> None:
    """Error responses are served as problem+json; say so in the OpenAPI document."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            for item in schema.get("paths", {}).values():
                for operation in item.values():
                    for code, response in operation.get("responses", {}).items():
                        content = response.get("content", {})
                        if code[0] in "45" and "application/json" in content:
                            content[PROBLEM_JSON] = content.pop("application/json")
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


class ProblemResponse(ExactJSONResponse):
    media_type = PROBLEM_JSON


def problem(
    request: Request,
    kind: Kind,
    code: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> ProblemResponse:
    body = Problem(
        title=kind.title,
        status=kind.status,
        detail=detail,
        code=code,
        instance=request.url.path,
        errors=[FieldError(**e) for e in errors or []],
    ).model_dump()
    body.update(extra)
    return ProblemResponse(body, status_code=kind.status)


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


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def _on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    return problem(request, exc.kind, exc.code, exc.detail, exc.errors, **exc.extra)


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        message = next(str(e.get("ctx", {}).get("error", "")) for e in errors)
        return problem(
            request, Kind.BAD_REQUEST, "malformed_json", f"the body is not valid JSON: {message}"
        )
    fields = [
        {"field": _field_path(tuple(e["loc"])), "message": e["msg"], "code": e["type"]}
        for e in errors
    ]
    summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
    return problem(request, Kind.INVALID, "validation_failed", summary, fields)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        return problem(request, Kind.NOT_FOUND, "route_not_found", f"no route {request.url.path}")
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
        response = problem(request, Kind.METHOD_NOT_ALLOWED, "method_not_allowed", detail)
        if exc.headers:
            response.headers.update(exc.headers)
        return response
    kind = next((k for k in Kind if k.status == exc.status_code), Kind.BAD_REQUEST)
    return problem(request, kind, kind.name.lower(), str(exc.detail))


async def _on_operational_error(request: Request, exc: Exception) -> Response:
    text = str(exc).lower()
    if "locked" in text or "lock timeout" in text or "deadlock" in text:
        return problem(request, Kind.BUSY, "busy", "the database is busy; retry the request")
    raise exc


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _on_domain_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(OperationalError, _on_operational_error)


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
                code="body_too_large",
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
