"""Forms: what a person typed, and a service's refusal shown beside the fields it names.

``attempt`` runs a use case in a savepoint: a refusal undoes whatever the use case flushed
before it raised (the page's unit of work still commits, and must not keep half of it) and
comes back as a ``Form`` to render again, with the values as typed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Generic, TypeVar

from fastapi import Form as FormField
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from stockkeeper.core.errors import DomainError, Invalid, field_error

T = TypeVar("T")
V = TypeVar("V", bound=BaseModel)

# a page's form field, as typed (``email: Typed = ""``); parsed into a service's values by
# ``parse``, so that a value that does not fit is shown beside its field, not as a 422 of
# FastAPI's own
Typed = Annotated[str, FormField()]


@dataclass
class Form:
    """A form's values (as typed) and its errors: per field, in the domain's names
    (``items.0.quantity``), and the ones of no field (shown above the form)."""

    values: Mapping[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    @classmethod
    def refused(cls, values: Mapping[str, str], error: DomainError) -> Form:
        form = cls(values)
        for each in error.errors:
            form.errors.setdefault(each.field, []).append(each.message)
        if not error.errors:
            form.general.append(error.detail)
        return form

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.general)

    @property
    def status(self) -> int:
        """The answer's status: 200, or for a refusal 422 when fields are at fault and 409
        when what is stored refused it (not enough stock, a status that does not allow it)."""
        if not self.failed:
            return 200
        return 422 if self.errors else 409

    def value(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """A use case's result, or the form to show again with its refusal."""

    result: T | None
    form: Form


def attempt(session: Session, values: Mapping[str, str], use_case: Callable[[], T]) -> Outcome[T]:
    """Runs ``use_case`` in a savepoint; a domain refusal rolls it back and is returned as a
    form (any other failure propagates)."""
    try:
        with session.begin_nested():
            return Outcome(use_case(), Form(values))
    except DomainError as error:
        return Outcome(None, Form.refused(values, error))


def parse(model: type[V], values: Mapping[str, object]) -> V:
    """A service's typed values from a form's; a value that does not fit is refused as the
    service would refuse it (``Invalid``, naming each field), so ``attempt`` shows it beside
    its field."""
    try:
        return model.model_validate(values)
    except ValidationError as error:
        fields = [field_error(".".join(map(str, e["loc"])), e["msg"]) for e in error.errors()]
        raise Invalid.fields(fields) from None
