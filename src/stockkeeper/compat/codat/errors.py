"""Errors as Codat writes them: ``{statusCode, service, error, correlationId, validation,
canBeRetried, detailedErrorCode}`` with the HTTP status of the refusal's kind. ``error`` is the
refusal's detail, ``validation.errors`` one ``{itemId, message, validatorName}`` per field at
fault (``itemId`` the field in Codat's names, ``validatorName`` the canonical code), and the
correlation id the request's own id (its log line's)."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response

from stockkeeper.api.problems import Refusal, current_request_id
from stockkeeper.api.responses import ExactJSONResponse

SERVICE = "PublicApi"


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def _item_id(field: str) -> str:
    """A domain field path in Codat's camelCase (``page_size`` is ``pageSize``)."""
    return ".".join(_camel(part) for part in field.split("."))


def _validation(refusal: Refusal) -> dict[str, Any] | None:
    if not refusal.errors:
        return None
    errors = [
        {"itemId": _item_id(e.field), "message": e.message, "validatorName": e.code}
        for e in refusal.errors
    ]
    return {"errors": errors, "warnings": []}


def codat_error(refusal: Refusal, correlation_id: str) -> dict[str, Any]:
    return {
        "statusCode": refusal.kind.status,
        "service": SERVICE,
        "error": refusal.detail,
        "correlationId": correlation_id,
        "validation": _validation(refusal),
        "canBeRetried": "True" if refusal.kind.status == 503 else "False",
        "detailedErrorCode": 0,
    }


def error_shape(request: Request, refusal: Refusal) -> Response:
    body = codat_error(refusal, current_request_id())
    return ExactJSONResponse(body, status_code=refusal.kind.status)
