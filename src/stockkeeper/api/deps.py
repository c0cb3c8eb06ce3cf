"""Request plumbing: the unit of work of each request, idempotency, and the acting key.

Every endpoint is a plain function that runs in a worker thread, and that one trip does all
of the request's database work: the key is identified and its role checked, a retry's stored
response is looked up, the endpoint runs, and the unit of work ends (a trip to a worker
thread costs more than a statement). The role dependencies (``Viewer``, ``Clerk``, ``Admin``)
only say what the endpoint needs; the check itself runs in that thread, before the endpoint.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Coroutine, Iterable, Iterator
from contextvars import ContextVar
from functools import wraps
from typing import Annotated, Any, cast
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.routing import BaseRoute

from stockkeeper.api.http import ExactRoute, exact_request, read_json_body, takes_json
from stockkeeper.api.problems import DuplicateJsonKey, NulCharacter, with_codes
from stockkeeper.core import idempotency, logs
from stockkeeper.core.db import Database, UnitOfWork
from stockkeeper.core.locks import busy_when_locked
from stockkeeper.tenancy.errors import WrongCompany
from stockkeeper.tenancy.service import Actor, Role, authorize, identify

# both are required together: the OpenAPI document names them in one security requirement
_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key of the company: `Authorization: Bearer sk_...`",
)
_company = APIKeyHeader(
    name="X-Company-Id",
    auto_error=False,
    scheme_name="CompanyId",
    description="The id of the company the request acts for: `X-Company-Id: comp_...`",
)

_READ_METHODS = {"GET", "HEAD", "OPTIONS"}
_in_flight = idempotency.InFlight()


class ApiRoute(ExactRoute):
    """Runs each request in one unit of work: opened before the handler, committed after the
    endpoint returns a response, rolled back if it raises. Reads take a deferred transaction;
    writes take the write lock at BEGIN (SQLite). A POST with an ``Idempotency-Key`` stores
    its response in the same transaction, and a retry gets that response back. A 201 of a
    resource that a GET at its path plus the new id reads says so in ``Location`` (see
    ``locate_created``), a retry's too."""

    located = False
    writes_always = False  # a read too takes the write lock at BEGIN
    # a path parameter that names the company (a dialect whose clients send no X-Company-Id
    # header): the company when the header is absent, refused as another company's when the
    # header names another one
    company_parameter: str | None = None

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        if inspect.iscoroutinefunction(endpoint):
            raise TypeError(f"{path}: an ApiRoute endpoint is a plain function")
        if "POST" in (options.get("methods") or ()):  # its Idempotency-Key may be refused
            options["responses"] = with_codes(options.get("responses") or {}, *idempotency.ERRORS)
        super().__init__(path, _in_unit_of_work(endpoint), **options)
        if takes_json(self):  # its body may name a key twice
            self.responses = with_codes(self.responses, DuplicateJsonKey)
        self.query_names = _query_names(self.dependant)
        # the strongest role its dependencies name (a route that names none needs a key too)
        self.needs = max(
            (getattr(d.call, "role", Role.viewer) for d in _dependencies(self.dependant)),
            default=Role.viewer,
        )

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = APIRoute.get_route_handler(self)

        async def run(request: Request) -> Response:
            request = exact_request(request)
            database: Database = request.app.state.db
            write = self.writes_always or request.method not in _READ_METHODS
            unit = _Unit(database.unit_of_work(write=write), request, self.needs)
            if self.company_parameter is not None:
                unit.company_in_path(request.path_params.get(self.company_parameter, ""))
            request.state.session = unit.session
            key = request.headers.get(idempotency.HEADER) if request.method == "POST" else None
            claimed: str | None = None
            token = _current.set(unit)
            try:
                if key is not None:
                    _in_flight.claim(unit.company_id, idempotency.check_key(key))
                    claimed = key
                    unit.idempotency_key, unit.body = key, await request.body()
                try:
                    _refuse_nul_characters(request)
                    _refuse_unknown_parameters(request, self.query_names)
                    await read_json_body(request, self)
                    response = await handler(request)
                except (RequestValidationError, NulCharacter, DuplicateJsonKey):
                    # it never reached its endpoint: a bad key or role is told before a bad
                    # request
                    if not unit.ended:
                        await run_in_threadpool(unit.refuse)
                    raise
                if not unit.ended:  # a response without a body yet (a file, a stream)
                    await run_in_threadpool(unit.end, response)
                if self.located and response.status_code == 201:
                    _locate(request, response)
                return response
            except BaseException:
                if not unit.ended:
                    await run_in_threadpool(unit.end, None)
                raise
            finally:
                _current.reset(token)
                if claimed is not None:
                    _in_flight.release(unit.company_id, claimed)

        return run


