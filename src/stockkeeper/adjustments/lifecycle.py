"""The adjustment lifecycle: draft -> (pending_approval -> approved | rejected) -> posted ->
reversed. Posting writes the lines' movements through the ledger; reversing writes movements
that undo them. Every transition takes the document's row lock first, so each happens once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.adjustments.models import StockAdjustment, StockAdjustmentLine
from stockkeeper.core.audit import record
from stockkeeper.core.errors import NotFound
from stockkeeper.core.types import utcnow
from stockkeeper.core.workflow import Workflow
from stockkeeper.stock import ledger, lots
from stockkeeper.stock.locations import virtual_locations
from stockkeeper.stock.models import Movement
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor, company_today, get_company

WORKFLOW = Workflow(
    "adjustment",
    {
        "draft": ("edit", "delete", "submit", "post"),
        "pending_approval": ("approve", "reject"),
        "approved": ("post",),
        "rejected": (),
        "posted": ("reverse",),
        "reversed": (),
    },
    listed_as="allowedActions",
)
_PAST = {
    "edit": "edited",
    "delete": "deleted",
    "submit": "submitted",
    "approve": "approved",
    "reject": "rejected",
    "post": "posted",
    "reverse": "reversed",
}


def allowed_actions(status: str) -> list[str]:
    return WORKFLOW.allowed(status)


def locked(session: Session, actor: Actor, adjustment_id: str, action: str) -> StockAdjustment:
    """The adjustment, locked for the rest of the transaction, if its status allows ``action``."""
    adjustment = session.get(
        StockAdjustment, (actor.company_id, adjustment_id), with_for_update=True
    )
    if adjustment is None:
        raise NotFound("adjustment", adjustment_id)
    WORKFLOW.require(adjustment.status, action, f"be {_PAST[action]}")
    return adjustment


def submit(session: Session, actor: Actor, adjustment_id: str) -> None:
    adjustment = locked(session, actor, adjustment_id, "submit")
    adjustment.status = "pending_approval"
    adjustment.submitted_by, adjustment.submitted_at = actor.name, utcnow()
    record(session, actor, "adjustment.submitted", "adjustment", adjustment.id)


def approve(session: Session, actor: Actor, adjustment_id: str) -> None:
    adjustment = locked(session, actor, adjustment_id, "approve")
    adjustment.status = "approved"
    adjustment.approved_by, adjustment.approved_at = actor.name, utcnow()
    record(session, actor, "adjustment.approved", "adjustment", adjustment.id)


def reject(session: Session, actor: Actor, adjustment_id: str, *, reason: str) -> None:
    adjustment = locked(session, actor, adjustment_id, "reject")
    adjustment.status = "rejected"
    adjustment.rejected_by, adjustment.rejected_at = actor.name, utcnow()
    adjustment.rejection_reason = reason
    record(session, actor, "adjustment.rejected", "adjustment", adjustment.id, reason=reason)


def post(session: Session, actor: Actor, adjustment_id: str) -> None:
    adjustment = locked(session, actor, adjustment_id, "post")
    lines = list(
        session.scalars(
            select(StockAdjustmentLine)
            .where(
                StockAdjustmentLine.company_id == actor.company_id,
                StockAdjustmentLine.adjustment_id == adjustment.id,
            )
            .order_by(StockAdjustmentLine.position)
        )
    )
    post_lines(session, actor, get_company(session, actor.company_id), adjustment, lines)


def post_lines(
    session: Session,
    actor: Actor,
    company: Company,
    adjustment: StockAdjustment,
    lines: list[StockAdjustmentLine],
    movement_type: str = "adjustment",
) -> None:
    """Posts the lines of an adjustment: every line's movement, or none of them."""
    virtual = virtual_locations(session, actor.company_id)
    source = virtual["opening"] if adjustment.reason == "initial_stock" else virtual["loss"]
    if adjustment.adjustment_type == "value":
        movement_type = "revaluation"
    posted, resolved = lots.post(
        session,
        actor,
        document=_document(adjustment, adjustment.adjustment_date),
        lines=[
            (
                movement_line(row, adjustment.location_id, source, virtual["loss"], movement_type),
                lots_of(row),
            )
            for row in lines
        ],
        allow_negative=company.allow_negative_stock,
    )
    for row, result, resolved_lots in zip(lines, posted, resolved, strict=True):
        row.batches = resolved_lots.batches
        if row.value_adjusted is None:
            row.unit_cost = result.unit_cost
            row.total_cost = _money(row.adjustment_quantity * result.unit_cost)
        else:
            row.total_cost = row.value_adjusted
        row.current_stock, row.adjusted_stock = result.before, result.after
    adjustment.total_value = sum((row.total_cost or Decimal(0) for row in lines), Decimal(0))
    adjustment.status = "posted"
    adjustment.posted_by, adjustment.posted_at = actor.name, utcnow()
    record(
        session,
        actor,
        "adjustment.posted",
        "adjustment",
        adjustment.id,
        number=adjustment.adjustment_number,
        lines=len(lines),
        totalValue=str(adjustment.total_value),
    )


def reverse(session: Session, actor: Actor, adjustment_id: str) -> None:
    """Writes movements that undo the adjustment's, dated today: stock it added leaves at the
    average cost, stock it removed comes back at the value it left with."""
    adjustment = locked(session, actor, adjustment_id, "reverse")
    company = get_company(session, actor.company_id)
    positions = dict(
        session.execute(
            select(StockAdjustmentLine.id, StockAdjustmentLine.position).where(
                StockAdjustmentLine.company_id == actor.company_id,
                StockAdjustmentLine.adjustment_id == adjustment.id,
            )
        ).all()
    )
    movements = sorted(
        session.scalars(
            select(Movement).where(
                Movement.company_id == actor.company_id,
                Movement.document_type == "adjustment",
                Movement.document_id == adjustment.id,
            )
        ),
        key=lambda m: positions[m.document_line_id or ""],
    )
    ledger.post(
        session,
        actor,
        document=_document(adjustment, company_today(company)),
        lines=ledger.reversing_lines(movements),
        allow_negative=company.allow_negative_stock,
    )
    adjustment.status = "reversed"
    adjustment.reversed_by, adjustment.reversed_at = actor.name, utcnow()
    record(session, actor, "adjustment.reversed", "adjustment", adjustment.id)


def _document(adjustment: StockAdjustment, effective_date: date) -> ledger.Document:
    return ledger.Document(
        type="adjustment",
        id=adjustment.id,
        effective_date=effective_date,
        number=adjustment.adjustment_number,
        reference=adjustment.reference,
    )


def movement_line(
    row: StockAdjustmentLine, location_id: str, source: str, loss: str, movement_type: str
) -> ledger.Line:
    """The ledger line of an adjustment line: stock (or value) comes in from ``source`` or
    goes out to the loss location."""
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
    return lots.Lots(batches=row.batches, serial_numbers=row.serial_numbers)


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.000001"))
