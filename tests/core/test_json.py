"""Bodies and events as JSON: decimals written exactly as numbers, times as the API writes
them, and what the fast writer refuses written all the same."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import simplejson
from pydantic import BaseModel, Field

from stockkeeper.core.json import instant_text, render_json


class Line(BaseModel):
    unit_cost: Decimal = Field(alias="unitCost")


def test_decimals_are_numbers_written_as_they_stand() -> None:
    values = [Decimal("1.10"), Decimal("0.000001"), Decimal("1E+2"), Decimal("-12345678901234.567")]
    text = render_json({"values": values}).decode()
    assert text == '{"values":[1.10,0.000001,1E+2,-12345678901234.567]}'
    assert json.loads(text, parse_float=Decimal)["values"][:2] == values[:2]


def test_times_in_utc_to_the_millisecond_and_days_as_iso_dates() -> None:
    at = datetime(2026, 12, 7, 20, 15, 30, 123456, tzinfo=timezone(timedelta(hours=8)))
    body = {"at": at, "day": date(2026, 12, 7), "none": None, "yes": True, "text": "Grüße"}
    assert (
        render_json(body)
        == (
            '{"at":"2026-12-07T12:15:30.123Z","day":"2026-12-07","none":null,"yes":true,'
            '"text":"Grüße"}'
        ).encode()
    )


def test_models_are_written_by_their_api_names() -> None:
    body = {"lines": [Line(unitCost=Decimal("2.50"))], "at": datetime(2026, 1, 1, tzinfo=UTC)}
    assert render_json(body) == b'{"lines":[{"unitCost":2.50}],"at":"2026-01-01T00:00:00.000Z"}'


@pytest.mark.parametrize(
    "body",
    [
        {"big": 2**70, "small": Decimal("0.5")},  # past 64 bits
        {1: "one", "n": Decimal("3")},  # a key that is not a string
        {2: "Grüße", "at": datetime(2026, 1, 1, tzinfo=UTC), "line": Line(unitCost=1)},
    ],
)
def test_what_the_fast_writer_refuses_is_written_as_simplejson_writes_it(
    body: dict[object, object],
) -> None:
    expected = simplejson.dumps(
        body,
        use_decimal=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=lambda v: (
            instant_text(v) if isinstance(v, datetime) else v.model_dump(by_alias=True)
        ),
    )
    assert render_json(body) == expected.encode()


def test_a_value_json_cannot_hold_is_refused() -> None:
    with pytest.raises(TypeError, match="cannot render set"):
        render_json({"tags": {"a", "b"}})


@pytest.mark.parametrize("number", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_a_decimal_that_is_not_a_number_is_refused_not_written(number: str) -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        render_json({"v": Decimal(number)})