class WritingRoute(ApiRoute):
    """An ``ApiRoute`` whose reads may write too (record numbers, given the first time a
    record is shown): every request is a write unit of work, so that on SQLite it waits for
    its turn at BEGIN rather than failing to upgrade a read half-way."""

    writes_always = True


def _query_names(dependant: Dependant) -> frozenset[str]:
    """The query parameters a route takes, by the names a client sends them with (a model of
    parameters, such as a list's filters, by its fields' aliases)."""
    names: set[str] = set()
    for each in (dependant, *_dependencies(dependant)):
        for field in each.query_params:
            model = field.field_info.annotation
            if isinstance(model, type) and issubclass(model, BaseModel):
                names |= {f.alias or name for name, f in model.model_fields.items()}
            else:
                names.add(field.alias)
    return frozenset(names)


def _refuse_unknown_parameters(request: Request, taken: frozenset[str]) -> None:
    """A query parameter the route does not take is a mistake (a misspelt filter would
    otherwise be ignored, and the answer taken for a filtered one): 422, naming it."""
    unknown = sorted(set(request.query_params) - taken)
    if unknown:
        message = "is not a parameter of this route"
        raise RequestValidationError(
            [
                {"type": "unknown_parameter", "loc": ("query", name), "msg": message}
                for name in unknown
            ]
        )


class _Unit:
    """A request's unit of work (``core.db.UnitOfWork``), the key that acts and the role it
    needs, and the idempotency key whose response it stores."""

    def __init__(self, work: UnitOfWork, request: Request, needs: Role) -> None:
        self.work = work
        self.session = work.session
        self.request = request
        self.needs = needs
        self.company_id = request.headers.get("x-company-id", "")
        self.path_company_id: str | None = None
        scheme, credentials = get_authorization_scheme_param(request.headers.get("authorization"))
        self.token = credentials if scheme.lower() == "bearer" else None
        self.actor: Actor | None = None
        self.idempotency_key: str | None = None
        self.body = b""
        self.fingerprint = ""

    @property
    def ended(self) -> bool:
        return self.work.ended

    def company_in_path(self, company_id: str) -> None:
        """The company the path names: the request's when it sends no header."""
        self.path_company_id = company_id
        self.company_id = self.company_id or company_id

    def identify(self) -> Actor:
        if self.actor is None:
            actor = identify(self.session, token=self.token, company_id=self.company_id)
            if self.path_company_id is not None and self.path_company_id != actor.company_id:
                raise WrongCompany()  # the header names the key's company, the path another
            self.actor = actor
            # the request's log line names who asked: the company, and the key by its id
            fields = logs.request_fields()
            fields.update(company=self.actor.company_id, key_id=self.actor.key_id or "")
        return self.actor

    def authorize(self) -> Actor:
        return authorize(self.identify(), self.needs)

    def begin(self) -> Response | None:
        """A retry's stored response; else None, once the key's role is checked."""
        actor = self.identify()
        if self.idempotency_key is not None:
            # a stored response is only for the API key that made the first request
            request = self.request
            self.fingerprint = idempotency.fingerprint(
                actor.key_id, request.method, request.url.path, request.url.query, self.body
            )
            record = idempotency.lookup(
                self.session, self.company_id, self.idempotency_key, self.fingerprint
            )
            if record is not None:
                self.idempotency_key = None  # replayed: nothing to store
                return Response(
                    record.body,
                    status_code=record.status_code,
                    media_type=record.media_type,
                    headers={idempotency.REPLAYED: "true"},
                )
        self.authorize()
        return None

    def refuse(self) -> None:
        """Ends a request that failed before its endpoint, once its key and role are checked
        (their errors come first)."""
        try:
            self.authorize()
        finally:
            self.end(None)

    def end(self, response: Response | None) -> None:
        """Stores the response for the idempotency key (if it succeeded) and commits; with no
        response (the request failed), rolls back. Either way the unit of work is over."""
        if response is None:
            self.work.rollback()
            return
        try:
            if self.idempotency_key and response.status_code < 400:
                idempotency.remember(
                    self.session,
                    self.company_id,
                    self.idempotency_key,
                    self.fingerprint,
                    response.status_code,
                    response.media_type or "application/json",
                    bytes(response.body),
                )
        except BaseException:
            self.work.rollback()
            raise
        with busy_when_locked():
            self.work.commit()


