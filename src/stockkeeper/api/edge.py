"""What every response passes on its way out, as pure ASGI middleware (no per-route code):
its request id and ``nosniff``, and the request's log line; a problem+json 500 for an error
nothing handled; ``OPTIONS`` and the ``Allow`` of a 405; CORS for the origins the settings
allow."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Sequence

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stockkeeper.api.problems import Problem, ProblemResponse
from stockkeeper.core import logs, metrics

log = logging.getLogger("stockkeeper")
# one line per request, at INFO: ``serve --no-access-log`` raises this logger's level
requests_log = logging.getLogger("stockkeeper.requests")

REQUEST_ID = "X-Request-Id"
INTERNAL_ERROR = "internal_error"
# a client's own id is echoed when it is a short token (it goes into logs and headers as is)
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

# the methods an Allow can list, in the order it lists them
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")

# what a browser on an allowed origin may send, and read, beyond the simple headers
CORS_REQUEST_HEADERS = "Authorization, X-Company-Id, Idempotency-Key, Content-Type, X-Request-Id"
CORS_EXPOSED_HEADERS = (
    "X-Request-Id, Idempotent-Replayed, Retry-After, Location, Content-Disposition"
)
CORS_MAX_AGE = "600"


class RequestEdge:
    """Gives every response an ``X-Request-Id`` (the client's own, if it is a sane token) and
    ``X-Content-Type-Options: nosniff``, and logs one line per request: its method, route
    template, status and milliseconds, with the request's fields (id, company, key id). An
    exception nothing handled is logged with its traceback and answered as a problem+json
    500 naming the request id; it is not raised further, so the server keeps the connection
    open for the client's next request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        own = Headers(scope=scope).get(REQUEST_ID, "")
        request_id = own if _SANE_ID.fullmatch(own) else uuid.uuid4().hex
        method, path = scope["method"], scope["path"]
        logs.start_request(request_id)
        began = time.perf_counter()
        status = 0

        async def send_marked(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID] = request_id
                headers["X-Content-Type-Options"] = "nosniff"
            await send(message)

        try:
            await self.app(scope, receive, send_marked)
        except Exception:
            log.exception("unhandled error answering %s %s (request %s)", method, path, request_id)
            if status:  # half a response is out: only closing the connection can tell
                raise
            await internal_error(path, request_id)(scope, receive, send_marked)
        finally:
            _log_request(scope, status, time.perf_counter() - began)
            logs.end_request()


def route_template(scope: Scope) -> str:
    """The path as its route writes it (``/api/v1/items/{item_id}``): a label with few
    values; a path no route serves is told by its 404, not by its text."""
    route = scope.get("route")
    return str(getattr(route, "path", "")) or "(no route)"


def _log_request(scope: Scope, status: int, seconds: float) -> None:
    """The request's log line and its place in the latency histogram (an exception that
    escaped counts as the 500 it was)."""
    method, route, status = scope["method"], route_template(scope), status or 500
    metrics.observe_request(method, route, status, seconds)
    requests_log.info(
        "request",
        extra={"method": method, "route": route, "status": status, "ms": round(seconds * 1000, 1)},
    )


def internal_error(path: str, request_id: str) -> Response:
    body = Problem(
        title="Internal server error",
        status=500,
        code=INTERNAL_ERROR,
        detail=f"the request failed on the server; it was logged as request {request_id}",
        instance=path,
        requestId=request_id,
    ).model_dump()
    return ProblemResponse(body, status_code=500)


class AllowedMethods:
    """``OPTIONS`` on a path some route serves answers 204 with an ``Allow`` of exactly that
    path's methods; a 405 carries the same ``Allow`` (the router's own lists only the methods
    of the first route it found for the path)."""

    def __init__(self, app: ASGIApp, router: Router) -> None:
        self.app = app
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            allowed = allowed_methods(self.router.routes, scope)
            if allowed:
                await Response(status_code=204, headers={"Allow": allowed})(scope, receive, send)
                return  # (a path no route serves goes on to the router's 404)

        async def send_allowed(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                MutableHeaders(scope=message)["Allow"] = allowed_methods(self.router.routes, scope)
            await send(message)

        await self.app(scope, receive, send_allowed)


def allowed_methods(routes: Sequence[BaseRoute], scope: Scope) -> str:
    """The ``Allow`` of the request's path: every method some route serves there, and
    OPTIONS; "" when no route serves the path. Asks the routes themselves, so it agrees with
    the router."""
    served = [method for method in _METHODS if any(_serves(r, scope, method) for r in routes)]
    return ", ".join([*served, "OPTIONS"]) if served else ""


def _serves(route: BaseRoute, scope: Scope, method: str) -> bool:
    probe = {
        "type": "http",
        "method": method,
        "path": scope["path"],
        "root_path": scope.get("root_path", ""),
        "headers": [],
        "query_string": b"",
    }
    match, _ = route.matches(probe)
    if isinstance(route, Mount):  # the one mount serves the docs' files, which are read-only
        return match is not Match.NONE and method in ("GET", "HEAD")
    return match is Match.FULL


class Cors:
    """CORS for the allowed ``origins`` (``*``: any). A response to an allowed origin names
    it and exposes the API's own headers; a preflight (an ``OPTIONS`` that ``AllowedMethods``
    answers) also gets the methods of its path and the request headers the API reads. Another
    origin gets no CORS header, so its browser keeps the response from its page."""

    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        self.app = app
        self.origins = frozenset(origins)

    def _allows(self, origin: str) -> bool:
        return "*" in self.origins or origin in self.origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Headers(scope=scope)
        origin = request.get("origin")
        allowed = origin is not None and self._allows(origin)
        preflight = scope["method"] == "OPTIONS" and "access-control-request-method" in request

        async def send_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.add_vary_header("Origin")  # the answer depends on who asks
                if allowed and origin is not None:
                    headers["Access-Control-Allow-Origin"] = origin
                    headers.update(_preflight(headers) if preflight else _exposed())
            await send(message)

        await self.app(scope, receive, send_cors)


def _preflight(headers: MutableHeaders) -> dict[str, str]:
    return {
        "Access-Control-Allow-Methods": headers.get("Allow", ""),
        "Access-Control-Allow-Headers": CORS_REQUEST_HEADERS,
        "Access-Control-Max-Age": CORS_MAX_AGE,
    }


def _exposed() -> dict[str, str]:
    return {"Access-Control-Expose-Headers": CORS_EXPOSED_HEADERS}
