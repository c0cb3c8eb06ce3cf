"""Stock rows: the levels summed per item (and variant) and warehouse or store, with their
bins, batches and serials, and the last movement."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select, tuple_
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Bin, Item, Location
from stockkeeper.core.locks import lock
from stockkeeper.stock.models import Batch, Movement, SerialNumber, StockLevel

ZERO = Decimal(0)
_MOST_ITEMS = 4096  # a run's items, each a bound value (PostgreSQL takes 65,535 a statement)


@dataclass(frozen=True)
class StockRow:
    item: Item
    variant_id: str | None
    location: Location
    on_hand: Decimal
    reserved: Decimal
    value: Decimal
    updated_at: datetime
    on_order: Decimal = ZERO
    bins: dict[str, Decimal] = field(default_factory=dict)  # on hand per bin code
    last_movement: dict[str, Any] | None = None
    lots: tuple[dict[str, Any], ...] = ()

    @property
    def average_cost(self) -> Decimal:
        if self.on_hand <= 0:
            return ZERO
        return (self.value / self.on_hand).quantize(Decimal("0.000001"), ROUND_HALF_EVEN)


@dataclass(frozen=True)
class StockFilters:
    item_id: str | None = None
    variant_id: str | None = None
    location_id: str | None = None
    category_ids: set[str] | None = None
    low_stock: bool | None = None
    out_of_stock: bool | None = None
    negative: bool | None = None
    include_empty: bool = False
    bin_id: str | None = None  # the bin's levels alone
    items: Any = None  # a condition on ``Item``: the items a search found


def _grouped(company_id: str, filters: StockFilters, items: list[str] | None = None) -> Any:
    """Item x variant x physical location sums of the levels matching ``filters`` (of
    ``items`` alone, when given)."""
    level = StockLevel
    variant_key = func.coalesce(level.variant_id, "")
    on_hand, reserved, on_order, value = (
        func.sum(level.on_hand),
        func.sum(level.reserved),
        func.sum(level.on_order),
        func.sum(level.value),
    )
    where = _level_conditions(company_id, filters)
    if items is not None:
        where.append(level.item_id.in_(items))
    having: list[Any] = (
        [] if filters.include_empty else [or_(on_hand != 0, reserved != 0, on_order != 0)]
    )
    if filters.low_stock is not None:
        low = and_(
            func.max(Item.minimum_stock).is_not(None), on_hand <= func.max(Item.minimum_stock)
        )
        having.append(low if filters.low_stock else ~low)
    for flag, condition in ((filters.out_of_stock, on_hand <= 0), (filters.negative, on_hand < 0)):
        if flag is not None:
            having.append(condition if flag else ~condition)
    grouped = (
        select(
            level.item_id,
            level.variant_id,
            level.location_id,
            variant_key.label("variant_key"),
            on_hand.label("on_hand"),
            reserved.label("reserved"),
            on_order.label("on_order"),
            value.label("value"),
            func.max(level.updated_at).label("updated_at"),
        )
        .join(Item, and_(Item.company_id == level.company_id, Item.id == level.item_id))
        .where(*where)
        .group_by(level.item_id, level.variant_id, level.location_id)
        .having(*having)
    )
    if filters.category_ids is not None:
        grouped = grouped.where(Item.category_id.in_(filters.category_ids))
    return grouped.subquery()


def _level_conditions(company_id: str, filters: StockFilters) -> list[Any]:
    """Which levels count: the company's at warehouses and stores, as the filters ask."""
    level = StockLevel
    where: list[Any] = [level.company_id == company_id, level.physical.is_(True)]
    for value, column in (
        (filters.item_id, level.item_id),
        (filters.variant_id, level.variant_id),
        (filters.location_id, level.location_id),
        (filters.bin_id, level.bin_id),
    ):
        if value:
            where.append(column == value)
    if filters.items is not None:
        where.append(filters.items)
    return where


StockKey = tuple[str, str, str]  # item, variant ("" for none), location: the list's order


def list_stock(
    session: Session,
    company_id: str,
    *,
    filters: StockFilters,
    limit: int,
    after: tuple[str, ...] | None = None,
    count: bool = True,
) -> tuple[list[StockRow], StockKey | None, int | None]:
    """One row per item x variant x physical location that holds or reserves stock, from
    the row after ``after``; with the key of the page's last row when more follow, and the
    total when ``count`` (which sums every level of the company, as a page does not)."""
    rows = _page(session, company_id, filters, limit + 1, after)
    total = None
    if count:
        total = session.scalar(select(func.count()).select_from(_grouped(company_id, filters)))
    last_key = None
    if len(rows) > limit:
        rows = rows[:limit]
        last_key = (rows[-1]["item_id"], rows[-1]["variant_key"], rows[-1]["location_id"])
    return _stock_rows(session, company_id, [dict(r) for r in rows]), last_key, total


