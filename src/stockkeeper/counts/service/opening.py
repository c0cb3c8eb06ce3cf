"""Opening a count: its scope checked, its number taken, and the snapshot of what the ledger
expects at the location, written as the count's lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Category, Item, Location
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.catalog.service.locations import check_bins, require_location
from stockkeeper.core.db import insert_new
from stockkeeper.core.errors import Invalid, UnknownReference, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.core.locks import lock
from stockkeeper.core.sequences import next_number
from stockkeeper.core.types import utcnow
from stockkeeper.counts.kind import COUNTS, NUMBERING
from stockkeeper.counts.models import StockCount, StockCountLine
from stockkeeper.counts.service import events, keys
from stockkeeper.counts.values import NewCount
from stockkeeper.counts.views import CountView
from stockkeeper.stock.models import StockLevel
from stockkeeper.tenancy.service import Actor, company_today, get_company


def open_count(session: Session, actor: Actor, *, count: NewCount) -> CountView:
    """Opens a count of the location (or of the part its scope names) and takes the
    snapshot: each item, bin, batch and serial there with the quantity on hand now."""
    location = require_location(session, actor, count.location_id, "location_id")
    scope = count.scope()
    _check_scope(session, actor, scope, location)
    company = get_company(session, actor.company_id)
    today = company_today(company)
    template = str(company.numbering_formats.get("count", NUMBERING))
    row = StockCount(
        company_id=actor.company_id,
        id=new_id("cnt"),
        count_number=next_number(session, company.id, name="count", template=template, today=today),
        count_date=today,
        status="counting",
        location_id=location.id,
        scope=scope,
        blind=count.blind,
        reference=count.reference,
        notes=count.notes,
        opened_by=actor.name,
    )
    levels = _snapshot(session, actor.company_id, location.id, scope)
    # the ledger position: taken once the levels are read under their locks, so a movement
    # is either in the snapshot or written after this instant
    row.opened_at = utcnow()
    lines = _lines(session, actor.company_id, row, levels, scope.get("item_ids", []))
    insert_new(session, row, *lines)
    COUNTS.record(session, actor, "opened", row, number=row.count_number, lines=len(lines))
    return events.announce(session, actor, row, "opened")


def _check_scope(
    session: Session, actor: Actor, scope: dict[str, list[str]], location: Location
) -> None:
    if len(scope) > 1:
        errors = [
            field_error(name, "name one of categoryIds, binIds and itemIds at most", "wrong_kind")
            for name in sorted(scope)
        ]
        raise Invalid.fields(errors)
    company_id = actor.company_id
    for name, model, what in (("category_ids", Category, "category"), ("item_ids", Item, "item")):
        named = scope.get(name, [])
        found = rows_by_id(session, model, company_id, set(named)) if named else {}
        errors = [
            field_error(f"{name}.{n}", f"no {what} {ident!r}", "unknown_reference")
            for n, ident in enumerate(named)
            if ident not in found
        ]
        if errors:
            raise UnknownReference(what, errors)
    bins = scope.get("bin_ids", [])
    check_bins(session, company_id, [(f"bin_ids.{n}", b, location) for n, b in enumerate(bins)])


def _snapshot(
    session: Session, company_id: str, location_id: str, scope: dict[str, list[str]]
) -> list[Any]:
    """The levels in scope at the location that hold stock, locked in key order (the
    ledger's order), so that no posting changes them while they are read."""
    level = StockLevel
    statement = (
        select(
            level.level_key,
            level.item_id,
            level.variant_id,
            level.bin_id,
            level.batch_id,
            level.serial_id,
            level.on_hand,
        )
        .where(
            level.company_id == company_id,
            level.location_id == location_id,
            level.physical.is_(True),
            level.on_hand != 0,
        )
        .order_by(level.level_key)
    )
    if "bin_ids" in scope:
        statement = statement.where(level.bin_id.in_(scope["bin_ids"]))
    if "item_ids" in scope:
        statement = statement.where(level.item_id.in_(scope["item_ids"]))
    if "category_ids" in scope:
        in_categories = select(Item.id).where(
            Item.company_id == company_id, Item.category_id.in_(scope["category_ids"])
        )
        statement = statement.where(level.item_id.in_(in_categories))
    return list(lock(session, statement))


def _lines(
    session: Session,
    company_id: str,
    row: StockCount,
    levels: list[Any],
    item_ids: list[str],
) -> list[StockCountLine]:
    """The snapshot as lines; an item the scope names that holds nothing here has a line
    expecting 0, so that it shows as not yet counted."""
    numbers = keys.lot_numbers(
        session,
        company_id,
        {lv.batch_id for lv in levels if lv.batch_id},
        {lv.serial_id for lv in levels if lv.serial_id},
    )
    wanted: dict[str, dict[str, Any]] = {}
    for lv in levels:
        place = keys.Place(
            item_id=lv.item_id,
            variant_id=lv.variant_id,
            bin_id=lv.bin_id,
            batch_number=numbers.batches.get(lv.batch_id or ""),
            serial_number=numbers.serials.get(lv.serial_id or ""),
        )
        entry = wanted.setdefault(place.key, {"place": place, "batch_id": lv.batch_id, "q": 0})
        entry["q"] += lv.on_hand
    held = {entry["place"].item_id for entry in wanted.values()}
    for item_id in item_ids:
        if item_id not in held:
            place = keys.Place(item_id=item_id)
            wanted[place.key] = {"place": place, "batch_id": None, "q": Decimal(0)}
    return [
        keys.new_line(row, n, entry["place"], entry["batch_id"], expected=entry["q"])
        for n, entry in enumerate(wanted.values())
    ]
