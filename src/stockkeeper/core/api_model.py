"""The one base for request and response bodies, and the field types of numbers and dates as
they come in: exact decimals, days and instants, each checked once here for every face."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from stockkeeper.core.types import MAX_AMOUNT, SCALE, normalize

# --- numbers ------------------------------------------------------------------------------

_INTEGER_DIGITS = len(str(int(MAX_AMOUNT)))
# a decimal in a string is written as a JSON number would be: "12.50", "-3", "1e2"
_DECIMAL_TEXT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_NOT_A_NUMBER = 'must be a number: a JSON number, or a decimal in a string such as "12.50"'


def _exact_number(value: Any) -> Decimal:
    """A JSON number (parsed as an int or a Decimal, never a float) or a decimal in a string,
    within twelve integer digits and six decimal places. Its size is read from its digits and
    exponent before any arithmetic, which a huge exponent (``1e1000000``) would overflow."""
    if isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value):
        try:
            value = Decimal(value)
        except InvalidOperation:  # an exponent beyond what a Decimal can hold
            raise _out_of_range() from None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise PydanticCustomError("not_a_number", _NOT_A_NUMBER)
    number = Decimal(value)
    if not number.is_finite():
        raise PydanticCustomError("not_a_number", "must be a finite number")
    if number.is_zero():
        return Decimal(0)
    if number.adjusted() >= _INTEGER_DIGITS:
        raise _out_of_range()
    digits, exponent = number.as_tuple()[1:]
    assert isinstance(exponent, int), "a finite number"
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if exponent + trailing_zeros < -SCALE:
        raise PydanticCustomError("too_many_decimals", f"must have at most {SCALE} decimal places")
    return normalize(number)


def _out_of_range() -> PydanticCustomError:
    return PydanticCustomError("out_of_range", f"must be between -{MAX_AMOUNT} and {MAX_AMOUNT}")


# No field holds a number past 1e12 (decision 1). Past this bound a number is brought back to
# it, still refused by every field: an integer field would convert 1e100000000 digit by digit.
_JSON_BOUND = 1000


def json_decimal(text: str) -> Decimal:
    """``json.loads``'s ``parse_float``: a JSON number as an exact Decimal. One whose exponent
    is past the bound, up to one no Decimal holds (``1e99999999999999999999``), becomes
    1E+1001 or 1E-1001 of its sign, which every field refuses at no cost."""
    mantissa, _, exponent = text.lower().partition("e")
    if not mantissa.strip("-0."):
        return Decimal(0)
    try:
        number = Decimal(text)
    except InvalidOperation:  # an exponent no Decimal holds
        large = not exponent.startswith("-")
    else:
        if abs(number.adjusted()) <= _JSON_BOUND:
            return number
        large = number.adjusted() > 0
    sign = "-" if mantissa.startswith("-") else ""
    return Decimal(f"{sign}1E{'+' if large else '-'}{_JSON_BOUND + 1}")


def json_integer(text: str) -> int | Decimal:
    """``json.loads``'s ``parse_int``: an int; one of more digits than the bound (Python
    reads no more than 4300 into an int) becomes 1E+1001 of its sign."""
    if len(text.lstrip("-")) <= _JSON_BOUND:
        return int(text)
    return Decimal(f"{'-' if text.startswith('-') else ''}1E+{_JSON_BOUND + 1}")


# the description sits on the string: a field's own description, or a null beside it, then
# leaves the two branches as they are (a nullable number stays one flat anyOf)
_NUMBER_SCHEMA = {
    "anyOf": [
        {"type": "number"},
        {
            "type": "string",
            "pattern": f"^{_DECIMAL_TEXT.pattern}$",
            "examples": ["12.50"],
            "description": "The exact decimal as text, written as a JSON number is (12.50, -3, "
            f"1e2); at most {_INTEGER_DIGITS} integer digits and {SCALE} decimal places",
        },
    ]
}

Number = Annotated[
    Decimal,
    BeforeValidator(_exact_number),
    WithJsonSchema(_NUMBER_SCHEMA, mode="validation"),
    WithJsonSchema({"type": "number"}, mode="serialization"),
]
"""An exact decimal, sent as a JSON number or a decimal string, returned as a JSON number."""

NonNegative = Annotated[Number, Field(ge=0)]

NumberBesideText = Annotated[Number, WithJsonSchema({"type": "number"})]
"""A Number in a field that also takes text (a custom field's value), where a string is text:
documented as a JSON number alone."""

QueryAmount = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT, decimal_places=SCALE)]
"""A non-negative decimal in a query string (where it arrives as text)."""

# --- days and instants ------------------------------------------------------------------------

# One range for every date the API takes. Not before 1900 (no business dates there, and year 1
# has no day before it for a report to start from); not the last day of the calendar, so that
# the day after any date taken (the end of a report's day) still exists.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(9999, 12, 30)
_DAY_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INSTANT_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
    r"(?:[Zz]|[+-][0-9]{2}:?[0-9]{2})"
)
_NOT_A_DAY = "must be a date as ISO 8601 text, YYYY-MM-DD"
_NOT_AN_INSTANT = "must be a date and time with its offset as ISO 8601 text, such as "
_NOT_AN_INSTANT += "2026-12-31T17:00:00Z or 2026-12-31T17:00:00+08:00"


def _day(value: Any) -> dt.date:
    """ISO 8601 text (a number, which a lax parser would read as seconds since 1970, is not a
    date), or a date from a face that has one already."""
    if isinstance(value, str) and _DAY_TEXT.fullmatch(value):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "not_a_day", f"{value} is not a day of the calendar"
            ) from None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise PydanticCustomError("not_a_day", _NOT_A_DAY)
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError("out_of_range", f"must be between {FIRST_DAY} and {LAST_DAY}")
    return value


def _instant(value: Any) -> dt.datetime:
    """ISO 8601 text with an offset, or an aware datetime; within the range once in UTC."""
    if isinstance(value, str) and _INSTANT_TEXT.fullmatch(value):
        try:
            value = dt.datetime.fromisoformat(value.upper())
        except ValueError as error:
            raise PydanticCustomError(
                "not_an_instant", f"{value} is not an instant: {error}"
            ) from None
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise PydanticCustomError("not_an_instant", _NOT_AN_INSTANT)
    try:
        day = value.astimezone(dt.UTC).date()
    except OverflowError:  # beyond year 9999 (or before year 1) once in UTC
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        raise PydanticCustomError("out_of_range", f"must be between {_EARLIEST} and {_LATEST}")
    return value


_EARLIEST = f"{FIRST_DAY}T00:00:00Z"
_LATEST = f"{LAST_DAY}T23:59:59.999999Z"

Day = Annotated[
    dt.date,
    BeforeValidator(_day),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": f"An ISO 8601 date, {FIRST_DAY} to {LAST_DAY}",
            "x-minimum": FIRST_DAY.isoformat(),
            "x-maximum": LAST_DAY.isoformat(),
        }
    ),
]
"""A calendar date the API takes: ISO 8601 text within FIRST_DAY..LAST_DAY."""

Instant = Annotated[
    dt.datetime,
    BeforeValidator(_instant),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": "An ISO 8601 date and time with its offset; in UTC, "
            f"{FIRST_DAY} to {LAST_DAY}",
            "x-minimum": _EARLIEST,
            "x-maximum": _LATEST,
        }
    ),
]
"""An instant the API takes: ISO 8601 text with an offset, within the range in UTC."""


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
