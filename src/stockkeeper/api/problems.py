"""Errors as the HTTP face shows them: RFC 9457 problem documents, with the domain's field
names and details spelled as the API spells them (camelCase), and the OpenAPI ``responses``
of each route: the error codes it can return, with an example body for each status."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel
from sqlalchemy.exc import DBAPIError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from stockkeeper.api.responses import ExactJSONResponse
from stockkeeper.core import errors, readiness
from stockkeeper.core.errors import (
    BadRequest,
    Busy,
    DatabaseNotReady,
    DatabaseUnavailable,
    DomainError,
    ErrorCode,
    Invalid,
    Kind,
    TooLarge,
)
from stockkeeper.core.locks import busy, is_busy, is_unreachable
from stockkeeper.core.logs import current_request_id as current_request_id  # the dialects name it
from stockkeeper.tenancy.errors import (
    InvalidApiKey,
    MissingApiKey,
    MissingCompanyId,
    RoleTooWeak,
    WrongCompany,
)

log = logging.getLogger("stockkeeper")

PROBLEM_JSON = "application/problem+json"


class NulCharacter(BadRequest):
    """No text field can hold a NUL character (PostgreSQL refuses them): said up front."""

    code = "nul_character"
    example = "text must not contain NUL characters"


class DuplicateJsonKey(BadRequest):
    """A JSON object names a key twice: which one was meant cannot be told, so neither is
    taken (a JSON parser would quietly keep the last)."""

    code = "duplicate_json_key"
    example = "the key 'quantity' appears more than once in one object"


class FieldError(BaseModel):
    field: str = Field(examples=["pricing.costPrice"])
    message: str = Field(examples=["must be a JSON number"])
    code: str = Field(examples=["invalid"])


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    model_config = ConfigDict(serialize_by_alias=True)

    type: str = "about:blank"
    title: str = Field(examples=["Conflict"])
    status: int = Field(examples=[409])
    detail: str = Field(examples=["an item with itemCode 'WDG-001' already exists"])
    code: str = Field(examples=["duplicate_item_code"])
    instance: str | None = Field(default=None, examples=["/api/v1/items"])
    success: bool = False
    errors: list[FieldError] = Field(default_factory=list)
    request_id: str | None = Field(
        default_factory=lambda: current_request_id() or None,
        alias="requestId",
        description="The request's X-Request-Id, which the server's log names too",
        examples=["5f0c6e2a9b8d4e7f"],
    )


class ProblemResponse(ExactJSONResponse):
    media_type = PROBLEM_JSON


# --- spelling the domain's names as the API does ----------------------------------------------


def api_path(field: str) -> str:
    """``items.0.unit_cost`` -> ``items.0.unitCost``; a key of the client's own data, which
    the domain writes in brackets (``numbering_formats.[my_series]``), stays as it is."""
    return ".".join(_api_segment(part) for part in field.split("."))


def _api_segment(part: str) -> str:
    if part.startswith("[") and part.endswith("]"):
        return part[1:-1]
    return to_camel(part) if "_" in part else part


def api_spelling(value: Any) -> Any:
    """Details in the domain's names (keys, nested too), spelled as the API spells them."""
    if isinstance(value, dict):
        return {to_camel(key): api_spelling(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [api_spelling(item) for item in value]
    return value


@dataclass(frozen=True)
class Refusal:
    """An error as a dialect renders it in its product's shape: its kind (and so its
    status), code and detail, the fields at fault and the details, in the domain's names."""

    kind: Kind
    code: str
    detail: str
    errors: tuple[errors.FieldError, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)


# a dialect's error shape: its product's error body for a refusal (the status is the kind's)
ErrorShape = Callable[[Request, Refusal], Response]


def error_shape(request: Request) -> ErrorShape | None:
    """The error shape of the dialect whose prefix the request's path is under (set by the
    app as ``state.error_shapes``, prefix and shape); None for the canonical API."""
    path = request.url.path
    for prefix, shape in getattr(request.app.state, "error_shapes", ()):
        if path == prefix or path.startswith(prefix + "/"):
            return shape  # type: ignore[no-any-return]
    return None


def problem(
    request: Request,
    kind: Kind,
    code: str,
    detail: str,
    errors: Iterable[errors.FieldError] = (),
    **details: Any,
) -> Response:
    """The refusal as the canonical API writes it, or as the dialect of the request's path
    does."""
    shape = error_shape(request)
    if shape is not None:
        response = shape(request, Refusal(kind, code, detail, tuple(errors), details))
    else:
        response = _problem(request, kind, code, detail, errors, **details)
    if kind is Kind.BUSY:
        response.headers["Retry-After"] = "1"
    return response


def _problem(
    request: Request,
    kind: Kind,
    code: str,
    detail: str,
    errors: Iterable[errors.FieldError],
    **details: Any,
) -> ProblemResponse:
    body = Problem(
        title=kind.title,
        status=kind.status,
        detail=detail,
        code=code,
        instance=request.url.path,
        errors=[
            FieldError(field=api_path(e.field), message=e.message, code=e.code) for e in errors
        ],
    ).model_dump()
    body.update(api_spelling(details))
    return ProblemResponse(body, status_code=kind.status)


# --- the handlers -------------------------------------------------------------------------


async def _on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    detail = exc.detail
    if exc.detail_from_errors:  # a dialect keeps the domain's names (snake_case, as theirs)
        spell = api_path if error_shape(request) is None else str
        detail = "; ".join(f"{spell(e.field)}: {e.message}" for e in exc.errors)
    return problem(request, exc.kind, exc.code, detail, exc.errors, **exc.details)


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    found = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in found):
        message = next(str(e.get("ctx", {}).get("error", "")) for e in found)
        return problem(
            request, Kind.BAD_REQUEST, "malformed_json", f"the body is not valid JSON: {message}"
        )
    fields = [errors.FieldError(_field_path(tuple(e["loc"])), e["msg"], e["type"]) for e in found]
    summary = "; ".join(f"{f.field}: {f.message}" for f in fields)
    return problem(request, Kind.INVALID, "validation_failed", summary, fields)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    page = getattr(request.app.state, "page_not_found", None)
    if exc.status_code == 404 and page is not None and not _api_path(request.url.path):
        answer: Response = page(request)  # the web's HTML error page, outside the APIs' paths
        return answer
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


# the paths of the APIs (the canonical one and the dialects'): their unknown paths answer
# problem+json (or the dialect's shape); any other unknown path is a page that is not there
_API_PREFIXES = ("/api", "/compat")


def _api_path(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in _API_PREFIXES)


async def _on_driver_error(request: Request, exc: Exception) -> Response:
    """A lock that a statement outside the lock helper waited for too long is busy too; a
    database that cannot be reached is a 503 to retry, not a failure of the server's own."""
    if is_busy(exc):
        return await _on_domain_error(request, busy())
    if is_unreachable(exc):
        log.error(
            "the database cannot be reached: %s", str(getattr(exc, "orig", exc)).splitlines()[0]
        )
        return await _on_domain_error(request, DatabaseUnavailable(DatabaseUnavailable.example))
    # an error of the server's own, unless the schema is not the code's (asked only now,
    # when a statement failed: a request that succeeds costs nothing more)
    state = await run_in_threadpool(readiness.check, request.app.state.db)
    if state.reached and state.revision != state.head:
        return await _on_domain_error(request, DatabaseNotReady(f"the database is {state.problem}"))
    raise exc


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _on_domain_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(DBAPIError, _on_driver_error)


# --- what each route documents --------------------------------------------------------------

# every route under /api/v1 can answer these: a malformed body or header, a bad key or role,
# a failed validation, a body over the limit, a busy database
ALWAYS: tuple[ErrorCode, ...] = (
    ErrorCode(Kind.BAD_REQUEST, "malformed_json", "the body is not valid JSON: Expecting value"),
    NulCharacter.documented(),
    MissingApiKey.documented(),
    InvalidApiKey.documented(),
    MissingCompanyId.documented(),
    WrongCompany.documented(),
    RoleTooWeak.documented(),
    Invalid.documented(),
    TooLarge.documented(),
    Busy.documented(),
    DatabaseUnavailable.documented(),
    DatabaseNotReady.documented(),
)

_DESCRIPTIONS = {
    Kind.BAD_REQUEST: "Malformed JSON or a malformed header",
    Kind.UNAUTHORIZED: "Missing, unknown or revoked API key",
    Kind.FORBIDDEN: "The key does not belong to the company, or its role is too weak",
    Kind.NOT_FOUND: "No such resource in this company",
    Kind.CONFLICT: "The request conflicts with the current state",
    Kind.TOO_LARGE: "The body is larger than the limit",
    Kind.UNSUPPORTED_MEDIA_TYPE: "The file is not of an accepted type",
    Kind.INVALID: "The request failed validation",
    Kind.BUSY: "The database is busy; retry (see Retry-After)",
}


def problems(
    *errors: type[DomainError] | ErrorCode, always: bool = True
) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the errors a route can return: per status, the codes (in
    ``x-error-codes`` and the description) and an example problem body for each code."""
    codes = [e if isinstance(e, ErrorCode) else e.documented() for e in errors]
    by_kind: dict[Kind, dict[str, ErrorCode]] = defaultdict(dict)
    for code in [*(ALWAYS if always else ()), *codes]:
        by_kind[code.kind].setdefault(code.code, code)
    return {
        kind.status: _response(kind, {c.code: {"value": _example(c)} for c in listed.values()})
        for kind, listed in sorted(by_kind.items(), key=lambda pair: pair[0].status)
    }


def with_codes(
    responses: dict[int | str, dict[str, Any]], *errors: type[DomainError]
) -> dict[int | str, dict[str, Any]]:
    """A route's ``responses`` with more codes it can return (the Idempotency-Key's, on a
    POST), merged into those of the same status."""
    merged = dict(responses)
    for kind in {error.kind for error in errors}:
        examples = dict(
            merged.get(kind.status, {}).get("content", {}).get(PROBLEM_JSON, {}).get("examples", {})
        )
        examples |= {e.code: {"value": _example(e.documented())} for e in errors if e.kind is kind}
        merged[kind.status] = _response(kind, examples)
    return merged


def _response(kind: Kind, examples: dict[str, Any]) -> dict[str, Any]:
    return {
        "model": Problem,
        "description": f"{_DESCRIPTIONS[kind]}: {', '.join(f'`{c}`' for c in examples)}",
        "x-error-codes": list(examples),
        "content": {PROBLEM_JSON: {"examples": examples}},
    }


def _example(code: ErrorCode) -> dict[str, Any]:
    return Problem(
        title=code.kind.title, status=code.kind.status, detail=code.example, code=code.code
    ).model_dump(exclude={"instance", "request_id"})
