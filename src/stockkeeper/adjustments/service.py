"""Stock adjustment documents: creating (and posting), editing and deleting drafts, reading
and listing them. The transitions after creation are in ``lifecycle.py``."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from stockkeeper.adjustments import lifecycle
from stockkeeper.adjustments.models import StockAdjustment, StockAdjustmentLine
from stockkeeper.adjustments.reasons import check_reasons
from stockkeeper.catalog.models import Item, Location
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.catalog.service.documents import lines_with_items, locations_by_id
from stockkeeper.catalog.service.locations import (
    check_bins,
    default_warehouse,
    require_location,
)
from stockkeeper.core.audit import record
from stockkeeper.core.db import insert_new
from stockkeeper.core.errors import Invalid, NotFound, field_error
from stockkeeper.core.filters import given
from stockkeeper.core.ids import new_id
from stockkeeper.core.pagination import Keyset, keyset_page
from stockkeeper.core.sequences import next_number
from stockkeeper.core.types import utcnow
from stockkeeper.stock import ledger, lots
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
    # read with the virtual locations its stock comes from or goes to: one query, not two
    virtual = virtual_locations(session, actor.company_id)
    rows_by_id(
        session, Location, actor.company_id, {location_id, virtual["loss"], virtual["opening"]}
    )
    return require_location(session, actor, location_id, "locationId")


def _lines(adjustment_type: str, lines: list[dict[str, Any]]) -> list[Decimal]:
    """Each line's change (quantity or value, as the adjustment type says), after checking
    that every line carries the right one."""
    wanted, other = (
        ("value_adjusted", "adjustment_quantity")
        if adjustment_type == "value"
        else ("adjustment_quantity", "value_adjusted")
    )
    errors = []
    for n, line in enumerate(lines):
        if line.get(wanted) is None:
            errors.append(
                field_error(f"items.{n}.{_camel(wanted)}", f"required on {adjustment_type} lines")
            )
        for unwanted in (other, "unit_cost") if adjustment_type == "value" else (other,):
            if line.get(unwanted) is not None:
                errors.append(
                    field_error(
                        f"items.{n}.{_camel(unwanted)}", f"not allowed on {adjustment_type} lines"
                    )
                )
    if errors:
        raise Invalid(errors[0]["message"], errors=errors)
    return [Decimal(line[wanted]) for line in lines]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _custom_fields(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    for n, entry in enumerate(fields):
        label = entry["label"].casefold()
        if label in seen:
            raise Invalid(
                f"custom field {entry['label']!r} is given twice",
                errors=[field_error(f"customFields.{n}.label", "given twice", "duplicate")],
            )
        seen.add(label)
    return fields


def _fill(
    session: Session,
    actor: Actor,
    adjustment: StockAdjustment,
    values: dict[str, Any],
    today: date,
) -> list[StockAdjustmentLine]:
    """Validates the content and writes it into the adjustment; returns its new line rows."""
    location = _location(session, actor, values.get("location_id"))
    lines = values["items"]
    adjustment_type = values.get("adjustment_type", "quantity")
    derived = derive_type(_lines(adjustment_type, lines))
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
    check_bins(
        session,
        actor.company_id,
        [
            (f"items.{n}.binId", line["bin_id"], location)
            for n, line in enumerate(lines)
            if line.get("bin_id")
        ],
    )
    adjustment.adjustment_date = values.get("date") or today
    adjustment.type = derived
    adjustment.adjustment_type = adjustment_type
    adjustment.reason = reason
    adjustment.location_id = location.id
    adjustment.reference = values.get("reference")
    adjustment.notes = values.get("notes")
    adjustment.custom_fields = _custom_fields(values.get("custom_fields", []))
    adjustment.total_value = Decimal(0)
    return [
        StockAdjustmentLine(
            id=new_id("adjitem"),
            company_id=actor.company_id,
            adjustment_id=adjustment.id,
            position=n,
            item_id=line["item_id"],
            variant_id=line.get("variant_id"),
            bin_id=line.get("bin_id"),
            adjustment_quantity=Decimal(line.get("adjustment_quantity") or 0),
            value_adjusted=line.get("value_adjusted"),
            unit_cost=line.get("unit_cost"),
            reason=line.get("reason") or reason,
            notes=line.get("notes"),
            batches=lots.storable(line.get("batches")),
            serial_numbers=line.get("serial_numbers"),
        )
        for n, line in enumerate(lines)
    ]


def _check_draft_lines(
    session: Session, actor: Actor, adjustment: StockAdjustment, rows: list[StockAdjustmentLine]
) -> None:
    """What posting would refuse about the items, refused already when a draft is saved."""
    loss = virtual_locations(session, actor.company_id)["loss"]
    lines = [lifecycle.movement_line(row, adjustment.location_id, loss, loss, "") for row in rows]
    ledger.check_items(session, actor.company_id, lines)
    lots.check(
        session,
        actor.company_id,
        [(line, lifecycle.lots_of(row)) for line, row in zip(lines, rows, strict=True)],
    )


def create_adjustment(
    session: Session, actor: Actor, *, values: dict[str, Any], movement_type: str = "adjustment"
) -> AdjustmentView:
    """Creates the adjustment and posts it at once, unless it is to stay a draft."""
    company = get_company(session, actor.company_id)
    adjustment = StockAdjustment(
        id=new_id("adj"),
        company_id=actor.company_id,
        status="draft",
        created_by=actor.name,
        created_at=utcnow(),  # before it is posted, not when its row is written
    )
    rows = _fill(session, actor, adjustment, values, company_today(company))
    adjustment.adjustment_number = next_number(
        session,
        actor.company_id,
        name="adjustment",
        template=numbering_template(company, "adjustment"),
        today=adjustment.adjustment_date,
    )
    # written once checked and posted, with the figures the posting gave the lines
    if values.get("status", "posted") == "draft":
        _check_draft_lines(session, actor, adjustment, rows)
        record(
            session,
            actor,
            "adjustment.drafted",
            "adjustment",
            adjustment.id,
            number=adjustment.adjustment_number,
        )
    else:
        lifecycle.post_lines(session, actor, company, adjustment, rows, movement_type)
    insert_new(session, adjustment, *rows)
    return _view(session, actor, adjustment, rows)


def _view(
    session: Session, actor: Actor, adjustment: StockAdjustment, rows: list[StockAdjustmentLine]
) -> AdjustmentView:
    """The view of an adjustment whose lines are at hand, from rows the session holds."""
    items = rows_by_id(session, Item, actor.company_id, {row.item_id for row in rows})
    location = locations_by_id(session, actor.company_id, [adjustment.location_id])
    lines = [(row, items[row.item_id]) for row in rows]
    return AdjustmentView(adjustment, location[adjustment.location_id], lines)


def update_adjustment(
    session: Session, actor: Actor, *, adjustment_id: str, values: dict[str, Any]
) -> None:
    """Replaces a draft's content and lines."""
    adjustment = lifecycle.locked(session, actor, adjustment_id, "edit")
    company = get_company(session, actor.company_id)
    rows = _fill(session, actor, adjustment, values, company_today(company))
    session.execute(
        delete(StockAdjustmentLine).where(
            StockAdjustmentLine.company_id == actor.company_id,
            StockAdjustmentLine.adjustment_id == adjustment.id,
        )
    )
    _check_draft_lines(session, actor, adjustment, rows)
    session.add_all(rows)
    record(session, actor, "adjustment.edited", "adjustment", adjustment.id, lines=len(rows))
    session.flush()


