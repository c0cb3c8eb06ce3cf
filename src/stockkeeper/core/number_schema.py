"""What the OpenAPI document says of a number the API takes, exactly as ``api_model`` reads it:
its bounds, its six decimal places, and the text of a decimal sent as a string.

A JSON number is bounded by ``exclusiveMinimum``/``exclusiveMaximum`` of 1e12 (a float
spells 1e12 exactly, where ``999999999999.999999`` would round to it). Its six decimal places
are said in the description, not as ``multipleOf: 0.000001``: validators divide in floats, and
``0.1 / 0.000001`` is not a whole number there, so a client checking its request against the
document would refuse ``0.1``. A decimal string has a
``pattern`` that admits exactly the strings taken: plain notation, at most twelve integer
digits and six decimal places (trailing zeros aside), and the field's own bounds. A pattern
cannot compare numbers, so the few bounds fields have (none, at least 0, above 0, not 0, 0 to
100, between 0 and 100) each have their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from stockkeeper.core.types import MAX_AMOUNT, SCALE

INTEGER_DIGITS = len(str(int(MAX_AMOUNT)))
LIMIT = int(MAX_AMOUNT) + 1  # 1e12: no number reaches it

Bounds = Literal["any", "at_least_zero", "above_zero", "not_zero", "percent", "share"]

_PLACES = rf"(?:\.[0-9]{{1,{SCALE}}}0*)?"  # six decimals at most, trailing zeros aside
_ZERO = r"-?0(?:\.0+)?"
_POSITIVE_FRACTION = (
    r"0\.(?:" + "|".join(f"{'0' * i}[1-9][0-9]{{0,{SCALE - 1 - i}}}" for i in range(SCALE)) + ")0*"
)
_POSITIVE = rf"[1-9][0-9]{{0,{INTEGER_DIGITS - 1}}}{_PLACES}|{_POSITIVE_FRACTION}"
PLAIN_DECIMAL = rf"-?(?:0|[1-9][0-9]{{0,{INTEGER_DIGITS - 1}}}){_PLACES}"

# the strings each kind of bounds admits: what ``api_model.Number`` reads and its bounds keep
PATTERNS: dict[Bounds, str] = {
    "any": PLAIN_DECIMAL,
    "at_least_zero": rf"{_ZERO}|{_POSITIVE}",
    "above_zero": _POSITIVE,
    "not_zero": rf"-?(?:{_POSITIVE})",
    "percent": rf"{_ZERO}|[1-9][0-9]?{_PLACES}|{_POSITIVE_FRACTION}|100(?:\.0+)?",
    "share": rf"[1-9][0-9]?{_PLACES}|{_POSITIVE_FRACTION}",
}

_RANGES: dict[Bounds, dict[str, Any]] = {
    "any": {"exclusiveMinimum": -LIMIT, "exclusiveMaximum": LIMIT},
    "at_least_zero": {"minimum": 0, "exclusiveMaximum": LIMIT},
    "above_zero": {"exclusiveMinimum": 0, "exclusiveMaximum": LIMIT},
    "not_zero": {"exclusiveMinimum": -LIMIT, "exclusiveMaximum": LIMIT, "not": {"const": 0}},
    "percent": {"minimum": 0, "maximum": 100},
    "share": {"exclusiveMinimum": 0, "exclusiveMaximum": 100},
}

_PLACES_TEXT = "An exact decimal of {} decimal places at most"
_TEXT = (
    'The exact decimal as text, in plain notation ("12.50", "-3"): at most {digits} integer '
    "digits and {places} decimal places"
)


def json_number(bounds: Bounds = "any") -> dict[str, Any]:
    """A JSON number within the bounds, of six decimal places at most."""
    return {"type": "number", **_RANGES[bounds], "description": _PLACES_TEXT.format(SCALE)}


def decimal_string(bounds: Bounds = "any") -> dict[str, Any]:
    return {
        "type": "string",
        "pattern": f"^(?:{PATTERNS[bounds]})$",
        "examples": ["12.50"],
        "description": _TEXT.format(digits=INTEGER_DIGITS, places=SCALE),
    }


@dataclass(frozen=True)
class NumberSchema:
    """The schema of a number field: when taking input, a JSON number or a decimal string
    (``text``; a query parameter is text already, so it is a number there); when rendering, a
    JSON number."""

    bounds: Bounds = "any"
    text: bool = True

    def __get_pydantic_json_schema__(
        self, core: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        if handler.mode == "serialization":
            return {"type": "number"}
        if not self.text:
            return json_number(self.bounds)
        # the description sits on the string: a field's own description, or a null beside
        # it, then leaves the two branches as they are (a nullable number stays one anyOf)
        return {"anyOf": [json_number(self.bounds), decimal_string(self.bounds)]}
