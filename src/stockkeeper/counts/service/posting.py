"""A count's posting: the variance of every counted line (counted less expected at opening
and what moved there up to its count) becomes a line of one ``stock_count`` adjustment, made
and posted by the adjustments service, so that the ledger, the audit rows and the events of
stock that moves stay theirs. The lines are built in bulk, with no query per line."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Update, bindparam, update
from sqlalchemy.orm import Session

from stockkeeper.adjustments.service import create_adjustment
from stockkeeper.adjustments.values import AdjustmentLine, NewAdjustment
from stockkeeper.core import collector
from stockkeeper.core.db import table_of
from stockkeeper.core.executemany import run_many
from stockkeeper.core.types import Amount
from stockkeeper.counts.models import StockCount, StockCountLine
from stockkeeper.counts.service import variance
from stockkeeper.stock.values import BatchInBins
from stockkeeper.tenancy.service import Actor

REASON = "stock_count"


def post_variances(session: Session, actor: Actor, count: StockCount) -> str | None:
    """Posts the adjustment of the count's variances; returns its id (None when there is no
    variance). Each counted line keeps its variance and the unit cost it was booked at."""
    lines = _counted(session, count)
    with collector.held_off(len(lines)):
        return _post(session, actor, count, lines)


def _post(session: Session, actor: Actor, count: StockCount, lines: list[Any]) -> str | None:
    moved = variance.movements_since(session, count)
    differences = [
        (line, line.counted - line.expected - moved.until(line.line_key, line.counted_at))
        for line in lines
    ]
    varied = [(line, diff) for line, diff in differences if diff != 0]
    costs: dict[str, Decimal | None] = {}
    adjustment_id = None
    if varied:
        view = create_adjustment(
            session,
            actor,
            adjustment=_adjustment(count, [_line(line, diff) for line, diff in varied]),
            movement_type="count",
        )
        adjustment_id = view.adjustment.id
        booked = [row for row, _ in view.lines]
        costs = {line.id: row.unit_cost for (line, _), row in zip(varied, booked, strict=True)}
    run_many(
        session,
        _variances(),
        [
            {
                "company": count.company_id,
                "line": line.id,
                "variance": diff,
                "cost": costs.get(line.id),
            }
            for line, diff in differences
        ],
    )
    return adjustment_id


@cache
def _variances() -> Update:
    """The lines' variances and costs as booked: built once, run in one executemany."""
    table = table_of(StockCountLine)
    return (
        update(table)
        .where(table.c.company_id == bindparam("company"), table.c.id == bindparam("line"))
        .values(
            variance=bindparam("variance", type_=Amount()),
            unit_cost=bindparam("cost", type_=Amount()),
        )
    )


def _counted(session: Session, count: StockCount) -> list[Any]:
    line = StockCountLine
    return variance.counted_lines(
        session,
        count,
        line.id,
        line.line_key,
        line.item_id,
        line.variant_id,
        line.bin_id,
        line.batch_id,
        line.batch_number,
        line.expiry_date,
        line.serial_number,
        line.expected,
        line.counted,
        line.counted_at,
    )


def _line(line: Any, difference: Decimal) -> AdjustmentLine:
    """The adjustment line of a variance: into or out of the line's bin, of its batch (by
    id, or by number for a batch the count found first) or its serial. Built past validation
    (``model_construct``): every value comes checked from the count."""
    batches = None
    if line.batch_number is not None:
        given = (
            {"batch_id": line.batch_id}
            if line.batch_id
            else {"batch_number": line.batch_number, "expiry_date": line.expiry_date}
        )
        batches = [BatchInBins.model_construct(**given, quantity=abs(difference))]
    return _LINE.model_copy(
        update={
            "item_id": line.item_id,
            "variant_id": line.variant_id,
            "bin_id": line.bin_id,
            "adjustment_quantity": difference,
            "batches": batches,
            "serial_numbers": None if line.serial_number is None else [line.serial_number],
        }
    )


# Every variance's line names the same fields: each is a copy of this one with its own
# values, made in a third of the time ``model_construct`` takes (a count makes thousands).
_LINE = AdjustmentLine.model_construct(
    item_id="",
    variant_id=None,
    bin_id=None,
    adjustment_quantity=Decimal(0),
    batches=None,
    serial_numbers=None,
)


def _adjustment(count: StockCount, lines: list[AdjustmentLine]) -> NewAdjustment:
    """The adjustment, past validation too: a count may hold more lines than a request may
    send (its lines were checked as they were counted)."""
    return NewAdjustment.model_construct(
        reason=REASON,
        location_id=count.location_id,
        reference=count.count_number,
        notes=f"Stock count {count.count_number}",
        items=lines,
    )
