"""What the item use cases take beyond the catalogue's values: a new stock item's opening
stock, posted with it. It lives here rather than in the catalogue because it names batches and
serial numbers as every stock document line does (``LineLots``)."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from stockkeeper.catalog.values import NewItem, StockRules
from stockkeeper.core.api_model import NonNegative, Positive
from stockkeeper.core.schema_rules import not_null
from stockkeeper.stock.values import LineLots


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
