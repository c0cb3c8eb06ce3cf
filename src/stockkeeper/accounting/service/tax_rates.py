"""Tax rates: named components whose percentages add up to the rate an item is taxed at.
Admins change them; every role reads them."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.accounting.models import TaxRate
from stockkeeper.accounting.service.common import (
    change,
    check_code,
    get_row,
    in_use_reason,
    tax_rate_users,
    users_of,
)
from stockkeeper.accounting.values import NewTaxRate, TaxRateChanges
from stockkeeper.core import audit
from stockkeeper.core.errors import InUse
from stockkeeper.core.ids import new_id
from stockkeeper.tenancy.service import Actor

# every company starts with these (code, name, components): SST is BigLedger's example
STANDARD_RATES: tuple[tuple[str, str, list[dict[str, object]]], ...] = (
    ("SST", "Sales and service tax", [{"name": "Sales and service tax", "rate": Decimal(10)}]),
    ("ZERO", "Zero-rated", [{"name": "Zero-rated", "rate": Decimal(0)}]),
    ("EXEMPT", "Exempt", []),
)


def create_standard_tax_rates(session: Session, company_id: str) -> None:
    for code, name, components in STANDARD_RATES:
        session.add(
            TaxRate(
                id=new_id("tax"),
                company_id=company_id,
                code=code,
                name=name,
                components=components,
                applies_to="both",
            )
        )
    session.flush()


def list_tax_rates(session: Session, actor: Actor) -> list[TaxRate]:
    statement = select(TaxRate).where(TaxRate.company_id == actor.company_id)
    return list(session.scalars(statement.order_by(TaxRate.code, TaxRate.id)))


def get_tax_rate(session: Session, actor: Actor, *, tax_rate_id: str) -> TaxRate:
    return get_row(session, TaxRate, actor.company_id, tax_rate_id, "tax rate")


def create_tax_rate(session: Session, actor: Actor, *, rate: NewTaxRate) -> TaxRate:
    """A code is unique in the company."""
    check_code(session, TaxRate, actor.company_id, rate.code, "a tax rate")
    row = TaxRate(id=new_id("tax"), company_id=actor.company_id, **rate.model_dump())
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "tax_rate.created",
        "tax_rate",
        row.id,
        code=row.code,
        effective_rate=row.effective_rate,
    )
    return row


def update_tax_rate(
    session: Session, actor: Actor, *, tax_rate_id: str, changes: TaxRateChanges
) -> TaxRate:
    row = get_tax_rate(session, actor, tax_rate_id=tax_rate_id)
    sent = change(row, changes)
    session.flush()
    audit.record(session, actor, "tax_rate.updated", "tax_rate", row.id, **sent)
    return row


def delete_tax_rate(session: Session, actor: Actor, *, tax_rate_id: str) -> None:
    """Only a rate nothing refers to (by its id or its code); one in use is refused, naming
    what uses it, and can be deactivated instead."""
    row = get_tax_rate(session, actor, tax_rate_id=tax_rate_id)
    users = users_of(session, tax_rate_users, row)
    if users:
        raise InUse("tax rate", tax_rate_id, in_use_reason(users))
    session.delete(row)
    session.flush()
    audit.record(session, actor, "tax_rate.deleted", "tax_rate", row.id, code=row.code)
