"""The one base for request and response bodies, and the field types of numbers and dates as
they come in: exact decimals, days and instants, each checked once here for every face."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from stockkeeper.core.number_schema import INTEGER_DIGITS, NumberSchema, json_number
from stockkeeper.core.types import MAX_AMOUNT, SCALE, normalize

# --- numbers ------------------------------------------------------------------------------

# a decimal in a string is written in plain notation ("12.50", "-3"); a query parameter is text
# anyway, and takes a number as JSON writes one ("1e-06" too)
_DECIMAL_TEXT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_NUMBER_TEXT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_NOT_A_NUMBER = 'must be a number: a JSON number, or a decimal in a string such as "12.50"'


def _exact_number(value: Any) -> Decimal:
    """A JSON number (parsed as an int or a Decimal, never a float) or a decimal in a string,
    within twelve integer digits and six decimal places. Its size is read from its digits and
    exponent before any arithmetic, which a huge exponent (``1e1000000``) would overflow."""
    if isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value):
        value = Decimal(value)
    if type(value) is Decimal:  # not an int: True == 1 would share 1's entry
        return read_number(value)
    return _within_range(value)


def _query_number(value: Any) -> Decimal:
    """A number in a query string: the text of a JSON number, exponent and all."""
    if isinstance(value, str) and _NUMBER_TEXT.fullmatch(value):
        try:
            value = Decimal(value)
        except InvalidOperation:  # an exponent beyond what a Decimal can hold
            raise _out_of_range() from None
    return _within_range(value)


def _within_range(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise PydanticCustomError("not_a_number", _NOT_A_NUMBER)
    number = Decimal(value)
    if not number.is_finite():
        raise PydanticCustomError("not_a_number", "must be a finite number")
    if number.is_zero():
        return Decimal(0)
    if number.adjusted() >= INTEGER_DIGITS:
        raise _out_of_range()
    digits, exponent = number.as_tuple()[1:]
    assert isinstance(exponent, int), "a finite number"
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if exponent + trailing_zeros < -SCALE:
        raise PydanticCustomError("too_many_decimals", f"must have at most {SCALE} decimal places")
    return normalize(number)


@lru_cache(maxsize=1 << 12)
def read_number(value: Decimal) -> Decimal:
    """A Number field's value as its validation makes it (normalised, the same errors), for
    views that build their models past validation (``model_construct``): a document's
    thousands of lines repeat their few quantities and costs, each checked once. Equal
    decimals give the same answer, so the cache may return another equal one's."""
    return _within_range(value)


def _out_of_range() -> PydanticCustomError:
    return PydanticCustomError("out_of_range", f"must be between -{MAX_AMOUNT} and {MAX_AMOUNT}")


def _not_zero(value: Decimal) -> Decimal:
    if value == 0:
        raise PydanticCustomError("not_zero", "must not be zero")
    return value


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


_TAKEN = BeforeValidator(_exact_number)

Number = Annotated[Decimal, _TAKEN, NumberSchema()]
"""An exact decimal, sent as a JSON number or a decimal string, returned as a JSON number.
Its bounds are one of the kinds below, each documented with its own pattern
(``core.number_schema``): a field narrows a Number with them, never with ``Field(gt=...)``,
which the document could not say of the string."""

NonNegative = Annotated[Decimal, _TAKEN, Field(ge=0), NumberSchema("at_least_zero")]
Positive = Annotated[Decimal, _TAKEN, Field(gt=0), NumberSchema("above_zero")]
NonZero = Annotated[Decimal, _TAKEN, AfterValidator(_not_zero), NumberSchema("not_zero")]
Percent = Annotated[Decimal, _TAKEN, Field(ge=0, le=100), NumberSchema("percent")]

NumberBesideText = Annotated[
    Decimal,
    _TAKEN,
    WithJsonSchema(json_number()),
]
"""A Number in a field that also takes text (a custom field's value), where a string is text:
documented as a JSON number alone, the same taken and returned (one model, not two)."""

QueryAmount = Annotated[
    Decimal, BeforeValidator(_query_number), Field(ge=0), NumberSchema("at_least_zero", text=False)
]
"""A non-negative decimal in a query string (where it arrives as text)."""

QueryShare = Annotated[
    Decimal, BeforeValidator(_query_number), Field(gt=0, lt=100), NumberSchema("share", text=False)
]
"""A percentage in a query string, above 0 and below 100."""


# --- days and instants ------------------------------------------------------------------------

# One range for every date the API takes. Not before 1900 (no business dates there, and year 1
# has no day before it for a report to start from); not the last day of the calendar, so that
# the day after any date taken (the end of a report's day) still exists.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(9999, 12, 30)
_DAY_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# RFC 3339, as `format: date-time` says: seconds and the offset's colon are not optional
_INSTANT_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
    r"(?:[Zz]|[+-][0-9]{2}:[0-9]{2})"
)
# The range as a pattern, for the document: years 1900 to 9999, 9999-12-31 aside. With the
# `format` (a day of the calendar, a valid time), it admits exactly the text taken.
_DAY_PATTERN = (
    r"(?:(?:19[0-9]{2}|[2-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])-[0-9]{2}-[0-9]{2}"
    r"|9999-(?:0[0-9]|1[01])-[0-9]{2}|9999-12-(?:[0-2][0-9]|30))"
)
_TIME_PATTERN = (
    r"[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?"
    r"(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
_NOT_A_DAY = "must be a date as ISO 8601 text, YYYY-MM-DD"
_NOT_AN_INSTANT = "must be a date and time with its offset as RFC 3339 text, such as "
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
    """RFC 3339 text (ISO 8601 with seconds and an offset), or an aware datetime; its date as
    written within the range (so that no conversion to UTC overflows: the last day is not the
    calendar's)."""
    if isinstance(value, str) and _INSTANT_TEXT.fullmatch(value):
        try:
            value = dt.datetime.fromisoformat(value.upper())
        except ValueError as error:
            raise PydanticCustomError(
                "not_an_instant", f"{value} is not an instant: {error}"
            ) from None
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise PydanticCustomError("not_an_instant", _NOT_AN_INSTANT)
    if not FIRST_DAY <= value.date() <= LAST_DAY:
        raise PydanticCustomError("out_of_range", f"must be between {_EARLIEST} and {_LATEST}")
    return value


_EARLIEST = f"{FIRST_DAY}T00:00:00"
_LATEST = f"{LAST_DAY}T23:59:59.999999"

Day = Annotated[
    dt.date,
    BeforeValidator(_day),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": f"^{_DAY_PATTERN}$",
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
            "pattern": f"^{_DAY_PATTERN}{_TIME_PATTERN}$",
            "description": "An RFC 3339 date and time with its offset, dated (as written) "
            f"{FIRST_DAY} to {LAST_DAY}",
            "x-minimum": _EARLIEST,
            "x-maximum": _LATEST,
        }
    ),
]
"""An instant the API takes: RFC 3339 text with an offset, its date within the range."""


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
