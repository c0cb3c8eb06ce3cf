"""Items as the canonical API shows them (the Item Object), and their request bodies: the
catalogue's values with the API's names."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import Field

from stockkeeper.accounting.schemas import AccountRef, TaxRateRef
from stockkeeper.catalog.values import (
    Accounts,
    GroupPrice,
    Image,
    ItemChanges,
    ItemContent,
    ItemDimensions,
    ItemType,
    NewVariant,
    Pricing,
    StockRules,
    TaxSettings,
    Tracking,
    VariantChanges,
)
from stockkeeper.core.api_model import ApiModel, Number


class Dimensions(ItemDimensions, ApiModel):
    pass


class PriceGroupPrice(GroupPrice, ApiModel):
    pass


class PricingWrite(Pricing, ApiModel):
    price_groups: Sequence[PriceGroupPrice] | None = Field(
        default=None,
        description="Prices per price group (sales price types for goods, service rate types for "
        "services); when sent, replaces the item's list. The price in the group that holds the "
        "selling price (Sales Price, Rate) is sellingPrice: sent both, they must agree "
        "(`contradicts_item`); left out of the list, the selling price is kept",
    )


class StockThresholds(StockRules, ApiModel):
    pass


class Accounting(Accounts, ApiModel):
    pass


class TaxWrite(TaxSettings, ApiModel):
    pass


class ImageWrite(Image, ApiModel):
    pass


class VariantCreate(NewVariant, ApiModel):
    pass


class VariantUpdate(VariantChanges, ApiModel):
    pass


class ItemWrite(ItemContent, ApiModel):
    """Fields shared by create (``stock.item_schemas.ItemCreate``, which adds the opening
    stock) and update; on update, what is not sent is kept."""

    dimensions: Dimensions | None = None
    pricing: PricingWrite | None = None
    inventory: StockThresholds | None = None
    accounting: Accounting | None = None
    tax: TaxWrite | None = None
    images: Sequence[ImageWrite] | None = Field(default=None, max_length=50)


class ItemUpdate(ItemWrite, ItemChanges):
    pass


# --- reads --------------------------------------------------------------------------------


class CategoryRef(ApiModel):
    id: str
    name: str
    path: str


class PriceGroupPriceRead(ApiModel):
    group_id: str
    name: str
    price: Number
    includes_tax: bool = Field(description="The price's own setting, else its group's")


class PricingRead(ApiModel):
    cost_price: Number
    standard_cost: Number | None
    selling_price: Number
    currency: str
    price_groups: list[PriceGroupPriceRead] = Field(
        description="The selling price first, in the group that holds it (Sales Price for "
        "goods, Rate for services), then the item's prices in other groups"
    )


class CostFigures(ApiModel):
    """The Sage document's cost figures: kept from what was bought, as it defines them."""

    last_cost_price: Number | None = Field(
        description="Paid on the latest purchase or stock adjustment (by date)"
    )
    average_cost_price: Number | None = Field(
        description="Total paid for purchases to date / the quantity purchased"
    )
    last_cost_price_stock_value: Number | None = Field(description="Last cost x stock held")
    average_cost_price_stock_value: Number | None = Field(description="Average cost x stock held")
    cost_price_last_updated: datetime | None


class InventoryRead(ApiModel):
    tracked: bool
    tracking: Tracking
    current_stock: Number
    available_stock: Number
    reserved_stock: Number
    on_order_stock: Number = Field(description="Open on purchase orders")
    minimum_stock: Number | None
    maximum_stock: Number | None
    reorder_point: Number | None
    reorder_quantity: Number | None


class ItemSupplier(ApiModel):
    id: str
    name: str
    supplier_item_code: str | None
    lead_time_days: int | None


class AccountingRead(ApiModel):
    """Each account as the item names it (an id or a code), and the account it names."""

    income_account_id: str | None = None
    expense_account_id: str | None = None
    asset_account_id: str | None = None
    income_account: AccountRef | None = Field(default=None, description="Null when none named")
    expense_account: AccountRef | None = None
    asset_account: AccountRef | None = None


class ItemTaxRate(TaxRateRef):
    is_default: bool = Field(
        description="True when the item names no rate and the company's default applies"
    )


class TaxRead(ApiModel):
    """Each tax code as the item names it (a rate's id or code), and the rate it is taxed at:
    the one it names, or else the company's default."""

    sales_tax_code: str | None
    purchase_tax_code: str | None
    taxable: bool
    sales_tax_rate: ItemTaxRate | None = Field(
        default=None, description="Null when neither the item nor the settings name one"
    )
    purchase_tax_rate: ItemTaxRate | None = None


BIN_LOCATION = (
    "The bin the stock lies in; where it is spread, each bin with what it holds "
    "(`A1: 6, B2: 4`, then `no bin: 3` for stock in none); null when none lies in a bin"
)


class BinStock(ApiModel):
    bin_code: str
    on_hand: Number


class LocationStock(ApiModel):
    location_id: str
    stock: Number
    available: Number
    reserved: Number
    on_order: Number
    bin_location: str | None = Field(description=BIN_LOCATION, examples=["A1-B2-C3"])
    bins: list[BinStock] = Field(description="On hand per bin, in bin-code order")


class VariantRead(ApiModel):
    id: str
    item_id: str
    name: str
    attributes: dict[str, str]
    item_code: str
    barcode: str | None
    cost_price: Number | None
    selling_price: Number | None
    stock: Number
    is_active: bool
    created_at: datetime
    updated_at: datetime


class ImageRead(ApiModel):
    id: str
    url: str
    is_primary: bool


class DimensionsRead(ApiModel):
    length: Number | None
    width: Number | None
    height: Number | None
    unit: str


class ItemRead(ApiModel):
    id: str = Field(examples=["item_01jd3k5v8q9w2e4r6t8y0u2i4o"])
    item_code: str
    article_number: str = Field(
        examples=["ART_PRODUCT001"],
        description="Given from the company's item numbering sequence; never changes",
    )
    barcode: str | None
    name: str
    description: str | None
    purchase_description: str | None = Field(description="What purchases call it")
    notes: str | None
    source_guid: str | None = Field(description="The item's id in another system")
    category: CategoryRef | None
    type: ItemType
    unit: str
    weight: Number | None
    dimensions: DimensionsRead | None
    pricing: PricingRead
    costs: CostFigures
    inventory: InventoryRead
    supplier: ItemSupplier | None
    accounting: AccountingRead
    tax: TaxRead
    locations: list[LocationStock]
    variants: list[VariantRead] | None = Field(
        description="Present on a single item, and in lists with includeVariants=true"
    )
    custom_fields: dict[str, Any]
    images: list[ImageRead] | None = Field(
        description="Present on a single item, and in lists with includeImages=true"
    )
    is_active: bool
    purchasable: bool = Field(description="Bought from suppliers: it can be on purchases")
    sellable: bool = Field(description="Sold to customers: it can be on sales")
    created_at: datetime
    updated_at: datetime
