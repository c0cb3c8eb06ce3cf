"""Stock levels as rows of the stock file (``stock_layout``): what ``GET /exports/stock``
writes. A row per place holding stock (a location's item or variant, in a bin, of a batch
or a serial number), at its quantity on hand, with the average cost of the item at the
location (its value over its quantity on hand) as ``unitCost``: imported again, the file
posts nothing, and edited it sets the places to what it says."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from stockkeeper.catalog.models import Bin, Item, ItemVariant, Location
from stockkeeper.imports.service.files import ExportFile
from stockkeeper.imports.service.stock_checks import PHYSICAL
from stockkeeper.stock.models import Batch, SerialNumber, StockLevel
from stockkeeper.tenancy.service import Actor, company_today, get_company

COST = Decimal("0.000001")  # six decimals, as the valuation report gives average costs

Cells = dict[str, Any]


def stock_file(session: Session, actor: Actor) -> ExportFile:
    """Read whole inside the request's transaction, then written out as it is streamed."""
    day = company_today(get_company(session, actor.company_id))
    return ExportFile(day, list(export_stock(session, actor)))


def export_stock(session: Session, actor: Actor) -> Iterator[Cells]:
    """Every place of a warehouse or store holding stock (on hand not zero), by location,
    item, variant, bin, batch and serial number."""
    costs = average_costs(session, actor.company_id)
    for row in session.execute(_places(actor.company_id)):
        yield {
            "location": row.location,
            "itemCode": row.item_code,
            "variantCode": row.variant_code,
            "bin": row.bin,
            "batch": row.batch_number,
            "expiry": row.expiry_date.isoformat() if row.expiry_date else None,
            "serial": row.serial_number,
            "quantity": row.on_hand,
            "unitCost": costs.get((row.location_id, row.item_id)),
        }


def _places(company_id: str) -> Select[*tuple[Any, ...]]:
    """The physical levels holding stock, each with the names a file gives its place."""
    level, variant = StockLevel, aliased(ItemVariant)
    location = func.coalesce(Location.code, Location.name)
    return (
        select(
            location.label("location"),
            Item.item_code,
            variant.item_code.label("variant_code"),
            Bin.code.label("bin"),
            Batch.batch_number,
            Batch.expiry_date,
            SerialNumber.serial_number,
            level.on_hand,
            level.location_id,
            level.item_id,
        )
        .join(
            Location, (Location.company_id == level.company_id) & (Location.id == level.location_id)
        )
        .join(Item, (Item.company_id == level.company_id) & (Item.id == level.item_id))
        .outerjoin(
            variant, (variant.company_id == level.company_id) & (variant.id == level.variant_id)
        )
        .outerjoin(Bin, (Bin.company_id == level.company_id) & (Bin.id == level.bin_id))
        .outerjoin(Batch, (Batch.company_id == level.company_id) & (Batch.id == level.batch_id))
        .outerjoin(
            SerialNumber,
            (SerialNumber.company_id == level.company_id) & (SerialNumber.id == level.serial_id),
        )
        .where(
            level.company_id == company_id,
            level.physical.is_(True),
            level.on_hand != 0,
            Location.type.in_(PHYSICAL),
        )
        .order_by(
            location,
            Item.item_code,
            func.coalesce(variant.item_code, ""),
            func.coalesce(Bin.code, ""),
            func.coalesce(Batch.batch_number, ""),
            func.coalesce(SerialNumber.serial_number, ""),
        )
    )


def average_costs(session: Session, company_id: str) -> dict[tuple[str, str], Decimal]:
    """(location, item) -> the item's average cost there: its value over its quantity on
    hand, where it holds some."""
    level = StockLevel
    rows = session.execute(
        select(level.location_id, level.item_id, func.sum(level.value), func.sum(level.on_hand))
        .where(level.company_id == company_id, level.physical.is_(True))
        .group_by(level.location_id, level.item_id)
    )
    return {
        (location_id, item_id): (value / on_hand).quantize(COST, ROUND_HALF_EVEN).normalize()
        for location_id, item_id, value, on_hand in rows
        if on_hand and on_hand > 0 and value is not None
    }
