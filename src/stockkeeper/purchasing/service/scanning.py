"""Receiving an order by scanner: each scan is checked against the order (a read, nothing
written) and answered with the order's line it falls on, or with what is wrong with it: a
code that names nothing, an item not on the order, a batch or serial number the item needs,
a serial received already or scanned twice, a bin that is not at the order's location. The
scans accepted are received at the end as one receipt, through ``receive_order``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, ItemVariant
from stockkeeper.catalog.service.bin_codes import NamedBin, bin_ids_of
from stockkeeper.catalog.service.item_codes import items_by_code
from stockkeeper.core.errors import FieldError, Invalid, field_error
from stockkeeper.purchasing.errors import OrderNotOpen
from stockkeeper.purchasing.kind import OPEN, open_quantity
from stockkeeper.purchasing.models import PurchaseOrderLine
from stockkeeper.purchasing.service.reads import get_order
from stockkeeper.purchasing.service.receiving import receive_order
from stockkeeper.purchasing.values import Receipt, ReceiptScan, ScannedUnit
from stockkeeper.purchasing.views import OrderView
from stockkeeper.stock.models import SerialNumber, StockLevel
from stockkeeper.tenancy.service import Actor

ZERO = Decimal(0)
MAX_SCANS = 1000  # what one receipt takes: more are received in another


@dataclass(frozen=True)
class ScanChecked:
    """The order, and the scan as it will be received (with its line's item)."""

    order: OrderView
    unit: ScannedUnit
    item: Item


def check_receipt_scan(
    session: Session,
    actor: Actor,
    *,
    order_id: str,
    scan: ReceiptScan,
    scanned: Sequence[ScannedUnit],
) -> ScanChecked:
    """The line of the order the scan adds to (the first of its item with something still
    open beyond what ``scanned`` holds), or a refusal naming the scan's field at fault."""
    view = get_order(session, actor, order_id=order_id)
    if view.order.status not in OPEN:
        raise OrderNotOpen(view.order.status)
    if len(scanned) >= MAX_SCANS:
        words = f"receive the {MAX_SCANS:,} scans so far first: a receipt takes no more"
        raise Invalid.fields([field_error("code", words, "too_many_scans")])
    line, item = _line_of(session, actor, view, scan.code, scanned)
    errors = _lot_errors(session, actor, item, scan, scanned)
    bin_id = None
    if scan.bin is not None:
        named = [NamedBin("bin", view.order.location_id, scan.bin)]
        try:
            bin_id = bin_ids_of(session, actor, named=named)[0]
        except Invalid as unknown:
            errors += list(unknown.errors)
    if errors:
        raise Invalid.fields(errors)
    unit = ScannedUnit(
        line_id=line.id,
        quantity=scan.quantity or Decimal(1),
        bin_id=bin_id,
        batch=scan.batch,
        expiry=scan.expiry,
        serial=scan.serial,
    )
    return ScanChecked(view, unit, item)


def receive_scans(
    session: Session, actor: Actor, *, order_id: str, scans: Sequence[ScannedUnit]
) -> OrderView:
    """The scans received as one receipt: a line per order line, bin and batch."""
    if not scans:
        raise Invalid.fields([field_error("code", "nothing is scanned yet", "nothing_scanned")])
    return receive_order(session, actor, order_id=order_id, receipt=receipt_of(scans))


def receipt_of(scans: Sequence[ScannedUnit]) -> Receipt:
    """A receipt line per order line and bin, with its batches (each with its expiry) and
    serial numbers, in the order first scanned."""
    grouped: dict[tuple[str, str | None], dict[str, Any]] = {}
    for unit in scans:
        line = grouped.setdefault(
            (unit.line_id, unit.bin_id),
            {"line_id": unit.line_id, "bin_id": unit.bin_id, "quantity": ZERO},
        )
        line["quantity"] += unit.quantity
        if unit.batch is not None:
            batches = line.setdefault("batches", {})
            batch = batches.setdefault(unit.batch, {"batch_number": unit.batch, "quantity": ZERO})
            batch["quantity"] += unit.quantity
            batch["expiry_date"] = unit.expiry or batch.get("expiry_date")
        if unit.serial is not None:
            line.setdefault("serial_numbers", []).append(unit.serial)
    lines = [
        line | ({"batches": list(line["batches"].values())} if "batches" in line else {})
        for line in grouped.values()
    ]
    try:
        return Receipt.model_validate({"items": lines})
    except ValidationError as refused:  # scans as a form carried them back: said at their field
        errors = [field_error("code", e["msg"]) for e in refused.errors()]
        raise Invalid.fields(errors) from None


def _line_of(
    session: Session, actor: Actor, view: OrderView, code: str, scanned: Sequence[ScannedUnit]
) -> tuple[PurchaseOrderLine, Item]:
    """The order's line the code names (by its item's or variant's code or barcode)."""
    variants = _variant_codes(session, actor, [line for line, _ in view.lines if line.variant_id])
    named = [
        (line, item)
        for line, item in view.lines
        if code in (item.item_code, item.barcode) or code in variants.get(line.variant_id or "", ())
    ]
    if not named:
        known = items_by_code(session, actor, codes=[code])
        words = f"{code!r} is not on this order" if known else f"{code!r} is no item's code"
        raise Invalid.fields([field_error("code", words, "not_on_order" if known else "unknown")])
    for line, item in named:
        taken = sum((u.quantity for u in scanned if u.line_id == line.id), ZERO)
        if open_quantity(view.order, line) - taken > 0:
            return line, item
    return named[0]  # beyond what is open: the receipt allows it within the line's tolerance


def _variant_codes(
    session: Session, actor: Actor, lines: list[PurchaseOrderLine]
) -> dict[str, tuple[str, str | None]]:
    if not lines:
        return {}
    v = ItemVariant
    rows = session.execute(
        select(v.id, v.item_code, v.barcode).where(
            v.company_id == actor.company_id, v.id.in_({line.variant_id for line in lines})
        )
    )
    return {ident: (code, barcode) for ident, code, barcode in rows}


def _lot_errors(
    session: Session,
    actor: Actor,
    item: Item,
    scan: ReceiptScan,
    scanned: Sequence[ScannedUnit],
) -> list[FieldError]:
    """What the item's tracking asks of the scan: a batch (with its expiry, if it has one),
    or a serial number not received before nor scanned already; else neither."""
    fault = _lot_fault(item, scan, scanned)
    if (
        fault is None
        and scan.serial is not None
        and _in_stock(session, actor, item.id, scan.serial)
    ):
        fault = ("serial", f"serial {scan.serial!r} was received already", "duplicate")
    return [] if fault is None else [field_error(*fault)]


def _lot_fault(
    item: Item, scan: ReceiptScan, scanned: Sequence[ScannedUnit]
) -> tuple[str, str, str] | None:
    code, tracking = item.item_code, item.tracking
    if tracking == "batch" and scan.batch is None:
        return "batch", f"{code} is tracked by batch: enter its batch", "batch_missing"
    if tracking != "batch" and (scan.batch is not None or scan.expiry is not None):
        return "batch", f"{code} is not tracked by batch", "wrong_kind"
    if tracking != "serial":
        return ("serial", f"{code} has no serial numbers", "wrong_kind") if scan.serial else None
    if scan.serial is None:
        return (
            "serial",
            f"{code} is tracked by serial number: scan each unit's serial",
            "serial_missing",
        )
    if (scan.quantity or 1) != 1:
        return "quantity", "a serial number is one unit", "wrong_kind"
    if any(unit.serial == scan.serial for unit in scanned):
        return "serial", f"serial {scan.serial!r} is scanned already", "duplicate"
    return None


def _in_stock(session: Session, actor: Actor, item_id: str, number: str) -> bool:
    level, serial = StockLevel, SerialNumber
    held = session.scalar(
        select(func.coalesce(func.sum(level.on_hand), 0))
        .join(serial, (serial.company_id == level.company_id) & (serial.id == level.serial_id))
        .where(
            serial.company_id == actor.company_id,
            serial.item_id == item_id,
            serial.serial_number == number,
            level.physical.is_(True),
        )
    )
    return bool(held)
