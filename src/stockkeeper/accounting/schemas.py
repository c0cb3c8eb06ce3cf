"""Accounts and tax rates as the canonical API shows them, and their request bodies: the
accounting values with the API's names."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import Field

from stockkeeper.accounting.values import (
    MAX_COMPONENTS,
    AccountChanges,
    AccountType,
    AppliesTo,
    NewAccount,
    NewTaxRate,
    TaxComponent,
    TaxRateChanges,
)
from stockkeeper.core.api_model import ApiModel, Number

# --- accounts -----------------------------------------------------------------------------


class AccountCreate(NewAccount, ApiModel):
    pass


class AccountUpdate(AccountChanges, ApiModel):
    pass


class AccountRead(ApiModel):
    id: str = Field(examples=["acct_01jd3k5v8q9w2e4r6t8y0u2i4o"])
    code: str
    name: str
    type: AccountType
    active: bool
    created_at: datetime
    updated_at: datetime


class AccountRef(ApiModel):
    """The account a record names, as it now stands."""

    id: str
    code: str
    name: str


# --- tax rates ----------------------------------------------------------------------------


class TaxComponentWrite(TaxComponent, ApiModel):
    pass


class TaxRateCreate(NewTaxRate, ApiModel):
    components: Sequence[TaxComponentWrite] = Field(
        default=(),
        max_length=MAX_COMPONENTS,
        description="The rate's parts; its effective rate is their sum (none: 0 %)",
    )


class TaxRateUpdate(TaxRateChanges, ApiModel):
    components: Sequence[TaxComponentWrite] | None = Field(
        default=None, max_length=MAX_COMPONENTS, description="When sent, replaces the list"
    )


class TaxComponentRead(ApiModel):
    name: str
    rate: Number


class TaxRateRead(ApiModel):
    id: str = Field(examples=["tax_01jd3k5v8q9w2e4r6t8y0u2i4o"])
    code: str
    name: str
    components: list[TaxComponentRead]
    effective_rate: Number = Field(description="The sum of the components' rates, in percent")
    applies_to: AppliesTo
    active: bool
    created_at: datetime
    updated_at: datetime


class TaxRateRef(ApiModel):
    """The tax rate a record names, as it now stands."""

    id: str
    code: str
    name: str
    effective_rate: Number
