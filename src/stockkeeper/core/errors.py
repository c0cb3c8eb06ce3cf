"""Domain errors: one class per error code (or per family of codes that name their resource,
such as ``adjustment_not_found``), each of a kind that decides the HTTP status and the exit
code of the command line.

Services raise them in the domain's own terms: field paths and details in the domain's names
(``items.0.unit_cost``, ``current_status``). Each face spells them its own way: the HTTP face
as problem+json in camelCase, the command line as one line on stderr.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar


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
    TOO_MANY_REQUESTS = (429, "Too many requests")
    BUSY = (503, "Busy")

    @property
    def status(self) -> int:
        return self.value[0]

    @property
    def title(self) -> str:
        return self.value[1]


@dataclass(frozen=True)
class FieldError:
    """What is wrong with one field; ``field`` is its path in the domain's names."""

    field: str
    message: str
    code: str = "invalid"


def field_error(field: str, message: str, code: str = "invalid") -> FieldError:
    return FieldError(field, message, code)


@dataclass(frozen=True)
class ErrorCode:
    """An error code as the API documents it: its kind, code and an example detail."""

    kind: Kind
    code: str
    example: str


class DomainError(Exception):
    """The base of every domain error. ``details`` are further members of the error, in the
    domain's names (a 409 ``illegal_transition`` names the ``current_status``)."""

    kind: ClassVar[Kind] = Kind.INVALID
    code: str = "invalid"
    example: ClassVar[str] = "the request cannot be carried out"
    # the detail only lists the field errors: a face spells it from them, in its own names
    detail_from_errors = False

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        errors: Sequence[FieldError] = (),
        **details: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.errors = list(errors)
        self.details = details

    @classmethod
    def documented(cls) -> ErrorCode:
        return ErrorCode(cls.kind, cls.code, cls.example)


def rename_fields(error: DomainError, rename: Callable[[str], str]) -> None:
    """Names the error's fields anew (a part's, as the whole names them), and its detail
    too where that only lists them."""
    error.errors = [field_error(rename(e.field), e.message, e.code) for e in error.errors]
    if error.detail_from_errors:
        error.detail = "; ".join(f"{e.field}: {e.message}" for e in error.errors)


# --- the kinds, each with its general code ----------------------------------------------------


class Invalid(DomainError):
    kind = Kind.INVALID
    code = "validation_failed"
    example = "items.0.quantity: must be greater than 0"

    @classmethod
    def fields(cls, errors: Sequence[FieldError], **details: Any) -> Invalid:
        """The error for these field errors, its detail naming each."""
        error = cls("; ".join(f"{e.field}: {e.message}" for e in errors), errors=errors, **details)
        error.detail_from_errors = True
        return error


class BadRequest(DomainError):
    kind = Kind.BAD_REQUEST
    code = "bad_request"
    example = "the body is not valid JSON"


class Unauthorized(DomainError):
    kind = Kind.UNAUTHORIZED
    code = "unauthorized"
    example = "the API key is unknown or revoked"


class Forbidden(DomainError):
    kind = Kind.FORBIDDEN
    code = "forbidden"
    example = "this needs the admin role; the key has clerk"


class Conflict(DomainError):
    kind = Kind.CONFLICT
    code = "conflict"
    example = "the request conflicts with the current state"


class TooLarge(DomainError):
    kind = Kind.TOO_LARGE
    code = "body_too_large"
    example = "the body is larger than 1048576 bytes"


class UnsupportedMediaType(DomainError):
    kind = Kind.UNSUPPORTED_MEDIA_TYPE
    code = "unsupported_media_type"
    example = "the file is not a PDF, PNG or JPEG"


