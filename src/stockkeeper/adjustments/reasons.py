"""The reason catalogue: standard reasons every company has, and each company's own."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from stockkeeper.adjustments.models import AdjustmentReason, StockAdjustmentLine
from stockkeeper.core.db import run
from stockkeeper.core.errors import Conflict, Invalid, NotFound, field_error
from stockkeeper.tenancy.service import Actor

STANDARD = {
    "stock_count": "Stock count",
    "damaged": "Damaged",
    "found": "Found",
    "lost": "Lost",
    "expired": "Expired",
    "initial_stock": "Initial stock",
}


def create_standard_reasons(session: Session, company_id: str) -> None:
    session.add_all(
        AdjustmentReason(company_id=company_id, code=code, name=name, is_system=True)
        for code, name in STANDARD.items()
    )
    session.flush()


def list_reasons(session: Session, actor: Actor) -> list[AdjustmentReason]:
    statement = select(AdjustmentReason).where(AdjustmentReason.company_id == actor.company_id)
    return list(
        session.scalars(
            statement.order_by(AdjustmentReason.is_system.desc(), AdjustmentReason.code)
        )
    )


def get_reason(session: Session, actor: Actor, *, code: str) -> AdjustmentReason:
    reason = session.get(AdjustmentReason, (actor.company_id, code))
    if reason is None:
        raise NotFound("adjustment reason", code)
    return reason


def create_reason(session: Session, actor: Actor, *, values: dict[str, Any]) -> AdjustmentReason:
    if session.get(AdjustmentReason, (actor.company_id, values["code"])) is not None:
        raise Conflict(
            f"reason {values['code']!r} exists already",
            code="duplicate_code",
            errors=[field_error("code", "already in use", "duplicate")],
        )
    reason = AdjustmentReason(
        company_id=actor.company_id, is_system=False, is_active=True, **values
    )
    session.add(reason)
    session.flush()
    return reason


def update_reason(
    session: Session, actor: Actor, *, code: str, changes: dict[str, Any]
) -> AdjustmentReason:
    reason = get_reason(session, actor, code=code)
    for key, value in changes.items():
        if value is not None:
            setattr(reason, key, value)
    session.flush()
    return reason


def delete_reason(session: Session, actor: Actor, *, code: str) -> None:
    reason = get_reason(session, actor, code=code)
    if reason.is_system:
        raise Conflict(
            f"{code!r} is a standard reason; deactivate it instead", code="reason_in_use"
        )
    used = session.scalar(
        select(StockAdjustmentLine.id)
        .where(
            StockAdjustmentLine.company_id == actor.company_id, StockAdjustmentLine.reason == code
        )
        .limit(1)
    )
    if used is not None:
        raise Conflict(
            f"{code!r} is used by adjustments; deactivate it instead", code="reason_in_use"
        )
    session.delete(reason)
    session.flush()


def check_reasons(session: Session, actor: Actor, codes: dict[str, str]) -> None:
    """``codes`` maps a request field to a reason code; each must be an active reason."""
    found = run(
        session, _active_codes(), {"company": actor.company_id, "codes": set(codes.values())}
    )
    active = set(found.scalars())
    errors = [
        field_error(f, f"no active reason {code!r}", "unknown_reference")
        for f, code in codes.items()
        if code not in active
    ]
    if errors:
        raise Invalid("; ".join(e["message"] for e in errors), code="unknown_reason", errors=errors)


@cache
def _active_codes() -> Select[str]:
    """Built once: every adjustment checks its reasons with it."""
    r = AdjustmentReason
    return select(r.code).where(
        r.company_id == bindparam("company"),
        r.is_active.is_(True),
        r.code.in_(bindparam("codes", expanding=True)),
    )
