"""smallbiz's integer ids: each record's stable number (``core.record_numbers``), and back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from sqlalchemy.orm import Session

from stockkeeper.core import record_numbers
from stockkeeper.tenancy.service import Actor

# what is numbered: smallbiz's records, by the canonical resource behind each
Kind = Literal[
    "item", "category", "supplier", "purchase_order", "order_line", "movement", "tax_rate", "staff"
]


_LARGEST = 2**31 - 1  # an INTEGER column's largest value, on every engine


def number(session: Session, actor: Actor, kind: Kind, record_id: str) -> int:
    return record_numbers.number_of(session, actor.company_id, kind, record_id)


def numbers(
    session: Session, actor: Actor, kind: Kind, record_ids: Iterable[str]
) -> dict[str, int]:
    return record_numbers.numbers_of(session, actor.company_id, kind, record_ids)


def record(session: Session, actor: Actor, kind: Kind, number: int) -> str:
    """The canonical id that ``number`` names. A number never given out stands for itself
    (``"99"``, which no canonical id looks like), so the service refuses it as it refuses
    any id it does not know: "supplier '99' was not found"; so does one beyond what the
    column holds, which is never looked up (the database would refuse it)."""
    if not 0 < number <= _LARGEST:
        return str(number)
    return record_numbers.record_of(session, actor.company_id, kind, number) or str(number)


def optional(session: Session, actor: Actor, kind: Kind, number: int | None) -> str | None:
    return None if number is None else record(session, actor, kind, number)
