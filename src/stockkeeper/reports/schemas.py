"""Report bodies, in the shapes of the canonical API's Inventory Reports."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from stockkeeper.core.api_model import ApiModel, Number

Method = Literal["fifo", "lifo", "average", "standard"]


class ValuationParams(ApiModel):
    as_of_date: dt.date | None = Field(
        default=None, description="The end of this day; today in the company's time zone"
    )
    location_id: str | None = None
    category_id: str | None = Field(default=None, description="With its subcategories")
    valuation_method: Method | None = Field(
        default=None, description="The company's default costing method if not given"
    )
    include_zero_stock: bool = Field(default=False, description="List items with no stock too")


class ValuationSummary(ApiModel):
    total_items: int
    total_quantity: Number
    total_value: Number
    average_value: Number = Field(description="Total value per item listed")


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


class ValuationReport(ApiModel):
    report_name: str = Field(examples=["Stock Valuation Report"])
    as_of_date: dt.date
    valuation_method: Method
    currency: str = Field(examples=["MYR"])
    summary: ValuationSummary
    by_category: list[CategoryValuation]
    by_location: list[LocationValuation]
    items: list[ItemValuation]
