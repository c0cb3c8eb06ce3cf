"""How Sage writes values: decimals as strings with at least one decimal place ("11.0"),
instants in UTC with a ``Z``, and the references between records."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any


def sage_decimal(value: Decimal | int | None) -> str:
    """``Decimal("11")`` -> ``"11.0"``, ``Decimal("2.50")`` -> ``"2.5"``; none is ``"0.0"``."""
    if value is None:
        return "0.0"
    text = f"{Decimal(value).normalize():f}"
    return text if "." in text else text + ".0"


def sage_instant(value: datetime | None) -> str | None:
    """An instant as ``2018-04-11T08:23:01Z``."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def sage_precise(value: datetime | date | None) -> str | None:
    """An instant (or a day, at its start) with milliseconds: ``2018-04-11T08:23:52.000Z``."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        return f"{value.isoformat()}T00:00:00.000Z"
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def reference(collection: str, ident: str, displayed_as: str) -> dict[str, Any]:
    """A record as another names it: ``{id, displayed_as, $path}``."""
    return {"id": ident, "displayed_as": displayed_as, "$path": f"/{collection}/{ident}"}


def text(value: str | None) -> str:
    """Sage writes a text left empty as ``""``."""
    return value or ""
