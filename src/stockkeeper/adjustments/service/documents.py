"""Adjustment documents: creating one (posted at once, or kept as a draft), replacing a
draft's content, deleting a draft, reading and listing them. The moves after creation are in
``lifecycle.py``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from stockkeeper.adjustments.kind import ADJUSTMENTS
from stockkeeper.adjustments.models import StockAdjustment, StockAdjustmentLine
from stockkeeper.adjustments.service import lifecycle
from stockkeeper.adjustments.values import (
    AdjustmentContent,
    AdjustmentFilters,
    AdjustmentLine,
    CustomField,
    NewAdjustment,
)
from stockkeeper.adjustments.views import AdjustmentView
from stockkeeper.catalog.models import Item, Location
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.catalog.service.locations import check_bins, location_or_default
from stockkeeper.catalog.service.reasons import check_reasons
from stockkeeper.core.db import insert_new
from stockkeeper.core.errors import Invalid, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.core.pagination import Listed
from stockkeeper.core.types import utcnow
from stockkeeper.stock.service import ledger, lots
from stockkeeper.stock.service.documents import locations_by_id
from stockkeeper.stock.service.locations import virtual_locations
from stockkeeper.tenancy.service import Actor, company_today, get_company


def create_adjustment(
    session: Session, actor: Actor, *, adjustment: NewAdjustment, movement_type: str = "adjustment"
) -> AdjustmentView:
    """Creates the adjustment and posts it at once, unless it is to stay a draft."""
    company = get_company(session, actor.company_id)
    row = StockAdjustment(
        id=new_id("adj"),
        company_id=actor.company_id,
        status="draft",
        created_by=actor.name,
        created_at=utcnow(),  # before it is posted, not when its row is written
    )
    lines = _fill(session, actor, row, adjustment, company_today(company))
    row.adjustment_number = ADJUSTMENTS.next_number(session, company, row.adjustment_date)
    # written once checked and posted, with the figures the posting gave the lines
    if adjustment.status == "draft":
        _check_draft_lines(session, actor, row, lines)
        ADJUSTMENTS.record(session, actor, "drafted", row, number=row.adjustment_number)
    else:
        lifecycle.post_lines(session, actor, company, row, lines, movement_type)
    insert_new(session, row, *lines)
    view = _view(session, actor, row, lines)
    if row.status == "posted":
        lifecycle.announce(session, actor, view)
    return view


def update_adjustment(
    session: Session, actor: Actor, *, adjustment_id: str, content: AdjustmentContent
) -> AdjustmentView:
    """Replaces a draft's content and lines."""
    row = ADJUSTMENTS.locked(session, actor, adjustment_id, "edit")
    company = get_company(session, actor.company_id)
    lines = _fill(session, actor, row, content, company_today(company))
    _delete_lines(session, actor, row)
    _check_draft_lines(session, actor, row, lines)
    session.add_all(lines)
    ADJUSTMENTS.record(session, actor, "edited", row, lines=len(lines))
    session.flush()
    return get_adjustment(session, actor, adjustment_id=adjustment_id)


def delete_adjustment(session: Session, actor: Actor, *, adjustment_id: str) -> None:
    row = ADJUSTMENTS.locked(session, actor, adjustment_id, "delete")
    _delete_lines(session, actor, row)
    session.delete(row)
    ADJUSTMENTS.record(session, actor, "deleted", row, number=row.adjustment_number)
    session.flush()


def get_adjustment(session: Session, actor: Actor, *, adjustment_id: str) -> AdjustmentView:
    return _views(session, actor, [ADJUSTMENTS.get(session, actor, adjustment_id)])[0]


def list_adjustments(
    session: Session, actor: Actor, *, filters: AdjustmentFilters, limit: int, cursor: str | None
) -> Listed[AdjustmentView]:
    """Newest first (by date, then creation)."""
    page = ADJUSTMENTS.page(session, actor, filters, limit=limit, cursor=cursor)
    return Listed(_views(session, actor, page.rows), page.next_cursor, page.total)


def _views(
    session: Session, actor: Actor, adjustments: list[StockAdjustment]
) -> list[AdjustmentView]:
    if not adjustments:
        return []
    lines = ADJUSTMENTS.lines(session, actor.company_id, [a.id for a in adjustments])
    locations = locations_by_id(session, actor.company_id, (a.location_id for a in adjustments))
    return [AdjustmentView(a, locations[a.location_id], lines[a.id]) for a in adjustments]


def _view(
    session: Session, actor: Actor, row: StockAdjustment, lines: list[StockAdjustmentLine]
) -> AdjustmentView:
    """The view of an adjustment whose lines are at hand, from rows the session holds."""
    items = rows_by_id(session, Item, actor.company_id, {line.item_id for line in lines})
    location = locations_by_id(session, actor.company_id, [row.location_id])
    return AdjustmentView(
        row, location[row.location_id], [(line, items[line.item_id]) for line in lines]
    )


