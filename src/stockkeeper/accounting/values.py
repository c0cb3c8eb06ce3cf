"""What the accounting use cases take, in the domain's names: accounts of the chart and tax
rates. A code is given when the account or rate is made and kept from then on (items may
refer to it by its code), so the changes leave it out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from stockkeeper.core.api_model import Percent
from stockkeeper.core.schema_rules import not_null
from stockkeeper.core.text import code_text, name_text
from stockkeeper.core.values import Values

AccountType = Literal["asset", "liability", "equity", "income", "expense", "cost_of_sales"]
AppliesTo = Literal["sales", "purchases", "both"]
AccountCode = Annotated[str, code_text(64)]
TaxCode = Annotated[str, code_text(32)]  # an item's tax code column holds 32
AccountName = Annotated[str, name_text(200)]
MAX_COMPONENTS = 10


class NewAccount(Values):
    code: AccountCode = Field(examples=["acc_sales_revenue"])
    name: AccountName = Field(examples=["Sales"])
    type: AccountType = Field(examples=["income"])
    active: bool = True


class AccountChanges(Values):
    model_config = ConfigDict(json_schema_extra=not_null("name", "type", "active"))

    name: AccountName | None = None
    type: AccountType | None = None
    active: bool | None = None


class TaxComponent(Values):
    name: AccountName = Field(examples=["Sales tax"])
    rate: Percent = Field(examples=[10], description="A percentage, 0 to 100")


class NewTaxRate(Values):
    code: TaxCode = Field(examples=["SST"])
    name: AccountName = Field(examples=["Sales and service tax"])
    components: Sequence[TaxComponent] = Field(
        default=(),
        max_length=MAX_COMPONENTS,
        description="The rate's parts; its effective rate is their sum (none: 0 %)",
    )
    applies_to: AppliesTo = "both"
    active: bool = True


class TaxRateChanges(Values):
    model_config = ConfigDict(
        json_schema_extra=not_null("name", "components", "applies_to", "active")
    )

    name: AccountName | None = None
    components: Sequence[TaxComponent] | None = Field(
        default=None, max_length=MAX_COMPONENTS, description="When sent, replaces the list"
    )
    applies_to: AppliesTo | None = None
    active: bool | None = None
