"""Posting stock adjustments: lines that add or remove stock at one location."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from stockkeeper.adjustments.models import StockAdjustment, StockAdjustmentLine
from stockkeeper.adjustments.reasons import check_reasons
from stockkeeper.catalog.models import Bin, Item, Location
from stockkeeper.catalog.service.locations import default_warehouse, get_location
from stockkeeper.core.audit import record
from stockkeeper.core.errors import Invalid, NotFound, field_error
from stockkeeper.core.filters import given
from stockkeeper.core.ids import new_id
from stockkeeper.core.pagination import Keyset, cursor_mismatch, decode_cursor, encode_cursor
from stockkeeper.core.sequences import next_number
from stockkeeper.core.types import utcnow
from stockkeeper.stock import ledger
from stockkeeper.stock.locations import virtual_locations
from stockkeeper.stock.service import StockRow, lock_on_hand, stock_at
from stockkeeper.tenancy.service import Actor, company_today, get_company, numbering_template


@dataclass(frozen=True)
class AdjustmentView:
    adjustment: StockAdjustment
    location: Location
    lines: list[tuple[StockAdjustmentLine, Item]]


def derive_type(quantities: list[Decimal]) -> str:
    if all(q > 0 for q in quantities):
        return "positive"
    if all(q < 0 for q in quantities):
        return "negative"
    return "mixed"


def _location(session: Session, actor: Actor, location_id: str | None) -> Location:
    if location_id is None:
        warehouse = default_warehouse(session, actor.company_id)
        if warehouse is None:
            raise Invalid(
                "no locationId, and the company has no default warehouse",
                errors=[field_error("locationId", "required: no default warehouse")],
            )
        return warehouse
    try:
        return get_location(session, actor, location_id=location_id)
    except NotFound:
        raise Invalid(
            f"no location {location_id!r}",
            code="unknown_location",
            errors=[field_error("locationId", "no such location", "unknown_reference")],
        ) from None


def _check_bins(
    session: Session, actor: Actor, location: Location, lines: list[dict[str, Any]]
) -> None:
    wanted = {line["bin_id"] for line in lines if line.get("bin_id")}
    if not wanted:
        return
    found = set(
        session.scalars(
            select(Bin.id).where(
                Bin.company_id == actor.company_id,
                Bin.location_id == location.id,
                Bin.id.in_(wanted),
            )
        )
    )
    errors = [
        field_error(
            f"items.{n}.binId", f"no bin {line['bin_id']!r} in {location.name}", "unknown_reference"
        )
        for n, line in enumerate(lines)
        if line.get("bin_id") and line["bin_id"] not in found
    ]
    if errors:
        raise Invalid(errors[0]["message"], code="unknown_bin", errors=errors)


def create_adjustment(
    session: Session, actor: Actor, *, values: dict[str, Any], movement_type: str = "adjustment"
) -> StockAdjustment:
    """Creates the adjustment and posts it: every line's movement, or none of them."""
    company = get_company(session, actor.company_id)
    location = _location(session, actor, values.get("location_id"))
    lines = values["items"]
    derived = derive_type([line["adjustment_quantity"] for line in lines])
    if values.get("type") not in (None, derived):
        raise Invalid(
            f"the lines make a {derived} adjustment, not {values['type']}",
            errors=[field_error("type", f"the lines make it {derived}")],
        )
    reason = values["reason"]
    check_reasons(
        session,
        actor,
        {"reason": reason}
        | {
            f"items.{n}.reason": line["reason"]
            for n, line in enumerate(lines)
            if line.get("reason")
        },
    )
    _check_bins(session, actor, location, lines)
    effective = values.get("date") or company_today(company)
    adjustment = StockAdjustment(
        id=new_id("adj"),
        company_id=actor.company_id,
        adjustment_date=effective,
        type=derived,
        reason=reason,
        status="posted",
        location_id=location.id,
        reference=values.get("reference"),
        notes=values.get("notes"),
        created_by=actor.name,
        posted_by=actor.name,
        posted_at=utcnow(),
        adjustment_number=next_number(
            session,
            actor.company_id,
            name="adjustment",
            template=numbering_template(company, "adjustment"),
            today=effective,
        ),
    )
    rows = [
        StockAdjustmentLine(
            id=new_id("adjitem"),
            company_id=actor.company_id,
            adjustment_id=adjustment.id,
            position=n,
            item_id=line["item_id"],
            variant_id=line.get("variant_id"),
            bin_id=line.get("bin_id"),
            adjustment_quantity=Decimal(line["adjustment_quantity"]),
            reason=line.get("reason") or reason,
            notes=line.get("notes"),
        )
        for n, line in enumerate(lines)
    ]
    virtual = virtual_locations(session, actor.company_id)
    source = virtual["opening"] if reason == "initial_stock" else virtual["loss"]
    posted = ledger.post(
        session,
        actor,
        document=ledger.Document(
            type="adjustment",
            id=adjustment.id,
            effective_date=effective,
            number=adjustment.adjustment_number,
            reference=adjustment.reference,
        ),
        lines=[
            _movement(row, line, location.id, source, virtual["loss"], movement_type, n)
            for n, (row, line) in enumerate(zip(rows, lines, strict=True))
        ],
        allow_negative=company.allow_negative_stock,
    )
    for row, result in zip(rows, posted, strict=True):
        row.unit_cost = result.unit_cost
        row.total_cost = (row.adjustment_quantity * result.unit_cost).quantize(Decimal("0.000001"))
        row.current_stock, row.adjusted_stock = result.before, result.after
    adjustment.total_value = sum((row.total_cost for row in rows), Decimal(0))
    session.add(adjustment)
    session.add_all(rows)
    record(
        session,
        actor,
        "adjustment.posted",
        "adjustment",
        adjustment.id,
        number=adjustment.adjustment_number,
        lines=len(rows),
        totalValue=str(adjustment.total_value),
    )
    session.flush()
    return adjustment


