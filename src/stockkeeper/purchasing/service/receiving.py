"""Goods in against a purchase order, in full or in parts, and goods back to the supplier.

A receipt moves stock from the supplier location into the order's location at each line's
unit cost in the company currency (the order's cost times its exchange rate), with bins,
batches and serials for tracked items, and takes what arrived off what is on order, under
the same locks. The order row is locked first, so two receipts of one order queue and can
never receive a line twice. A line may be received beyond its quantity only within its
tolerance. A return sends stock back at the cost it came in with. Each receipt is announced
as ``purchase_order.received``, each return as an update.

Lines of non-stock items and services are received and returned like the others (their
quantities, the receipt's lines and costs, the order's status) but move nothing: they have
no movement, nothing on order and no cost layer, and an order of only such lines posts none.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from functools import partial

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Location
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.catalog.service.locations import check_bins
from stockkeeper.catalog.service.reasons import check_reasons
from stockkeeper.core.db import insert_new, new_row
from stockkeeper.core.errors import FieldError, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.purchasing.errors import (
    MoreThanReceived,
    NothingToReceive,
    OrderNotOpen,
    OrderNotReceived,
    OverReceipt,
    UnknownOrderLine,
)
from stockkeeper.purchasing.kind import (
    OPEN,
    PURCHASE_ORDERS,
    RETURNABLE,
    combine,
    on_order,
    open_quantity,
)
from stockkeeper.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
)
from stockkeeper.purchasing.service.reads import announce, current
from stockkeeper.purchasing.values import Receipt, ReceiptLine, SupplierReturn
from stockkeeper.purchasing.views import OrderView
from stockkeeper.stock.service import ledger, levels
from stockkeeper.stock.service.locations import virtual_locations
from stockkeeper.stock.service.lots import Lots
from stockkeeper.tenancy.models import Company
from stockkeeper.tenancy.service import Actor, company_today, get_company

_MICRO = Decimal("0.000001")


@dataclass(frozen=True)
class Wanted:
    """The ``n``-th entry of a receipt or return, tied to its order line."""

    n: int
    line: PurchaseOrderLine
    quantity: Decimal
    bin_id: str | None = None
    lots: Lots = field(default_factory=Lots)


@dataclass(frozen=True)
class Head:
    """What a receipt or return says of itself: its date (today if not given), reference
    and notes."""

    date: dt.date | None = None
    reference: str | None = None
    notes: str | None = None

    def day(self, company: Company) -> dt.date:
        return self.date or company_today(company)


def receive_order(session: Session, actor: Actor, *, order_id: str, receipt: Receipt) -> OrderView:
    """Receives part (or the rest) of an ordered or partially received order."""
    order = PURCHASE_ORDERS.locked(session, actor, order_id)
    _require_open(order)
    lines = PURCHASE_ORDERS.line_rows(session, actor.company_id, order.id)
    head = Head(receipt.date, receipt.reference, receipt.notes)
    return _receive(session, actor, order, lines, _resolve(lines, receipt.items), head)


def receive_rest(
    session: Session, actor: Actor, order: PurchaseOrder, head: Head, fields: Sequence[str] = ()
) -> OrderView:
    """Receives every open line of the (locked) order in full; ``fields`` names the order's
    details changed with it, for the audit row."""
    _require_open(order)
    lines = PURCHASE_ORDERS.line_rows(session, actor.company_id, order.id)
    still_open = [line for line in lines if open_quantity(order, line) > 0]
    if not still_open:
        raise NothingToReceive()
    wanted = [Wanted(n, line, open_quantity(order, line)) for n, line in enumerate(still_open)]
    return _receive(session, actor, order, lines, wanted, head, fields)


def return_to_supplier(
    session: Session, actor: Actor, *, order_id: str, goods: SupplierReturn
) -> OrderView:
    """Sends received stock back to the supplier at the cost it came in with."""
    order = PURCHASE_ORDERS.locked(session, actor, order_id)
    if order.status not in RETURNABLE:
        raise OrderNotReceived.for_return(order.status)
    if goods.reason:
        check_reasons(session, actor, {"reason": goods.reason})
    lines = PURCHASE_ORDERS.line_rows(session, actor.company_id, order.id)
    wanted = _resolve(lines, goods.items)
    _check_returnable(wanted)
    _check_bins(session, actor, order, wanted)
    costs = _receipt_costs(session, actor, order.id)
    company = get_company(session, actor.company_id)
    supplier = virtual_locations(session, actor.company_id)["supplier"]
    reason = goods.reason or "supplier_return"
    for w in wanted:
        w.line.quantity_returned += w.quantity
    moves = [_return_move(order, supplier, w, costs[w.line.id], reason) for w in wanted]
    head = Head(goods.date, goods.reference, goods.notes)
    _book(session, actor, company, order, "return", head, wanted, moves, action="returned")
    return announce(session, actor, current(session, actor, order, lines), change="returned")


def _receive(
    session: Session,
    actor: Actor,
    order: PurchaseOrder,
    lines: list[PurchaseOrderLine],
    wanted: list[Wanted],
    head: Head,
    fields: Sequence[str] = (),
) -> OrderView:
    """Posts the receipt of ``wanted`` against the locked order, and announces it."""
    _check_bins(session, actor, order, wanted)
    _check_tolerance(wanted)
    company = get_company(session, actor.company_id)
    before = on_order(order, lines, -1)
    for w in wanted:
        w.line.quantity_received += w.quantity
    received = all(line.quantity_received >= line.quantity for line in lines)
    order.status = "received" if received else "partially_received"
    order.received_date = head.day(company)
    supplier = virtual_locations(session, actor.company_id)["supplier"]
    moves = [_receipt_move(order, supplier, w) for w in wanted]
    after = combine(before, on_order(order, lines))
    _book(
        session, actor, company, order, "receipt", head, wanted, moves, order.status, after, fields
    )
    view = current(session, actor, order, lines)
    return announce(session, actor, view, "purchase_order.received")


def _receipt_move(order: PurchaseOrder, supplier: str, w: Wanted) -> ledger.Line:
    """Goods in from the supplier at the line's cost in the company currency."""
    return ledger.Line(
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
    )


