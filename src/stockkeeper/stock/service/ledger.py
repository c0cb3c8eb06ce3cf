"""The one writer of the ledger: inserts movements and updates stock levels, nothing else does.

A posting takes the level rows it touches in sorted key order (``SELECT ... FOR UPDATE`` on
PostgreSQL; SQLite's write transaction already holds the database), checks availability
inside the transaction, collects every shortage into one error, and writes all movements,
levels and the items' stock totals with a constant number of statements whatever the number
of lines.

Until costing lands, values follow a moving average per item x variant x location: stock
that arrives adds its cost, stock that leaves takes the average cost where it leaves from.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from typing import Any

from sqlalchemy import Update, bindparam, select, update
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, ItemVariant, Location
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.core import metrics
from stockkeeper.core.db import insert_many, table_of
from stockkeeper.core.errors import UnknownReference, field_error
from stockkeeper.core.executemany import run_many
from stockkeeper.core.ids import new_id
from stockkeeper.core.types import Amount, UTCDateTime, utcnow
from stockkeeper.stock.errors import (
    FutureDate,
    ItemCannotMove,
    NothingToRevalue,
    PeriodLocked,
    ValueBelowZero,
)
from stockkeeper.stock.models import Movement, StockLevel
from stockkeeper.stock.service import bins, cost_figures, levels
from stockkeeper.stock.service.item_totals import update_items
from stockkeeper.stock.service.levels import PHYSICAL, ZERO, Group, Levels, level_key
from stockkeeper.stock.service.lines import Document as Document
from stockkeeper.stock.service.lines import LevelChange as LevelChange
from stockkeeper.stock.service.lines import Line as Line
from stockkeeper.stock.service.lines import Posted as Posted
from stockkeeper.stock.service.lines import per_line
from stockkeeper.stock.service.shortages import refuse_shortages
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor, company_today

_CENT_OF_CENT = Decimal("0.000001")


# Called in the posting's transaction with the levels it changed (alerts/ installs one);
# the ledger knows nothing of what watches it.
Observer = Callable[[Session, str, list[LevelChange]], None]
observers: list[Observer] = []


def _money(value: Decimal) -> Decimal:
    return value.quantize(_CENT_OF_CENT, ROUND_HALF_EVEN)


def post(
    session: Session,
    actor: Actor,
    *,
    document: Document,
    lines: list[Line],
    allow_negative: bool,
    on_order: dict[levels.GroupKey, Decimal] | None = None,
) -> list[Posted]:
    """Posts the lines as movements of one document; all or nothing. ``on_order`` changes
    what is on order (a purchase receipt) under the same locks."""
    if not lines:
        return []
    company_id = actor.company_id
    company = session.get(Company, company_id)
    assert company is not None
    refuse_date(company, document.effective_date)
    on_order = on_order or {}
    items = check_items(session, company_id, lines)
    locations = _named_locations(session, company_id, lines)
    ends = _level_rows(company_id, lines, locations)
    pairs = {(line.item_id, loc) for line in lines for loc, _ in _ends(line)}
    pairs |= {(item_id, location_id) for item_id, _, location_id in on_order}
    state = levels.lock(
        session, company_id, pairs, ends + levels.on_order_rows(company_id, on_order)
    )
    levels.change_on_order(session, company_id, state, on_order)
    # on hand before, where stock ever moved (a level that never did is new, not empty)
    before = {
        group: state.groups[group].on_hand
        for level in state.levels.values()
        if level["last_movement_id"]
        for group in [(level["item_id"], level["variant_id"], level["location_id"])]
    }
    parts, owners = bins.spread(session, company_id, lines, state, locations)
    done = [_apply(state, part, items[part.item_id], locations) for part in parts]
    if not allow_negative:
        refuse_shortages(parts, state, locations, items)
    _write(session, actor, document, done, state)
    posted = per_line(lines, owners, done)
    touched = {(line.item_id, line.variant_id, loc) for line in lines for loc, _ in _ends(line)}
    state.announce(session, company_id, touched)
    _keep_items(session, company, document, posted, locations)
    if observers:
        changes = _changes(state, before, lines, items, locations)
        for observer in observers:
            observer(session, company_id, changes)
    return posted


def _keep_items(
    session: Session,
    company: Company,
    document: Document,
    posted: list[Posted],
    locations: dict[str, Location],
) -> None:
    """The items' totals and purchase figures after the posting."""
    # a movement dated in the past voids the costing snapshots of its items (costing/models.py),
    # and so does a reversal: the layer it takes back may be in them
    lines = [p.line for p in posted]
    backdated = document.effective_date < company_today(company) or any(
        line.reversal_of for line in lines
    )
    bought = cost_figures.purchases(
        document.effective_date,
        [
            cost_figures.Bought(
                item_id=p.line.item_id,
                source_kind=locations[p.line.from_location_id].type,
                target_kind=locations[p.line.to_location_id].type,
                movement_type=p.line.movement_type,
                quantity=p.line.quantity,
                value=p.value,
            )
            for p in posted
        ],
    )
    update_items(session, company.id, lines, locations, bought, backdated=backdated)