_current: ContextVar[_Unit] = ContextVar("unit_of_work")

# what a role dependency gives the endpoint until its worker thread has identified the key
_ACTING = cast(Actor, object())


def _in_unit_of_work(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """The endpoint, run in its worker thread between the unit of work's beginning (the key
    identified, a retry answered) and its end."""
    if getattr(endpoint, "in_unit_of_work", False):
        return endpoint

    @wraps(endpoint)
    def call(**values: Any) -> Any:
        unit = _current.get()
        try:
            response = unit.begin()
            if response is None:
                actor = unit.actor
                response = endpoint(**{k: actor if v is _ACTING else v for k, v in values.items()})
        except BaseException:
            unit.end(None)
            raise
        if isinstance(response, Response) and hasattr(response, "body"):
            unit.end(response)
        return response

    call.in_unit_of_work = True  # type: ignore[attr-defined]
    return call


def _refuse_nul_characters(request: Request) -> None:
    """No text field can hold a NUL character (PostgreSQL refuses them): say so up front, of
    the path and the query as decoded (a JSON body's strings are checked as it is read, a
    file upload's form fields where they are read)."""
    query = request.query_params.multi_items()
    if "\x00" in request.url.path or any("\x00" in k + v for k, v in query):
        raise NulCharacter(NulCharacter.example)


def served_routes(routes: Iterable[BaseRoute]) -> Iterator[tuple[str, set[str], BaseRoute]]:
    """Each API route the app serves: its full path, its methods and the route that answers.
    Since FastAPI 0.137 an included router keeps its routes (the app's list holds the router,
    which lists them); before, they were copied into the app's list."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route.path_format, route.methods or set(), route
        for context in getattr(route, "effective_route_contexts", tuple)():
            yield context.path_format, context.methods, context.original_route


def locate_created(routes: Iterable[BaseRoute]) -> None:
    """Marks the POSTs that answer 201 with a resource a GET at their path plus its id reads
    (``POST /items`` and ``GET /items/{item_id}``): they send its ``Location``."""
    served = list(served_routes(routes))
    readable = {
        path.rpartition("/")[0]
        for path, methods, _ in served
        if "GET" in methods and path[-1] == "}"
    }
    for path, methods, route in served:
        if isinstance(route, ApiRoute) and "POST" in methods and route.status_code == 201:
            route.located = path in readable


def _locate(request: Request, response: Response) -> None:
    """``Location``: the request's path and the id of the resource in the response's ``data``
    (a replay's stored body names the same one)."""
    body = json.loads(getattr(response, "body", b"{}"))
    data = body.get("data") if isinstance(body, dict) else None  # a dialect's may be a list
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        response.headers["Location"] = f"{request.url.path}/{quote(data['id'], safe='')}"


async def db_session(request: Request) -> Session:
    """The request's session, opened by ``ApiRoute`` (async: it need not go to a thread)."""
    session: Session = request.state.session
    return session


DbSession = Annotated[Session, Depends(db_session)]


def _require(needs: Role):  # type: ignore[no-untyped-def]
    """A role dependency: its route needs ``needs`` (``ApiRoute`` reads it off the
    dependency); the endpoint gets the acting key once its thread has checked it."""

    async def dependency(
        # declared for the OpenAPI document; the unit of work reads the headers itself
        _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        _company_id: Annotated[str | None, Depends(_company)],
    ) -> Actor:
        return _ACTING

    dependency.role = needs  # type: ignore[attr-defined]
    return dependency


def _dependencies(dependant: Dependant) -> Iterator[Dependant]:
    for dependency in dependant.dependencies:
        yield dependency
        yield from _dependencies(dependency)


Viewer = Annotated[Actor, Depends(_require(Role.viewer))]
Clerk = Annotated[Actor, Depends(_require(Role.clerk))]
Admin = Annotated[Actor, Depends(_require(Role.admin))]
