"""Opaque cursors and keyset pagination: a page costs the same at any depth (no OFFSET).

A cursor carries its list's kind, the filters and sort it was issued for (a list's typed
``Values``, less what is per request: ``limit``, and what only changes how rows are shown) and
the position of the last row handed out. Every part is checked when it comes back, so a cursor
that is not one of this list's is a 422 ``invalid_cursor``, never a 500. Sent alone, a cursor
continues its own list, filters, sort and total alike; sent with filters, they must be exactly
the ones it was issued for. Every list resolves its cursor here, in its service, so every face
gets the same behaviour.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from pydantic import ValidationError
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from stockkeeper.core.errors import InvalidCursor, field_error
from stockkeeper.core.types import SCALE
from stockkeeper.core.values import Values

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# fields of the query schemas that belong to one request, never to the list a cursor continues
PER_REQUEST = frozenset({"limit", "cursor"})

F = TypeVar("F", bound=Values)
T = TypeVar("T")

# one field of a position: its value from the cursor's JSON, or ValueError/TypeError
Parse = Callable[[Any], Any]
_REFUSED = (ValueError, TypeError, ArithmeticError)  # decimal's errors are ArithmeticError


def _not_ours() -> InvalidCursor:
    return InvalidCursor(
        "the cursor is not one this API issued; start again without a cursor",
        errors=[field_error("cursor", "malformed cursor")],
    )


# --- the fields of a position, each checked from its JSON form ---------------------------------

_LONGEST_TEXT = 1000
# what SQLite's scaled 64-bit integers hold (core.types.Amount): a larger bound would not bind
_LARGEST = Decimal(2**63 - 1).scaleb(-SCALE)
_QUANTUM = Decimal(1).scaleb(-SCALE)


def text(value: Any) -> str:
    # PostgreSQL refuses NUL characters in text: refused here rather than by the driver
    if not isinstance(value, str) or len(value) > _LONGEST_TEXT or "\x00" in value:
        raise ValueError("not a text")
    return value


def day(value: Any) -> date:
    return date.fromisoformat(text(value))


def instant(value: Any) -> datetime:
    moment = datetime.fromisoformat(text(value))
    if moment.tzinfo is None:
        raise ValueError("an instant needs its offset")
    return moment.astimezone(UTC)


def amount(value: Any) -> Decimal:
    number = Decimal(text(value))
    if not number.is_finite() or abs(number) > _LARGEST or number != number.quantize(_QUANTUM):
        raise ValueError("not an amount")
    return number


def one_of(*choices: str) -> Parse:
    def choice(value: Any) -> str:
        if not isinstance(value, str) or value not in choices:
            raise ValueError(f"not one of {choices}")
        return value

    return choice


def _plain(value: Any) -> Any:
    """A position's field as the cursor's JSON writes it (and ``Parse`` reads it back)."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value if isinstance(value, str) else str(value)


# --- the cursor's text -------------------------------------------------------------------------