def _movement(
    row: StockAdjustmentLine,
    line: dict[str, Any],
    location_id: str,
    source: str,
    loss: str,
    movement_type: str,
    n: int,
) -> ledger.Line:
    quantity = Decimal(row.adjustment_quantity)
    adding = quantity > 0
    return ledger.Line(
        item_id=row.item_id,
        variant_id=row.variant_id,
        quantity=abs(quantity),
        from_location_id=source if adding else location_id,
        to_location_id=location_id if adding else loss,
        from_bin_id=None if adding else row.bin_id,
        to_bin_id=row.bin_id if adding else None,
        unit_cost=None if line.get("unit_cost") is None else Decimal(line["unit_cost"]),
        movement_type=movement_type,
        reason=row.reason,
        line_id=row.id,
        field=f"items.{n}",
    )


def get_adjustment(session: Session, actor: Actor, *, adjustment_id: str) -> AdjustmentView:
    adjustment = session.get(StockAdjustment, (actor.company_id, adjustment_id))
    if adjustment is None:
        raise NotFound("adjustment", adjustment_id)
    return _views(session, actor, [adjustment])[0]


def _views(
    session: Session, actor: Actor, adjustments: list[StockAdjustment]
) -> list[AdjustmentView]:
    ids = [a.id for a in adjustments]
    rows = session.execute(
        select(StockAdjustmentLine, Item)
        .join(
            Item,
            and_(
                Item.company_id == StockAdjustmentLine.company_id,
                Item.id == StockAdjustmentLine.item_id,
            ),
        )
        .where(
            StockAdjustmentLine.company_id == actor.company_id,
            StockAdjustmentLine.adjustment_id.in_(ids),
        )
        .order_by(StockAdjustmentLine.adjustment_id, StockAdjustmentLine.position)
    ).all()
    locations = {
        loc.id: loc
        for loc in session.scalars(
            select(Location).where(
                Location.company_id == actor.company_id,
                Location.id.in_({a.location_id for a in adjustments}),
            )
        )
    }
    by_adjustment: dict[str, list[tuple[StockAdjustmentLine, Item]]] = {i: [] for i in ids}
    for line, item in rows:
        by_adjustment[line.adjustment_id].append((line, item))
    return [AdjustmentView(a, locations[a.location_id], by_adjustment[a.id]) for a in adjustments]


