"""What the report use cases take: each report's filters."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from stockkeeper.core.api_model import Day, QueryShare
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
    a_threshold: QueryShare = Field(
        default=Decimal(70), description="Percent of the usage value in class A"
    )
    b_threshold: QueryShare = Field(
        default=Decimal(20),
        description="Percent in class B; C holds the rest. The two add up to 100 at most "
        "(422 does_not_add_up)",
    )

    # each face names the thresholds its own way
    OVER_A_HUNDRED: ClassVar[str] = "a_threshold and b_threshold add up to more than 100"

    @field_validator("b_threshold")
    @classmethod
    def _within_a_hundred(cls, b_threshold: Decimal, info: ValidationInfo) -> Decimal:
        # a rule between two parameters, which the OpenAPI document can only say in words
        if info.data.get("a_threshold", 0) + b_threshold > 100:
            raise PydanticCustomError("does_not_add_up", cls.OVER_A_HUNDRED)
        return b_threshold
