"""Idempotency keys: a retried POST returns the first response instead of acting twice.

The record of a key is written in the same transaction as the work it answers for, so a
request that committed has its record and one that failed or died has none (and may simply
be sent again). A key is scoped to a company; the same key with a different request is
refused, and so is a key whose first request is still running.
"""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

import simplejson
from sqlalchemy import (
    ForeignKey,
    Integer,
    Row,
    Select,
    String,
    Text,
    bindparam,
    delete,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from stockkeeper.core.db import Base, insert_into, run, table_of
from stockkeeper.core.errors import BadRequest, Conflict, Invalid
from stockkeeper.core.ids import ID_LENGTH
from stockkeeper.core.types import UTCDateTime, utcnow

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
RETENTION = timedelta(hours=24)


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_record"

    company_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("company.id"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InvalidIdempotencyKey(BadRequest):
    code = "invalid_idempotency_key"
    example = f"{HEADER} must be 1 to 255 printable ASCII characters"


class IdempotencyKeyInUse(Conflict):
    code = "idempotency_key_in_use"
    example = f"the first request with {HEADER} 'k-1' is still running; retry later"


class IdempotencyKeyReused(Invalid):
    code = "idempotency_key_reused"
    example = f"{HEADER} 'k-1' was used for a different request, or by another API key"


# what any POST may meet, as its Idempotency-Key is checked
ERRORS = (InvalidIdempotencyKey, IdempotencyKeyInUse, IdempotencyKeyReused)


def check_key(key: str) -> str:
    if not 1 <= len(key) <= 255 or not (key.isascii() and key.isprintable()):
        raise InvalidIdempotencyKey(InvalidIdempotencyKey.example)
    return key


def fingerprint(key_id: str | None, method: str, path: str, query: str, body: bytes) -> str:
    """The same request from the same API key, whatever its JSON whitespace or key order, has
    the same fingerprint."""
    try:
        canonical = simplejson.dumps(
            json.loads(body, parse_float=Decimal),
            sort_keys=True,
            separators=(",", ":"),
            use_decimal=True,
        ).encode()
    except (ValueError, ArithmeticError):  # not JSON, or a number no Decimal holds
        canonical = body
    parts = [(key_id or "").encode(), method.encode(), path.encode(), query.encode(), canonical]
    return hashlib.sha256(b"\n".join(parts)).hexdigest()


class InFlight:
    """Keys whose first request is running in this process (other processes on PostgreSQL
    are seen through an advisory lock, taken in the request's transaction)."""

    def __init__(self) -> None:
        self._keys: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def claim(self, company_id: str, key: str) -> None:
        with self._lock:
            if (company_id, key) in self._keys:
                raise _still_running(key)
            self._keys.add((company_id, key))

    def release(self, company_id: str, key: str) -> None:
        with self._lock:
            self._keys.discard((company_id, key))


def _still_running(key: str) -> IdempotencyKeyInUse:
    return IdempotencyKeyInUse(
        f"the first request with {HEADER} {key!r} is still running; retry later"
    )


def lookup(
    session: Session, company_id: str, key: str, request_fingerprint: str
) -> Row[Any] | None:
    """The stored response for this key (``status_code``, ``media_type``, ``body``), or None
    when the request should run."""
    if session.get_bind().dialect.name == "postgresql":
        locked = run(session, _advisory_lock(), {"key": f"{company_id}:{key}"}).scalar()
        if not locked:
            raise _still_running(key)
    record = run(session, _stored(), {"company_id": company_id, "key": key}).first()
    if record is not None and record.fingerprint != request_fingerprint:
        raise IdempotencyKeyReused(
            f"{HEADER} {key!r} was used for a different request, or by another API key"
        )
    return record


def remember(
    session: Session,
    company_id: str,
    key: str,
    request_fingerprint: str,
    status_code: int,
    media_type: str,
    body: bytes,
) -> None:
    run(
        session,
        insert_into(IdempotencyRecord),
        {
            "company_id": company_id,
            "key": key,
            "fingerprint": request_fingerprint,
            "status_code": status_code,
            "media_type": media_type,
            "body": body.decode(),
        },
    )


@cache
def _advisory_lock() -> Select[Any]:
    return select(func.pg_try_advisory_xact_lock(func.hashtext(bindparam("key"))))


@cache
def _stored() -> Select[Any]:
    r = table_of(IdempotencyRecord)
    return select(r.c.fingerprint, r.c.status_code, r.c.media_type, r.c.body).where(
        r.c.company_id == bindparam("company_id"), r.c.key == bindparam("key")
    )


def purge(session: Session, older_than: timedelta = RETENTION) -> int:
    """Forgets keys older than the retention; returns how many."""
    result = session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - older_than)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
