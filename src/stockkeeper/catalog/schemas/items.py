"""Item bodies, in the shapes of the canonical API's Item Object."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, field_validator

from stockkeeper.core.api_model import ApiModel, NonNegative, Number

ItemType = Literal["inventory", "non_inventory", "service"]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
AccountRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
TaxCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2000)]


Tracking = Literal["none", "batch", "serial"]


class Dimensions(ApiModel):
    length: NonNegative | None = Field(default=None, examples=[10.0])
    width: NonNegative | None = Field(default=None, examples=[5.0])
    height: NonNegative | None = Field(default=None, examples=[3.0])
    unit: Literal["mm", "cm", "m", "in", "ft"] = "cm"


class PriceGroupPrice(ApiModel):
    group_id: str = Field(examples=["pg_01jd..."])
    price: NonNegative = Field(examples=[22.0])


class PricingWrite(ApiModel):
    cost_price: NonNegative | None = Field(default=None, examples=[25.0])
    standard_cost: NonNegative | None = Field(
        default=None,
        examples=[24.0],
        description="The cost stock is valued at under standard costing (default: costPrice)",
    )
    selling_price: NonNegative | None = Field(default=None, examples=[35.0])
    currency: Currency | None = Field(default=None, description="Defaults to the company currency")
    price_groups: list[PriceGroupPrice] | None = Field(
        default=None,
        description="Prices per price group (sales price types for goods, service rate types for "
        "services); when sent, replaces the item's list",
    )


class StockThresholds(ApiModel):
    tracked: bool | None = None
    tracking: Tracking | None = Field(
        default=None,
        description="batch: stock is kept in batches (number, expiry); serial: each unit has "
        "a serial number; none (the default)",
    )
    minimum_stock: NonNegative | None = Field(default=None, examples=[30])
    maximum_stock: NonNegative | None = Field(default=None, examples=[300])
    reorder_point: NonNegative | None = Field(default=None, examples=[40])
    reorder_quantity: NonNegative | None = Field(default=None, examples=[100])


class Accounting(ApiModel):
    income_account_id: AccountRef | None = Field(default=None, examples=["acc_sales_revenue"])
    expense_account_id: AccountRef | None = Field(default=None, examples=["acc_cogs"])
    asset_account_id: AccountRef | None = Field(default=None, examples=["acc_inventory"])


class TaxWrite(ApiModel):
    sales_tax_code: TaxCode | None = Field(default=None, examples=["SST"])
    purchase_tax_code: TaxCode | None = Field(default=None, examples=["SST"])
    taxable: bool | None = None


class ImageWrite(ApiModel):
    url: Url = Field(examples=["https://files.example.com/items/wdg-001-main.jpg"])
    is_primary: bool = False


CustomFields = dict[Annotated[str, StringConstraints(min_length=1, max_length=64)], Any]


class VariantCreate(ApiModel):
    name: Text200 = Field(examples=["Red Widget"])
    item_code: Code = Field(examples=["WDG-001-RED-M"])
    barcode: Code | None = Field(default=None, examples=["1234567890124"])
    attributes: dict[Annotated[str, StringConstraints(min_length=1, max_length=64)], str] = Field(
        default_factory=dict, examples=[{"color": "Red", "size": "Medium"}]
    )
    cost_price: NonNegative | None = Field(default=None, description="Overrides the item's")
    selling_price: NonNegative | None = Field(default=None, description="Overrides the item's")
    is_active: bool = True


class VariantUpdate(ApiModel):
    name: Text200 | None = None
    item_code: Code | None = None
    barcode: Code | None = None
    attributes: dict[Annotated[str, StringConstraints(min_length=1, max_length=64)], str] | None = (
        None
    )
    cost_price: NonNegative | None = None
    selling_price: NonNegative | None = None
    is_active: bool | None = None


def _one_primary_image(images: list[ImageWrite] | None) -> list[ImageWrite] | None:
    if images is not None and sum(1 for i in images if i.is_primary) > 1:
        raise ValueError("at most one image can be primary")
    return images


class ItemWrite(ApiModel):
    """Fields shared by create and update; on update, what is not sent is kept."""

    barcode: Code | None = Field(default=None, examples=["1234567890124"])
    description: Annotated[str, StringConstraints(max_length=5000)] | None = None
    category_id: str | None = Field(default=None, examples=["cat_01jd..."])
    unit: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)] | None
    ) = Field(default=None, examples=["pcs"])
    weight: NonNegative | None = Field(default=None, examples=[2.0])
    dimensions: Dimensions | None = None
    pricing: PricingWrite | None = None
    inventory: StockThresholds | None = None
    supplier_id: str | None = Field(default=None, examples=["supp_01jd..."])
    supplier_item_code: Code | None = Field(default=None, examples=["WS-WDG-002"])
    lead_time_days: int | None = Field(default=None, ge=0, le=3650, examples=[7])
    accounting: Accounting | None = None
    tax: TaxWrite | None = None
    custom_fields: CustomFields | None = Field(default=None, examples=[{"warranty": "2 years"}])
    images: list[ImageWrite] | None = Field(default=None, max_length=50)
    is_active: bool | None = None

    _images = field_validator("images")(_one_primary_image)


class ItemCreate(ItemWrite):
    item_code: Code = Field(examples=["WDG-002"])
    name: Text200 = Field(examples=["Advanced Widget"])
    type: ItemType = Field(examples=["inventory"])
    variants: list[VariantCreate] | None = Field(default=None, max_length=200)


class ItemUpdate(ItemWrite):
    item_code: Code | None = None
    name: Text200 | None = None
    type: ItemType | None = None


# --- reads --------------------------------------------------------------------------------


class CategoryRef(ApiModel):
    id: str
    name: str
    path: str


class PriceGroupPriceRead(ApiModel):
    group_id: str
    name: str
    price: Number
    includes_tax: bool


class PricingRead(ApiModel):
    cost_price: Number
    standard_cost: Number | None
    selling_price: Number
    currency: str
    price_groups: list[PriceGroupPriceRead]


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


class SupplierRef(ApiModel):
    id: str
    name: str
    supplier_item_code: str | None
    lead_time_days: int | None


class TaxRead(ApiModel):
    sales_tax_code: str | None
    purchase_tax_code: str | None
    taxable: bool


class LocationStock(ApiModel):
    location_id: str
    stock: Number
    available: Number
    reserved: Number
    on_order: Number
    bin_location: str | None


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
    barcode: str | None
    name: str
    description: str | None
    category: CategoryRef | None
    type: ItemType
    unit: str
    weight: Number | None
    dimensions: DimensionsRead | None
    pricing: PricingRead
    costs: CostFigures
    inventory: InventoryRead
    supplier: SupplierRef | None
    accounting: Accounting
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
    created_at: datetime
    updated_at: datetime
