"""What an item names: its category, supplier and currency, and the accounts and tax rates
of the chart, checked when sent; and the items counted as users of an account or a rate, so
that one an item names is not deleted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from stockkeeper.accounting.service.common import SHOWN_USERS, account_users, tax_rate_users
from stockkeeper.accounting.service.references import check_references
from stockkeeper.catalog.models import Category, Item, Supplier
from stockkeeper.catalog.service.common import exists
from stockkeeper.core.errors import UnknownReference
from stockkeeper.tenancy.service import validate_currency

ACCOUNT_FIELDS = ("income_account_id", "expense_account_id", "asset_account_id")
TAX_CODES = ("sales_tax_code", "purchase_tax_code")


def _items_naming_account(session: Session, company_id: str, refs: tuple[str, str]) -> list[str]:
    """Items name an account by its id or its code, in their accounting."""
    named = [Item.accounting[name].as_string().in_(refs) for name in ACCOUNT_FIELDS]
    return _item_codes(session, company_id, or_(*named))


def _items_naming_tax_rate(session: Session, company_id: str, refs: tuple[str, str]) -> list[str]:
    named = [getattr(Item, name).in_(refs) for name in TAX_CODES]
    return _item_codes(session, company_id, or_(*named))


def _item_codes(session: Session, company_id: str, condition: Any) -> list[str]:
    statement = select(Item.item_code).where(Item.company_id == company_id, condition)
    codes = session.scalars(statement.order_by(Item.item_code).limit(SHOWN_USERS + 1))
    return [f"item {code}" for code in codes]


account_users.append(_items_naming_account)
tax_rate_users.append(_items_naming_tax_rate)


def existing_references(
    session: Session, company_id: str, named: dict[str, set[str]]
) -> set[tuple[str, str]]:
    """Which of the categories and suppliers named (``{"category_id": ids, ...}``) are the
    company's, as ``check_item_references`` takes them (``known``): one query a kind."""
    found = set()
    for field, model in (("category_id", Category), ("supplier_id", Supplier)):
        ids = named.get(field)
        if ids:
            rows = select(model.id).where(model.company_id == company_id, model.id.in_(ids))
            found |= {(field, ident) for ident in session.scalars(rows)}
    return found


def check_item_references(
    session: Session,
    company_id: str,
    columns: dict[str, Any],
    *,
    known: set[tuple[str, str]] | None = None,
) -> None:
    """Refuses a category, supplier, account or tax rate that is not the company's. ``known``
    holds the categories and suppliers found already (``(field, id)``): items checked
    together look each up once."""
    known = set() if known is None else known
    for field, model, what in (
        ("category_id", Category, "category"),
        ("supplier_id", Supplier, "supplier"),
    ):
        ident = columns.get(field)
        if ident is None or (field, ident) in known:
            continue
        if not exists(session, model, company_id, id=ident):
            raise UnknownReference.at(field, what, ident)
        known.add((field, ident))
    if columns.get("currency") is not None:
        validate_currency(columns["currency"], "pricing.currency")
    accounts = {
        f"accounting.{name}": ref for name, ref in (columns.get("accounting") or {}).items() if ref
    }
    rates = {f"tax.{name}": columns[name] for name in TAX_CODES if columns.get(name)}
    check_references(
        session,
        company_id,
        accounts=accounts,
        tax_rates=rates,
        uses={"tax.sales_tax_code": "sales", "tax.purchase_tax_code": "purchases"},
    )
