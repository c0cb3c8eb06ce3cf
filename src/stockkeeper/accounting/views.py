"""Accounts and tax rates as the API returns them, whole or as another record names them."""

from __future__ import annotations

from stockkeeper.accounting.models import Account, TaxRate
from stockkeeper.accounting.schemas import AccountRead, AccountRef, TaxRateRead, TaxRateRef


def account_read(account: Account) -> AccountRead:
    return AccountRead.model_validate(account)


def tax_rate_read(rate: TaxRate) -> TaxRateRead:
    return TaxRateRead.model_validate(rate)


def account_ref(account: Account | None) -> AccountRef | None:
    if account is None:
        return None
    return AccountRef(id=account.id, code=account.code, name=account.name)


def tax_rate_ref(rate: TaxRate | None) -> TaxRateRef | None:
    if rate is None:
        return None
    return TaxRateRef(
        id=rate.id, code=rate.code, name=rate.name, effective_rate=rate.effective_rate
    )