def _changes(
    state: Levels,
    before: dict[levels.GroupKey, Decimal],
    lines: list[Line],
    items: dict[str, Item],
    locations: dict[str, Location],
) -> list[LevelChange]:
    keys = sorted(
        {
            (line.item_id, line.variant_id, location_id)
            for line in lines
            for location_id in (line.from_location_id, line.to_location_id)
            if locations[location_id].type in PHYSICAL
        },
        key=lambda k: level_key(*k),
    )
    return [
        LevelChange(
            items[item_id],
            variant_id,
            locations[location_id],
            before.get((item_id, variant_id, location_id)),
            state.groups[(item_id, variant_id, location_id)].on_hand,
        )
        for item_id, variant_id, location_id in keys
    ]


def refuse_date(company: Company, day: date) -> None:
    """Every movement's date (and a document's that moves nothing): after the closed period,
    and not after today where the company is."""
    if company.lock_date and day <= company.lock_date:
        raise PeriodLocked(company.lock_date, day)
    today = company_today(company)
    if day > today:
        raise FutureDate(today, day, company.timezone)


# The statements every posting runs are built once: building one (and its cache key) costs
# more than running it.


@cache
def _level_update() -> Update:
    table = table_of(StockLevel)
    return (
        update(table)
        .where(
            table.c.company_id == bindparam("b_company"), table.c.level_key == bindparam("b_key")
        )
        .values(
            on_hand=bindparam("on_hand", type_=Amount()),
            value=bindparam("value", type_=Amount()),
            last_movement_id=bindparam("last_movement_id"),
            updated_at=bindparam("updated_at", type_=UTCDateTime()),
        )
    )


def check_items(
    session: Session, company_id: str, lines: list[Line], *, unstocked: bool = False
) -> dict[str, Item]:
    """The lines' items by id, after refusing unknown, inactive and (unless ``unstocked``:
    lines a document records without moving them) untracked ones."""
    items = rows_by_id(session, Item, company_id, {line.item_id for line in lines})
    variant_ids = {line.variant_id for line in lines if line.variant_id}
    variants = (
        dict(
            session.execute(
                select(ItemVariant.id, ItemVariant.item_id).where(
                    ItemVariant.company_id == company_id, ItemVariant.id.in_(variant_ids)
                )
            ).all()
        )
        if variant_ids
        else {}
    )
    errors = []
    for line in lines:
        item = items.get(line.item_id)
        if item is None:
            errors.append(
                field_error(line.at("item_id"), f"no item {line.item_id!r}", "unknown_reference")
            )
        elif not unstocked and (item.type != "inventory" or not item.tracked):
            errors.append(
                field_error(
                    line.at("item_id"),
                    f"{item.item_code} is a {item.type.replace('_', '-')} item "
                    "whose stock is not tracked",
                    "not_stocked",
                )
            )
        elif not item.is_active:
            errors.append(
                field_error(line.at("item_id"), f"{item.item_code} is inactive", "inactive_item")
            )
        elif line.variant_id and variants.get(line.variant_id) != line.item_id:
            errors.append(
                field_error(
                    line.at("variant_id"),
                    f"no variant {line.variant_id!r} of this item",
                    "unknown_reference",
                )
            )
    if errors:
        raise ItemCannotMove(errors)
    return items


def _named_locations(session: Session, company_id: str, lines: list[Line]) -> dict[str, Location]:
    """Every location the lines name, keyed by id; raises if one is unknown."""
    ids = {line.from_location_id for line in lines} | {line.to_location_id for line in lines}
    found = rows_by_id(session, Location, company_id, ids)
    missing = sorted(ids - set(found))
    if missing:
        raise UnknownReference(
            "location",
            [field_error("location_id", "no such location", "unknown_reference")],
            f"unknown locations: {', '.join(missing)}",
        )
    return found


def _ends(line: Line) -> tuple[tuple[str, str | None], tuple[str, str | None]]:
    return (line.from_location_id, line.from_bin_id), (line.to_location_id, line.to_bin_id)


def _level_rows(
    company_id: str, lines: list[Line], locations: dict[str, Location]
) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for line in lines:
        for location_id, bin_id in _ends(line):
            row = levels.level_row(
                company_id,
                line.item_id,
                line.variant_id,
                location_id,
                physical=locations[location_id].type in PHYSICAL,
                bin_id=bin_id,
                batch_id=line.batch_id,
                serial_id=line.serial_id,
            )
            rows[row["level_key"]] = row
    return [rows[key] for key in sorted(rows)]


