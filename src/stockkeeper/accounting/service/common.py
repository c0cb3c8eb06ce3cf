"""What the accounts and the tax rates share: reading a row of the company, setting what
an update sends, and asking the slices that refer to them whether a row is in use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.accounting.models import Account, TaxRate
from stockkeeper.core.errors import Duplicate, Invalid, NotFound, field_error
from stockkeeper.core.values import Values

Row = TypeVar("Row", Account, TaxRate)

# What refers to an account or a tax rate lives in slices further right (items refer to
# them by id or code): each registers a check here that names the rows using these refs.
UsageCheck = Callable[[Session, str, tuple[str, str]], list[str]]
account_users: list[UsageCheck] = []
tax_rate_users: list[UsageCheck] = []


def get_row(session: Session, model: type[Row], company_id: str, ident: str, what: str) -> Row:
    """The row with this id in this company; another company's id is the same 404."""
    row = session.get(model, (company_id, ident))
    if row is None:
        raise NotFound(what, ident)
    return row


def check_code(session: Session, model: type[Row], company_id: str, code: str, what: str) -> None:
    taken = session.scalar(
        select(model.id).where(model.company_id == company_id, model.code == code).limit(1)
    )
    if taken is not None:
        raise Duplicate("code", code, what)


def change(row: Account | TaxRate, changes: Values) -> dict[str, Any]:
    """Sets the columns the changes send (none may be null); returns them, for the audit."""
    sent = changes.model_dump(exclude_unset=True)
    nulls = [name for name, value in sent.items() if value is None]
    if nulls:
        raise Invalid.fields([field_error(name, "cannot be null", "null") for name in nulls])
    for name, value in sent.items():
        setattr(row, name, value)
    return sent


def users_of(session: Session, checks: list[UsageCheck], row: Account | TaxRate) -> list[str]:
    """What refers to the row, by its id or its code, as the referring slices name it."""
    return [name for check in checks for name in check(session, row.company_id, (row.id, row.code))]


SHOWN_USERS = 5  # a check names at most one more, to say there are others


def in_use_reason(users: list[str]) -> str:
    shown = ", ".join(users[:SHOWN_USERS]) + (" and more" if len(users) > SHOWN_USERS else "")
    return f"used by {shown}; deactivate it instead (active: false)"
