"""The one base for request and response bodies, and the exact-decimal field types."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic.alias_generators import to_camel

from stockkeeper.core.types import MAX_AMOUNT, SCALE, normalize

_QUANTUM = Decimal(1).scaleb(-SCALE)


def _exact_number(value: Any) -> Any:
    # JSON bodies are parsed with floats as Decimal; strings, booleans and floats are refused
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError("must be a JSON number")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError("must be a finite number")
    if abs(number) > MAX_AMOUNT:
        raise ValueError(f"must be between -{MAX_AMOUNT} and {MAX_AMOUNT}")
    if number != number.quantize(_QUANTUM):
        raise ValueError(f"must have at most {SCALE} decimal places")
    return normalize(number)


Number = Annotated[Decimal, BeforeValidator(_exact_number), WithJsonSchema({"type": "number"})]
"""An exact decimal sent and returned as a JSON number."""

NonNegative = Annotated[Number, Field(ge=0)]

QueryAmount = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT, decimal_places=SCALE)]
"""A non-negative decimal in a query string (where it arrives as text)."""


class ApiModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        from_attributes=True,
    )


class Page(BaseModel):
    has_more: bool = Field(alias="hasMore")
    next_cursor: str | None = Field(alias="nextCursor")
    limit: int
    total: int

    model_config = ConfigDict(populate_by_name=True)

    @classmethod
    def of(cls, next_cursor: str | None, limit: int, total: int) -> Page:
        return cls(
            has_more=next_cursor is not None, next_cursor=next_cursor, limit=limit, total=total
        )


T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    success: bool = True
    data: T


class ListEnvelope(BaseModel, Generic[T]):
    success: bool = True
    data: list[T]
    pagination: Page
