"""The adjustment lifecycle after creation: submitting a draft for approval, approving or
rejecting it, posting it (its lines' movements through the ledger), and reversing it with
movements that undo them. Every move takes the document's row lock first, so each happens
once; posting and reversing announce the adjustment as ``inventory.adjustment``."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.adjustments.kind import ADJUSTMENTS
from stockkeeper.adjustments.models import StockAdjustment, StockAdjustmentLine
from stockkeeper.adjustments.service import reading
from stockkeeper.adjustments.views import AdjustmentView
from stockkeeper.catalog.service.locations import check_bins
from stockkeeper.core import collector, outbox
from stockkeeper.core.types import utcnow
from stockkeeper.stock.models import Movement
from stockkeeper.stock.service import ledger, lots
from stockkeeper.stock.service.documents import locations_by_id
from stockkeeper.stock.service.locations import virtual_locations
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor, company_today, get_company


def submit_adjustment(session: Session, actor: Actor, *, adjustment_id: str) -> AdjustmentView:
    row = ADJUSTMENTS.locked(session, actor, adjustment_id, "submit")
    row.status = "pending_approval"
    row.submitted_by, row.submitted_at = actor.name, utcnow()
    ADJUSTMENTS.record(session, actor, "submitted", row)
    return current(session, actor, row)


def approve_adjustment(
    session: Session, actor: Actor, *, adjustment_id: str, post: bool = False
) -> AdjustmentView:
    """Approves an adjustment pending approval; with ``post``, posts it too in the same
    transaction (where approving is what moves the stock: Zoho's approval), or neither."""
    row = ADJUSTMENTS.locked(session, actor, adjustment_id, "approve")
    row.status = "approved"
    row.approved_by, row.approved_at = actor.name, utcnow()
    ADJUSTMENTS.record(session, actor, "approved", row)
    if post:
        return post_adjustment(session, actor, adjustment_id=adjustment_id)
    return current(session, actor, row)


def reject_adjustment(
    session: Session, actor: Actor, *, adjustment_id: str, reason: str | None
) -> AdjustmentView:
    row = ADJUSTMENTS.locked(session, actor, adjustment_id, "reject")
    row.status = "rejected"
    row.rejected_by, row.rejected_at = actor.name, utcnow()
    row.rejection_reason = reason
    ADJUSTMENTS.record(session, actor, "rejected", row, reason=reason)
    return current(session, actor, row)


def post_adjustment(session: Session, actor: Actor, *, adjustment_id: str) -> AdjustmentView:
    """Posts a draft or an approved adjustment: every line moves stock, or none does."""
    row = ADJUSTMENTS.locked(session, actor, adjustment_id, "post")
    lines = ADJUSTMENTS.line_rows(session, actor.company_id, row.id)
    with collector.held_off(len(lines)):
        _check_bins(session, actor.company_id, lines)
        post_lines(session, actor, get_company(session, actor.company_id), row, lines)
        return announce(session, actor, current(session, actor, row))


def _check_bins(session: Session, company_id: str, lines: list[StockAdjustmentLine]) -> None:
    """The bins a draft's lines are spread over are still bins of their locations (422
    ``unknown_bin``): unlike a line's ``bin_id``, no foreign key holds them, and a bin that
    nothing else names may have been deleted since."""
    named: list[tuple[str, str, str]] = []
    for line in lines:
        at = f"items.{line.position}"
        named += [
            (f"{at}.bins.{m}.bin_id", share["bin_id"], line.location_id)
            for m, share in enumerate(line.bins or [])
        ]
        named += [
            (f"{at}.batches.{k}.bins.{m}.bin_id", share["bin_id"], line.location_id)
            for k, batch in enumerate(line.batches or [])
            for m, share in enumerate(batch.get("bins") or [])
        ]
    if named:
        places = locations_by_id(session, company_id, {place for *_, place in named})
        check_bins(session, company_id, [(at, ident, places[p]) for at, ident, p in named])


def reverse_adjustment(session: Session, actor: Actor, *, adjustment_id: str) -> AdjustmentView:
    """Writes movements that undo the adjustment's, dated today: stock it added leaves at the
    average cost, stock it removed comes back at the value it left with."""
    row = ADJUSTMENTS.locked(session, actor, adjustment_id, "reverse")
    company = get_company(session, actor.company_id)
    positions = {
        line.id: line.position for line in ADJUSTMENTS.line_rows(session, actor.company_id, row.id)
    }
    movements = sorted(
        session.scalars(
            select(Movement).where(
                Movement.company_id == actor.company_id,
                Movement.document_type == ADJUSTMENTS.name,
                Movement.document_id == row.id,
            )
        ),
        key=lambda m: positions[m.document_line_id or ""],
    )
    ledger.post(
        session,
        actor,
        document=ADJUSTMENTS.ledger_document(row, company_today(company)),
        lines=ledger.reversing_lines(movements),
        allow_negative=company.allow_negative_stock,
    )
    row.status = "reversed"
    row.reversed_by, row.reversed_at = actor.name, utcnow()
    ADJUSTMENTS.record(session, actor, "reversed", row)
    return announce(session, actor, current(session, actor, row))


def current(session: Session, actor: Actor, row: StockAdjustment) -> AdjustmentView:
    """The adjustment as it stands in this transaction."""
    session.flush()
    lines = ADJUSTMENTS.lines(session, actor.company_id, [row.id])
    return reading.views(session, actor.company_id, [row], lines)[0]


def announce(session: Session, actor: Actor, view: AdjustmentView) -> AdjustmentView:
    """An adjustment that moved stock (posted or reversed) is ``inventory.adjustment``."""
    outbox.emit(session, actor.company_id, "inventory.adjustment", view.data)
    return view


def post_lines(
    session: Session,
    actor: Actor,
    company: Company,
    row: StockAdjustment,
    lines: list[StockAdjustmentLine],
    movement_type: str = "adjustment",
) -> None:
    """Posts the lines of an adjustment: every line's movement, or none of them."""
    virtual = virtual_locations(session, actor.company_id)
    source = virtual["opening"] if row.reason == "initial_stock" else virtual["loss"]
    if row.adjustment_type == "value":
        movement_type = "revaluation"
    posted, resolved = ADJUSTMENTS.post(
        session,
        actor,
        row,
        [
            (
                movement_line(line, source, virtual["loss"], movement_type),
                lots_of(line),
            )
            for line in lines
        ],
        company=company,
        effective_date=row.adjustment_date,
    )
    for line, result, resolved_lots in zip(lines, posted, resolved, strict=True):
        line.batches = resolved_lots.batches
        if line.value_adjusted is None:
            line.unit_cost = result.unit_cost
            line.total_cost = _money(line.adjustment_quantity * result.unit_cost)
        else:
            line.total_cost = line.value_adjusted
        line.current_stock, line.adjusted_stock = result.before, result.after
    row.total_value = sum((line.total_cost or Decimal(0) for line in lines), Decimal(0))
    row.status = "posted"
    row.posted_by, row.posted_at = actor.name, utcnow()
    ADJUSTMENTS.record(
        session,
        actor,
        "posted",
        row,
        number=row.adjustment_number,
        lines=len(lines),
        total_value=row.total_value,
    )


def movement_line(
    row: StockAdjustmentLine, source: str, loss: str, movement_type: str
) -> ledger.Line:
    """The ledger line of an adjustment line: stock (or value) comes into the line's location
    from ``source`` or goes out to the loss location (its bins split it, in ``lots_of``)."""
    location_id = row.location_id
    revalued = row.value_adjusted
    change = row.adjustment_quantity if revalued is None else revalued
    adding = change > 0
    return ledger.Line(
        item_id=row.item_id,
        variant_id=row.variant_id,
        quantity=abs(row.adjustment_quantity),
        value=None if revalued is None else abs(revalued),
        from_location_id=source if adding else location_id,
        to_location_id=location_id if adding else loss,
        from_bin_id=None if adding else row.bin_id,
        to_bin_id=row.bin_id if adding else None,
        unit_cost=row.unit_cost,
        movement_type=movement_type,
        reason=row.reason,
        line_id=row.id,
        field=f"items.{row.position}",
    )


def lots_of(row: StockAdjustmentLine) -> lots.Lots:
    return lots.Lots(batches=row.batches, serial_numbers=row.serial_numbers, bins=row.bins)


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.000001"))
