"""What the report use cases take: each report's filters."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import Field, model_validator

from stockkeeper.core.api_model import Day, QueryAmount
from stockkeeper.core.values import Values

Method = Literal["fifo", "lifo", "average", "standard"]


class ValuationFilters(Values):
    as_of_date: Day | None = Field(
        default=None, description="The end of this day; today in the company's time zone"
    )
    location_id: str | None = None
    category_id: str | None = Field(default=None, description="With its subcategories")
    valuation_method: Method | None = Field(
        default=None, description="The company's default costing method if not given"
    )
    include_zero_stock: bool = Field(default=False, description="List items with no stock too")


class MovementFilters(Values):
    date_from: Day | None = Field(
        default=None, description="The first day; the first of dateTo's month if not given"
    )
    date_to: Day | None = Field(default=None, description="The last day; today if not given")
    location_id: str | None = None
    category_id: str | None = Field(default=None, description="With its subcategories")
    item_id: str | None = None
    valuation_method: Method | None = None
    by_location: bool = Field(default=False, description="One row per item and location")


class LowStockFilters(Values):
    location_id: str | None = None
    category_id: str | None = Field(default=None, description="With its subcategories")


class AbcFilters(Values):
    period_from: Day | None = Field(
        default=None, description="Default: the 365 days up to periodTo"
    )
    period_to: Day | None = Field(default=None, description="Default: today")
    location_id: str | None = None
    category_id: str | None = None
    valuation_method: Method | None = None
    a_threshold: Annotated[QueryAmount, Field(gt=0, lt=100)] = Field(
        default=Decimal(70), description="Percent of the usage value in class A"
    )
    b_threshold: Annotated[QueryAmount, Field(gt=0, lt=100)] = Field(
        default=Decimal(20), description="Percent in class B; C holds the rest"
    )

    # each face names the thresholds its own way
    OVER_A_HUNDRED: ClassVar[str] = "a_threshold and b_threshold add up to more than 100"

    @model_validator(mode="after")
    def _within_a_hundred(self) -> AbcFilters:
        if self.a_threshold + self.b_threshold > 100:
            raise ValueError(self.OVER_A_HUNDRED)
        return self
