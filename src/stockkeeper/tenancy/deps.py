"""Request plumbing: the unit of work of each request, idempotency, and the acting key."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from functools import wraps
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from sqlalchemy import Row
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from stockkeeper.core import idempotency
from stockkeeper.core.db import Database
from stockkeeper.core.errors import BadRequest
from stockkeeper.core.http import ExactRoute, exact_request
from stockkeeper.tenancy.service import Actor, Role, authorize, identify

_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer sk_...`")
_company = APIKeyHeader(
    name="X-Company-Id", auto_error=False, description="The company the request acts for"
)

_READ_METHODS = {"GET", "HEAD", "OPTIONS"}
_in_flight = idempotency.InFlight()


class ApiRoute(ExactRoute):
    """Runs each request in one unit of work: opened before the handler, committed after it
    returns a response, rolled back if it raises. Reads take a deferred transaction; writes
    take the write lock at BEGIN (SQLite). A POST with an ``Idempotency-Key`` stores its
    response in the same transaction, and a retry gets that response back.

    A plain endpoint runs in a worker thread, and its unit of work ends there too, as soon
    as it returns its response: a trip to a worker thread costs more than a statement."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        endpoint = self.dependant.call
        if endpoint is not None and not inspect.iscoroutinefunction(endpoint):
            self.dependant.call = _ending_in_its_thread(endpoint)
        handler = APIRoute.get_route_handler(self)

        async def run(request: Request) -> Response:
            request = exact_request(request)
            await _refuse_nul_characters(request)
            database: Database = request.app.state.db
            unit = _Unit(database.new_session(write=request.method not in _READ_METHODS))
            request.state.session = unit.session
            key = request.headers.get(idempotency.HEADER) if request.method == "POST" else None
            company_id = request.headers.get("x-company-id", "")
            token = _current.set(unit)
            try:
                if key is None:
                    response = await handler(request)
                else:
                    response = await _idempotent(handler, request, unit, company_id, key)
                if not unit.ended:
                    await run_in_threadpool(unit.end, response)
                return response
            except BaseException:
                if not unit.ended:
                    await run_in_threadpool(unit.end, None)
                raise
            finally:
                _current.reset(token)

        return run


class _Unit:
    """A request's unit of work, and how to store its response for an idempotency key."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.remember: Callable[[Response], None] | None = None
        self.ended = False

    def end(self, response: Response | None) -> None:
        """Stores the response for the key (if it succeeded), commits and closes; with no
        response (the request failed), rolls back."""
        try:
            if response is None:
                self.session.rollback()
                return
            if self.remember and response.status_code < 400 and hasattr(response, "body"):
                self.remember(response)
            self.session.commit()
        finally:
            self.ended = True
            self.session.close()


_current: ContextVar[_Unit | None] = ContextVar("unit_of_work", default=None)


def _ending_in_its_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(endpoint)
    def call(**values: Any) -> Any:
        response = endpoint(**values)
        unit = _current.get()
        if unit is not None and isinstance(response, Response) and hasattr(response, "body"):
            unit.end(response)
        return response

    return call


async def _refuse_nul_characters(request: Request) -> None:
    """No text field can hold a NUL character (PostgreSQL refuses them): say so up front."""
    # a file upload's content is binary; its form fields are checked where they are read
    multipart = request.headers.get("content-type", "").startswith("multipart/")
    body = b"" if multipart else await request.body()
    text = (request.url.path, request.url.query)
    if any("\x00" in part or "%00" in part for part in text) or any(
        marker in body for marker in (b"\x00", b"\\u0000")
    ):
        raise BadRequest("text must not contain NUL characters", code="nul_character")


async def _idempotent(
    handler: Callable[[Request], Coroutine[Any, Any, Response]],
    request: Request,
    unit: _Unit,
    company_id: str,
    key: str,
) -> Response:
    """The stored response for a retry, or the handler's, to be stored as the unit of work
    ends."""
    idempotency.check_key(key)
    _in_flight.claim(company_id, key)
    try:
        body = await request.body()
        scheme, credentials = get_authorization_scheme_param(request.headers.get("authorization"))
        token = credentials if scheme.lower() == "bearer" else None

        def find() -> tuple[Row[Any] | None, str]:
            # a stored response is for the API key that made the first request: identify the
            # key first (once: the handler's role check reuses it) and fingerprint with it
            actor = request.state.actor = identify(unit.session, token=token, company_id=company_id)
            fingerprint = idempotency.fingerprint(
                actor.key_id, request.method, request.url.path, request.url.query, body
            )
            return idempotency.lookup(unit.session, company_id, key, fingerprint), fingerprint

        record, fingerprint = await run_in_threadpool(find)
        if record is not None:
            return Response(
                record.body,
                status_code=record.status_code,
                media_type=record.media_type,
                headers={idempotency.REPLAYED: "true"},
            )

        def remember(response: Response) -> None:
            idempotency.remember(
                unit.session,
                company_id,
                key,
                fingerprint,
                response.status_code,
                response.media_type or "application/json",
                bytes(response.body),
            )

        unit.remember = remember
        return await handler(request)
    finally:
        _in_flight.release(company_id, key)


async def db_session(request: Request) -> Session:
    """The request's session, opened by ``ApiRoute`` (async: it need not go to a thread)."""
    session: Session = request.state.session
    return session


DbSession = Annotated[Session, Depends(db_session)]


def _require(needs: Role):  # type: ignore[no-untyped-def]
    async def dependency(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        company_id: Annotated[str | None, Depends(_company)],
    ) -> Actor:
        actor: Actor | None = getattr(request.state, "actor", None)
        if actor is None:
            token = credentials.credentials if credentials else None
            actor = await run_in_threadpool(
                identify, request.state.session, token=token, company_id=company_id
            )
        return authorize(actor, needs)

    return dependency


Viewer = Annotated[Actor, Depends(_require(Role.viewer))]
Clerk = Annotated[Actor, Depends(_require(Role.clerk))]
Admin = Annotated[Actor, Depends(_require(Role.admin))]
