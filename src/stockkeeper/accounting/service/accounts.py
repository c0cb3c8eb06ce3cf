"""The chart of accounts: the accounts an item's income, cost and stock value are booked to.
Admins change it; every role reads it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.accounting.models import Account
from stockkeeper.accounting.service.common import (
    account_users,
    change,
    check_code,
    get_row,
    in_use_reason,
    users_of,
)
from stockkeeper.accounting.values import AccountChanges, NewAccount
from stockkeeper.core import audit
from stockkeeper.core.errors import InUse
from stockkeeper.core.ids import new_id
from stockkeeper.tenancy.service import Actor

# every company starts with these (code, name, type): the ones BigLedger's items name
STANDARD_ACCOUNTS = (
    ("acc_inventory", "Inventory", "asset"),
    ("acc_cogs", "Cost of goods sold", "cost_of_sales"),
    ("acc_sales_revenue", "Sales", "income"),
    ("acc_grni", "Goods received not invoiced", "liability"),
    ("acc_inventory_adjustments", "Inventory adjustments", "expense"),
    ("acc_ppv", "Purchase price variance", "expense"),
    ("acc_inventory_transit", "Inventory in transit", "asset"),
)


def create_standard_accounts(session: Session, company_id: str) -> None:
    for code, name, kind in STANDARD_ACCOUNTS:
        session.add(
            Account(id=new_id("acct"), company_id=company_id, code=code, name=name, type=kind)
        )
    session.flush()


def list_accounts(session: Session, actor: Actor) -> list[Account]:
    statement = select(Account).where(Account.company_id == actor.company_id)
    return list(session.scalars(statement.order_by(Account.code, Account.id)))


def get_account(session: Session, actor: Actor, *, account_id: str) -> Account:
    return get_row(session, Account, actor.company_id, account_id, "account")


def create_account(session: Session, actor: Actor, *, account: NewAccount) -> Account:
    """A code is unique in the company."""
    check_code(session, Account, actor.company_id, account.code, "an account")
    row = Account(id=new_id("acct"), company_id=actor.company_id, **account.model_dump())
    session.add(row)
    session.flush()
    audit.record(session, actor, "account.created", "account", row.id, code=row.code, type=row.type)
    return row


def update_account(
    session: Session, actor: Actor, *, account_id: str, changes: AccountChanges
) -> Account:
    row = get_account(session, actor, account_id=account_id)
    sent = change(row, changes)
    session.flush()
    audit.record(session, actor, "account.updated", "account", row.id, **sent)
    return row


def delete_account(session: Session, actor: Actor, *, account_id: str) -> None:
    """Only an account nothing refers to (by its id or its code); one in use is refused,
    naming what uses it, and can be deactivated instead."""
    row = get_account(session, actor, account_id=account_id)
    users = users_of(session, account_users, row)
    if users:
        raise InUse("account", account_id, in_use_reason(users))
    session.delete(row)
    session.flush()
    audit.record(session, actor, "account.deleted", "account", row.id, code=row.code)
