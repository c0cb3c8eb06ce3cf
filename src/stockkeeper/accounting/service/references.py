"""Accounts and tax rates as other records name them: by id or by code. An id is looked up
first, so a code that happens to spell another row's id still finds that row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from stockkeeper.accounting.models import Account, TaxRate
from stockkeeper.accounting.service.common import Row
from stockkeeper.core.errors import UnknownReference, field_error


@dataclass(frozen=True)
class References:
    """The accounts and tax rates some records name, by each name they are given."""

    accounts: dict[str, Account] = field(default_factory=dict)
    tax_rates: dict[str, TaxRate] = field(default_factory=dict)


def load_references(
    session: Session, company_id: str, *, accounts: set[str], tax_rates: set[str]
) -> References:
    """Two queries at most, however many records name them."""
    return References(
        _by_reference(session, Account, company_id, accounts),
        _by_reference(session, TaxRate, company_id, tax_rates),
    )


def check_references(
    session: Session,
    company_id: str,
    *,
    accounts: Mapping[str, str],
    tax_rates: Mapping[str, str],
) -> None:
    """``accounts`` and ``tax_rates`` map a field's path to the id or code it sends; each must
    name an active account (422 ``unknown_account``) or tax rate (``unknown_tax_rate``)."""
    found = load_references(
        session, company_id, accounts=set(accounts.values()), tax_rates=set(tax_rates.values())
    )
    for what, sent, rows in (
        ("account", accounts, found.accounts),
        ("tax rate", tax_rates, found.tax_rates),
    ):
        errors = [
            field_error(path, f"no active {what} with this id or code", "unknown_reference")
            for path, ref in sent.items()
            if ref not in rows or not rows[ref].active
        ]
        if errors:
            raise UnknownReference(what, errors)


def _by_reference(
    session: Session, model: type[Row], company_id: str, refs: set[str]
) -> dict[str, Row]:
    if not refs:
        return {}
    rows = list(
        session.scalars(
            select(model).where(
                model.company_id == company_id, or_(model.id.in_(refs), model.code.in_(refs))
            )
        )
    )
    return {row.code: row for row in rows if row.code in refs} | {
        row.id: row for row in rows if row.id in refs
    }
