"""The catalogue's supporting entities as the canonical API shows them, and their request
bodies: the catalogue's values with the API's names."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from stockkeeper.catalog.service.reasons import NewReason, ReasonChanges
from stockkeeper.catalog.values import (
    BinChanges,
    CategoryChanges,
    CostingMethod,
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


class NumberingFormatsUpdate(NumberingChanges, ApiModel):
    pass


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


class SettingsUpdate(SettingsChanges, ApiModel):
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
