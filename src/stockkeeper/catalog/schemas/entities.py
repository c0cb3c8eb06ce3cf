"""The catalogue's supporting entities as the canonical API shows them, and their request
bodies: the catalogue's values with the API's names."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from stockkeeper.accounting.schemas import AccountRef, TaxRateRef
from stockkeeper.catalog.service.reasons import NewReason, ReasonChanges
from stockkeeper.catalog.values import (
    BinChanges,
    CategoryChanges,
    CostingMethod,
    DefaultAccountsChanges,
    DefaultTaxRatesChanges,
    LocationChanges,
    LocationType,
    NewBin,
    NewCategory,
    NewLocation,
    NewPriceGroup,
    NewSupplier,
    NumberingChanges,
    PostalAddress,
    PriceGroupChanges,
    PriceKind,
    SettingsChanges,
    SupplierChanges,
    SupplierFilters,
)
from stockkeeper.core.api_model import ApiModel
from stockkeeper.core.pagination import DEFAULT_LIMIT, MAX_LIMIT

# --- categories ---------------------------------------------------------------------------


class CategoryCreate(NewCategory, ApiModel):
    pass


class CategoryUpdate(CategoryChanges, ApiModel):
    pass


class CategoryRead(ApiModel):
    id: str
    name: str
    parent_id: str | None
    path: str = Field(examples=["Electronics > Components"])
    color: str
    position: int
    inventory_account_id: str | None = Field(
        default=None, description="The account as named (an id or a code); null: the default"
    )
    inventory_account: AccountRef | None = Field(default=None, description="What it names")
    created_at: datetime
    updated_at: datetime


# --- price groups -------------------------------------------------------------------------


class PriceGroupCreate(NewPriceGroup, ApiModel):
    pass


class PriceGroupUpdate(PriceGroupChanges, ApiModel):
    pass


class PriceGroupRead(ApiModel):
    id: str
    name: str
    kind: PriceKind
    prices_include_tax: bool
    is_active: bool
    holds_selling_price: bool = Field(
        description="An item's price in this group is its pricing.sellingPrice (one of each "
        "kind: Sales Price, Rate); it cannot be deleted"
    )
    created_at: datetime
    updated_at: datetime


# --- locations and bins -------------------------------------------------------------------


class Address(PostalAddress, ApiModel):
    pass


class LocationCreate(NewLocation, ApiModel):
    address: Address | None = None


class LocationUpdate(LocationChanges, ApiModel):
    address: Address | None = None


class LocationRead(ApiModel):
    id: str
    name: str
    type: LocationType
    code: str | None
    address: Address | None
    is_default: bool = Field(description="The company's default warehouse")
    is_active: bool
    inventory_account_id: str | None = Field(
        default=None, description="The account as named (an id or a code); null: the default"
    )
    inventory_account: AccountRef | None = Field(default=None, description="What it names")
    created_at: datetime
    updated_at: datetime


class BinCreate(NewBin, ApiModel):
    pass


class BinUpdate(BinChanges, ApiModel):
    pass


class BinRead(ApiModel):
    id: str
    location_id: str
    code: str
    name: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime


# --- suppliers ----------------------------------------------------------------------------


class SupplierCreate(NewSupplier, ApiModel):
    pass


class SupplierUpdate(SupplierChanges, ApiModel):
    pass


class SupplierListQuery(SupplierFilters, ApiModel):
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None


class SupplierRead(ApiModel):
    id: str
    creditor_number: str = Field(examples=["CRED001"])
    name: str
    contact_person: str | None
    email: str | None
    phone: str | None
    address: str | None
    notes: str | None
    website: str | None
    active: bool
    created_at: datetime
    updated_at: datetime


# --- company settings ---------------------------------------------------------------------


class NumberingFormats(ApiModel):
    adjustment: str = Field(default="ADJ-{YYYY}-{SEQ:4}", examples=["ADJ-{YYYY}-{SEQ:4}"])
    transfer: str = Field(default="XFR-{YYYY}-{SEQ:4}")
    purchase_order: str = Field(default="IO{YY}{SEQ:2}")
    supplier: str = Field(default="CRED{SEQ:3}")
    sales_issue: str = Field(default="ISS-{YYYY}-{SEQ:4}")
    sales_return: str = Field(default="RET-{YYYY}-{SEQ:4}")
    item: str = Field(default="ART_PRODUCT{SEQ:3}", description="Items' articleNumber")


class NumberingFormatsUpdate(NumberingChanges, ApiModel):
    pass


class DefaultAccountsRead(ApiModel):
    """Each default account as the settings name it (an id or a code), and the account it
    names (null when nothing matches)."""

    inventory_account_id: str | None = Field(examples=["acc_inventory"])
    cogs_account_id: str | None
    sales_account_id: str | None
    grni_account_id: str | None = Field(description="Goods received not invoiced")
    adjustments_account_id: str | None
    price_variance_account_id: str | None = Field(description="Purchase price variance")
    transit_account_id: str | None = Field(description="Inventory in transit")
    inventory_account: AccountRef | None
    cogs_account: AccountRef | None
    sales_account: AccountRef | None
    grni_account: AccountRef | None
    adjustments_account: AccountRef | None
    price_variance_account: AccountRef | None
    transit_account: AccountRef | None


class DefaultTaxRatesRead(ApiModel):
    """The rates an item that names none is taxed at, as named and as they stand."""

    sales_tax_code: str | None = Field(examples=["SST"])
    purchase_tax_code: str | None = Field(examples=["SST"])
    sales_tax_rate: TaxRateRef | None
    purchase_tax_rate: TaxRateRef | None


_PURCHASE_ORDERS = (
    "Whether stock comes in on purchase orders (the default). Off, a client of the smallbiz "
    "dialect may set a product's quantity on hand directly, posted as a stock count"
)


class SettingsRead(ApiModel):
    company_id: str
    name: str
    currency: str = Field(examples=["MYR"])
    timezone: str = Field(examples=["Asia/Kuala_Lumpur"])
    default_warehouse_id: str | None
    allow_negative_stock: bool
    purchase_orders_enabled: bool = Field(description=_PURCHASE_ORDERS)
    default_costing_method: CostingMethod
    lock_date: date | None = Field(
        description="No movement may be dated on or before this day (null: nothing is closed)"
    )
    numbering_formats: NumberingFormats
    default_accounts: DefaultAccountsRead
    default_tax_rates: DefaultTaxRatesRead


class DefaultAccountsUpdate(DefaultAccountsChanges, ApiModel):
    pass


class DefaultTaxRatesUpdate(DefaultTaxRatesChanges, ApiModel):
    pass


class SettingsUpdate(SettingsChanges, ApiModel):
    purchase_orders_enabled: bool | None = Field(default=None, description=_PURCHASE_ORDERS)
    numbering_formats: NumberingFormatsUpdate | None = None
    default_accounts: DefaultAccountsUpdate | None = None
    default_tax_rates: DefaultTaxRatesUpdate | None = None


class Deleted(ApiModel):
    id: str
    deleted: bool = Field(description="False when the record was deactivated instead")


class ReasonCreate(NewReason, ApiModel):
    pass


class ReasonUpdate(ReasonChanges, ApiModel):
    pass


class ReasonRead(ApiModel):
    code: str
    name: str
    is_system: bool
    is_active: bool
    account_id: str | None = Field(
        default=None, description="The account as named (an id or a code); null: the default"
    )
    account: AccountRef | None = Field(default=None, description="What it names")
