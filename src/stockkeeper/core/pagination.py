"""Opaque cursors and keyset pagination: a page costs the same at any depth (no OFFSET)."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import QueryableAttribute

from stockkeeper.core.errors import Invalid, field_error

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
        raise Invalid(
            "the cursor is not one this API issued",
            code="invalid_cursor",
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


def cursor_mismatch(expected: str) -> Invalid:
    return Invalid(
        f"the cursor belongs to a different {expected}; start again without a cursor",
        code="invalid_cursor",
        errors=[field_error("cursor", f"issued for another {expected}")],
    )