def _apply(state: Levels, line: Line, item: Item, locations: dict[str, Location]) -> Posted:
    source = state.groups[(line.item_id, line.variant_id, line.from_location_id)]
    target = state.groups[(line.item_id, line.variant_id, line.to_location_id)]
    leaves_premises = locations[line.from_location_id].type in PHYSICAL
    arrives = locations[line.to_location_id].type in PHYSICAL
    physical_end = target if arrives else source
    if line.quantity == 0:
        where = locations[line.to_location_id if arrives else line.from_location_id]
        cost, value = ZERO, _revaluation(line, item, physical_end, where)
    elif leaves_premises:
        cost = _first(source.average(), line.unit_cost, target.average(), item.cost_price)
        if line.quantity == source.on_hand:
            # the last units out take the remaining value, so no residue is left behind
            value = source.value
        elif line.value is not None:
            # a reversal or a return to the supplier: at the value it came in with, as far
            # as the stock there is worth it
            value = max(ZERO, min(line.value, source.value))
            cost = _money(value / line.quantity)
        else:
            value = _money(line.quantity * cost)
    else:
        cost = _first(line.unit_cost, target.average(), item.cost_price)
        value = _first(line.value, _money(line.quantity * cost))
    before = physical_end.on_hand
    for (location_id, bin_id), sign in zip(_ends(line), (-1, 1), strict=True):
        key = level_key(
            line.item_id, line.variant_id, location_id, bin_id, line.batch_id, line.serial_id
        )
        level = state.levels[key]
        level["on_hand"] += sign * line.quantity
        level["value"] += sign * value
        group = state.groups[(line.item_id, line.variant_id, location_id)]
        group.on_hand += sign * line.quantity
        group.value += sign * value
    return Posted(
        line=line,
        movement_id=new_id("mov"),
        unit_cost=cost,
        value=value,
        before=before,
        after=physical_end.on_hand,
    )


def _first(*values: Decimal | None) -> Decimal:
    return next(v for v in values if v is not None)


def _revaluation(line: Line, item: Item, stock: Group, where: Location) -> Decimal:
    """The value a revaluation moves; refused where there is no stock to carry it, or where
    taking it away would leave a negative value."""
    assert line.value is not None, "a revaluation names its value"
    field = line.at("value_adjusted")
    if stock.on_hand <= 0:
        raise NothingToRevalue(
            f"{item.item_code} has no stock at {where.name} to revalue",
            errors=[field_error(field, "no stock on hand to carry the value", "no_stock")],
        )
    if where.id == line.from_location_id and line.value > stock.value:
        raise ValueBelowZero(
            f"{item.item_code} at {where.name} is valued at {stock.value}: "
            f"taking {line.value} off would leave a negative value",
            errors=[field_error(field, f"at most {stock.value}", "too_large")],
        )
    return line.value


def reversing_lines(movements: list[Movement]) -> list[Line]:
    """Lines that undo the given movements: each goes back the way it came, stock that
    comes back in at the value it left with."""
    return [
        Line(
            item_id=m.item_id,
            variant_id=m.variant_id,
            quantity=m.quantity,
            from_location_id=m.to_location_id,
            to_location_id=m.from_location_id,
            from_bin_id=m.to_bin_id,
            to_bin_id=m.from_bin_id,
            batch_id=m.batch_id,
            serial_id=m.serial_id,
            unit_cost=m.unit_cost,
            value=m.value,
            movement_type="reversal",
            reason=m.reason,
            line_id=m.document_line_id,
            reversal_of=m.id,
            field=f"items.{n}",
        )
        for n, m in enumerate(movements)
    ]


def _write(
    session: Session,
    actor: Actor,
    document: Document,
    posted: list[Posted],
    state: Levels,
) -> None:
    """The movements, in one statement, and the levels they touched, in one executemany."""
    now = utcnow()
    last: dict[str, str] = {}
    for p in posted:
        line = p.line
        for location_id, bin_id in _ends(line):
            key = level_key(
                line.item_id, line.variant_id, location_id, bin_id, line.batch_id, line.serial_id
            )
            last[key] = p.movement_id
    insert_many(session, Movement, [_movement(actor, document, p, now) for p in posted])
    metrics.posted(session, document.type, len(posted))
    levels_after = [
        {
            "b_company": actor.company_id,
            "b_key": key,
            "on_hand": state.levels[key]["on_hand"],
            "value": state.levels[key]["value"],
            "last_movement_id": last[key],
            "updated_at": now,
        }
        for key in sorted(last)
    ]
    run_many(session, _level_update(), levels_after)


def _movement(actor: Actor, document: Document, p: Posted, now: datetime) -> dict[str, Any]:
    line = p.line
    return {
        "company_id": actor.company_id,
        "id": p.movement_id,
        "item_id": line.item_id,
        "variant_id": line.variant_id,
        "from_location_id": line.from_location_id,
        "to_location_id": line.to_location_id,
        "from_bin_id": line.from_bin_id,
        "to_bin_id": line.to_bin_id,
        "batch_id": line.batch_id,
        "serial_id": line.serial_id,
        "quantity": line.quantity,
        "unit_cost": p.unit_cost,
        "value": p.value,
        "movement_type": line.movement_type,
        "reason": line.reason,
        "reference": document.reference,
        "document_type": document.type,
        "document_id": document.id,
        "document_line_id": line.line_id,
        "document_number": document.number,
        "reversal_of": line.reversal_of,
        "effective_date": document.effective_date,
        "created_at": now,
        "created_by": actor.name,
        "created_by_key_id": actor.key_id,
    }
