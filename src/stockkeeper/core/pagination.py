"""Opaque cursors and keyset pagination: a page costs the same at any depth (no OFFSET)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from stockkeeper.core.errors import InvalidCursor, field_error

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def encode_cursor(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        payload = None
    if not isinstance(payload, dict):
        raise InvalidCursor(
            "the cursor is not one this API issued",
            errors=[field_error("cursor", "malformed cursor")],
        )
    return payload


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


def cursor_mismatch(expected: str) -> InvalidCursor:
    return InvalidCursor(
        f"the cursor belongs to a different {expected}; start again without a cursor",
        errors=[field_error("cursor", f"issued for another {expected}")],
    )


def keyset_page(
    session: Session,
    model: type[Any],
    where: list[Any],
    keyset: Keyset,
    *,
    kind: str,
    limit: int,
    cursor: str | None,
    parse: Callable[[str], Any],
) -> tuple[list[Any], str | None, int]:
    """One page of ``model`` rows in keyset order: the rows, the next cursor (None on the
    last page) and the total matching ``where``. ``kind`` tells cursors of lists apart;
    ``parse`` turns a cursor's sort key back from its ISO text."""
    statement = select(model).where(*where)
    if cursor:
        position = decode_cursor(cursor)
        if position.get("k") != kind:
            raise cursor_mismatch("listing")
        statement = statement.where(keyset.after(parse(position["v"]), position["id"]))
    found = list(session.scalars(statement.order_by(*keyset.order_by()).limit(limit + 1)))
    total = session.scalar(select(func.count()).select_from(model).where(*where)) or 0
    if len(found) <= limit:
        return found, None, total
    found = found[:limit]
    name = keyset.key.key
    assert name is not None, "keyset pages order by a mapped attribute"
    key = getattr(found[-1], name).isoformat()
    return found, encode_cursor({"k": kind, "v": key, "id": found[-1].id}), total


T = TypeVar("T")


@dataclass(frozen=True)
class Listed(Generic[T]):
    """A page of a listing: its rows (or views), the next page's cursor, the total."""

    rows: list[T]
    next_cursor: str | None
    total: int
