"""What the stock use cases take: the batches and serial numbers of a document line, the
filters of the item list, the stock list, the ledger and the levels, and a new item's opening
stock."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from stockkeeper.catalog.values import ItemType, NewItem, StockRules
from stockkeeper.core.api_model import Day, Instant, NonNegative, Positive, QueryAmount
from stockkeeper.core.schema_rules import named, not_null
from stockkeeper.core.text import code_text
from stockkeeper.core.values import Reference, Text, Values

LotText = Annotated[str, code_text(100)]  # batch and serial numbers


class BatchLine(Values):
    """A batch on a document line: an existing one (by id, or by number), or, for stock
    arriving from outside, a new one with its number and dates."""

    model_config = ConfigDict(json_schema_extra=named("batch_id", "batch_number"))

    batch_id: str | None = None
    batch_number: LotText | None = Field(default=None, examples=["LOT-2026-11"])
    external_batch_number: LotText | None = None
    manufacturer_date: Day | None = None
    expiry_date: Day | None = Field(default=None, examples=["2027-06-30"])
    quantity: Positive = Field(examples=[10])

    @model_validator(mode="after")
    def _named(self) -> BatchLine:
        if not (self.batch_id or self.batch_number):
            raise ValueError("name the batch by its id or its number")
        return self


class LineLots(Values):
    """The batches or serial numbers of a line, for batch- or serial-tracked items."""

    batches: Sequence[BatchLine] | None = Field(default=None, max_length=1000)
    serial_numbers: Sequence[LotText] | None = Field(
        default=None, max_length=10000, examples=[["SN-0001", "SN-0002"]]
    )


class BinQuantity(Values):
    """A part of a line's quantity (or of one of its batches), in one bin of the line's
    location."""

    bin_id: str = Field(examples=["bin_01jd..."])
    quantity: Positive = Field(examples=[4])


BinQuantities = Annotated[Sequence[BinQuantity], Field(min_length=1, max_length=1000)]


class BatchInBins(BatchLine):
    """A batch on a line, its quantity spread over bins when it names them."""

    bins: BinQuantities | None = Field(
        default=None, description="Where the batch's quantity lies, adding up to it"
    )


class LotsInBins(LineLots):
    """The lots of a line whose stock may be spread over several bins of its location: the
    line's own quantity (``bins``), or each batch's (a batch's ``bins``)."""

    batches: Sequence[BatchInBins] | None = Field(default=None, max_length=1000)
    bins: BinQuantities | None = Field(
        default=None,
        description="Where the line's quantity lies (its absolute value), adding up to it; "
        "for a batch-tracked item each batch names its own bins instead",
    )


class StockListFilters(Values):
    """The stock list's filters, and what its rows show (in the order the API documents)."""

    item_id: str | None = None
    location_id: str | None = None
    category_id: str | None = Field(default=None, description="Includes subcategories")
    low_stock: bool | None = Field(default=None, description="At or below the item's minimumStock")
    out_of_stock: bool | None = Field(default=None, description="At or below zero")
    negative: bool | None = Field(default=None, description="Below zero")
    include_reserved: bool = True
    include_reorder_info: bool = False
    value_min: QueryAmount | None = Field(
        default=None, description="stockValue at least this, under the company's costing method"
    )
    value_max: QueryAmount | None = Field(
        default=None, description="stockValue at most this, under the company's costing method"
    )
    search: str | None = Field(
        default=None,
        max_length=200,
        description="Items found by this, as the item list's search finds them (code, barcode, "
        "name or description)",
    )
    bin_id: str | None = Field(
        default=None, description="What lies in this bin: the rows' figures are the bin's alone"
    )


# what moved the stock: the ledger's movement types, a movement list's ``type`` filter
MOVEMENT_TYPES = (
    "opening_stock",
    "purchase",
    "purchase_return",
    "sale",
    "return",
    "adjustment",
    "count",
    "write_off",
    "transfer",
    "revaluation",
    "reversal",
)


class MovementFilters(Values):
    item_id: str | None = None
    location_id: str | None = None
    date_from: Day | None = None
    date_to: Day | None = None
    type: str | None = None
    reference: str | None = None


class LevelFilters(Values):
    item_id: str | None = None
    location_id: str | None = None
    bin_id: str | None = None
    batch_id: str | None = None
    serial_number: str | None = None
    expires_before: Day | None = Field(default=None, description="Batches expiring before")
    include_empty: bool = False


ReservationStatus = Literal["active", "fulfilled", "released", "expired"]


class NewReservation(Values):
    item_id: str = Field(examples=["item_01jd..."])
    variant_id: str | None = None
    location_id: str
    batch_id: str | None = Field(default=None, description="Reserve of this batch only")
    serial_number: str | None = Field(
        default=None, description="Reserve this one unit (quantity 1)"
    )
    quantity: Positive = Field(examples=[3])
    reference: Reference | None = Field(default=None, examples=["SO-2026-0042"])
    expires_at: Instant | None = Field(
        default=None, description="After this instant the reservation stops counting"
    )
    notes: Text | None = None


class Fulfilment(LineLots):
    """All that is still reserved, or ``quantity`` of it. For a batch- or serial-tracked item
    reserved without naming one, the batches or serials that go."""

    quantity: Positive | None = Field(default=None, description="Defaults to all that is left")
    bin_id: str | None = Field(default=None, description="The bin the goods are picked from")
    reference: Reference | None = Field(
        default=None, description="Of the sale (an invoice number); defaults to the reservation's"
    )
    date: Day | None = None


class ReservationFilters(Values):
    item_id: str | None = None
    location_id: str | None = None
    status: ReservationStatus | None = Field(
        default=None, description="As of now: past expiresAt a reservation is expired"
    )
    reference: str | None = None


class ItemFilters(Values):
    """What the item list is filtered by; an unknown filter is refused."""

    search: str | None = Field(
        default=None,
        max_length=200,
        description="Name, code, barcode or description, in any case: from three characters "
        "on, anywhere in them; one or two characters, at the start of a word",
    )
    category: str | None = Field(
        default=None, description="A category id; includes its subcategories"
    )
    type: ItemType | None = None
    goods: bool | None = Field(
        default=None,
        description="true: stock and non-stock items (type inventory or non_inventory); "
        "false: services",
    )
    tracked: bool | None = None
    active: bool | None = None
    updated_since: Instant | None = Field(
        default=None,
        description="Created or changed at or after this instant (its stock moving counts)",
    )
    updated_before: Instant | None = Field(
        default=None, description="Last created or changed before this instant"
    )
    low_stock: bool | None = Field(default=None, description="On hand at or below minimumStock")
    out_of_stock: bool | None = Field(
        default=None, description="Tracked, and on hand at or below zero"
    )
    supplier: str | None = None
    location: str | None = Field(default=None, description="Items with stock at this location")
    cost_price_min: QueryAmount | None = None
    cost_price_max: QueryAmount | None = None
    selling_price_min: QueryAmount | None = None
    selling_price_max: QueryAmount | None = None


Sort = Literal["name", "itemCode", "stock", "costPrice", "sellingPrice"]


class ItemListing(ItemFilters):
    """A listing of items: its filters, its order, and what each item shows."""

    sort: Sort = "name"
    order: Literal["asc", "desc"] = "asc"
    include_variants: bool = False
    include_images: bool = False


# --- a new item's opening stock -----------------------------------------------------------
# here rather than in the catalogue because it names batches and serial numbers as every stock
# document line does (``LineLots``)


class OpeningStock(LineLots):
    """The stock a new item starts with at one warehouse or store; a batch- or serial-tracked
    item names its batches or serial numbers, as on any line that brings stock in."""

    quantity: Positive = Field(examples=[50])
    unit_cost: NonNegative | None = Field(
        default=None, examples=[18.5], description="Defaults to the item's pricing.costPrice"
    )
    location_id: str | None = Field(
        default=None,
        examples=["loc_01jd..."],
        description="A warehouse or store; defaults to the company's default warehouse",
    )
    bin_id: str | None = Field(default=None, description="A bin of that location")


OPENING = (
    "Stock the item starts with, posted with it from the opening balances (only when an item "
    "is created)"
)


class OpeningStockRules(StockRules):
    model_config = ConfigDict(json_schema_extra=not_null("tracked"))

    opening_stock: OpeningStock | None = Field(default=None, description=OPENING)


class NewStockItem(NewItem):
    """A new item, with the opening stock it may bring."""

    inventory: OpeningStockRules | None = None


def opening_stock_of(item: NewItem) -> OpeningStock | None:
    """The opening stock a new item brings, if its values can carry one."""
    rules = item.inventory
    return rules.opening_stock if isinstance(rules, OpeningStockRules) else None