def delete_adjustment(session: Session, actor: Actor, *, adjustment_id: str) -> None:
    adjustment = lifecycle.locked(session, actor, adjustment_id, "delete")
    session.execute(
        delete(StockAdjustmentLine).where(
            StockAdjustmentLine.company_id == actor.company_id,
            StockAdjustmentLine.adjustment_id == adjustment.id,
        )
    )
    session.delete(adjustment)
    record(
        session,
        actor,
        "adjustment.deleted",
        "adjustment",
        adjustment.id,
        number=adjustment.adjustment_number,
    )
    session.flush()


def get_adjustment(session: Session, actor: Actor, *, adjustment_id: str) -> AdjustmentView:
    adjustment = session.get(StockAdjustment, (actor.company_id, adjustment_id))
    if adjustment is None:
        raise NotFound("adjustment", adjustment_id)
    return _views(session, actor, [adjustment])[0]


def _views(
    session: Session, actor: Actor, adjustments: list[StockAdjustment]
) -> list[AdjustmentView]:
    lines = lines_with_items(
        session,
        actor.company_id,
        StockAdjustmentLine,
        StockAdjustmentLine.adjustment_id,
        [a.id for a in adjustments],
    )
    locations = locations_by_id(session, actor.company_id, (a.location_id for a in adjustments))
    return [AdjustmentView(a, locations[a.location_id], lines[a.id]) for a in adjustments]


@dataclass(frozen=True)
class AdjustmentFilters:
    date_from: date | None = None
    date_to: date | None = None
    type: str | None = None
    reason: str | None = None
    status: str | None = None
    adjustment_type: str | None = None
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
        (filters.adjustment_type, a.adjustment_type, operator.eq),
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
    found, next_cursor, total = keyset_page(
        session,
        a,
        where,
        Keyset(key=a.adjustment_date, ident=a.id, descending=True),
        kind="adjustment",
        limit=limit,
        cursor=cursor,
        parse=date.fromisoformat,
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
