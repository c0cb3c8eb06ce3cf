"""The finest-grained stock read: one row per level (item x variant x location x bin x batch x
serial) at warehouses and stores, with bin codes, batch numbers and expiry, serial numbers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Bin, Item, Location
from stockkeeper.core.pagination import resume, text
from stockkeeper.stock.models import Batch, SerialNumber, StockLevel
from stockkeeper.stock.values import LevelFilters
from stockkeeper.tenancy.service import Actor


def list_levels(
    session: Session, actor: Actor, *, filters: LevelFilters, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None, int]:
    """Levels in key order (item, variant, location, bin, batch, serial), with the next
    cursor and the total."""
    listing = resume("level", filters, cursor)
    after = listing.after(text)
    level = StockLevel
    joined = _matching(actor.company_id, listing.filters)
    total = session.scalar(select(func.count()).select_from(joined.subquery())) or 0
    statement = joined.with_only_columns(
        level.item_id,
        Item.item_code,
        level.variant_id,
        level.location_id,
        Location.name.label("location_name"),
        level.bin_id,
        Bin.code.label("bin_code"),
        level.batch_id,
        Batch.batch_number,
        Batch.external_batch_number,
        Batch.manufacturer_date,
        Batch.expiry_date,
        level.serial_id,
        SerialNumber.serial_number,
        level.on_hand,
        level.reserved,
        level.value,
        level.updated_at,
        level.level_key,
        maintain_column_froms=True,
    )
    if after is not None:
        statement = statement.where(level.level_key > after[0])
    rows = [
        dict(r)
        for r in session.execute(statement.order_by(level.level_key).limit(limit + 1)).mappings()
    ]
    if len(rows) <= limit:
        return rows, None, total
    rows = rows[:limit]
    return rows, listing.next_cursor(rows[-1]["level_key"]), total


def _matching(company_id: str, filters: LevelFilters) -> Any:
    """The keys of the levels at warehouses and stores that the filters ask for, joined to
    what names them."""
    level = StockLevel
    where: list[Any] = [level.company_id == company_id, level.physical.is_(True)]
    if not filters.include_empty:
        where.append(or_(level.on_hand != 0, level.reserved != 0))
    for wanted, column in (
        (filters.item_id, level.item_id),
        (filters.location_id, level.location_id),
        (filters.bin_id, level.bin_id),
        (filters.batch_id, level.batch_id),
        (filters.serial_number, SerialNumber.serial_number),
    ):
        if wanted:
            where.append(column == wanted)
    if filters.expires_before:
        where.append(Batch.expiry_date < filters.expires_before)
    return (
        select(level.level_key)
        .join(Item, and_(Item.company_id == company_id, Item.id == level.item_id))
        .join(Location, and_(Location.company_id == company_id, Location.id == level.location_id))
        .outerjoin(Bin, and_(Bin.company_id == company_id, Bin.id == level.bin_id))
        .outerjoin(Batch, and_(Batch.company_id == company_id, Batch.id == level.batch_id))
        .outerjoin(
            SerialNumber,
            and_(SerialNumber.company_id == company_id, SerialNumber.id == level.serial_id),
        )
        .where(*where)
    )
