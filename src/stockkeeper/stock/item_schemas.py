"""The canonical API's body of a new item: the catalogue's item with the API's names, and the
opening stock it may bring (``inventory.openingStock``), whose batches are the API's like on
every document line. Updates take the catalogue's body, which has no opening stock."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from stockkeeper.catalog.schemas.items import ItemWrite, StockThresholds, VariantCreate
from stockkeeper.core.api_model import ApiModel
from stockkeeper.stock.schemas import BatchEntry
from stockkeeper.stock.values import (
    OPENING,
    NewStockItem,
    OpeningStock,
    OpeningStockRules,
)


class OpeningStockWrite(OpeningStock, ApiModel):
    batches: Sequence[BatchEntry] | None = Field(default=None, max_length=1000)


class InventoryCreate(StockThresholds, OpeningStockRules):
    opening_stock: OpeningStockWrite | None = Field(default=None, description=OPENING)


class ItemCreate(ItemWrite, NewStockItem):
    variants: Sequence[VariantCreate] | None = Field(default=None, max_length=200)
    inventory: InventoryCreate | None = None