def _page(
    session: Session,
    company_id: str,
    filters: StockFilters,
    wanted: int,
    after: tuple[str, ...] | None,
) -> list[Any]:
    """The first ``wanted`` rows after ``after``, summed a run of items at a time: the items
    with levels are read in the order of their index, and only their levels are summed, so
    that a page costs what its rows hold, not what the company holds. Runs grow, for
    filters (low stock) that most items' rows fail."""
    found: list[Any] = []
    start, run, inclusive = (after[0] if after else None), wanted, True
    while len(found) < wanted:
        items = _items_from(session, company_id, filters, start, run, inclusive=inclusive)
        if not items:
            break
        groups = _grouped(company_id, filters, items)
        order = (groups.c.item_id, groups.c.variant_key, groups.c.location_id)
        page = select(groups)
        if after is not None:
            page = page.where(tuple_(*order) > tuple_(*after))
        found += session.execute(page.order_by(*order).limit(wanted - len(found))).mappings()
        if len(items) < run:
            break
        start, run, inclusive = items[-1], min(run * 2, _MOST_ITEMS), False
    return found


def _items_from(
    session: Session,
    company_id: str,
    filters: StockFilters,
    start: str | None,
    run: int,
    *,
    inclusive: bool,
) -> list[str]:
    """The next ``run`` items (from ``start``) with levels that the filters keep, by id."""
    level = StockLevel
    query = select(level.item_id).where(*_level_conditions(company_id, filters))
    if filters.items is not None or filters.category_ids is not None:
        query = query.join(
            Item, and_(Item.company_id == level.company_id, Item.id == level.item_id)
        )
        if filters.category_ids is not None:
            query = query.where(Item.category_id.in_(filters.category_ids))
    if start is not None:
        query = query.where(level.item_id >= start if inclusive else level.item_id > start)
    return list(session.scalars(query.group_by(level.item_id).order_by(level.item_id).limit(run)))


@dataclass(frozen=True)
class StockFigure:
    """A stock row's key and booked value, for filtering what the list would show."""

    key: StockKey
    variant_id: str | None
    value: Decimal


def stock_figures(session: Session, company_id: str, filters: StockFilters) -> list[StockFigure]:
    """Every row ``list_stock`` would list for ``filters``, in its order, without details."""
    g = _grouped(company_id, filters)
    rows = session.execute(
        select(g.c.item_id, g.c.variant_key, g.c.location_id, g.c.variant_id, g.c.value).order_by(
            g.c.item_id, g.c.variant_key, g.c.location_id
        )
    )
    return [StockFigure((i, v, loc), variant, value) for i, v, loc, variant, value in rows]


def stock_rows(
    session: Session, company_id: str, filters: StockFilters, keys: list[StockKey]
) -> list[StockRow]:
    """The rows of ``keys`` (from ``stock_figures``), in their order."""
    if not keys:
        return []
    g = _grouped(company_id, filters)
    found = {
        (r["item_id"], r["variant_key"], r["location_id"]): dict(r)
        for r in session.execute(
            select(g).where(g.c.item_id.in_({key[0] for key in keys}))
        ).mappings()
    }
    return _stock_rows(session, company_id, [found[key] for key in keys if key in found])


def _stock_rows(session: Session, company_id: str, groups: list[dict[str, Any]]) -> list[StockRow]:
    if not groups:
        return []
    items = {
        i.id: i
        for i in session.scalars(
            select(Item).where(
                Item.company_id == company_id, Item.id.in_({g["item_id"] for g in groups})
            )
        )
    }
    locations = {
        loc.id: loc
        for loc in session.scalars(
            select(Location).where(
                Location.company_id == company_id,
                Location.id.in_({g["location_id"] for g in groups}),
            )
        )
    }
    details = _level_details(
        session, company_id, sorted({(g["item_id"], g["location_id"]) for g in groups})
    )
    return [
        StockRow(
            item=items[g["item_id"]],
            variant_id=g["variant_id"],
            location=locations[g["location_id"]],
            on_hand=g["on_hand"],
            reserved=g["reserved"],
            on_order=g["on_order"],
            value=g["value"],
            updated_at=g["updated_at"],
            bins=details.bins.get(group, {}),
            last_movement=details.last.get(group),
            lots=tuple(details.lots.get(group, ())),
        )
        for g in groups
        for group in [(g["item_id"], g["variant_key"], g["location_id"])]
    ]


Group = tuple[str, str, str]


@dataclass
class LevelDetails:
    bins: dict[Group, dict[str, Decimal]]  # on hand per bin code
    last: dict[Group, dict[str, Any]]  # the latest movement
    lots: dict[Group, list[dict[str, Any]]]  # the bin, batch and serial levels holding stock


