"""The catalogue as the API returns it, where a read is more than its row: a category with
its path in the tree, the company settings with their defaults filled in."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from stockkeeper.accounting.models import AccountingDefaults
from stockkeeper.accounting.service.defaults import (
    STANDARD_DEFAULT_ACCOUNTS,
    STANDARD_DEFAULT_TAX_RATES,
)
from stockkeeper.accounting.service.references import References
from stockkeeper.accounting.views import account_ref, tax_rate_ref
from stockkeeper.catalog.models import Category
from stockkeeper.catalog.schemas.entities import (
    CategoryRead,
    DefaultAccountsRead,
    DefaultTaxRatesRead,
    SettingsRead,
)


@dataclass(frozen=True)
class CategoryView:
    category: Category
    path: str  # its ancestors' names and its own, from the root


def category_read(view: CategoryView) -> CategoryRead:
    c = view.category
    return CategoryRead(
        id=c.id,
        name=c.name,
        parent_id=c.parent_id,
        path=view.path,
        color=c.color,
        position=c.position,
        inventory_account_id=c.inventory_account_id,
        inventory_account=account_ref(c.inventory_account),
        created_at=c.created_at,
        updated_at=c.updated_at,
    )


@dataclass(frozen=True)
class CompanySettings:
    """The company row's own settings, with its default warehouse and every numbering format."""

    company_id: str
    name: str
    currency: str
    timezone: str
    default_warehouse_id: str | None
    allow_negative_stock: bool
    purchase_orders_enabled: bool
    default_costing_method: str
    lock_date: date | None
    numbering_formats: dict[str, str]
    defaults: AccountingDefaults  # the default accounts and tax rates
    references: References  # what they name


def settings_read(settings: CompanySettings) -> SettingsRead:
    own = {f.name: getattr(settings, f.name) for f in fields(settings)}
    defaults, found = own.pop("defaults"), own.pop("references")
    accounts = {name: getattr(defaults, name) for name in STANDARD_DEFAULT_ACCOUNTS}
    rates = {name: getattr(defaults, name) for name in STANDARD_DEFAULT_TAX_RATES}
    return SettingsRead(
        **own,
        default_accounts=DefaultAccountsRead(
            **accounts,
            **{
                name.removesuffix("_id"): account_ref(found.accounts.get(ref or ""))
                for name, ref in accounts.items()
            },
        ),
        default_tax_rates=DefaultTaxRatesRead(
            **rates,
            sales_tax_rate=tax_rate_ref(found.tax_rates.get(defaults.sales_tax_code or "")),
            purchase_tax_rate=tax_rate_ref(found.tax_rates.get(defaults.purchase_tax_code or "")),
        ),
    )
