"""The accounts items book to: what an item names, else (for its stock) what its category
names, else the company's default (decision 21). The stock journals take an item's inventory
account in the order item, location, category, default (decision 26); an item here is at no
location in particular, so the order is the same without that step.

Accounts are named by id or by code. The first name given is the one that applies: a name
that matches no account (one written before names were checked) gives None rather than the
next one, as the journals keep such a name as written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.accounting.models import Account, AccountingDefaults
from stockkeeper.accounting.service.defaults import read_defaults
from stockkeeper.accounting.service.references import load_accounts
from stockkeeper.catalog.models import Category, Item
from stockkeeper.tenancy.service import Actor

Names = tuple[str | None, str | None, str | None]  # sales, cost of sales, inventory


@dataclass(frozen=True)
class BookedAccounts:
    """Where an item's sales, cost of sales and stock value are booked (None: nowhere known),
    and the account its purchase lines show (``purchases``): a stock item's inventory
    account, anything else's cost of sales account. A stock item that names its expense
    account and no asset account shows its expense account there, as it names it (as the
    dialects showed it before the fallbacks); its stock is still valued in its inventory
    account."""

    sales: Account | None
    cost_of_sales: Account | None
    inventory: Account | None
    purchases: Account | None


def booked_accounts(
    session: Session, actor: Actor, *, items: Sequence[Item]
) -> dict[str, BookedAccounts]:
    """By item id: the item's income account, else the default sales account; its expense
    account, else the default cost of goods sold; its asset account, else its category's
    inventory account, else the default inventory account. Three queries at most, however
    many items: the defaults, the categories' accounts and the accounts named."""
    if not items:
        return {}
    company_id = actor.company_id
    defaults = read_defaults(session, company_id)
    categories = _category_accounts(session, company_id, {i.category_id for i in items})
    names = {item.id: _names(item, categories, defaults) for item in items}
    accounts = load_accounts(session, company_id, {r for n in names.values() for r in n if r})
    return {item.id: _booked(item, names[item.id], accounts) for item in items}


def _booked(item: Item, names: Names, accounts: dict[str, Account]) -> BookedAccounts:
    sales, cost_of_sales, inventory = (accounts.get(ref) if ref else None for ref in names)
    own = item.accounting or {}
    stock = item.type == "inventory"
    shows_stock = own.get("asset_account_id") or not own.get("expense_account_id")
    purchases = inventory if stock and shows_stock else cost_of_sales
    return BookedAccounts(sales, cost_of_sales, inventory, purchases)


def _category_accounts(
    session: Session, company_id: str, category_ids: set[str | None]
) -> dict[str, str | None]:
    """The inventory account each category names (by id or code), where it names one."""
    wanted = {ident for ident in category_ids if ident}
    if not wanted:
        return {}
    rows = session.execute(
        select(Category.id, Category.inventory_account_id).where(
            Category.company_id == company_id,
            Category.id.in_(wanted),
            Category.inventory_account_id.is_not(None),
        )
    )
    return {ident: account for ident, account in rows}


def _names(item: Item, categories: dict[str, str | None], defaults: AccountingDefaults) -> Names:
    own = item.accounting or {}
    return (
        own.get("income_account_id") or defaults.sales_account_id,
        own.get("expense_account_id") or defaults.cogs_account_id,
        own.get("asset_account_id")
        or categories.get(item.category_id or "")
        or defaults.inventory_account_id,
    )