def _delete_lines(session: Session, actor: Actor, row: StockAdjustment) -> None:
    session.execute(
        delete(StockAdjustmentLine).where(
            StockAdjustmentLine.company_id == actor.company_id,
            StockAdjustmentLine.adjustment_id == row.id,
        )
    )


# --- checking and writing the content -----------------------------------------------------


def derive_type(changes: list[Decimal]) -> str:
    if all(q > 0 for q in changes):
        return "positive"
    if all(q < 0 for q in changes):
        return "negative"
    return "mixed"


def location_of(session: Session, actor: Actor, location_id: str | None) -> Location:
    """The location named, else the company's default warehouse."""
    if location_id is not None:
        # read with the virtual locations its stock comes from or goes to: one query, not two
        virtual = virtual_locations(session, actor.company_id)
        rows_by_id(
            session, Location, actor.company_id, {location_id, virtual["loss"], virtual["opening"]}
        )
    return location_or_default(session, actor, location_id, "location_id")


def _changes(adjustment_type: str, lines: Sequence[AdjustmentLine]) -> list[Decimal]:
    """Each line's change (quantity or value, as the adjustment type says), after checking
    that every line carries the right one."""
    wanted, other = (
        ("value_adjusted", "adjustment_quantity")
        if adjustment_type == "value"
        else ("adjustment_quantity", "value_adjusted")
    )
    unwanted = (other, "unit_cost") if adjustment_type == "value" else (other,)
    errors = []
    for n, line in enumerate(lines):
        if getattr(line, wanted) is None:
            errors.append(
                field_error(
                    f"items.{n}.{wanted}", f"required on {adjustment_type} lines", "wrong_kind"
                )
            )
        errors += [
            field_error(
                f"items.{n}.{name}", f"not allowed on {adjustment_type} lines", "wrong_kind"
            )
            for name in unwanted
            if getattr(line, name) is not None
        ]
    if errors:
        raise Invalid(errors[0].message, errors=errors)
    return [getattr(line, wanted) for line in lines]


def _custom_fields(fields: Sequence[CustomField]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    for n, entry in enumerate(fields):
        label = entry.label.casefold()
        if label in seen:
            raise Invalid(
                f"custom field {entry.label!r} is given twice",
                errors=[field_error(f"custom_fields.{n}.label", "given twice", "duplicate")],
            )
        seen.add(label)
    return [entry.model_dump(exclude_unset=True) for entry in fields]


def _fill(
    session: Session, actor: Actor, row: StockAdjustment, content: AdjustmentContent, today: date
) -> list[StockAdjustmentLine]:
    """Checks the content and writes it into the adjustment; returns its new line rows."""
    location = location_of(session, actor, content.location_id)
    lines = content.items
    derived = derive_type(_changes(content.adjustment_type, lines))
    if content.type not in (None, derived):
        raise Invalid(
            f"the lines make a {derived} adjustment, not {content.type}",
            errors=[field_error("type", f"the lines make it {derived}", "contradicts_lines")],
        )
    reasons = {"reason": content.reason} | {
        f"items.{n}.reason": line.reason for n, line in enumerate(lines) if line.reason
    }
    check_reasons(session, actor, reasons)
    bins = [
        (f"items.{n}.bin_id", line.bin_id, location) for n, line in enumerate(lines) if line.bin_id
    ]
    check_bins(session, actor.company_id, bins)
    row.adjustment_date = content.date or today
    row.type = derived
    row.adjustment_type = content.adjustment_type
    row.reason = content.reason
    row.location_id = location.id
    row.reference = content.reference
    row.notes = content.notes
    row.custom_fields = _custom_fields(content.custom_fields)
    row.total_value = Decimal(0)
    return [_line_row(actor, row, n, line) for n, line in enumerate(lines)]


def _line_row(
    actor: Actor, row: StockAdjustment, n: int, line: AdjustmentLine
) -> StockAdjustmentLine:
    given = lots.Lots.given(line)
    return StockAdjustmentLine(
        id=new_id("adjitem"),
        company_id=actor.company_id,
        adjustment_id=row.id,
        position=n,
        item_id=line.item_id,
        variant_id=line.variant_id,
        bin_id=line.bin_id,
        adjustment_quantity=line.adjustment_quantity or Decimal(0),
        value_adjusted=line.value_adjusted,
        unit_cost=line.unit_cost,
        reason=line.reason or row.reason,
        notes=line.notes,
        batches=given.batches,
        serial_numbers=given.serial_numbers,
    )


def _check_draft_lines(
    session: Session, actor: Actor, row: StockAdjustment, lines: list[StockAdjustmentLine]
) -> None:
    """What posting would refuse about the items, refused already when a draft is saved."""
    loss = virtual_locations(session, actor.company_id)["loss"]
    moves = [lifecycle.movement_line(line, row.location_id, loss, loss, "") for line in lines]
    ledger.check_items(session, actor.company_id, moves)
    lots.check(
        session,
        actor.company_id,
        [(move, lifecycle.lots_of(line)) for move, line in zip(moves, lines, strict=True)],
    )