class TooManyRequests(DomainError):
    """Refused for a while (``retry_after`` seconds): too many tries in a short time."""

    kind = Kind.TOO_MANY_REQUESTS
    code = "too_many_requests"
    example = "too many failed attempts; try again in 900 seconds"

    def __init__(self, detail: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(detail, code=code, retry_after=retry_after)
        self.retry_after = retry_after


class Busy(DomainError):
    kind = Kind.BUSY
    code = "busy"
    example = "the database is busy; retry the request"


class DatabaseUnavailable(DomainError):
    kind = Kind.BUSY
    code = "database_unavailable"
    example = "the database cannot be reached; retry the request"


class DatabaseNotReady(DomainError):
    kind = Kind.BUSY
    code = "database_not_ready"
    example = "the database is not migrated; the code needs 0019 (run: stockkeeper db upgrade)"


# --- families whose code names the resource ---------------------------------------------------


def _slug(what: str) -> str:
    return what.lower().replace(" ", "_")


class NotFound(DomainError):
    """``<resource>_not_found``: no such id in the company (another company's ids too)."""

    kind = Kind.NOT_FOUND

    def __init__(self, what: str, ident: str) -> None:
        super().__init__(f"{what} {ident!r} was not found", code=f"{_slug(what)}_not_found")

    @classmethod
    def code_for(cls, what: str) -> ErrorCode:
        return ErrorCode(cls.kind, f"{_slug(what)}_not_found", f"{what} 'x_01...' was not found")


class UnknownReference(Invalid):
    """``unknown_<resource>``: a body names something the company does not have."""

    def __init__(self, what: str, errors: Sequence[FieldError], detail: str | None = None) -> None:
        super().__init__(
            detail or "; ".join(f"{e.field}: {e.message}" for e in errors),
            code=f"unknown_{_slug(what)}",
            errors=errors,
        )
        self.detail_from_errors = detail is None

    @classmethod
    def at(cls, field: str, what: str, ident: str) -> UnknownReference:
        errors = [field_error(field, f"no such {what}", "unknown_reference")]
        return cls(what, errors, f"no {what} {ident!r}")

    @classmethod
    def code_for(cls, what: str) -> ErrorCode:
        return ErrorCode(cls.kind, f"unknown_{_slug(what)}", f"location_id: no {what} 'x_01...'")


class Duplicate(Conflict):
    """``duplicate_<field>``: a value that must be unique in the company is taken."""

    def __init__(self, field: str, value: str, what: str, *, at: str | None = None) -> None:
        """``at``: the field's path, deeper in the values (``variants.0.barcode``)."""
        super().__init__(
            f"{what} with {field.replace('_', ' ')} {value!r} already exists in this company",
            code=f"duplicate_{field}",
            errors=[field_error(at or field, "already in use", "duplicate")],
        )

    @classmethod
    def code_for(cls, field: str) -> ErrorCode:
        example = f"an item with {field.replace('_', ' ')} 'X-1' already exists in this company"
        return ErrorCode(cls.kind, f"duplicate_{field}", example)


class InUse(Conflict):
    """``<resource>_in_use``: what is still referred to cannot be deleted."""

    def __init__(self, what: str, ident: str, reason: str) -> None:
        super().__init__(
            f"{what} {ident!r} cannot be deleted: {reason}", code=f"{_slug(what)}_in_use"
        )

    @classmethod
    def code_for(cls, what: str) -> ErrorCode:
        return ErrorCode(cls.kind, f"{_slug(what)}_in_use", f"{what} 'x_01...' cannot be deleted")


# --- codes every slice can meet ----------------------------------------------------------------


class IllegalTransition(Conflict):
    """The document's status does not allow the move; ``allowed`` lists what it does."""

    code = "illegal_transition"
    example = "a posted adjustment cannot be edited; allowed: reverse"

    def __init__(
        self, document: str, status: str, attempted: str, allowed: list[str], listed_as: str
    ) -> None:
        shown = status.replace("_", " ")
        details: dict[str, Any] = {"current_status": status, listed_as: allowed}
        super().__init__(
            f"a {shown} {document} cannot {attempted}; allowed: {', '.join(allowed) or 'nothing'}",
            **details,
        )
        self.allowed = allowed


class InvalidCursor(Invalid):
    code = "invalid_cursor"
    example = "the cursor is not one this API issued"
