"""Accounts and tax rates as other records name them: by id or by code. An id is looked up
first, so a code that happens to spell another row's id still finds that row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from stockkeeper.accounting.errors import WrongTaxKind
from stockkeeper.accounting.models import Account, TaxRate
from stockkeeper.accounting.service.common import Row
from stockkeeper.core.errors import UnknownReference, field_error

TaxUse = Literal["sales", "purchases"]  # what a field's tax rate taxes


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


def load_accounts(session: Session, company_id: str, refs: set[str]) -> dict[str, Account]:
    return _by_reference(session, Account, company_id, refs)


def check_references(
    session: Session,
    company_id: str,
    *,
    accounts: Mapping[str, str],
    tax_rates: Mapping[str, str],
    uses: Mapping[str, TaxUse] | None = None,
) -> None:
    """``accounts`` and ``tax_rates`` map a field's path to the id or code it sends; each must
    name an active account (422 ``unknown_account``) or tax rate (``unknown_tax_rate``).
    ``uses`` says which rates' fields tax sales or purchases: a rate must apply to that
    (422 ``wrong_kind``)."""
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
    _check_uses(found.tax_rates, tax_rates, uses or {})


def check_account(session: Session, company_id: str, field: str, ref: str | None) -> None:
    """One field naming an account, when it names one (null removes it): an active one."""
    if ref is not None:
        check_references(session, company_id, accounts={field: ref}, tax_rates={})


def _check_uses(
    rates: Mapping[str, TaxRate], sent: Mapping[str, str], uses: Mapping[str, TaxUse]
) -> None:
    errors = [
        field_error(path, f"the tax rate applies to {rate.applies_to} only", "wrong_kind")
        for path, use in uses.items()
        if path in sent and (rate := rates[sent[path]]).applies_to not in (use, "both")
    ]
    if errors:
        raise WrongTaxKind.fields(errors)


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
