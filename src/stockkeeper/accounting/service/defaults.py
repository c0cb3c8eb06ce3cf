"""The company's default accounts and tax rates: what applies where an item (or its
category, location or reason) names none. Each is named by id or code, as items name them,
checked when sent, and keeps the account or rate it names from being deleted."""

from __future__ import annotations

from typing import Any

from pydantic.alias_generators import to_camel
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from stockkeeper.accounting.models import AccountingDefaults, TaxRate
from stockkeeper.accounting.service.common import UsageCheck, account_users, tax_rate_users
from stockkeeper.accounting.service.references import References, check_references, load_accounts
from stockkeeper.core.errors import Invalid, field_error

# each default account, with the standard account every company starts with
STANDARD_DEFAULT_ACCOUNTS = {
    "inventory_account_id": "acc_inventory",
    "cogs_account_id": "acc_cogs",
    "sales_account_id": "acc_sales_revenue",
    "grni_account_id": "acc_grni",
    "adjustments_account_id": "acc_inventory_adjustments",
    "price_variance_account_id": "acc_ppv",
    "transit_account_id": "acc_inventory_transit",
}
STANDARD_DEFAULT_TAX_RATES = {"sales_tax_code": "SST", "purchase_tax_code": "SST"}


def create_standard_defaults(session: Session, company_id: str) -> None:
    """After the standard accounts and tax rates: the defaults name them."""
    session.add(
        AccountingDefaults(
            company_id=company_id, **STANDARD_DEFAULT_ACCOUNTS, **STANDARD_DEFAULT_TAX_RATES
        )
    )
    session.flush()


def read_defaults(session: Session, company_id: str) -> AccountingDefaults:
    """The company's defaults; none named (not stored) for a company made without them."""
    return session.get(AccountingDefaults, company_id) or AccountingDefaults(company_id=company_id)


def load_with_default_tax(
    session: Session, company_id: str, *, accounts: set[str], tax_rates: set[str]
) -> tuple[References, dict[str, str | None]]:
    """What records name (as ``load_references``) with the default tax rates and what they
    name: still two queries, the defaults read in the rates' query (item lists count them)."""
    named = [
        select(getattr(AccountingDefaults, name))
        .where(AccountingDefaults.company_id == company_id)
        .scalar_subquery()
        for name in STANDARD_DEFAULT_TAX_RATES
    ]
    refs = [*tax_rates, *named]
    rows = session.execute(
        select(TaxRate, *named).where(
            TaxRate.company_id == company_id, or_(TaxRate.id.in_(refs), TaxRate.code.in_(refs))
        )
    ).all()
    defaults = dict.fromkeys(STANDARD_DEFAULT_TAX_RATES, None) | (
        dict(zip(STANDARD_DEFAULT_TAX_RATES, rows[0][1:], strict=True)) if rows else {}
    )
    wanted = tax_rates | {ref for ref in defaults.values() if ref}
    rates = {row.code: row for row, *_ in rows if row.code in wanted} | {
        row.id: row for row, *_ in rows if row.id in wanted
    }
    return References(load_accounts(session, company_id, accounts), rates), defaults


def _stored_defaults(session: Session, company_id: str) -> AccountingDefaults:
    row = read_defaults(session, company_id)
    if row not in session:
        session.add(row)
    return row


def change_defaults(
    session: Session, company_id: str, changes: dict[str, Any], *, at: str
) -> dict[str, Any]:
    """Sets the defaults sent (``changes`` maps a column to an id or code; a null is
    refused), each checked against the chart and the rates; ``at`` prefixes the field paths
    of errors. Returns what it set."""
    nulls = [name for name, ref in changes.items() if ref is None]
    if nulls:
        raise Invalid.fields([field_error(at + n, "cannot be null", "null") for n in nulls])
    check_references(
        session,
        company_id,
        accounts={at + n: ref for n, ref in changes.items() if n in STANDARD_DEFAULT_ACCOUNTS},
        tax_rates={at + n: ref for n, ref in changes.items() if n in STANDARD_DEFAULT_TAX_RATES},
        uses={at + "sales_tax_code": "sales", at + "purchase_tax_code": "purchases"},
    )
    row = _stored_defaults(session, company_id)
    for name, ref in changes.items():
        setattr(row, name, ref)
    session.flush()
    return changes


def _setting(column: str) -> str:
    """A default's path in the settings, as the API spells it."""
    group = "defaultAccounts" if column in STANDARD_DEFAULT_ACCOUNTS else "defaultTaxRates"
    return f"{group}.{to_camel(column)}"


def _settings_naming(columns: tuple[str, ...]) -> UsageCheck:
    """The settings, as a user of an account or rate one of these columns names."""

    def check(session: Session, company_id: str, refs: tuple[str, str]) -> list[str]:
        row = session.scalar(
            select(AccountingDefaults).where(
                AccountingDefaults.company_id == company_id,
                or_(*(getattr(AccountingDefaults, c).in_(refs) for c in columns)),
            )
        )
        if row is None:
            return []
        named = [_setting(c) for c in columns if getattr(row, c) in refs]
        return [f"the company settings ({', '.join(named)})"]

    return check


account_users.append(_settings_naming(tuple(STANDARD_DEFAULT_ACCOUNTS)))
tax_rate_users.append(_settings_naming(tuple(STANDARD_DEFAULT_TAX_RATES)))
