"""What the adjustment use cases take: an adjustment's content, a stock count, the filters of
the list."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import combinations
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from stockkeeper.accounting.values import AccountCode
from stockkeeper.core.api_model import Day, NonNegative, NonZero, NumberBesideText
from stockkeeper.core.text import code_text, free_text, name_text
from stockkeeper.core.values import ExternalId, Name, ReasonCode, Reference, Text, Values
from stockkeeper.stock.values import LotsInBins, LotText

AdjustmentType = Literal["positive", "negative", "mixed"]
AdjustmentKind = Literal["quantity", "value"]
AdjustmentStatus = Literal[
    "draft", "pending_approval", "approved", "rejected", "posted", "reversed"
]


ReasonText = Annotated[str, name_text(255)]
_REASON = (
    "A reason of the company's catalogue by its code or its name, in any case; other words "
    "are kept as `reasonText`, under the reason `other`"
)


def _one_placement(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """The document says what ``_placed_once`` refuses: a line places its stock by one of
    its ``bin_id``, its ``bins`` and its batches' ``bins`` at most."""

    def sent(name: str, kind: str, **more: Any) -> dict[str, Any]:
        alias = model.model_fields[name].alias or name
        return {"required": [alias], "properties": {alias: {"type": kind, **more}}}

    in_bins = {"required": ["bins"], "properties": {"bins": {"type": "array"}}}  # a batch
    ways = [
        sent("bin_id", "string"),
        sent("bins", "array"),
        sent("batches", "array", contains=in_bins),
    ]
    schema["not"] = {"anyOf": [{"allOf": list(pair)} for pair in combinations(ways, 2)]}


class AdjustmentLine(LotsInBins):
    model_config = ConfigDict(json_schema_extra=_one_placement)

    item_id: str = Field(examples=["item_01jd..."])
    variant_id: str | None = None
    location_id: str | None = Field(
        default=None,
        description="A warehouse or store of its own; the adjustment's location when left out",
    )
    bin_id: str | None = Field(default=None, description="A bin of the line's location")
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
    reason: ReasonText | None = Field(
        default=None, description=_REASON + "; the adjustment's reason when left out"
    )
    account_id: AccountCode | None = Field(
        default=None,
        examples=["acc_inventory_adjustments"],
        description="The account the line is booked against: an account of the chart, by its "
        "id or its code",
    )
    notes: Text | None = None

    @model_validator(mode="after")
    def _placed_once(self) -> AdjustmentLine:
        placed = [
            self.bin_id is not None,
            self.bins is not None,
            any(batch.bins is not None for batch in self.batches or ()),
        ]
        if sum(placed) > 1:
            raise ValueError("name one bin (binId), the line's bins, or each batch's bins")
        return self


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
    reason: ReasonText = Field(examples=["stock_count"], description=_REASON)
    reason_id: ReasonCode | None = Field(
        default=None,
        description="A reason of the catalogue by its exact code, refused where no active "
        "reason has it; `reason` is then kept as `reasonText` unless it is that reason's code "
        "or name",
    )
    location_id: str | None = Field(
        default=None,
        description="Where the lines move stock unless one names its own; defaults to the "
        "default warehouse",
    )
    reference: Reference | None = Field(default=None, examples=["SC-2024-001"])
    notes: Text | None = None
    custom_fields: Sequence[CustomField] = Field(default=(), max_length=50)
    items: Sequence[AdjustmentLine] = Field(min_length=1, max_length=1000)


class NewAdjustment(AdjustmentContent):
    status: Literal["draft", "posted"] = Field(
        default="posted",
        description="draft keeps it a draft, to edit, submit for approval or post later",
    )
    external_id: ExternalId | None = Field(
        default=None,
        examples=["POS-7-000123"],
        description="The client's own id of the document, unique per company and document "
        "type: sent again (here or in a batch), the document already posted is the answer",
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


class StockTarget(Values):
    """What one place holds: an item (or variant) at a location, in a bin, of a batch or a
    serial number, where the item keeps them."""

    item_id: str
    variant_id: str | None = None
    location_id: str
    bin_id: str | None = None
    batch_number: LotText | None = None
    expiry_date: Day | None = Field(default=None, description="Of a batch the target brings in")
    serial_number: LotText | None = None
    quantity: NonNegative = Field(examples=[24])
    unit_cost: NonNegative | None = Field(default=None, description="Unit cost of stock added")

    @model_validator(mode="after")
    def _one_serial(self) -> StockTarget:
        if self.serial_number is not None and self.quantity > 1:
            raise ValueError("a serial number is there (1) or not (0)")
        return self


class StockTargets(Values):
    """Places and what they hold; the ledger is set to it by one adjustment."""

    targets: Sequence[StockTarget] = Field(min_length=1, max_length=10000)
    reason: ReasonCode = "initial_stock"
    date: Day | None = None
    reference: Reference | None = None
    notes: Text | None = None


class AdjustmentFilters(Values):
    date_from: Day | None = None
    date_to: Day | None = None
    type: AdjustmentType | None = None
    reason: str | None = None
    status: AdjustmentStatus | None = None
    adjustment_type: AdjustmentKind | None = None
    location_id: str | None = Field(
        default=None, description="Adjustments at this location, or with a line there"
    )
    item_id: str | None = None
    external_id: str | None = None