def _return_move(
    order: PurchaseOrder, supplier: str, w: Wanted, cost: Decimal, reason: str
) -> ledger.Line:
    """Goods back to the supplier at ``cost``, the unit cost they came in with."""
    return ledger.Line(
        item_id=w.line.item_id,
        variant_id=w.line.variant_id,
        quantity=w.quantity,
        from_location_id=order.location_id,
        to_location_id=supplier,
        from_bin_id=w.bin_id,
        unit_cost=cost,
        value=_micro(w.quantity * cost),
        movement_type="purchase_return",
        reason=reason,
        line_id=w.line.id,
        field=f"items.{w.n}",
    )


# --- checks -------------------------------------------------------------------------------


def _require_open(order: PurchaseOrder) -> None:
    if order.status not in OPEN:
        raise OrderNotOpen(order.status)


def _resolve(lines: list[PurchaseOrderLine], entries: Sequence[ReceiptLine]) -> list[Wanted]:
    """Each entry's order line: by its ``line_id``, else the one line of its item (or
    variant)."""
    by_id = {line.id: line for line in lines}
    wanted, errors = [], []
    for n, entry in enumerate(entries):
        if entry.line_id:
            line = by_id.get(entry.line_id)
            if line is None:
                errors.append(field_error(f"items.{n}.line_id", "not a line of this order"))
                continue
        else:
            matches = [
                line
                for line in lines
                if (not entry.item_id or line.item_id == entry.item_id)
                and (not entry.variant_id or line.variant_id == entry.variant_id)
            ]
            if len(matches) != 1:
                errors.append(_unmatched(n, matches))
                continue
            line = matches[0]
        wanted.append(Wanted(n, line, entry.quantity, entry.bin_id, Lots.given(entry)))
    if errors:
        raise UnknownOrderLine(errors)
    return wanted


