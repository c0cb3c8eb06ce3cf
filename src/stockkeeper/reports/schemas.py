"""Reports in the shapes of the canonical API's Inventory Reports, and the queries that ask
for them: the service's filters with the API's names, and the file format."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field

from stockkeeper.core.api_model import ApiModel, Number
from stockkeeper.reports.values import (
    AbcFilters,
    LowStockFilters,
    Method,
    MovementFilters,
    ValuationFilters,
)

Format = Literal["json", "csv", "xlsx"]


class Download(ApiModel):
    format: Format | None = Field(
        default=None, description="csv or xlsx to download a file; else as the Accept header says"
    )


class ValuationParams(ValuationFilters, Download):
    pass


class ValuationSummary(ApiModel):
    total_items: int
    total_quantity: Number
    total_value: Number
    average_value: Number = Field(description="Total value per item listed")
    purchase_price_variance: Number | None = Field(
        description="Under standard cost: what purchases to the day cost beyond the standard"
    )


class ValuationGroup(ApiModel):
    total_items: int
    total_quantity: Number
    total_value: Number


class CategoryValuation(ValuationGroup):
    category_id: str | None
    category_name: str


class LocationValuation(ValuationGroup):
    location_id: str
    location_name: str


class ItemValuation(ApiModel):
    item_id: str
    item_code: str
    item_name: str
    category_id: str | None
    quantity: Number
    average_cost: Number = Field(description="Value per unit, six decimals")
    total_value: Number
    purchase_price_variance: Number | None = Field(
        description="Under standard cost: received cost less quantity x standard, to the day"
    )


class ValuationReport(ApiModel):
    report_name: str = Field(examples=["Stock Valuation Report"])
    as_of_date: dt.date
    valuation_method: Method
    currency: str = Field(examples=["MYR"])
    summary: ValuationSummary
    by_category: list[CategoryValuation]
    by_location: list[LocationValuation]
    items: list[ItemValuation]


class MovementParams(MovementFilters, Download):
    pass


class MovementRow(ApiModel):
    item_id: str
    item_code: str
    item_name: str
    location_id: str | None
    location_name: str | None
    opening_quantity: Number
    opening_value: Number
    in_quantity: Number
    in_value: Number
    out_quantity: Number
    out_value: Number
    closing_quantity: Number
    closing_value: Number


class MovementReport(ApiModel):
    report_name: str = Field(examples=["Stock Movement Report"])
    period_from: dt.date
    period_to: dt.date
    valuation_method: Method
    currency: str
    items: list[MovementRow]


class LowStockParams(LowStockFilters, Download):
    pass


class LowStockRow(ApiModel):
    item_id: str
    item_code: str
    item_name: str
    location_id: str
    location_name: str
    current_stock: Number
    available_stock: Number
    minimum_stock: Number | None
    reorder_point: Number | None
    on_order_stock: Number
    suggested_quantity: Number
    supplier_id: str | None
    supplier_name: str | None
    unit_cost: Number
    estimated_cost: Number


class LowStockReport(ApiModel):
    report_name: str = Field(examples=["Low Stock Report"])
    generated_at: dt.datetime
    total_items: int
    estimated_cost: Number
    items: list[LowStockRow]


class AbcParams(AbcFilters, Download):
    OVER_A_HUNDRED: ClassVar[str] = "aThreshold and bThreshold add up to more than 100"


class AbcClass(ApiModel):
    item_count: int
    percentage: Number = Field(description="Of the items")
    value_percentage: Number = Field(description="Of the usage value")
    total_value: Number


class AbcRow(ApiModel):
    item_id: str
    item_code: str
    item_name: str
    classification: Literal["A", "B", "C"]
    annual_usage: Number = Field(description="Quantity issued for use over the period")
    unit_cost: Number
    annual_value: Number = Field(description="Value issued for use over the period")
    cumulative_percentage: Number


class AbcReport(ApiModel):
    report_name: str = Field(examples=["ABC Analysis Report"])
    period_from: dt.date
    period_to: dt.date
    valuation_method: Method
    currency: str
    classification: dict[Literal["A", "B", "C"], AbcClass]
    items: list[AbcRow]
