"""JSON with exact decimals: ``Decimal`` is written as a JSON number, unchanged; times in UTC
with milliseconds."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import orjson
import simplejson
from pydantic import BaseModel


def instant_text(value: datetime) -> str:
    """An instant as the API writes it: in UTC, to the millisecond, with a Z."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):  # as written, a number: never through a float
        if not value.is_finite():  # as a fragment, it would be text no JSON reader takes
            raise ValueError(f"{value} is not a number JSON can hold")
        return orjson.Fragment(str(value))
    if isinstance(value, datetime):
        return instant_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return dump(value)
    raise TypeError(f"cannot render {type(value).__name__} as JSON")


# times go through ``_default``, which writes them as the API does (milliseconds, Z), and
# dataclasses too, which it refuses as simplejson does (a body holds models, not dataclasses).
# No float reaches it (amounts are decimals): orjson would write a NaN as null.
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS

# what orjson refuses (integers past 64 bits, keys that are not strings) simplejson writes, as
# every body was written before; made once (``simplejson.dumps`` with options makes an encoder
# a call, which cost as much as the encoding); it keeps no state
_ENCODER = simplejson.JSONEncoder(
    use_decimal=True, default=_default, ensure_ascii=False, separators=(",", ":")
)


def render_json(content: Any) -> bytes:
    """The content as compact UTF-8 JSON: orjson, several times faster than simplejson for a
    response or an event (an import renders one an item)."""
    try:
        return orjson.dumps(content, default=_default, option=_OPTIONS)
    except orjson.JSONEncodeError:
        return _ENCODER.encode(content).encode()


def dump(model: BaseModel) -> dict[str, Any]:
    """A response or event body's object: the model's fields by their API names."""
    return model.model_dump(mode="python", by_alias=True)
