"""The places the stock import tests name: two locations (one by code, a store by name), a
bin, an untracked item with a variant, a batch-tracked and a serial-tracked item, a service;
and what the ledger holds, by place as a file names it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from stockkeeper.catalog.models import Bin, Item, ItemVariant, Location
from stockkeeper.catalog.service.locations import create_bin
from stockkeeper.catalog.values import NewBin
from stockkeeper.core.db import Database
from stockkeeper.imports.service.stock_layout import HEADINGS
from stockkeeper.stock.models import Batch, Movement, SerialNumber, StockLevel
from tests.factories import new_item, new_location
from tests.imports.support import csv_file
from tests.support import Tenant


@dataclass(frozen=True)
class Shop:
    shop: str  # a warehouse, code WH1
    store: str  # a store, no code: named "Front Store"
    bolts: str  # BOLT, untracked, with the variant BOLT-RED
    milk: str  # MILK, by batch
    phone: str  # PHONE, by serial number


def make_shop(database: Database, tenant: Tenant) -> Shop:
    actor = tenant.actor
    with database.unit_of_work() as session:
        shop = new_location(session, actor, code="WH1", name="Main Warehouse")
        store = new_location(session, actor, type="store", name="Front Store")
        create_bin(session, actor, location_id=shop, bin=NewBin(code="A1"))
        new_location(session, actor, name="Twin")
        new_location(session, actor, name="Twin")
        variant = {"name": "Red bolt", "item_code": "BOLT-RED"}
        bolts = new_item(session, actor, item_code="BOLT", variants=[variant])
        milk = new_item(session, actor, item_code="MILK", inventory={"tracking": "batch"})
        phone = new_item(session, actor, item_code="PHONE", inventory={"tracking": "serial"})
        new_item(session, actor, item_code="FIX", type="service")
        new_item(session, actor, item_code="OTHER", variants=[{"name": "O", "item_code": "O-1"}])
    return Shop(shop, store, bolts, milk, phone)


def stock_file(*rows: dict[str, Any]) -> bytes:
    return csv_file(HEADINGS, *([row.get(h, "") for h in HEADINGS] for row in rows))


def held(database: Database, tenant: Tenant) -> dict[tuple[Any, ...], Decimal]:
    """On hand by location code (else name), item code, variant code, bin, batch and
    serial, where it is not zero."""
    level, variant = StockLevel, aliased(ItemVariant)
    with database.unit_of_work(write=False) as session:
        rows = session.execute(
            select(
                func.coalesce(Location.code, Location.name),
                Item.item_code,
                variant.item_code,
                Bin.code,
                Batch.batch_number,
                SerialNumber.serial_number,
                level.on_hand,
            )
            .join(Location, Location.id == level.location_id)
            .join(Item, Item.id == level.item_id)
            .outerjoin(variant, variant.id == level.variant_id)
            .outerjoin(Bin, Bin.id == level.bin_id)
            .outerjoin(Batch, Batch.id == level.batch_id)
            .outerjoin(SerialNumber, SerialNumber.id == level.serial_id)
            .where(level.company_id == tenant.company_id, level.physical.is_(True))
            .where(level.on_hand != 0)
        )
        return {tuple(row[:6]): row[6] for row in rows}


def movements(database: Database, tenant: Tenant) -> int:
    with database.unit_of_work(write=False) as session:
        statement = select(func.count()).select_from(Movement)
        statement = statement.where(Movement.company_id == tenant.company_id)
        return int(session.scalar(statement) or 0)
