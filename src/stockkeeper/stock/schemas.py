"""The Stock Object, movement rows, reservations and items with their stock, as the canonical
API shows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import Field

from stockkeeper.catalog.schemas.items import BIN_LOCATION, ItemRead
from stockkeeper.core.api_model import ApiModel, Number
from stockkeeper.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from stockkeeper.stock.values import (
    BatchInBins,
    BatchLine,
    BinQuantity,
    ItemListing,
    LevelFilters,
    MovementFilters,
    NewReservation,
    ReservationFilters,
    ReservationStatus,
    StockListFilters,
)
from stockkeeper.stock.values import Fulfilment as FulfilmentValue


class LocationRef(ApiModel):
    id: str
    name: str


class LastMovement(ApiModel):
    date: dt.datetime
    type: str = Field(examples=["sale"])
    quantity: Number = Field(examples=[-10], description="Signed, at this location")
    reference: str | None


class ReorderSupplier(ApiModel):
    """The item's usual supplier; ``id`` is null when it has none, so that clients can read
    ``item["supplier"]["id"]`` either way."""

    id: str | None
    supplier_item_code: str | None
    lead_time_days: int | None


class ReorderInfo(ApiModel):
    """The item behind a stock row, with what reordering needs (``includeReorderInfo``)."""

    id: str
    item_code: str
    name: str
    inventory: dict[str, Number | None]
    pricing: dict[str, Number]
    supplier: ReorderSupplier


class StockLot(ApiModel):
    """A bin, batch or serial level within a stock row, holding or reserving stock."""

    bin_code: str | None = Field(default=None, examples=["A-01-03"])
    batch_number: str | None = Field(default=None, examples=["B-2026-031"])
    external_batch_number: str | None = Field(default=None, examples=["MFR-TL-089"])
    manufacturer_date: dt.date | None = None
    expiry_date: dt.date | None = None
    serial_number: str | None = None
    on_hand: Number
    reserved: Number


class StockRead(ApiModel):
    item_id: str
    item_code: str
    item_name: str
    variant_id: str | None
    location_id: str
    location: LocationRef
    current_stock: Number
    available_stock: Number | None = Field(description="null when includeReserved=false")
    reserved_stock: Number | None = Field(description="null when includeReserved=false")
    on_order_stock: Number
    average_cost: Number
    stock_value: Number
    last_movement: LastMovement | None
    bin_location: str | None = Field(description=BIN_LOCATION, examples=["A1-B2-C3"])
    lots: list[StockLot] = Field(
        description="Where the stock lies by bin, batch (with expiry) and serial number; "
        "empty when it is not held in bins or tracked"
    )
    updated_at: dt.datetime
    item: ReorderInfo | None = Field(default=None, description="With includeReorderInfo=true")


class StockQuery(StockListFilters, ApiModel):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None


class DocumentRef(ApiModel):
    type: str = Field(examples=["adjustment"])
    id: str
    number: str | None


class MovementRead(ApiModel):
    id: str = Field(description="The movement; a move between two premises shows on both")
    direction: Literal["in", "out"]
    date: dt.date = Field(description="Effective date")
    item_id: str
    item_code: str
    variant_id: str | None
    location_id: str
    bin_id: str | None
    batch_id: str | None
    batch_number: str | None
    external_batch_number: str | None = Field(description="Of the batch: its manufacturer's")
    manufacturer_date: dt.date | None = Field(description="Of the batch")
    expiry_date: dt.date | None = Field(description="Of the batch")
    serial_id: str | None
    serial_number: str | None
    quantity: Number = Field(description="Signed: positive in, negative out")
    unit_cost: Number
    value: Number = Field(description="Signed; a revaluation moves value with no quantity")
    type: str = Field(examples=["adjustment"])
    reason: str | None
    reference: str | None
    document: DocumentRef
    created_by: str
    created_at: dt.datetime


class MovementQuery(MovementFilters, ApiModel):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None


class ItemListQuery(ItemListing, ApiModel):
    """The documented list parameters; an unknown parameter is refused."""

    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = None


class ItemTransaction(ApiModel):
    """A document that moved the item: its movements of the item added up."""

    document: DocumentRef
    date: dt.date = Field(description="Effective date")
    quantity_in: Number = Field(description="Into a location, summed")
    quantity_out: Number = Field(description="Out of a location, summed (positive)")
    value: Number = Field(description="Signed, summed: what the item's stock gained or lost")


class ItemDetail(ItemRead):
    stock_history: list[MovementRead] | None = Field(
        default=None, description="The 20 most recent movements, with includeStockHistory=true"
    )
    transactions: list[ItemTransaction] | None = Field(
        default=None,
        description="The documents behind those movements, newest first, one entry each, with "
        "includeTransactions=true",
    )


class BatchEntry(BatchLine, ApiModel):
    """A batch on a document line: an existing one (``batchId``, or ``batchNumber``), or, for
    stock arriving from outside, a new one with its number and dates."""


class BinQuantityEntry(BinQuantity, ApiModel):
    """A part of a line's quantity (or of one of its batches) in one bin of its location."""


