"""Goods in against a purchase order, in full or in parts, and goods back to the supplier.

A receipt moves stock from the supplier location into the order's location at each line's
unit cost in the company currency (the order's cost times its exchange rate), with bins,
batches and serials for tracked items, and takes what arrived off what is on order, under
the same locks. The order row is locked first, so two receipts of one order queue and can
never receive a line twice. A line may be received beyond its quantity only within its
tolerance. A return sends stock back at the cost it came in with.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Location
from stockkeeper.catalog.service.locations import check_bins
from stockkeeper.catalog.service.reasons import check_reasons
from stockkeeper.core.audit import record
from stockkeeper.core.errors import Conflict, Invalid, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
)
from stockkeeper.purchasing.orders import (
    OPEN,
    combine,
    locked_order,
    on_order,
    open_quantity,
    order_lines,
)
from stockkeeper.stock import ledger, lots
from stockkeeper.stock.locations import virtual_locations
from stockkeeper.tenancy.service import Actor, company_today, get_company

_MICRO = Decimal("0.000001")
RETURNABLE = ("partially_received", "received", "closed")


def _micro(value: Decimal) -> Decimal:
    return value.quantize(_MICRO, ROUND_HALF_EVEN)


class _Wanted:
    """One entry of a receipt or return, tied to its order line."""

    def __init__(self, n: int, line: PurchaseOrderLine, entry: dict[str, Any]) -> None:
        self.n, self.line, self.quantity = n, line, entry["quantity"]
        self.bin_id: str | None = entry.get("bin_id")
        self.lots = lots.Lots(
            batches=lots.storable(entry.get("batches")),
            serial_numbers=entry.get("serial_numbers"),
        )


def _resolve(lines: list[PurchaseOrderLine], entries: list[dict[str, Any]]) -> list[_Wanted]:
    """Each entry's order line: by ``lineId``, else the one line of its item (or variant)."""
    by_id = {line.id: line for line in lines}
    wanted, errors = [], []
    for n, entry in enumerate(entries):
        if entry.get("line_id"):
            line = by_id.get(entry["line_id"])
            if line is None:
                errors.append(field_error(f"items.{n}.lineId", "not a line of this order"))
                continue
        else:
            matches = [
                line
                for line in lines
                if (not entry.get("item_id") or line.item_id == entry["item_id"])
                and (not entry.get("variant_id") or line.variant_id == entry["variant_id"])
            ]
            if len(matches) != 1:
                errors.append(
                    field_error(
                        f"items.{n}.itemId",
                        "not on this order"
                        if not matches
                        else "on more than one line of this order: name the lineId",
                        "not_on_order" if not matches else "ambiguous_line",
                    )
                )
                continue
            line = matches[0]
        wanted.append(_Wanted(n, line, entry))
    if errors:
        raise Invalid(errors[0].message, code="unknown_order_line", errors=errors)
    return wanted


def _check_bins(
    session: Session, actor: Actor, order: PurchaseOrder, wanted: list[_Wanted]
) -> None:
    location = session.get(Location, (actor.company_id, order.location_id))
    assert location is not None
    named = [(f"items.{w.n}.binId", w.bin_id, location) for w in wanted if w.bin_id]
    check_bins(session, actor.company_id, named)


def _check_tolerance(wanted: list[_Wanted]) -> None:
    asked: dict[str, Decimal] = defaultdict(Decimal)
    for w in wanted:
        asked[w.line.id] += w.quantity
    errors = []
    for w in wanted:
        line = w.line
        limit = line.quantity * (1 + line.tolerance_percent / 100)
        if line.id in asked and line.quantity_received + asked.pop(line.id) > limit:
            errors.append(
                field_error(
                    f"items.{w.n}.quantity",
                    f"{line.quantity_received} of {line.quantity} already received; at most "
                    f"{limit - line.quantity_received} more (tolerance {line.tolerance_percent}%)",
                    "over_receipt",
                )
            )
    if errors:
        raise Conflict(
            "more than was ordered: " + errors[0].message, code="over_receipt", errors=errors
        )


