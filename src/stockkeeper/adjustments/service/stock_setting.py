"""Stock set to what is there: each target names a place (item or variant, location, bin,
batch, serial) and the quantity it holds; what differs from the ledger is posted as one
adjustment, as a count posts its variances. Setting the same targets again posts nothing.
Opening stock brought in from another system is set this way."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.adjustments.service.documents import create_adjustment
from stockkeeper.adjustments.values import AdjustmentLine, NewAdjustment, StockTargets
from stockkeeper.adjustments.views import AdjustmentView
from stockkeeper.core.errors import DomainError, Invalid, field_error, rename_fields
from stockkeeper.core.lists import is_listed, listed
from stockkeeper.core.locks import lock
from stockkeeper.stock.models import Batch, SerialNumber, StockLevel
from stockkeeper.stock.values import BatchInBins
from stockkeeper.tenancy.service import Actor

Place = tuple[str, str, str | None, str | None, str | None, str | None]
ZERO = Decimal(0)


def set_stock(session: Session, actor: Actor, *, stock: StockTargets) -> AdjustmentView | None:
    """Posts the differences between the targets and the ledger as one adjustment (None
    when nothing differs). A refusal names the targets at fault (``targets.N``)."""
    targets = stock.targets
    places = [place_of(target) for target in targets]
    _refuse_repeats(places)
    held = held_at(session, actor.company_id, targets)
    lines, owners = [], []
    for n, (target, place) in enumerate(zip(targets, places, strict=True)):
        difference = target.quantity - held.get(place, ZERO)
        if difference:
            lines.append(_line(target, difference))
            owners.append(n)
    if not lines:
        return None
    adjustment = NewAdjustment.model_validate(
        {
            "reason": stock.reason,
            "location_id": targets[owners[0]].location_id,
            "date": stock.date,
            "reference": stock.reference,
            "notes": stock.notes,
            "items": lines,
        }
    )
    try:
        return create_adjustment(session, actor, adjustment=adjustment)
    except DomainError as error:
        _at_targets(error, owners)
        raise


def place_of(target: Any) -> Place:
    """A target's place, or a level's (its batch and serial by number)."""
    return (
        target.location_id,
        target.item_id,
        target.variant_id,
        target.bin_id,
        target.batch_number,
        target.serial_number,
    )


def _refuse_repeats(places: list[Place]) -> None:
    first: dict[Place, int] = {}
    errors = []
    for n, place in enumerate(places):
        if place in first:
            message = f"the same place as targets.{first[place]}"
            errors.append(field_error(f"targets.{n}", message, "duplicate"))
        first.setdefault(place, n)
    if errors:
        raise Invalid.fields(errors)


def held_at(session: Session, company_id: str, targets: Sequence[Any]) -> dict[Place, Decimal]:
    """What the ledger holds at the targets' locations of their items, by place, the levels
    locked until the adjustment is posted."""
    level = StockLevel
    dialect = session.get_bind().dialect.name
    batch = select(Batch.batch_number).where(
        Batch.company_id == level.company_id, Batch.id == level.batch_id
    )
    serial = select(SerialNumber.serial_number).where(
        SerialNumber.company_id == level.company_id, SerialNumber.id == level.serial_id
    )
    statement = select(
        level.location_id,
        level.item_id,
        level.variant_id,
        level.bin_id,
        batch.scalar_subquery().label("batch_number"),
        serial.scalar_subquery().label("serial_number"),
        level.on_hand,
    ).where(
        level.company_id == company_id,
        level.physical.is_(True),
        is_listed(level.item_id, "items", dialect),
        level.location_id.in_({target.location_id for target in targets}),
    )
    items = {"items": listed(dialect, {target.item_id for target in targets})}
    rows = lock(session, statement, items).all()
    held: dict[Place, Decimal] = defaultdict(Decimal)
    for row in rows:  # named as targets name them
        held[place_of(row)] += row.on_hand
    return held


def _line(target: Any, difference: Decimal) -> dict[str, Any]:
    """The adjustment line of a difference: into or out of the target's place; stock coming
    in at the target's unit cost."""
    line: dict[str, Any] = {
        "item_id": target.item_id,
        "variant_id": target.variant_id,
        "location_id": target.location_id,
        "bin_id": target.bin_id,
        "adjustment_quantity": difference,
        "unit_cost": target.unit_cost if difference > 0 else None,
    }
    if target.batch_number is not None:
        batch = {"batch_number": target.batch_number, "quantity": abs(difference)}
        if difference > 0:
            batch["expiry_date"] = target.expiry_date
        line["batches"] = [BatchInBins.model_validate(batch)]
    if target.serial_number is not None:
        line["serial_numbers"] = [target.serial_number]
    return AdjustmentLine.model_validate(line).model_dump(exclude_unset=True)


def _at_targets(error: DomainError, owners: list[int]) -> None:
    """The adjustment's refusal, its ``items.K`` fields named as the targets they came from."""

    def rename(field: str) -> str:
        head, _, rest = field.partition(".")
        index, _, tail = rest.partition(".")
        if head != "items" or not index.isdigit() or int(index) >= len(owners):
            return field
        return f"targets.{owners[int(index)]}" + (f".{tail}" if tail else "")

    rename_fields(error, rename)
