"""The service's clock: real time, which tests may move forward (reservations expire by it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

_offset = timedelta(0)


def now() -> datetime:
    return datetime.now(UTC) + _offset


@contextmanager
def moved(by: timedelta) -> Iterator[None]:
    """Runs the block with the clock moved by ``by``."""
    global _offset
    before = _offset
    _offset = before + by
    try:
        yield
    finally:
        _offset = before
