"""Column types: exact decimals and UTC timestamps that behave the same on both engines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect, Numeric, String
from sqlalchemy.types import TypeDecorator, TypeEngine

from stockkeeper.core import clock

SCALE = 6
_QUANTUM = Decimal(1).scaleb(-SCALE)
# One value's bound: twelve integer digits, so that sums of values stay within SQLite's
# 64-bit integers (about 9.2e12 at six places) for any realistic number of rows.
MAX_AMOUNT = Decimal("999999999999.999999")


def normalize(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (100, not 1E+2)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1)) + 0
    return value.normalize() + 0


class Amount(TypeDecorator[Decimal]):
    """An exact decimal with six places: NUMERIC on PostgreSQL, a scaled integer on SQLite.

    SQLite has no exact decimal type (NUMERIC affinity becomes a float), so it stores
    ``value * 10**6`` as a 64-bit integer: sums and comparisons in SQL stay exact.
    """

    impl = Numeric(24, SCALE)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(24, SCALE, asdecimal=True))

    def process_bind_param(self, value: Decimal | int | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = Decimal(value)
        if value != value.quantize(_QUANTUM):
            raise ValueError(f"{value} has more than {SCALE} decimal places")
        if dialect.name == "sqlite":
            return int(value.scaleb(SCALE))
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return _unscaled(int(value))
        return _normalized(value)

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        """On SQLite, ``process_result_value`` in one call a value: a large posting reads
        hundreds of thousands of them (an item holds twenty), and the decorator's own chain
        of calls cost more than the conversion."""
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        def unscaled(value: Any) -> Decimal | None:
            return None if value is None else _unscaled(int(value))

        return unscaled


# Quantities and prices repeat a great deal, and decimals are immutable: reports reading a
# million ledger rows convert each distinct amount once.
@lru_cache(maxsize=1 << 16)
def _unscaled(value: int) -> Decimal:
    return normalize(Decimal(value).scaleb(-SCALE))


@lru_cache(maxsize=1 << 16)
def _normalized(value: Decimal) -> Decimal:
    return normalize(Decimal(value))


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always returned timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


def utcnow() -> datetime:
    return clock.now()


def sort_key_type(length: int) -> TypeEngine[str]:
    """Text compared byte-wise on both engines (PostgreSQL would otherwise use its locale)."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")