def _level_details(session: Session, company_id: str, pairs: list[tuple[str, str]]) -> LevelDetails:
    """What the levels of each item x variant x location say beyond their sums, read from the
    levels (which remember their last movement) rather than from the ledger's history."""
    details = LevelDetails(bins={}, last={}, lots={})
    movement_ids: dict[Group, list[str]] = {}
    for row in _levels_named(session, company_id, pairs):
        group = (row["item_id"], row["variant_key"], row["location_id"])
        if row["bin_code"] is not None and row["on_hand"]:
            held = details.bins.setdefault(group, {})
            held[row["bin_code"]] = held.get(row["bin_code"], ZERO) + row["on_hand"]
        if row["last_movement_id"]:
            movement_ids.setdefault(group, []).append(row["last_movement_id"])
        lot = {
            k: row[k]
            for k in (
                "bin_code",
                "batch_number",
                "external_batch_number",
                "manufacturer_date",
                "expiry_date",
                "serial_number",
            )
            if row[k] is not None
        }
        if lot and (row["on_hand"] or row["reserved"]):
            details.lots.setdefault(group, []).append(
                lot | {"on_hand": row["on_hand"], "reserved": row["reserved"]}
            )
    for lots in details.lots.values():
        lots.sort(
            key=lambda lot: (
                lot.get("bin_code") or "",
                lot.get("batch_number") or "",
                lot.get("serial_number") or "",
            )
        )
    details.last.update(_last_movements(session, company_id, movement_ids))
    return details


def _levels_named(session: Session, company_id: str, pairs: list[tuple[str, str]]) -> Any:
    """The pairs' levels with their bin codes, batch numbers and serial numbers."""
    level = StockLevel
    return session.execute(
        select(
            level.item_id,
            func.coalesce(level.variant_id, "").label("variant_key"),
            level.location_id,
            Bin.code.label("bin_code"),
            Batch.batch_number,
            Batch.external_batch_number,
            Batch.manufacturer_date,
            Batch.expiry_date,
            SerialNumber.serial_number,
            level.on_hand,
            level.reserved,
            level.last_movement_id,
        )
        .outerjoin(Bin, and_(Bin.company_id == level.company_id, Bin.id == level.bin_id))
        .outerjoin(Batch, and_(Batch.company_id == level.company_id, Batch.id == level.batch_id))
        .outerjoin(
            SerialNumber,
            and_(SerialNumber.company_id == level.company_id, SerialNumber.id == level.serial_id),
        )
        .where(
            level.company_id == company_id,
            # the items alone as well: SQLite looks a pair up by neither of its halves
            level.item_id.in_({item_id for item_id, _ in pairs}),
            tuple_(level.item_id, level.location_id).in_(pairs),
        )
        .order_by(level.on_hand, level.level_key)
    ).mappings()


def _last_movements(
    session: Session, company_id: str, movement_ids: dict[Group, list[str]]
) -> dict[Group, dict[str, Any]]:
    """Each group's latest movement (ids grow with time), signed at its location."""
    wanted = {m for ids in movement_ids.values() for m in ids}
    movements = {
        m.id: m
        for m in session.scalars(
            select(Movement).where(Movement.company_id == company_id, Movement.id.in_(wanted))
        )
    }
    last = {}
    for group, ids in movement_ids.items():
        movement = movements[max(ids)]
        incoming = movement.to_location_id == group[2]
        last[group] = {
            "id": movement.id,
            "date": movement.created_at,
            "type": movement.movement_type,
            "quantity": movement.quantity if incoming else -movement.quantity,
            "reference": movement.reference,
        }
    return last


def stock_at(
    session: Session, company_id: str, *, item: Item, variant_id: str | None, location: Location
) -> StockRow:
    """The stock row of one item (or variant) at one location, zero if it never held any."""
    filters = StockFilters(item_id=item.id, location_id=location.id, include_empty=True)
    rows, _, _ = list_stock(session, company_id, filters=filters, limit=200, count=False)
    for row in rows:
        if row.variant_id == variant_id:
            return row
    return StockRow(
        item=item,
        variant_id=variant_id,
        location=location,
        on_hand=ZERO,
        reserved=ZERO,
        value=ZERO,
        updated_at=item.updated_at,
    )


def lock_on_hand(
    session: Session,
    company_id: str,
    *,
    item_id: str,
    variant_id: str | None,
    location_id: str,
    bin_id: str | None,
) -> Decimal:
    """On hand of an item (or variant) at a location, or one bin of it, locked until commit."""
    statement = (
        select(StockLevel.on_hand, StockLevel.variant_id, StockLevel.bin_id)
        .where(
            StockLevel.company_id == company_id,
            StockLevel.item_id == item_id,
            StockLevel.location_id == location_id,
        )
        .order_by(StockLevel.level_key)
    )
    return sum(
        (
            q
            for q, variant, bin_ in lock(session, statement)
            if variant == variant_id and (bin_id is None or bin_ == bin_id)
        ),
        ZERO,
    )
