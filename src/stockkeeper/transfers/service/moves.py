"""How a transfer moves stock: at once, straight from source to destination; or shipped and
received.

Shipping moves stock from the source into the company's in-transit location, at the average
cost there; receiving moves it on to the destination at the value it shipped with. What is
received short is written off from transit to the loss location with a reason at the same
time, so a received transfer is always completed and nothing lingers in transit.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from sqlalchemy.orm import Session

from stockkeeper.catalog.service.reasons import check_reasons
from stockkeeper.core.errors import Invalid, field_error
from stockkeeper.stock.service import ledger, lots
from stockkeeper.stock.service.locations import virtual_locations
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor, get_company
from stockkeeper.transfers.errors import ArrivalsUnnamed, NothingToShip
from stockkeeper.transfers.kind import TRANSFERS
from stockkeeper.transfers.models import StockTransfer, StockTransferLine
from stockkeeper.transfers.values import LineQuantity

Moves = list[tuple[ledger.Line, lots.Lots]]


def carry_out(
    session: Session,
    actor: Actor,
    company: Company,
    row: StockTransfer,
    lines: list[StockTransferLine],
) -> None:
    """The one-step transfer: every line straight from source to destination."""
    moves = [(_straight(row, line), lots_of(line)) for line in lines]
    posted = _post(session, actor, company, row, lines, moves)
    for line in lines:
        line.quantity_shipped = line.quantity_received = line.quantity_requested
        line.quantity_written_off = Decimal(0)
    row.total_value = sum((p.value for p in posted), Decimal(0))
    row.status = "completed"


def check_lines(
    session: Session, actor: Actor, row: StockTransfer, lines: list[StockTransferLine]
) -> None:
    """What carrying the lines out would refuse about their items, refused already when a
    transfer is kept for later."""
    moves = [_straight(row, line) for line in lines]
    ledger.check_items(session, actor.company_id, moves)
    lots.check(
        session,
        actor.company_id,
        [(move, lots_of(line)) for move, line in zip(moves, lines, strict=True)],
    )


def ship(
    session: Session,
    actor: Actor,
    row: StockTransfer,
    lines: list[StockTransferLine],
    given: Sequence[LineQuantity],
) -> None:
    """Moves what is shipped (as given, else all that was requested) into transit."""
    quantities = _quantities(lines, given, "shipped")
    named = _named_lots(given)
    transit = virtual_locations(session, actor.company_id)["transit"]
    for line in lines:
        line.quantity_shipped, line.total_cost = quantities[line.id], Decimal(0)
    shipped = [line for line in lines if quantities[line.id] > 0]
    moves = [
        (
            ledger_line(row, line, row.from_location_id, transit, quantities[line.id]),
            named.get(line.id) or lots_of(line),
        )
        for line in shipped
    ]
    company = get_company(session, actor.company_id)
    posted = _post(session, actor, company, row, shipped, moves)
    row.total_value = sum((p.value for p in posted), Decimal(0))


def receive(
    session: Session,
    actor: Actor,
    row: StockTransfer,
    lines: list[StockTransferLine],
    given: Sequence[LineQuantity],
    reason: str,
) -> None:
    """Moves what arrived (as given, else all that shipped) on to the destination at the
    value it shipped with, and writes off the rest with ``reason``."""
    quantities = _quantities(lines, given, "received")
    named = _named_lots(given)
    virtual = virtual_locations(session, actor.company_id)
    moves: Moves = []
    for line in lines:
        moves += _arrival(row, line, quantities[line.id], named.get(line.id), virtual, reason)
    if any(line.quantity_written_off for line in lines):
        check_reasons(session, actor, {"reason": reason})
    # stock leaving transit is never short: only warehouses and stores are checked
    TRANSFERS.post(
        session,
        actor,
        row,
        moves,
        company=get_company(session, actor.company_id),
        effective_date=row.transfer_date,
        allow_negative=True,
    )


def _arrival(
    row: StockTransfer,
    line: StockTransferLine,
    received: Decimal,
    named: lots.Lots | None,
    virtual: dict[str, str],
    reason: str,
) -> Moves:
    """The moves of a line received: what arrived, and what did not, written off. The two
    parts of its value add up to exactly what it shipped with; of a batch- or serial-tracked
    line received short, the receipt names what arrived."""
    shipped, value = line.quantity_shipped or Decimal(0), line.total_cost or Decimal(0)
    whole = received == shipped
    arrived = value if whole else _money(received * (line.unit_cost or Decimal(0)))
    sent = lots_of(line)
    came = sent if whole else named or lots.Lots()
    tracked = sent.batches is not None or sent.serial_numbers is not None
    field = f"items.{line.position}"
    if tracked and 0 < received < shipped and named is None:
        raise ArrivalsUnnamed(field)
    transit = virtual["transit"]
    moves: Moves = []
    if received:
        move = ledger_line(row, line, transit, row.to_location_id, received, value=arrived)
        moves.append((move, came))
    line.quantity_received, line.quantity_written_off = received, shipped - received
    if shipped > received:
        line.write_off_reason = reason
        lost = ledger_line(
            row,
            line,
            transit,
            virtual["loss"],
            shipped - received,
            value=value - arrived,
            reason=reason,
            movement_type="write_off",
        )
        moves.append((lost, lots.subtract(sent, came, field) if received else sent))
    return moves


def ledger_line(
    row: StockTransfer,
    line: StockTransferLine,
    from_location_id: str,
    to_location_id: str,
    quantity: Decimal,
    *,
    value: Decimal | None = None,
    reason: str | None = None,
    movement_type: str = "transfer",
) -> ledger.Line:
    """A movement of a line between two of its ends (source, transit, destination, loss);
    the line's bins apply where an end is its source or destination."""
    return ledger.Line(
        item_id=line.item_id,
        variant_id=line.variant_id,
        quantity=quantity,
        from_location_id=from_location_id,
        to_location_id=to_location_id,
        from_bin_id=line.from_bin_id if from_location_id == row.from_location_id else None,
        to_bin_id=line.to_bin_id if to_location_id == row.to_location_id else None,
        unit_cost=line.unit_cost,
        value=value,
        movement_type=movement_type,
        reason=reason,
        line_id=line.id,
        field=f"items.{line.position}",
    )