def _unmatched(n: int, matches: list[PurchaseOrderLine]) -> FieldError:
    if matches:
        message, code = "on more than one line of this order: name the line", "ambiguous_line"
    else:
        message, code = "not on this order", "not_on_order"
    return field_error(f"items.{n}.item_id", message, code)


def _check_bins(session: Session, actor: Actor, order: PurchaseOrder, wanted: list[Wanted]) -> None:
    location = rows_by_id(session, Location, actor.company_id, {order.location_id})[
        order.location_id
    ]
    named = [(f"items.{w.n}.bin_id", w.bin_id, location) for w in wanted if w.bin_id]
    check_bins(session, actor.company_id, named)


def _check_tolerance(wanted: list[Wanted]) -> None:
    """Refuses receiving a line beyond its quantity and tolerance, all entries of a line
    together (the error is on the first)."""
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
        raise OverReceipt(errors)


def _check_returnable(wanted: list[Wanted]) -> None:
    """Refuses returning more of a line than was received less what went back already."""
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
        raise MoreThanReceived(errors)


# --- the receipt documents ----------------------------------------------------------------


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


def _book(
    session: Session,
    actor: Actor,
    company: Company,
    order: PurchaseOrder,
    kind: str,
    head: Head,
    wanted: list[Wanted],
    moves: list[ledger.Line],
    action: str,
    on_order: dict[levels.GroupKey, Decimal] | None = None,
    fields: Sequence[str] = (),
) -> None:
    """Posts the moves as the order's, writes them down as a receipt (or a return) at the
    costs and with the lots the posting gave them, and the order's audit row (``action``,
    with the ``fields`` of the order changed with it)."""
    day = head.day(company)
    lines = [(move, w.lots) for move, w in zip(moves, wanted, strict=True)]
    posted, resolved = PURCHASE_ORDERS.post_goods(
        session, actor, order, lines, company=company, effective_date=day, on_order=on_order
    )
    receipt = PurchaseReceipt(
        id=new_id("rcpt" if kind == "receipt" else "pret"),
        company_id=actor.company_id,
        order_id=order.id,
        kind=kind,
        receipt_date=day,
        reference=head.reference,
        notes=head.notes,
        created_by=actor.name,
    )
    written = map(partial(_receipt_line, receipt), wanted, moves, posted, resolved)
    insert_new(session, receipt, *written)
    details: dict[str, object] = {
        "number": order.order_number,
        "receipt": receipt.id,
        "lines": len(moves),
    }
    if fields:
        details["fields"] = list(fields)
    PURCHASE_ORDERS.record(session, actor, action, order, **details)


def _receipt_line(
    receipt: PurchaseReceipt,
    w: Wanted,
    move: ledger.Line,
    posted: ledger.Posted | None,
    lots: Lots,
) -> PurchaseReceiptLine:
    """A line of the receipt (or return): at the cost its movement had, or, where it moved
    nothing (a non-stock item, a service), at the cost the move names."""
    if posted is None:
        assert move.unit_cost is not None, "receipts and returns name their cost"
        unit_cost = move.unit_cost
        total_cost = _micro(w.quantity * unit_cost) if move.value is None else move.value
    else:
        unit_cost, total_cost = posted.unit_cost, posted.value
    return new_row(
        PurchaseReceiptLine,
        id=new_id("rcptline"),
        company_id=receipt.company_id,
        receipt_id=receipt.id,
        position=w.n,
        order_line_id=w.line.id,
        item_id=w.line.item_id,
        quantity=w.quantity,
        unit_cost=unit_cost,
        total_cost=total_cost,
        bin_id=w.bin_id,
        batches=lots.batches,
        serial_numbers=lots.serial_numbers,
    )


def _micro(value: Decimal) -> Decimal:
    return value.quantize(_MICRO, ROUND_HALF_EVEN)
