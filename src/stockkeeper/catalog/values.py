"""What the catalogue use cases take, in the domain's names: items nested as the Item Object
nests them (with their variants, prices and images), and the entities around them
(categories, price groups, locations and bins, suppliers, the company settings).

An update's values leave out what was not sent; ``given`` tells them apart from a null."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, field_validator

from stockkeeper.core.api_model import Day, NonNegative
from stockkeeper.core.schema_rules import AlsoMatches, KeysAsNames, at_most_one, not_null, rules
from stockkeeper.core.sequences import TEMPLATE_PATTERN
from stockkeeper.core.text import code_text, free_text, name_text
from stockkeeper.core.values import Currency, Email, TimeZone, Values

# codes, names and free text as core.text checks them (NFC, no control characters, ...)
Name = Annotated[str, name_text(200)]
ShortText = Annotated[str, name_text(200, required=False)]  # single-line: addresses, contacts
LongText = Annotated[str, free_text(5000)]
Code = Annotated[str, code_text(64)]
PlaceName = Annotated[str, name_text(120)]  # categories' and locations' columns hold 120
BinName = Annotated[str, name_text(120, required=False)]
Key = Annotated[str, code_text(64, strip=False)]  # the client's own keys, kept as sent
Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
# printable ASCII (a URL's other characters are percent-encoded): no \S, which JSON Schema's
# regular expressions and the validator's read differently
Url = Annotated[str, StringConstraints(pattern=r"^https?://[!-~]+$", max_length=2000)]
MAX_POSITION = 1_000_000

ItemType = Literal["inventory", "non_inventory", "service"]
SourceGuid = Annotated[str, free_text(100)]
Tracking = Literal["none", "batch", "serial"]
PriceKind = Literal["sales_price", "service_rate"]
LocationType = Literal["warehouse", "store"]
CostingMethod = Literal["fifo", "lifo", "average", "standard"]


# --- items --------------------------------------------------------------------------------


class ItemDimensions(Values):
    length: NonNegative | None = Field(default=None, examples=[10.0])
    width: NonNegative | None = Field(default=None, examples=[5.0])
    height: NonNegative | None = Field(default=None, examples=[3.0])
    unit: Literal["mm", "cm", "m", "in", "ft"] = "cm"


class GroupPrice(Values):
    group_id: str = Field(examples=["pg_01jd..."])
    price: NonNegative = Field(examples=[22.0])
    includes_tax: bool | None = Field(
        default=None,
        description="Whether this price includes tax, instead of the group's "
        "pricesIncludeTax; null: as the group says",
    )


class Pricing(Values):
    model_config = ConfigDict(json_schema_extra=not_null("cost_price", "selling_price", "currency"))

    cost_price: NonNegative | None = Field(default=None, examples=[25.0])
    standard_cost: NonNegative | None = Field(
        default=None,
        examples=[24.0],
        description="The cost stock is valued at under standard costing (default: costPrice)",
    )
    selling_price: NonNegative | None = Field(default=None, examples=[35.0])
    currency: Currency | None = Field(default=None, description="Defaults to the company currency")
    # when sent, replaces the item's list (its selling price is kept unless the list has it)
    price_groups: Sequence[GroupPrice] | None = None


class StockRules(Values):
    model_config = ConfigDict(json_schema_extra=not_null("tracked"))

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


_ACCOUNT = "An account of the chart, by its id or its code; null removes it"
_TAX_RATE = "A tax rate, by its id or its code"


class Accounts(Values):
    """Sent as a merge: what is left out is kept."""

    income_account_id: Code | None = Field(
        default=None, examples=["acc_sales_revenue"], description=_ACCOUNT
    )
    expense_account_id: Code | None = Field(
        default=None, examples=["acc_cogs"], description=_ACCOUNT
    )
    asset_account_id: Code | None = Field(
        default=None, examples=["acc_inventory"], description=_ACCOUNT
    )


class TaxSettings(Values):
    model_config = ConfigDict(json_schema_extra=not_null("taxable"))

    sales_tax_code: Annotated[str, code_text(32)] | None = Field(
        default=None, examples=["SST"], description=_TAX_RATE
    )
    purchase_tax_code: Annotated[str, code_text(32)] | None = Field(
        default=None, examples=["SST"], description=_TAX_RATE
    )
    taxable: bool | None = None


class Image(Values):
    url: Url = Field(examples=["https://files.example.com/items/wdg-001-main.jpg"])
    is_primary: bool = False


CustomFields = Annotated[dict[Key, Any], KeysAsNames()]
Attributes = Annotated[dict[Key, Annotated[str, name_text(200, required=False)]], KeysAsNames()]


class NewVariant(Values):
    name: Name = Field(examples=["Red Widget"])
    item_code: Code = Field(examples=["WDG-001-RED-M"])
    barcode: Code | None = Field(default=None, examples=["1234567890124"])
    attributes: Attributes = Field(
        default_factory=dict, examples=[{"color": "Red", "size": "Medium"}]
    )
    cost_price: NonNegative | None = Field(default=None, description="Overrides the item's")
    selling_price: NonNegative | None = Field(default=None, description="Overrides the item's")
    is_active: bool = True


class VariantChanges(Values):
    model_config = ConfigDict(
        json_schema_extra=not_null("name", "item_code", "attributes", "is_active")
    )

    name: Name | None = None
    item_code: Code | None = None
    barcode: Code | None = None
    attributes: Attributes | None = None
    cost_price: NonNegative | None = None
    selling_price: NonNegative | None = None
    is_active: bool | None = None


def _one_primary_image(images: Sequence[Image] | None) -> Sequence[Image] | None:
    if images is not None and sum(1 for i in images if i.is_primary) > 1:
        raise ValueError("at most one image can be primary")
    return images


_FLAGS = ("unit", "is_active", "purchasable", "sellable")  # sent with a value, or left out


class ItemContent(Values):
    """What a new item and an update have in common; an update keeps what it leaves out."""

    model_config = ConfigDict(
        json_schema_extra=rules(not_null(*_FLAGS), at_most_one("images", "is_primary"))
    )

    barcode: Code | None = Field(default=None, examples=["1234567890124"])
    description: LongText | None = None
    purchase_description: LongText | None = Field(
        default=None, description="What purchases call it (description: what sales do)"
    )
    notes: LongText | None = None
    source_guid: SourceGuid | None = Field(
        default=None, description="The item's id in another system, as it gives it"
    )
    category_id: str | None = Field(default=None, examples=["cat_01jd..."])
    unit: Annotated[str, name_text(20)] | None = Field(default=None, examples=["pcs"])
    weight: NonNegative | None = Field(default=None, examples=[2.0])
    dimensions: ItemDimensions | None = None
    pricing: Pricing | None = None
    inventory: StockRules | None = None
    supplier_id: str | None = Field(default=None, examples=["supp_01jd..."])
    supplier_item_code: Code | None = Field(default=None, examples=["WS-WDG-002"])
    lead_time_days: int | None = Field(default=None, ge=0, le=3650, examples=[7])
    accounting: Accounts | None = None
    tax: TaxSettings | None = None
    custom_fields: CustomFields | None = Field(default=None, examples=[{"warranty": "2 years"}])
    images: Sequence[Image] | None = Field(default=None, max_length=50)
    is_active: bool | None = None
    purchasable: bool | None = Field(
        default=None, description="Bought from suppliers: it can be on purchases (default true)"
    )
    sellable: bool | None = Field(
        default=None, description="Sold to customers: it can be on sales (default true)"
    )

    _images = field_validator("images")(_one_primary_image)


class NewItem(ItemContent):
    model_config = ConfigDict(
        json_schema_extra=rules(not_null(*_FLAGS), at_most_one("images", "is_primary"))
    )

    item_code: Code = Field(examples=["WDG-002"])
    name: Name = Field(examples=["Advanced Widget"])
    type: ItemType = Field(examples=["inventory"])
    variants: Sequence[NewVariant] | None = Field(default=None, max_length=200)


class ItemChanges(ItemContent):
    model_config = ConfigDict(
        json_schema_extra=rules(
            not_null(*_FLAGS, "item_code", "name", "type"),
            at_most_one("images", "is_primary"),
        )
    )

    item_code: Code | None = None
    name: Name | None = None
    type: ItemType | None = None


_OVERRIDE = (
    "The inventory account of the items here, instead of the company's default: an account "
    "of the chart, by its id or its code; null removes it"
)


# --- categories, price groups -------------------------------------------------------------


class NewCategory(Values):
    name: PlaceName = Field(examples=["Components"])
    parent_id: str | None = Field(default=None, examples=["cat_01jd..."])
    color: Color = Field(default="#6e56cf", examples=["#6e56cf"])
    position: int | None = Field(
        default=None, ge=0, le=MAX_POSITION, description="Defaults to after the last sibling"
    )
    inventory_account_id: Code | None = Field(
        default=None, examples=["acc_inventory"], description=_OVERRIDE
    )


class CategoryChanges(Values):
    model_config = ConfigDict(json_schema_extra=not_null("name", "color", "position"))

    name: PlaceName | None = None
    parent_id: str | None = None
    color: Color | None = None
    position: int | None = Field(default=None, ge=0, le=MAX_POSITION)
    inventory_account_id: Code | None = Field(
        default=None, examples=["acc_inventory"], description=_OVERRIDE
    )


GroupName = Annotated[str, name_text(80)]


class NewPriceGroup(Values):
    name: GroupName = Field(examples=["Trade"])
    kind: PriceKind = Field(
        default="sales_price",
        description="`sales_price` for goods, `service_rate` for services",
    )
    prices_include_tax: bool = False
    is_active: bool = True


class PriceGroupChanges(Values):
    model_config = ConfigDict(json_schema_extra=not_null("name", "prices_include_tax", "is_active"))

    name: GroupName | None = None
    prices_include_tax: bool | None = None
    is_active: bool | None = None


# --- locations and bins -------------------------------------------------------------------


class PostalAddress(Values):
    line1: ShortText | None = None
    line2: ShortText | None = None
    city: ShortText | None = None
    state: ShortText | None = None
    postal_code: ShortText | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = Field(
        default=None, description="ISO 3166-1 alpha-2"
    )


LocationCode = Annotated[str, code_text(40)]


class NewLocation(Values):
    name: PlaceName = Field(examples=["Main Warehouse"])
    type: LocationType = "warehouse"
    code: LocationCode | None = Field(default=None, examples=["WH1"])
    address: PostalAddress | None = None
    is_active: bool = True
    inventory_account_id: Code | None = Field(
        default=None, examples=["acc_inventory"], description=_OVERRIDE
    )


class LocationChanges(Values):
    model_config = ConfigDict(json_schema_extra=not_null("name", "type", "is_active"))

    name: PlaceName | None = None
    type: LocationType | None = None
    code: LocationCode | None = None
    address: PostalAddress | None = None
    is_active: bool | None = None
    inventory_account_id: Code | None = Field(
        default=None, examples=["acc_inventory"], description=_OVERRIDE
    )


class NewBin(Values):
    code: LocationCode = Field(examples=["A1-B2-C3"])
    name: BinName | None = None
    is_active: bool = True


class BinChanges(Values):
    model_config = ConfigDict(json_schema_extra=not_null("code", "is_active"))

    code: LocationCode | None = None
    name: BinName | None = None
    is_active: bool | None = None


# --- suppliers ----------------------------------------------------------------------------

Phone = Annotated[str, free_text(50)]
Website = Annotated[str, free_text(500)]


class NewSupplier(Values):
    name: Name = Field(examples=["Widget Supplier Ltd"])
    contact_person: ShortText | None = None
    email: Email | None = Field(default=None, examples=["orders@widgets.example"])
    phone: Phone | None = None
    address: LongText | None = None
    notes: LongText | None = None
    website: Website | None = None
    active: bool = True


class SupplierChanges(Values):
    model_config = ConfigDict(json_schema_extra=not_null("name", "active"))

    name: Name | None = None
    contact_person: ShortText | None = None
    email: Email | None = None
    phone: Phone | None = None
    address: LongText | None = None
    notes: LongText | None = None
    website: Website | None = None
    active: bool | None = None


class SupplierFilters(Values):
    active: bool | None = Field(default=None, description="true lists active ones only")


# --- company settings ---------------------------------------------------------------------


NumberingFormat = Annotated[str, code_text(40), AlsoMatches(TEMPLATE_PATTERN)]  # makes codes


class NumberingChanges(Values):
    adjustment: NumberingFormat | None = None
    transfer: NumberingFormat | None = None
    purchase_order: NumberingFormat | None = None
    supplier: NumberingFormat | None = None
    sales_issue: NumberingFormat | None = None
    sales_return: NumberingFormat | None = None
    item: NumberingFormat | None = None  # items' article numbers


_DEFAULT = "An account of the chart, by its id or its code"
DEFAULT_ACCOUNT_FIELDS = (
    "inventory_account_id",
    "cogs_account_id",
    "sales_account_id",
    "grni_account_id",
    "adjustments_account_id",
    "price_variance_account_id",
    "transit_account_id",
)
TaxCode = Annotated[str, code_text(32)]  # an item's tax code column holds 32


class DefaultAccountsChanges(Values):
    """The company's default accounts; each sent replaces its own, and none may be null."""

    model_config = ConfigDict(json_schema_extra=not_null(*DEFAULT_ACCOUNT_FIELDS))

    inventory_account_id: Code | None = Field(
        default=None, examples=["acc_inventory"], description=_DEFAULT
    )
    cogs_account_id: Code | None = Field(default=None, examples=["acc_cogs"])
    sales_account_id: Code | None = Field(default=None, examples=["acc_sales_revenue"])
    grni_account_id: Code | None = Field(
        default=None, examples=["acc_grni"], description="Goods received not invoiced"
    )
    adjustments_account_id: Code | None = Field(
        default=None, examples=["acc_inventory_adjustments"]
    )
    price_variance_account_id: Code | None = Field(
        default=None, examples=["acc_ppv"], description="Purchase price variance"
    )
    transit_account_id: Code | None = Field(
        default=None, examples=["acc_inventory_transit"], description="Inventory in transit"
    )


class DefaultTaxRatesChanges(Values):
    """The rates an item that names none is taxed at; none may be null."""

    model_config = ConfigDict(json_schema_extra=not_null("sales_tax_code", "purchase_tax_code"))

    sales_tax_code: TaxCode | None = Field(default=None, examples=["SST"], description=_TAX_RATE)
    purchase_tax_code: TaxCode | None = Field(default=None, examples=["SST"], description=_TAX_RATE)


class SettingsChanges(Values):
    name: Name | None = None
    currency: Currency | None = None
    timezone: TimeZone | None = None
    default_warehouse_id: str | None = None
    allow_negative_stock: bool | None = None
    purchase_orders_enabled: bool | None = None  # off: a product's stock may be set directly
    default_costing_method: CostingMethod | None = None
    lock_date: Day | None = Field(
        default=None, examples=["2026-03-31"], description="null opens the past again"
    )
    numbering_formats: NumberingChanges | None = None
    default_accounts: DefaultAccountsChanges | None = None
    default_tax_rates: DefaultTaxRatesChanges | None = None
