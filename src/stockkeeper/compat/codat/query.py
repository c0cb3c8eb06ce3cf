"""Codat's list parameters: ``page`` (from 1), ``pageSize`` (100 unless told, at most 5000),
and ``query``, Codat's filter language: conditions ``field op value`` joined by ``&&``, the
operators ``=``, ``!=``, ``>``, ``>=``, ``<``, ``<=``. What a list filters by is its own
(``FIELDS``); anything else, an ``||``, brackets or a value that does not read is a 400."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict, Field

from stockkeeper.core.api_model import FIRST_DAY, LAST_DAY
from stockkeeper.core.errors import BadRequest, field_error

Operator = Literal["=", "!=", ">", ">=", "<", "<="]
_CONDITION = re.compile(r"\s*([A-Za-z][A-Za-z0-9.]*)\s*(!=|>=|<=|=|>|<)\s*(.*?)\s*")
_ORDERED: tuple[Operator, ...] = (">", ">=", "<", "<=")
_DATES = ("sourceModifiedDate", "modifiedDate")
MICROSECOND = timedelta(microseconds=1)
_EARLIEST = datetime.combine(FIRST_DAY, time(), UTC)
_LATEST = datetime.combine(LAST_DAY, time.max, UTC)


class ListParams(BaseModel):
    """The parameters of every Codat list."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    page: int = Field(default=1, ge=1, le=1_000_000)
    page_size: int = Field(default=100, ge=1, le=5000, alias="pageSize")
    query: str | None = Field(default=None, max_length=2000)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass(frozen=True)
class Condition:
    field: str
    operator: Operator
    value: str | datetime


def _refused(query: str, message: str) -> BadRequest:
    error = field_error("query", message, "invalid_query")
    return BadRequest(f"the query {query!r} cannot be read: {message}", errors=[error])


def _instant(text: str) -> datetime:
    """A date (midnight UTC) or an instant; without an offset, UTC. Within the instants the
    API takes: no record was changed outside them, so a bound beyond them (a first sync's
    year 1, say) is as good as none."""
    moment = datetime.fromisoformat(text.strip("'\"").replace("Z", "+00:00"))
    try:
        moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError:  # year 1 or 9999 with an offset: past the calendar in UTC
        return _EARLIEST if moment.year < FIRST_DAY.year else _LATEST
    return min(max(moment, _EARLIEST), _LATEST)


def _condition(query: str, text: str, fields: dict[str, tuple[str, ...]]) -> Condition:
    found = _CONDITION.fullmatch(text)
    if found is None:
        raise _refused(query, f"{text.strip()!r} is not a condition (field, operator, value)")
    field, sign, value = found.groups()
    operator = cast(Operator, sign)
    if field not in fields:
        raise _refused(query, f"cannot filter by {field} (only {', '.join(sorted(fields))})")
    if field in _DATES:
        if operator not in _ORDERED:
            raise _refused(query, f"{field} takes >, >=, < or <=")
        try:
            return Condition(field, operator, _instant(value))
        except ValueError:
            raise _refused(query, f"{value!r} is not a date") from None
    value = value.strip("'\"")
    if operator not in ("=", "!=") or value not in fields[field]:
        raise _refused(query, f"{field} takes = or != one of {', '.join(fields[field])}")
    return Condition(field, operator, value)


def parse_query(query: str | None, fields: dict[str, tuple[str, ...]]) -> list[Condition]:
    """The query's conditions; ``fields`` names what may be filtered by (a field's values,
    none for a date)."""
    if query is None or not query.strip():
        return []
    if "||" in query or "(" in query or ")" in query:
        raise _refused(query, "only conditions joined by && are understood")
    return [_condition(query, part, fields) for part in query.split("&&")]


def time_bounds(conditions: list[Condition]) -> tuple[datetime | None, datetime | None]:
    """The latest ``at or after`` and the earliest ``before`` the date conditions ask for
    (``> t`` is at or after t plus a microsecond, ``<= t`` before it)."""
    since: datetime | None = None
    before: datetime | None = None
    for c in conditions:
        if not isinstance(c.value, datetime):
            continue
        after = c.value + MICROSECOND if c.operator in (">", "<=") else c.value
        moment = min(after, _LATEST)  # _LATEST is a day short of the calendar's end
        if c.operator in (">", ">="):
            since = moment if since is None else max(since, moment)
        else:
            before = moment if before is None else min(before, moment)
    return since, before
