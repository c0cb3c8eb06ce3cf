"""The catalogue of reasons for moving stock (adjustments, write-offs, returns): the standard
reasons every company has, and each company's own."""

from __future__ import annotations

from functools import cache

from pydantic import Field
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, selectinload

from stockkeeper.accounting.service.common import SHOWN_USERS, account_users
from stockkeeper.accounting.service.references import check_account
from stockkeeper.accounting.values import AccountCode
from stockkeeper.catalog.models import AdjustmentReason
from stockkeeper.catalog.service.common import try_delete
from stockkeeper.core import audit
from stockkeeper.core.db import run
from stockkeeper.core.errors import Duplicate, InUse, NotFound, UnknownReference, field_error
from stockkeeper.core.values import Name, ReasonCode, Values
from stockkeeper.tenancy.service import Actor

STANDARD = {
    "stock_count": "Stock count",
    "damaged": "Damaged",
    "found": "Found",
    "lost": "Lost",
    "expired": "Expired",
    "initial_stock": "Initial stock",
    "internal_consumption": "Internal consumption",  # used up by the business itself
    "other": "Other",  # where an adjustment's reason is words of its own (reasonText)
}


def create_standard_reasons(session: Session, company_id: str) -> None:
    session.add_all(
        AdjustmentReason(company_id=company_id, code=code, name=name, is_system=True)
        for code, name in STANDARD.items()
    )
    session.flush()


def list_reasons(session: Session, actor: Actor) -> list[AdjustmentReason]:
    statement = (
        select(AdjustmentReason)
        .where(AdjustmentReason.company_id == actor.company_id)
        .options(selectinload(AdjustmentReason.account))
    )
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


_ACCOUNT = (
    "The account adjustments for this reason are booked against, instead of the company's "
    "default: an account of the chart, by its id or its code; null removes it"
)


class NewReason(Values):
    code: ReasonCode = Field(examples=["shrinkage"])
    name: Name
    account_id: AccountCode | None = Field(
        default=None, examples=["acc_inventory_adjustments"], description=_ACCOUNT
    )


class ReasonChanges(Values):
    name: Name | None = None
    is_active: bool | None = None
    account_id: AccountCode | None = Field(default=None, description=_ACCOUNT)


def create_reason(session: Session, actor: Actor, *, reason: NewReason) -> AdjustmentReason:
    if session.get(AdjustmentReason, (actor.company_id, reason.code)) is not None:
        raise Duplicate("code", reason.code, "a reason")
    check_account(session, actor.company_id, "account_id", reason.account_id)
    row = AdjustmentReason(
        company_id=actor.company_id,
        code=reason.code,
        name=reason.name,
        is_system=False,
        is_active=True,
        account_id=reason.account_id,
    )
    session.add(row)
    audit.record(session, actor, "reason.created", "reason", row.code, name=row.name)
    session.flush()
    return row


def update_reason(
    session: Session, actor: Actor, *, code: str, changes: ReasonChanges
) -> AdjustmentReason:
    reason = get_reason(session, actor, code=code)
    if changes.name is not None:
        reason.name = changes.name
    if changes.is_active is not None:
        reason.is_active = changes.is_active
    if changes.given("account_id"):
        check_account(session, actor.company_id, "account_id", changes.account_id)
        reason.account_id = changes.account_id
        session.expire(reason, ["account"])
    audit.record(
        session, actor, "reason.updated", "reason", code, **changes.model_dump(exclude_unset=True)
    )
    session.flush()
    return reason


def delete_reason(session: Session, actor: Actor, *, code: str) -> None:
    reason = get_reason(session, actor, code=code)
    if reason.is_system:
        raise InUse("reason", code, "it is a standard reason; deactivate it instead")
    if not try_delete(session, reason):  # the documents that name it keep it
        raise InUse("reason", code, "documents use it; deactivate it instead")
    audit.record(session, actor, "reason.deleted", "reason", code)


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
        raise UnknownReference("reason", errors)


@cache
def _active_codes() -> Select[str]:
    """Built once: every adjustment checks its reasons with it."""
    r = AdjustmentReason
    return select(r.code).where(
        r.company_id == bindparam("company"),
        r.is_active.is_(True),
        r.code.in_(bindparam("codes", expanding=True)),
    )


def _reasons_naming(session: Session, company_id: str, refs: tuple[str, str]) -> list[str]:
    r = AdjustmentReason
    statement = select(r.code).where(r.company_id == company_id, r.account_id.in_(refs))
    codes = session.scalars(statement.order_by(r.code).limit(SHOWN_USERS + 1))
    return [f"adjustment reason {code}" for code in codes]


account_users.append(_reasons_naming)