def receive(
    session: Session,
    actor: Actor,
    order: PurchaseOrder,
    entries: list[dict[str, Any]] | None,
    *,
    received_on: date | None = None,
    reference: str | None = None,
    notes: str | None = None,
) -> PurchaseReceipt:
    """Receives ``entries`` against the (locked) order, or with None everything still open."""
    if order.status not in OPEN:
        raise Conflict(
            f"a {order.status.replace('_', ' ')} purchase order cannot be received; "
            "only ordered or partially received ones can",
            code="order_not_open",
            currentStatus=order.status,
        )
    lines = order_lines(session, actor, order.id)
    if entries is None:
        entries = [
            {"line_id": line.id, "quantity": open_quantity(order, line)}
            for line in lines
            if open_quantity(order, line) > 0
        ]
        if not entries:
            raise Conflict("nothing is left to receive on this order", code="nothing_to_receive")
    wanted = _resolve(lines, entries)
    _check_bins(session, actor, order, wanted)
    _check_tolerance(wanted)
    company = get_company(session, actor.company_id)
    day = received_on or company_today(company)
    before = on_order(order, lines, -1)
    for w in wanted:
        w.line.quantity_received += w.quantity
    order.status = (
        "received"
        if all(line.quantity_received >= line.quantity for line in lines)
        else "partially_received"
    )
    order.received_date = day
    supplier = virtual_locations(session, actor.company_id)["supplier"]
    moves = [
        (
            ledger.Line(
                item_id=w.line.item_id,
                variant_id=w.line.variant_id,
                quantity=w.quantity,
                from_location_id=supplier,
                to_location_id=order.location_id,
                to_bin_id=w.bin_id,
                unit_cost=_micro(w.line.unit_cost * order.exchange_rate),
                movement_type="purchase",
                reason="purchase_receipt",
                line_id=w.line.id,
                field=f"items.{w.n}",
            ),
            w.lots,
        )
        for w in wanted
    ]
    posted, resolved = lots.post(
        session,
        actor,
        document=_document(order, day),
        lines=moves,
        allow_negative=company.allow_negative_stock,
        on_order=combine(before, on_order(order, lines)),
    )
    receipt = _receipt(
        session, actor, order, "receipt", day, reference, notes, wanted, posted, resolved
    )
    record(
        session,
        actor,
        f"purchase_order.{order.status}",
        "purchase_order",
        order.id,
        number=order.order_number,
        receipt=receipt.id,
        lines=len(wanted),
    )
    session.flush()
    return receipt


def receive_by_id(
    session: Session, actor: Actor, order_id: str, values: dict[str, Any]
) -> PurchaseReceipt:
    return receive(
        session,
        actor,
        locked_order(session, actor, order_id),
        values["items"],
        received_on=values.get("date"),
        reference=values.get("reference"),
        notes=values.get("notes"),
    )