def _straight(row: StockTransfer, line: StockTransferLine) -> ledger.Line:
    """All the line asks for, straight from the source to the destination."""
    return ledger_line(row, line, row.from_location_id, row.to_location_id, line.quantity_requested)


def lots_of(line: StockTransferLine) -> lots.Lots:
    return lots.Lots(batches=line.batches, serial_numbers=line.serial_numbers)


def _post(
    session: Session,
    actor: Actor,
    company: Company,
    row: StockTransfer,
    lines: list[StockTransferLine],
    moves: Moves,
) -> list[ledger.Posted]:
    """Posts stock leaving the source, one move per line; each line keeps its cost and the
    batches or serials that left."""
    posted, resolved = TRANSFERS.post(
        session, actor, row, moves, company=company, effective_date=row.transfer_date
    )
    for line, result, lot in zip(lines, posted, resolved, strict=True):
        line.unit_cost, line.total_cost = result.unit_cost, result.value
        line.batches, line.serial_numbers = lot.batches, lot.serial_numbers
    return posted


def _named_lots(given: Sequence[LineQuantity]) -> dict[str, lots.Lots]:
    """Line id -> the batches or serials a shipping or receiving entry names."""
    return {
        entry.id: lots.Lots.given(entry)
        for entry in given
        if entry.batches is not None or entry.serial_numbers is not None
    }


def _quantities(
    lines: list[StockTransferLine],
    given: Sequence[LineQuantity],
    what: Literal["shipped", "received"],
) -> dict[str, Decimal]:
    """Line id -> quantity shipped or received: as given, else all that can be."""
    if what == "shipped":
        limit = {line.id: line.quantity_requested for line in lines}
    else:
        limit = {line.id: line.quantity_shipped or Decimal(0) for line in lines}
    chosen = dict(limit)
    name = f"quantity_{what}"
    errors = []
    for n, entry in enumerate(given):
        quantity: Decimal | None = getattr(entry, name)
        if entry.id not in limit:
            errors.append(
                field_error(f"items.{n}.id", "no such line on this transfer", "unknown_reference")
            )
        elif quantity is None:
            errors.append(field_error(f"items.{n}.{name}", "required"))
        elif quantity > limit[entry.id]:
            errors.append(
                field_error(
                    f"items.{n}.{name}", f"at most {limit[entry.id]} can be {what}", "too_large"
                )
            )
        else:
            chosen[entry.id] = quantity
    if errors:
        raise Invalid(errors[0].message, errors=errors)
    if what == "shipped" and not any(chosen.values()):
        raise NothingToShip()
    return chosen


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.000001"))
