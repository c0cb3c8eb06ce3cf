"""Shortages: what a posting may not leave behind, every short line named in one error."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from stockkeeper.catalog.models import Item, Location
from stockkeeper.stock.errors import InsufficientStock, Shortage
from stockkeeper.stock.service import levels
from stockkeeper.stock.service.levels import PHYSICAL, Levels, level_key
from stockkeeper.stock.service.lines import Line


def refuse_shortages(
    lines: list[Line],
    state: Levels,
    locations: dict[str, Location],
    items: dict[str, Item],
) -> None:
    """Refuses the posting if it leaves an item x location with less on hand than is
    reserved there, a batch or serial there (over all its bins) with less than is reserved of
    it, or any one level (a bin, batch or serial) below zero."""
    short_groups: dict[tuple[str, str | None, str], Decimal] = defaultdict(Decimal)
    short_lots: dict[levels.LotKey, Decimal] = defaultdict(Decimal)
    short_levels = []
    lots_free = state.lots_free()
    for key, quantity in sorted(_asked(lines, locations).items()):
        level = state.levels[key]
        group_key = (level["item_id"], level["variant_id"], level["location_id"])
        lot = levels.lot_of(level)
        if state.groups[group_key].available < 0:
            short_groups[group_key] += quantity
        elif lots_free[lot] < 0:
            short_lots[lot] += quantity
        elif level["on_hand"] < 0:
            short_levels.append((level, quantity, level["on_hand"] + quantity))
    shortages = [
        _short(items, locations, group, quantity, state.groups[group].available + quantity)
        for group, quantity in short_groups.items()
    ] + [
        _short(items, locations, lot[:3], quantity, lots_free[lot] + quantity, lot[3], lot[4])
        for lot, quantity in short_lots.items()
    ]
    shortages += [
        shortage(
            items[level["item_id"]],
            locations[level["location_id"]],
            level["variant_id"],
            level["bin_id"],
            quantity,
            available,
            batch_id=level["batch_id"],
            serial_id=level["serial_id"],
        )
        for level, quantity, available in short_levels
    ]
    if shortages:
        raise InsufficientStock(shortages)


def _short(
    items: dict[str, Item],
    locations: dict[str, Location],
    group: tuple[str, str | None, str],
    requested: Decimal,
    available: Decimal,
    batch_id: str | None = None,
    serial_id: str | None = None,
) -> Shortage:
    """A shortage of an item x location, or of a batch or serial there, whatever its bins."""
    item_id, variant_id, location_id = group
    return shortage(
        items[item_id],
        locations[location_id],
        variant_id,
        None,
        requested,
        available,
        batch_id=batch_id,
        serial_id=serial_id,
    )


def _asked(lines: list[Line], locations: dict[str, Location]) -> dict[str, Decimal]:
    """What the lines take from each level of a warehouse or store."""
    asked: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        if locations[line.from_location_id].type in PHYSICAL and line.quantity:
            key = level_key(
                line.item_id,
                line.variant_id,
                line.from_location_id,
                line.from_bin_id,
                line.batch_id,
                line.serial_id,
            )
            asked[key] += line.quantity
    return asked


def shortage(
    item: Item,
    location: Location,
    variant_id: str | None,
    bin_id: str | None,
    requested: Decimal,
    available: Decimal,
    *,
    batch_id: str | None = None,
    serial_id: str | None = None,
) -> Shortage:
    return Shortage(
        item_id=item.id,
        item_code=item.item_code,
        variant_id=variant_id,
        location_id=location.id,
        location_name=location.name,
        bin_id=bin_id,
        batch_id=batch_id,
        serial_id=serial_id,
        requested=requested,
        available=available,
    )