def encode_cursor(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def decode_cursor(cursor: str) -> dict[str, Any]:
    """The cursor's parts, of the shape this module writes: ``k`` the list's kind, ``f`` its
    filters (by name, plain JSON values or lists of them), ``p`` the position (plain values)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw, parse_constant=_no_constants)
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        raise _not_ours() from None
    if not (
        isinstance(payload, dict)
        and set(payload) == {"k", "f", "p"}
        and isinstance(payload["k"], str)
        and isinstance(payload["f"], dict)
        and isinstance(payload["p"], list)
        and all(_plain_json(v) for v in payload["p"])
        and all(_plain_json(v) or _plain_list(v) for v in payload["f"].values())
    ):
        raise _not_ours()
    return payload


def _plain_json(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" not in value
    return value is None or isinstance(value, bool | int | float)


def _plain_list(value: Any) -> bool:
    return isinstance(value, list) and all(_plain_json(v) for v in value)


# --- a list's request, its cursor resolved -----------------------------------------------------


@dataclass(frozen=True)
class Listing(Generic[F]):
    """A list's request with its cursor resolved: ``filters`` are the ones in force (those
    sent, or the cursor's when it came alone); ``after`` reads where the page starts."""

    kind: str
    filters: F
    apart: frozenset[str]  # the filters' fields that are not the list's: per request, shown
    position: tuple[Any, ...] | None = None

    def after(self, *fields: Parse) -> tuple[Any, ...] | None:
        """The position the page starts after, each field checked by its ``Parse`` (None
        without a cursor)."""
        if self.position is None:
            return None
        if len(self.position) != len(fields):
            raise _not_ours()
        try:
            return tuple(parse(v) for parse, v in zip(fields, self.position, strict=True))
        except _REFUSED:
            raise _not_ours() from None

    def next_cursor(self, *position: Any) -> str:
        """The cursor of the page after the row at ``position``, with this list's filters."""
        names = _list_fields(self.filters, self.apart)
        filters = self.filters.model_dump(mode="json", include=names, exclude_defaults=True)
        return encode_cursor({"k": self.kind, "f": filters, "p": [_plain(v) for v in position]})


def resume(kind: str, filters: F, cursor: str | None, *, shown: Iterable[str] = ()) -> Listing[F]:
    """The request of the list ``kind`` with ``filters`` and ``cursor``. ``shown`` names the
    fields of ``filters`` that only change how rows are shown: like ``limit``, they are per
    request and not carried by cursors."""
    apart = PER_REQUEST | frozenset(shown)
    if not cursor:
        return Listing(kind, filters, apart)
    payload = decode_cursor(cursor)
    if payload["k"] != kind:
        raise InvalidCursor(
            "the cursor belongs to another list; start again without a cursor",
            errors=[field_error("cursor", "issued for another list")],
        )
    issued = _issued(filters, payload["f"], apart)
    if filters.model_fields_set - apart:
        _require_same(filters, issued, apart)
    return Listing(kind, issued, apart, tuple(payload["p"]))


def _list_fields(filters: Values, apart: frozenset[str]) -> set[str]:
    return set(type(filters).model_fields) - apart


def _issued(filters: F, stored: dict[str, Any], apart: frozenset[str]) -> F:
    """``filters`` with the list's fields as the cursor carries them, checked as when sent."""
    names = _list_fields(filters, apart)
    if not set(stored) <= names:
        raise _not_ours()
    try:
        issued = type(filters).model_validate(stored, by_alias=False, by_name=True)
    except ValidationError:
        raise _not_ours() from None
    return filters.model_copy(update={name: getattr(issued, name) for name in names})


def _require_same(sent: Values, issued: Values, apart: frozenset[str]) -> None:
    differ = sorted(
        name for name in _list_fields(sent, apart) if getattr(sent, name) != getattr(issued, name)
    )
    if differ:
        raise InvalidCursor(
            "the cursor was issued for other filters or another order; send it alone, or "
            "with exactly the filters and order it was issued for",
            errors=[field_error(name, "not what the cursor was issued for") for name in differ],
        )


# --- keyset pages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Keyset:
    """Ordering by one sort key and then the id, both in the same direction."""

    key: ColumnElement[Any] | QueryableAttribute[Any]
    ident: ColumnElement[Any] | QueryableAttribute[Any]
    descending: bool

    def order_by(self) -> list[ColumnElement[Any]]:
        if self.descending:
            return [self.key.desc(), self.ident.desc()]
        return [self.key.asc(), self.ident.asc()]

    def after(self, value: Any, ident: str) -> ColumnElement[bool]:
        # the leading bound on the key alone lets the index seek straight to the cursor
        if self.descending:
            return and_(self.key <= value, or_(self.key < value, self.ident < ident))
        return and_(self.key >= value, or_(self.key > value, self.ident > ident))


def keyset_page(
    session: Session,
    model: type[Any],
    where: list[Any],
    keyset: Keyset,
    listing: Listing[Any],
    *,
    limit: int,
    key: Parse,
    offset: int = 0,
) -> tuple[list[Any], str | None, int]:
    """One page of ``model`` rows in keyset order: the rows, the next cursor (None on the
    last page) and the total matching ``where``, which the caller builds from
    ``listing.filters``; ``key`` reads the sort key back from a cursor. ``offset`` skips
    rows first, for the faces whose clients ask for numbered pages (a dialect's ``page``):
    such a page costs what its depth does, as OFFSET always does."""
    statement = select(model).where(*where)
    after = listing.after(key, text)
    if after is not None:
        statement = statement.where(keyset.after(*after))
    if offset:
        statement = statement.offset(offset)
    found = list(session.scalars(statement.order_by(*keyset.order_by()).limit(limit + 1)))
    total = session.scalar(select(func.count()).select_from(model).where(*where)) or 0
    if len(found) <= limit:
        return found, None, total
    found = found[:limit]
    name = keyset.key.key
    assert name is not None, "keyset pages order by a mapped attribute"
    return found, listing.next_cursor(getattr(found[-1], name), found[-1].id), total


@dataclass(frozen=True)
class Listed(Generic[T]):
    """A page of a listing: its rows (or views), the next page's cursor, the total (None
    where it was not asked for: counting a large list costs more than a page of it)."""

    rows: list[T]
    next_cursor: str | None
    total: int | None

    @property
    def counted(self) -> int:
        """The total of a list that was counted (as every API's is)."""
        assert self.total is not None, "a list not counted"
        return self.total
