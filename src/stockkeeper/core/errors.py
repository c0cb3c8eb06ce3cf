"""Domain errors: a machine-readable ``code``, a kind that decides the HTTP status and exit code.

Services raise these; the HTTP layer renders them as problem+json, the CLI as messages.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


class Kind(Enum):
    INVALID = (422, "Invalid request")
    BAD_REQUEST = (400, "Bad request")
    UNAUTHORIZED = (401, "Unauthorized")
    FORBIDDEN = (403, "Forbidden")
    NOT_FOUND = (404, "Not found")
    METHOD_NOT_ALLOWED = (405, "Method not allowed")
    CONFLICT = (409, "Conflict")
    TOO_LARGE = (413, "Content too large")
    UNSUPPORTED_MEDIA_TYPE = (415, "Unsupported media type")
    BUSY = (503, "Busy")

    @property
    def status(self) -> int:
        return self.value[0]

    @property
    def title(self) -> str:
        return self.value[1]


class DomainError(Exception):
    kind = Kind.INVALID
    code = "invalid"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.errors = errors or []
        self.extra = extra


class Invalid(DomainError):
    kind = Kind.INVALID
    code = "validation_failed"


class BadRequest(DomainError):
    kind = Kind.BAD_REQUEST
    code = "bad_request"


class Unauthorized(DomainError):
    kind = Kind.UNAUTHORIZED
    code = "unauthorized"


class Forbidden(DomainError):
    kind = Kind.FORBIDDEN
    code = "forbidden"


class NotFound(DomainError):
    kind = Kind.NOT_FOUND
    code = "not_found"

    def __init__(self, what: str, ident: str) -> None:
        super().__init__(f"{what} {ident!r} was not found", code=f"{_slug(what)}_not_found")


class Conflict(DomainError):
    kind = Kind.CONFLICT
    code = "conflict"


class TooLarge(DomainError):
    kind = Kind.TOO_LARGE
    code = "body_too_large"


class UnsupportedMediaType(DomainError):
    kind = Kind.UNSUPPORTED_MEDIA_TYPE
    code = "unsupported_media_type"


class Busy(DomainError):
    kind = Kind.BUSY
    code = "busy"


def _slug(what: str) -> str:
    return what.lower().replace(" ", "_")


def field_error(field: str, message: str, code: str = "invalid") -> dict[str, Any]:
    return {"field": field, "message": message, "code": code}
