"""A transfer's way: draft -> (pending_approval -> approved | rejected) -> shipped -> completed,
or cancelled before shipping; or carried out at once, straight to completed.

Shipping moves stock from the source into the company's in-transit location, at the average
cost there; receiving moves it on to the destination at the value it shipped with. What is
received short is written off from transit to the loss location with a reason at the same
time, so a received transfer is always completed and nothing lingers in transit.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.service.reasons import check_reasons
from stockkeeper.core.audit import record
from stockkeeper.core.errors import Forbidden, Invalid, NotFound, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.core.locks import lock_one
from stockkeeper.core.types import utcnow
from stockkeeper.core.workflow import Workflow
from stockkeeper.stock import ledger, lots
from stockkeeper.stock.locations import virtual_locations
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor, Role, get_company
from stockkeeper.transfers.models import StockTransfer, StockTransferLine, TransferApproval

WORKFLOW = Workflow(
    "transfer",
    {
        "draft": ("pending_approval", "approved", "shipped", "cancelled"),
        "pending_approval": ("approved", "rejected", "cancelled"),
        "approved": ("shipped", "cancelled"),
        "shipped": ("received",),
        "rejected": (),
        "completed": (),
        "cancelled": (),
    },
    listed_as="allowed_statuses",
    past={
        status: status.replace("_", " ")
        for status in (
            "approved",
            "rejected",
            "shipped",
            "received",
            "cancelled",
            "pending_approval",
        )
    },
)
ADMIN_ONLY = ("approved", "rejected")
_SHIPPING_KEYS = (
    "method",
    "tracking_number",
    "shipped_at",
    "estimated_delivery",
    "actual_delivery",
)


def shipping_json(current: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """The stored shipping details: ``current`` with what is ``given`` laid over it."""
    merged = dict(current)
    for key in _SHIPPING_KEYS:
        value = given.get(key)
        if value is not None:
            merged[key] = value.isoformat() if isinstance(value, datetime) else value
    return merged


def ledger_line(
    transfer: StockTransfer,
    row: StockTransferLine,
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
        item_id=row.item_id,
        variant_id=row.variant_id,
        quantity=quantity,
        from_location_id=from_location_id,
        to_location_id=to_location_id,
        from_bin_id=row.from_bin_id if from_location_id == transfer.from_location_id else None,
        to_bin_id=row.to_bin_id if to_location_id == transfer.to_location_id else None,
        unit_cost=row.unit_cost,
        value=value,
        movement_type=movement_type,
        reason=reason,
        line_id=row.id,
        field=f"items.{row.position}",
    )


def _document(transfer: StockTransfer) -> ledger.Document:
    return ledger.Document(
        type="transfer",
        id=transfer.id,
        effective_date=transfer.transfer_date,
        number=transfer.transfer_number,
        reference=transfer.reference,
    )


def carry_out(
    session: Session,
    actor: Actor,
    company: Company,
    transfer: StockTransfer,
    rows: list[StockTransferLine],
) -> None:
    """The one-step transfer: every line straight from source to destination."""
    moves = [
        ledger_line(
            transfer,
            row,
            transfer.from_location_id,
            transfer.to_location_id,
            row.quantity_requested,
        )
        for row in rows
    ]
    posted = _post(session, actor, company, transfer, rows, moves, [lots_of(r) for r in rows])
    for row in rows:
        row.quantity_shipped = row.quantity_received = row.quantity_requested
        row.quantity_written_off = Decimal(0)
    transfer.total_value = sum((p.value for p in posted), Decimal(0))
    transfer.status = "completed"


def lots_of(row: StockTransferLine) -> lots.Lots:
    return lots.Lots(batches=row.batches, serial_numbers=row.serial_numbers)


def _post(
    session: Session,
    actor: Actor,
    company: Company,
    transfer: StockTransfer,
    rows: list[StockTransferLine],
    moves: list[ledger.Line],
    chosen: list[lots.Lots],
) -> list[ledger.Posted]:
    """Posts stock leaving the source, one move per row; each row keeps its cost and the
    batches or serials that left."""
    posted, resolved = lots.post(
        session,
        actor,
        document=_document(transfer),
        lines=list(zip(moves, chosen, strict=True)),
        allow_negative=company.allow_negative_stock,
    )
    for row, result, lot in zip(rows, posted, resolved, strict=True):
        row.unit_cost, row.total_cost = result.unit_cost, result.value
        row.batches, row.serial_numbers = lot.batches, lot.serial_numbers
    return posted


def change_status(
    session: Session, actor: Actor, transfer_id: str, *, change: dict[str, Any]
) -> None:
    """Moves the transfer to ``change['status']``, doing what that status means."""
    target = change["status"]
    if target in ADMIN_ONLY and actor.role < Role.admin:
        raise Forbidden(
            f"a transfer is {target} by an admin; the key has {actor.role.name}",
            code="role_too_weak",
        )
    transfer = lock_one(session, StockTransfer, (actor.company_id, transfer_id))
    if transfer is None:
        raise NotFound("transfer", transfer_id)
    WORKFLOW.require(transfer.status, target)
    given = change.get("items")
    if given is not None and target not in ("shipped", "received"):
        raise Invalid(
            "items are given only when shipping or receiving",
            errors=[field_error("items", f"not allowed when the status becomes {target}")],
        )
    rows = list(
        session.scalars(
            select(StockTransferLine)
            .where(
                StockTransferLine.company_id == actor.company_id,
                StockTransferLine.transfer_id == transfer.id,
            )
            .order_by(StockTransferLine.position)
        )
    )
    now = utcnow()
    shipping = dict(change.get("shipping") or {})
    if target == "shipped":
        _ship(
            session,
            actor,
            transfer,
            rows,
            _quantities(rows, given or [], "shipped"),
            _given_lots(given or []),
        )
        shipping.setdefault("shipped_at", now)
    elif target == "received":
        reason = change.get("reason") or "lost"
        _receive(
            session,
            actor,
            transfer,
            rows,
            _quantities(rows, given or [], "received"),
            _given_lots(given or []),
            reason,
        )
        shipping["actual_delivery"] = shipping.get("actual_delivery") or now
    transfer.shipping = shipping_json(transfer.shipping, shipping)
    transfer.status = "completed" if target == "received" else target
    transfer.updated_at = now
    session.add(
        TransferApproval(
            id=new_id("xferappr"),
            company_id=actor.company_id,
            transfer_id=transfer.id,
            step=change.get("step") or target,
            status=transfer.status,
            approved_by=actor.name,
            approved_at=now,
            notes=change.get("notes"),
        )
    )
    record(session, actor, f"transfer.{transfer.status}", "transfer", transfer.id)


def _given_lots(given: list[dict[str, Any]]) -> dict[str, lots.Lots]:
    """Line id -> the batches or serials a shipping or receiving entry names."""
    return {
        entry["id"]: lots.Lots(
            batches=lots.storable(entry.get("batches")),
            serial_numbers=entry.get("serial_numbers"),
        )
        for entry in given
        if entry.get("batches") is not None or entry.get("serial_numbers") is not None
    }


def _quantities(
    rows: list[StockTransferLine], given: list[dict[str, Any]], what: str
) -> dict[str, Decimal]:
    """Line id -> quantity shipped or received: as given, else all that can be."""
    limit = {
        row.id: row.quantity_requested if what == "shipped" else row.quantity_shipped or Decimal(0)
        for row in rows
    }
    chosen = dict(limit)
    errors = []
    for n, entry in enumerate(given):
        quantity = entry.get(f"quantity_{what}")
        if entry["id"] not in limit:
            errors.append(
                field_error(f"items.{n}.id", "no such line on this transfer", "unknown_reference")
            )
        elif quantity is None:
            errors.append(field_error(f"items.{n}.quantity{what.title()}", "required"))
        elif quantity > limit[entry["id"]]:
            errors.append(
                field_error(
                    f"items.{n}.quantity{what.title()}",
                    f"at most {limit[entry['id']]} can be {what}",
                    "too_large",
                )
            )
        else:
            chosen[entry["id"]] = quantity
    if errors:
        raise Invalid(errors[0].message, errors=errors)
    if not any(chosen.values()) and what == "shipped":
        raise Invalid("nothing to ship", errors=[field_error("items", "every quantity is zero")])
    return chosen


def _ship(
    session: Session,
    actor: Actor,
    transfer: StockTransfer,
    rows: list[StockTransferLine],
    quantities: dict[str, Decimal],
    given: dict[str, lots.Lots],
) -> None:
    transit = virtual_locations(session, actor.company_id)["transit"]
    for row in rows:
        row.quantity_shipped, row.total_cost = quantities[row.id], Decimal(0)
    shipped = [row for row in rows if quantities[row.id] > 0]
    moves = [
        ledger_line(transfer, row, transfer.from_location_id, transit, quantities[row.id])
        for row in shipped
    ]
    chosen = [given.get(row.id) or lots_of(row) for row in shipped]
    company = get_company(session, actor.company_id)
    posted = _post(session, actor, company, transfer, shipped, moves, chosen)
    transfer.total_value = sum((p.value for p in posted), Decimal(0))


def _receive(
    session: Session,
    actor: Actor,
    transfer: StockTransfer,
    rows: list[StockTransferLine],
    quantities: dict[str, Decimal],
    given: dict[str, lots.Lots],
    reason: str,
) -> None:
    """Moves what arrived on to the destination at the value it shipped with, and writes
    off the rest; the two parts of a line's value add up to exactly what it shipped with.
    Of a batch- or serial-tracked line received short, the receipt names what arrived."""
    virtual = virtual_locations(session, actor.company_id)
    moves: list[tuple[ledger.Line, lots.Lots]] = []
    for n, row in enumerate(rows):
        shipped, received = row.quantity_shipped or Decimal(0), quantities[row.id]
        value = row.total_cost or Decimal(0)
        arrived = value if received == shipped else _money(received * (row.unit_cost or 0))
        sent = lots_of(row)
        came = sent if received == shipped else given.get(row.id, lots.Lots())
        tracked = sent.batches is not None or sent.serial_numbers is not None
        if tracked and 0 < received < shipped and row.id not in given:
            raise Invalid(
                "name the batches or serial numbers that arrived",
                code="invalid_lots",
                errors=[field_error(f"items.{n}", "received short: say which arrived")],
            )
        if received:
            moves.append(
                (
                    ledger_line(
                        transfer,
                        row,
                        virtual["transit"],
                        transfer.to_location_id,
                        received,
                        value=arrived,
                    ),
                    came,
                )
            )
        row.quantity_received, row.quantity_written_off = received, shipped - received
        if shipped > received:
            row.write_off_reason = reason
            moves.append(
                (
                    ledger_line(
                        transfer,
                        row,
                        virtual["transit"],
                        virtual["loss"],
                        shipped - received,
                        value=value - arrived,
                        reason=reason,
                        movement_type="write_off",
                    ),
                    lots.subtract(sent, came, f"items.{n}") if received else sent,
                )
            )
    if any(row.quantity_written_off for row in rows):
        check_reasons(session, actor, {"reason": reason})
    # stock leaving transit is never short: only warehouses and stores are checked
    lots.post(session, actor, document=_document(transfer), lines=moves, allow_negative=True)


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.000001"))
