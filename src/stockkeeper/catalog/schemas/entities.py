"""Request and response bodies for the catalogue's supporting entities."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from stockkeeper.catalog.service.reasons import NewReason, ReasonChanges
from stockkeeper.core.api_model import ApiModel

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
MAX_POSITION = 1_000_000
Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]


# --- categories ---------------------------------------------------------------------------


class CategoryCreate(ApiModel):
    name: Name = Field(examples=["Components"])
    parent_id: str | None = Field(default=None, examples=["cat_01jd..."])
    color: Color = Field(default="#6e56cf", examples=["#6e56cf"])
    position: int | None = Field(
        default=None, ge=0, le=MAX_POSITION, description="Defaults to after the last sibling"
    )


class CategoryUpdate(ApiModel):
    name: Name | None = None
    parent_id: str | None = None
    color: Color | None = None
    position: int | None = Field(default=None, ge=0, le=MAX_POSITION)


class CategoryRead(ApiModel):
    id: str
    name: str
    parent_id: str | None
    path: str = Field(examples=["Electronics > Components"])
    color: str
    position: int
    created_at: datetime
    updated_at: datetime


# --- price groups -------------------------------------------------------------------------

PriceKind = Literal["sales_price", "service_rate"]


class PriceGroupCreate(ApiModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)] = (
        Field(examples=["Trade"])
    )
    kind: PriceKind = Field(
        default="sales_price",
        description="`sales_price` for goods, `service_rate` for services",
    )
    prices_include_tax: bool = False
    is_active: bool = True


class PriceGroupUpdate(ApiModel):
    name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)] | None
    ) = None
    prices_include_tax: bool | None = None
    is_active: bool | None = None


class PriceGroupRead(ApiModel):
    id: str
    name: str
    kind: PriceKind
    prices_include_tax: bool
    is_active: bool
    created_at: datetime
    updated_at: datetime


# --- locations and bins -------------------------------------------------------------------

LocationType = Literal["warehouse", "store"]


class Address(ApiModel):
    line1: ShortText | None = None
    line2: ShortText | None = None
    city: ShortText | None = None
    state: ShortText | None = None
    postal_code: ShortText | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = Field(
        default=None, description="ISO 3166-1 alpha-2"
    )


class LocationCreate(ApiModel):
    name: Name = Field(examples=["Main Warehouse"])
    type: LocationType = "warehouse"
    code: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)] | None
    ) = Field(default=None, examples=["WH1"])
    address: Address | None = None
    is_active: bool = True


class LocationUpdate(ApiModel):
    name: Name | None = None
    type: LocationType | None = None
    code: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)] | None
    ) = None
    address: Address | None = None
    is_active: bool | None = None


class LocationRead(ApiModel):
    id: str
    name: str
    type: LocationType
    code: str | None
    address: Address | None
    is_default: bool = Field(description="The company's default warehouse")
    is_active: bool
    created_at: datetime
    updated_at: datetime


BinCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class BinCreate(ApiModel):
    code: BinCode = Field(examples=["A1-B2-C3"])
    name: ShortText | None = None
    is_active: bool = True


class BinUpdate(ApiModel):
    code: BinCode | None = None
    name: ShortText | None = None
    is_active: bool | None = None


class BinRead(ApiModel):
    id: str
    location_id: str
    code: str
    name: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime


# --- suppliers ----------------------------------------------------------------------------

Email = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]
LongText = Annotated[str, StringConstraints(max_length=5000)]


class SupplierCreate(ApiModel):
    name: Name = Field(examples=["Widget Supplier Ltd"])
    contact_person: ShortText | None = None
    email: Email | None = Field(default=None, examples=["orders@widgets.example"])
    phone: Annotated[str, StringConstraints(max_length=50)] | None = None
    address: LongText | None = None
    notes: LongText | None = None
    website: Annotated[str, StringConstraints(max_length=500)] | None = None
    active: bool = True


class SupplierUpdate(ApiModel):
    name: Name | None = None
    contact_person: ShortText | None = None
    email: Email | None = None
    phone: Annotated[str, StringConstraints(max_length=50)] | None = None
    address: LongText | None = None
    notes: LongText | None = None
    website: Annotated[str, StringConstraints(max_length=500)] | None = None
    active: bool | None = None


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

CostingMethod = Literal["fifo", "lifo", "average", "standard"]


class NumberingFormats(ApiModel):
    adjustment: str = Field(default="ADJ-{YYYY}-{SEQ:4}", examples=["ADJ-{YYYY}-{SEQ:4}"])
    transfer: str = Field(default="XFR-{YYYY}-{SEQ:4}")
    purchase_order: str = Field(default="IO{YY}{SEQ:2}")
    supplier: str = Field(default="CRED{SEQ:3}")
    sales_issue: str = Field(default="ISS-{YYYY}-{SEQ:4}")
    sales_return: str = Field(default="RET-{YYYY}-{SEQ:4}")


class NumberingFormatsUpdate(ApiModel):
    adjustment: str | None = None
    transfer: str | None = None
    purchase_order: str | None = None
    supplier: str | None = None
    sales_issue: str | None = None
    sales_return: str | None = None


class SettingsRead(ApiModel):
    company_id: str
    name: str
    currency: str = Field(examples=["MYR"])
    timezone: str = Field(examples=["Asia/Kuala_Lumpur"])
    default_warehouse_id: str | None
    allow_negative_stock: bool
    default_costing_method: CostingMethod
    lock_date: date | None = Field(
        description="No movement may be dated on or before this day (null: nothing is closed)"
    )
    numbering_formats: NumberingFormats


class SettingsUpdate(ApiModel):
    name: Name | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    timezone: str | None = None
    default_warehouse_id: str | None = None
    allow_negative_stock: bool | None = None
    default_costing_method: CostingMethod | None = None
    lock_date: date | None = Field(
        default=None, examples=["2026-03-31"], description="null opens the past again"
    )
    numbering_formats: NumberingFormatsUpdate | None = None


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
