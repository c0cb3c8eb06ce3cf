"""Numbers and dates at the edge: ``Number``, ``Day`` and ``Instant`` refuse what they cannot
hold with a validation error (never an arithmetic error), and keep what they can exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from stockkeeper.core.api_model import (
    FIRST_DAY,
    LAST_DAY,
    Day,
    Instant,
    NonNegative,
    Number,
    json_decimal,
    json_integer,
)

NUMBER: TypeAdapter[Decimal] = TypeAdapter(Number)
DAY: TypeAdapter[dt.date] = TypeAdapter(Day)
INSTANT: TypeAdapter[dt.datetime] = TypeAdapter(Instant)


def _refusal(adapter: TypeAdapter[Any], value: Any) -> str:
    with pytest.raises(ValidationError) as raised:
        adapter.validate_python(value)
    [error] = raised.value.errors()
    return str(error["type"])


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (Decimal("1E+1000000"), "out_of_range"),
        (Decimal("-1E+1000000"), "out_of_range"),
        (Decimal("1E-1000000"), "too_many_decimals"),
        ("1" + "0" * 1000000, "out_of_range"),  # plain text, read by its digits
        (10**20, "out_of_range"),
        (Decimal("1000000000000"), "out_of_range"),
        (Decimal("0.0000001"), "too_many_decimals"),
        ("1." + "0" * 100 + "1", "too_many_decimals"),
        (True, "not_a_number"),
        (1.5, "not_a_number"),  # a float could only come from a face that lost exactness
        ("12,50", "not_a_number"),
        (" 1", "not_a_number"),
        ("+1", "not_a_number"),
        ("007", "not_a_number"),
        ("0x10", "not_a_number"),
        ("NaN", "not_a_number"),
        ("Infinity", "not_a_number"),
        ("", "not_a_number"),
        ("1e2", "not_a_number"),  # text is in plain notation, as the schema's pattern says
        ("1e99999999999999999999", "not_a_number"),
        (Decimal("NaN"), "not_a_number"),
        (None, "not_a_number"),
    ],
)
def test_a_number_out_of_reach_is_a_validation_error(value: Any, code: str) -> None:
    assert _refusal(NUMBER, value) == code


@pytest.mark.parametrize(
    ("value", "exact"),
    [
        ("12.50", "12.5"),
        ("-3", "-3"),
        (Decimal("1E+2"), "100"),
        (Decimal("1.5E-3"), "0.0015"),
        ("0.0000010", "0.000001"),
        ("-0", "0"),
        ("999999999999.999999", "999999999999.999999"),
        (Decimal("1E+11"), "100000000000"),
        (7, "7"),
    ],
)
def test_a_number_is_kept_exactly_from_a_json_number_or_a_string(value: Any, exact: str) -> None:
    number = NUMBER.validate_python(value)
    assert (number, str(number)) == (Decimal(exact), exact)


@given(
    st.decimals(
        min_value=Decimal("-999999999999.999999"),
        max_value=Decimal("999999999999.999999"),
        places=6,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_every_number_in_range_reads_the_same_as_text_and_as_a_number(value: Decimal) -> None:
    assert NUMBER.validate_python(str(value)) == NUMBER.validate_python(value) == value


@given(st.integers(min_value=12, max_value=10**30), st.sampled_from(["1e", "-9.5e", "1E+"]))
def test_any_exponent_past_twelve_digits_is_out_of_range(exponent: int, mantissa: str) -> None:
    assert _refusal(NUMBER, json_decimal(f"{mantissa}{exponent}")) == "out_of_range"


@pytest.mark.parametrize(
    ("text", "read", "refusal"),
    [
        ("12.50", "12.50", None),
        ("0.0e99999999999999999999", "0", None),
        ("1e1000", "1E+1000", "out_of_range"),
        ("1e1001", "1E+1001", "out_of_range"),
        ("-1e100000000", "-1E+1001", "out_of_range"),
        ("1e99999999999999999999", "1E+1001", "out_of_range"),  # no Decimal holds it
        ("-2.5e-99999999999999999999", "-1E-1001", "too_many_decimals"),
    ],
)
def test_json_numbers_far_past_every_range_are_read_as_the_bound(
    text: str, read: str, refusal: str | None
) -> None:
    number = json_decimal(text)
    assert (number, str(number)) == (Decimal(read), read)
    if refusal is not None:
        assert _refusal(NUMBER, number) == refusal


def test_json_integers_past_the_bound_are_read_as_it() -> None:
    assert json_integer("-" + "9" * 1000) == -int("9" * 1000)
    assert json_integer("1" * 5000) == Decimal("1E+1001")  # Python reads no more than 4300
    assert json_integer("-" + "1" * 1001) == Decimal("-1E+1001")


def test_a_bound_applies_to_a_number_given_as_text() -> None:
    assert _refusal(TypeAdapter(NonNegative), "-1") == "greater_than_equal"


def test_the_number_schema_takes_both_and_renders_a_number() -> None:
    taken = NUMBER.json_schema(mode="validation")
    assert [branch["type"] for branch in taken["anyOf"]] == ["number", "string"]
    assert "12.50" in taken["anyOf"][1]["description"]
    assert NUMBER.json_schema(mode="serialization") == {"type": "number"}


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("0001-01-01", "out_of_range"),
        ("0001-02-28", "out_of_range"),
        ("1899-12-31", "out_of_range"),
        ("9999-12-31", "out_of_range"),
        (20260101, "not_a_day"),  # a lax parser reads a number as seconds since 1970
        (0, "not_a_day"),
        ("20260101", "not_a_day"),
        ("2026-W01-1", "not_a_day"),
        ("2026-02-30", "not_a_day"),
        ("2026-01-01T00:00:00Z", "not_a_day"),
        ("\uff12\uff10\uff12\uff16-01-01", "not_a_day"),  # full-width digits
        (dt.datetime(2026, 1, 1), "not_a_day"),
    ],
)
def test_a_day_is_iso_text_within_the_range(value: Any, code: str) -> None:
    assert _refusal(DAY, value) == code


def test_the_first_and_last_days_are_taken() -> None:
    assert DAY.validate_python("1900-01-01") == FIRST_DAY == dt.date(1900, 1, 1)
    assert DAY.validate_python("9999-12-30") == LAST_DAY == dt.date(9999, 12, 30)
    assert DAY.validate_python(dt.date(2026, 6, 15)) == dt.date(2026, 6, 15)
    assert LAST_DAY + dt.timedelta(days=1) == dt.date.max  # the day after any day taken exists


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("9999-12-31T23:59:59-12:00", "out_of_range"),  # would overflow on conversion to UTC
        ("9999-12-31T00:00:00+01:00", "out_of_range"),
        ("0001-01-01T00:00:00+01:00", "out_of_range"),
        ("1899-12-31T23:30:00-01:00", "out_of_range"),
        ("2026-01-01T00:00Z", "not_an_instant"),  # RFC 3339: seconds are not optional
        ("2026-01-01T00:00:00", "not_an_instant"),  # no offset: no instant
        ("2026-01-01", "not_an_instant"),
        ("2026-01-01T24:00:00Z", "not_an_instant"),
        (1700000000, "not_an_instant"),
        (dt.datetime(2026, 1, 1), "not_an_instant"),
    ],
)
def test_an_instant_is_rfc_3339_text_dated_within_the_range_as_written(
    value: Any, code: str
) -> None:
    assert _refusal(INSTANT, value) == code


def test_an_instant_keeps_its_offset() -> None:
    eight = dt.timezone(dt.timedelta(hours=8))
    assert INSTANT.validate_python("2026-12-31T17:00:00+08:00") == dt.datetime(
        2026, 12, 31, 17, tzinfo=eight
    )
    assert INSTANT.validate_python("9999-12-30T23:59:59.999999Z").year == 9999
    # the range is on the date as written, which the schema's pattern can state exactly; an
    # offset moves it by less than a day, so conversion to UTC never overflows
    last = INSTANT.validate_python("9999-12-30T23:59:59-12:00")
    assert last.astimezone(dt.UTC).date() == LAST_DAY + dt.timedelta(days=1)
    assert INSTANT.validate_python("1900-01-01T01:00:00+01:00") == dt.datetime(
        1900, 1, 1, tzinfo=dt.UTC
    )