def return_to_supplier(
    session: Session, actor: Actor, order_id: str, values: dict[str, Any]
) -> PurchaseReceipt:
    """Sends received stock back to the supplier at the cost it came in with."""
    order = locked_order(session, actor, order_id)
    if order.status not in RETURNABLE:
        raise Conflict(
            f"nothing of a {order.status.replace('_', ' ')} purchase order has been received "
            "to return",
            code="order_not_received",
            currentStatus=order.status,
        )
    reason = values.get("reason")
    if reason:
        check_reasons(session, actor, {"reason": reason})
    wanted = _resolve(order_lines(session, actor, order.id), values["items"])
    asked: dict[str, Decimal] = defaultdict(Decimal)
    errors = []
    for w in wanted:
        asked[w.line.id] += w.quantity
        left = w.line.quantity_received - w.line.quantity_returned
        if asked[w.line.id] > left:
            errors.append(
                field_error(f"items.{w.n}.quantity", f"at most {left} left to return", "too_large")
            )
    if errors:
        raise Conflict(
            "more than was received: " + errors[0].message,
            code="more_than_received",
            errors=errors,
        )
    _check_bins(session, actor, order, wanted)
    costs = _receipt_costs(session, actor, order.id)
    company = get_company(session, actor.company_id)
    day = values.get("date") or company_today(company)
    supplier = virtual_locations(session, actor.company_id)["supplier"]
    moves = []
    for w in wanted:
        w.line.quantity_returned += w.quantity
        cost = costs[w.line.id]
        moves.append(
            (
                ledger.Line(
                    item_id=w.line.item_id,
                    variant_id=w.line.variant_id,
                    quantity=w.quantity,
                    from_location_id=order.location_id,
                    to_location_id=supplier,
                    from_bin_id=w.bin_id,
                    unit_cost=cost,
                    value=_micro(w.quantity * cost),
                    movement_type="purchase_return",
                    reason=reason or "supplier_return",
                    line_id=w.line.id,
                    field=f"items.{w.n}",
                ),
                w.lots,
            )
        )
    posted, resolved = lots.post(
        session,
        actor,
        document=_document(order, day),
        lines=moves,
        allow_negative=company.allow_negative_stock,
    )
    receipt = _receipt(
        session,
        actor,
        order,
        "return",
        day,
        values.get("reference"),
        values.get("notes"),
        wanted,
        posted,
        resolved,
    )
    record(
        session,
        actor,
        "purchase_order.returned",
        "purchase_order",
        order.id,
        number=order.order_number,
        receipt=receipt.id,
        lines=len(wanted),
    )
    session.flush()
    return receipt


def _receipt_costs(session: Session, actor: Actor, order_id: str) -> dict[str, Decimal]:
    """Each order line's unit cost as received (company currency), over all its receipts."""
    r, line = PurchaseReceipt, PurchaseReceiptLine
    rows = session.execute(
        select(line.order_line_id, func.sum(line.total_cost), func.sum(line.quantity))
        .join(r, (r.company_id == line.company_id) & (r.id == line.receipt_id))
        .where(r.company_id == actor.company_id, r.order_id == order_id, r.kind == "receipt")
        .group_by(line.order_line_id)
    ).all()
    return {line_id: _micro(total / quantity) for line_id, total, quantity in rows if quantity}


def _document(order: PurchaseOrder, day: date) -> ledger.Document:
    return ledger.Document(
        type="purchase_order",
        id=order.id,
        effective_date=day,
        number=order.order_number,
        reference=order.order_number,
    )


def _receipt(
    session: Session,
    actor: Actor,
    order: PurchaseOrder,
    kind: str,
    day: date,
    reference: str | None,
    notes: str | None,
    wanted: list[_Wanted],
    posted: list[ledger.Posted],
    resolved: list[lots.Lots],
) -> PurchaseReceipt:
    receipt = PurchaseReceipt(
        id=new_id("rcpt" if kind == "receipt" else "pret"),
        company_id=actor.company_id,
        order_id=order.id,
        kind=kind,
        receipt_date=day,
        reference=reference,
        notes=notes,
        created_by=actor.name,
    )
    session.add(receipt)
    session.flush()
    session.add_all(
        PurchaseReceiptLine(
            id=new_id("rcptline"),
            company_id=actor.company_id,
            receipt_id=receipt.id,
            position=n,
            order_line_id=w.line.id,
            item_id=w.line.item_id,
            quantity=w.quantity,
            unit_cost=p.unit_cost,
            total_cost=p.value,
            bin_id=w.bin_id,
            batches=r.batches,
            serial_numbers=r.serial_numbers,
        )
        for n, (w, p, r) in enumerate(zip(wanted, posted, resolved, strict=True))
    )
    return receipt