@dataclass(frozen=True)
class AdjustmentFilters:
    date_from: date | None = None
    date_to: date | None = None
    type: str | None = None
    reason: str | None = None
    status: str | None = None
    location_id: str | None = None
    item_id: str | None = None


def list_adjustments(
    session: Session, actor: Actor, *, filters: AdjustmentFilters, limit: int, cursor: str | None
) -> tuple[list[AdjustmentView], str | None, int]:
    """Newest first (by date, then creation); returns the page, next cursor and total."""
    a = StockAdjustment
    where: list[Any] = [a.company_id == actor.company_id]
    where += given(
        (filters.date_from, a.adjustment_date, operator.ge),
        (filters.date_to, a.adjustment_date, operator.le),
        (filters.type, a.type, operator.eq),
        (filters.reason, a.reason, operator.eq),
        (filters.status, a.status, operator.eq),
        (filters.location_id, a.location_id, operator.eq),
    )
    if filters.item_id:
        where.append(
            a.id.in_(
                select(StockAdjustmentLine.adjustment_id).where(
                    StockAdjustmentLine.company_id == actor.company_id,
                    StockAdjustmentLine.item_id == filters.item_id,
                )
            )
        )
    keyset = Keyset(key=a.adjustment_date, ident=a.id, descending=True)
    statement = select(a).where(*where)
    if cursor:
        position = decode_cursor(cursor)
        if position.get("k") != "adjustment":
            raise cursor_mismatch("listing")
        statement = statement.where(keyset.after(date.fromisoformat(position["v"]), position["id"]))
    found = list(session.scalars(statement.order_by(*keyset.order_by()).limit(limit + 1)))
    total = session.scalar(select(func.count()).select_from(a).where(*where)) or 0
    next_cursor = None
    if len(found) > limit:
        found = found[:limit]
        next_cursor = encode_cursor(
            {"k": "adjustment", "v": found[-1].adjustment_date.isoformat(), "id": found[-1].id}
        )
    return _views(session, actor, found) if found else [], next_cursor, total


def count_stock(session: Session, actor: Actor, *, values: dict[str, Any]) -> StockRow:
    """Sets a counted quantity by posting an adjustment for the difference, if there is one."""
    location = _location(session, actor, values["location_id"])
    item = session.get(Item, (actor.company_id, values["item_id"]))
    if item is None:
        raise Invalid(
            f"no item {values['item_id']!r}",
            code="unknown_item",
            errors=[field_error("itemId", "no such item", "unknown_reference")],
        )
    counted = lock_on_hand(
        session,
        actor.company_id,
        item_id=item.id,
        variant_id=values.get("variant_id"),
        location_id=location.id,
        bin_id=values.get("bin_id"),
    )
    difference = values["new_quantity"] - counted
    if difference != 0:
        line = {
            "item_id": item.id,
            "variant_id": values.get("variant_id"),
            "bin_id": values.get("bin_id"),
            "adjustment_quantity": difference,
            "unit_cost": values.get("cost_price"),
        }
        document: dict[str, Any] = {
            k: values[k] for k in ("reference", "notes", "date") if k in values
        }
        document["reason"] = values.get("reason", "stock_count")
        create_adjustment(
            session,
            actor,
            values={**document, "location_id": location.id, "items": [line]},
            movement_type="count",
        )
    return stock_at(
        session, actor.company_id, item=item, variant_id=values.get("variant_id"), location=location
    )