class BatchInBinsEntry(BatchInBins, ApiModel):
    """A batch on a line whose quantity may lie in several bins (``bins``, adding up to it)."""

    bins: Sequence[BinQuantityEntry] | None = Field(
        default=None,
        min_length=1,
        max_length=1000,
        description="Where the batch's quantity lies, adding up to it",
    )


class BatchRead(ApiModel):
    """A batch on a document's line: once posted, the batch as it is; a draft's as given
    (what it was not given is null)."""

    batch_id: str | None = Field(
        default=None, description="null on a draft's batch that does not exist yet"
    )
    batch_number: str | None = None
    external_batch_number: str | None = Field(default=None, examples=["MFR-TL-089"])
    manufacturer_date: dt.date | None = None
    expiry_date: dt.date | None = None
    quantity: Number


class BinQuantityRead(ApiModel):
    bin_id: str
    quantity: Number


class BatchInBinsRead(BatchRead):
    bins: list[BinQuantityRead] | None = Field(
        default=None, description="Where the batch's quantity lies, as given"
    )


class LevelRead(ApiModel):
    item_id: str
    item_code: str
    variant_id: str | None
    location_id: str
    location_name: str
    bin_id: str | None
    bin_code: str | None
    batch_id: str | None
    batch_number: str | None
    external_batch_number: str | None
    manufacturer_date: dt.date | None
    expiry_date: dt.date | None
    serial_id: str | None
    serial_number: str | None
    on_hand: Number
    reserved: Number
    value: Number
    updated_at: dt.datetime


class LevelQuery(LevelFilters, ApiModel):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None


class ReservationCreate(NewReservation, ApiModel):
    pass


class Fulfilment(FulfilmentValue, ApiModel):
    """Send `{}` to fulfil all that is still reserved. For a batch- or serial-tracked item
    reserved without naming one, name the batches or serials that go."""

    batches: Sequence[BatchEntry] | None = Field(default=None, max_length=1000)


class ItemRef(ApiModel):
    id: str
    item_code: str
    name: str


class ReservationRead(ApiModel):
    id: str
    item_id: str
    item: ItemRef
    variant_id: str | None
    location_id: str
    location: LocationRef
    batch_id: str | None
    batch_number: str | None
    external_batch_number: str | None
    manufacturer_date: dt.date | None
    expiry_date: dt.date | None
    serial_number: str | None
    quantity: Number
    quantity_fulfilled: Number
    quantity_remaining: Number
    reference: str | None
    notes: str | None
    expires_at: dt.datetime | None
    status: ReservationStatus = Field(description="As of now: past expiresAt it is expired")
    allowed_actions: list[str] = Field(examples=[["fulfil", "release"]])
    created_by: str
    created_at: dt.datetime
    closed_by: str | None
    closed_at: dt.datetime | None


class ReservationListQuery(ReservationFilters, ApiModel):
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = None
