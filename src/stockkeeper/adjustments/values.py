"""What the adjustment use cases take: an adjustment's content, a stock count, the filters of
the list."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, PlainValidator, TypeAdapter, ValidationError, WithJsonSchema
from pydantic_core import PydanticCustomError

from stockkeeper.core.api_model import Day, NonNegative, NonZero, NumberBesideText
from stockkeeper.core.text import code_text, free_text
from stockkeeper.core.values import Name, ReasonCode, Reference, Text, Values
from stockkeeper.stock.values import LineLots

AdjustmentType = Literal["positive", "negative", "mixed"]
AdjustmentKind = Literal["quantity", "value"]
AdjustmentStatus = Literal[
    "draft", "pending_approval", "approved", "rejected", "posted", "reversed"
]


class AdjustmentLine(LineLots):
    item_id: str = Field(examples=["item_01jd..."])
    variant_id: str | None = None
    bin_id: str | None = Field(default=None, description="A bin of the adjustment's location")
    adjustment_quantity: NonZero | None = Field(
        default=None,
        examples=[-2],
        description="Quantity adjustments: positive adds stock, negative removes it; never zero",
    )
    value_adjusted: NonZero | None = Field(
        default=None,
        examples=[-120.5],
        description="Value adjustments: the amount by which the stock at the location is "
        "revalued, its quantity unchanged; never zero",
    )
    unit_cost: NonNegative | None = Field(
        default=None,
        examples=[18.5],
        description="Cost of stock added; omitted, it is the average cost at the location, "
        "else the item's costPrice. Stock removed always goes at the average cost.",
    )
    reason: ReasonCode | None = Field(
        default=None, description="Defaults to the adjustment's reason"
    )
    notes: Text | None = None


_Text = Annotated[str, free_text(1000)]
_TEXT: TypeAdapter[str] = TypeAdapter(_Text)
_NUMBER: TypeAdapter[Decimal] = TypeAdapter(NumberBesideText)
# one schema taken and returned, so that a generated client has one model of the field
_VALUE_SCHEMA = TypeAdapter(_Text | bool | NumberBesideText | None).json_schema()


def _custom_value(value: Any) -> str | bool | Decimal | None:
    """Text, a flag or an exact number, each checked as its kind alone: a value of none of
    them is refused for what it is, not for each kind it is not."""
    if value is None or isinstance(value, bool):
        return value
    kind = _TEXT if isinstance(value, str) else _NUMBER
    try:
        return kind.validate_python(value)
    except ValidationError as refused:
        error = refused.errors()[0]
        raise PydanticCustomError(error["type"], error["msg"].replace("{", "(")) from None


CustomValue = Annotated[
    str | bool | Decimal | None, PlainValidator(_custom_value), WithJsonSchema(_VALUE_SCHEMA)
]


class CustomField(Values):
    customfield_id: Annotated[str, code_text(40, required=False)] | None = None
    label: Name
    value: CustomValue = None


class AdjustmentContent(Values):
    """An adjustment's content: what a new one holds, and what an edit of a draft replaces."""

    date: Day | None = Field(
        default=None,
        description="Effective date of the movements; today in the company's time zone",
    )
    type: AdjustmentType | None = Field(
        default=None, description="Derived from the lines; if sent, it must agree with them"
    )
    adjustment_type: AdjustmentKind = Field(
        default="quantity",
        description="quantity lines carry adjustmentQuantity; value lines carry valueAdjusted",
    )
    reason: ReasonCode = Field(examples=["stock_count"])
    location_id: str | None = Field(default=None, description="Defaults to the default warehouse")
    reference: Reference | None = Field(default=None, examples=["SC-2024-001"])
    notes: Text | None = None
    custom_fields: Sequence[CustomField] = Field(default=(), max_length=50)
    items: Sequence[AdjustmentLine] = Field(min_length=1, max_length=1000)


class NewAdjustment(AdjustmentContent):
    status: Literal["draft", "posted"] = Field(
        default="posted",
        description="draft keeps it a draft, to edit, submit for approval or post later",
    )


class StockCount(Values):
    """A counted quantity of an item (or variant) at a location, or at one bin of it."""

    item_id: str
    variant_id: str | None = None
    location_id: str
    bin_id: str | None = None
    new_quantity: NonNegative = Field(examples=[200])
    reason: ReasonCode = "stock_count"
    notes: Text | None = None
    cost_price: NonNegative | None = Field(default=None, description="Unit cost of units found")
    reference: Reference | None = None
    date: Day | None = None


class AdjustmentFilters(Values):
    date_from: Day | None = None
    date_to: Day | None = None
    type: AdjustmentType | None = None
    reason: str | None = None
    status: AdjustmentStatus | None = None
    adjustment_type: AdjustmentKind | None = None
    location_id: str | None = None
    item_id: str | None = None
