"""Purchase orders: creating one (with its lines, or none yet), replacing its lines while it
is created or ordered, and deleting it in any status. Its moves are in ``lifecycle.py``, goods
in and back in ``receiving.py``."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, ItemVariant, Supplier
from stockkeeper.catalog.service.locations import location_or_default
from stockkeeper.core import outbox
from stockkeeper.core.db import insert_new, new_row
from stockkeeper.core.errors import Invalid, UnknownReference, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.core.types import utcnow
from stockkeeper.purchasing.errors import InactiveSupplier, OrderNotEditable, UnknownStaff
from stockkeeper.purchasing.kind import (
    EDITABLE,
    PURCHASE_ORDERS,
    ZERO,
    combine,
    on_order,
)
from stockkeeper.purchasing.models import PurchaseOrder, PurchaseOrderLine
from stockkeeper.purchasing.service import slips
from stockkeeper.purchasing.service.reads import announce, current
from stockkeeper.purchasing.values import NewOrder, OrderLine
from stockkeeper.purchasing.views import OrderView
from stockkeeper.stock.models import Movement
from stockkeeper.stock.service import ledger, levels
from stockkeeper.stock.service.documents import check_items
from stockkeeper.tenancy.models import ApiKey, Company
from stockkeeper.tenancy.service import Actor, company_today, get_company, validate_currency


def create_order(session: Session, actor: Actor, *, order: NewOrder) -> OrderView:
    """Creates the order in status ``created``, numbered by its order date."""
    company = get_company(session, actor.company_id)
    supplier = _supplier(session, actor, order.supplier_id)
    location = location_or_default(  # where it is received; an empty id names none
        session,
        actor,
        order.location_id or None,
        "location_id",
        missing="required without a default warehouse",
        detail="the company has no default warehouse: name the location to receive into",
    )
    currency, rate = _currency(company, order.currency, order.exchange_rate)
    staff_id, staff_name = _staff(session, actor, order.staff_id)
    row = PurchaseOrder(
        id=new_id("po"),
        company_id=actor.company_id,
        supplier_id=supplier.id,
        location_id=location.id,
        status="created",
        staff_id=staff_id,
        staff_name=staff_name,
        order_date=order.order_date or company_today(company),
        expected_date=order.expected_date,
        currency=currency,
        exchange_rate=rate,
        notes=order.notes,
        created_by=actor.name,
    )
    lines = _lines(session, actor, row, supplier, order.items)
    row.order_number = PURCHASE_ORDERS.next_number(session, company, row.order_date)
    insert_new(session, row, *lines)
    PURCHASE_ORDERS.record(
        session, actor, "created", row, number=row.order_number, lines=len(lines)
    )
    return announce(session, actor, current(session, actor, row, lines), change="created")


def replace_order_lines(
    session: Session, actor: Actor, *, order_id: str, lines: Sequence[OrderLine]
) -> OrderView:
    """Replaces every line of a created or ordered order (what is on order follows)."""
    order = PURCHASE_ORDERS.locked(session, actor, order_id)
    if order.status not in EDITABLE:
        raise OrderNotEditable(order.status)
    supplier = _supplier(session, actor, order.supplier_id)
    old = PURCHASE_ORDERS.line_rows(session, actor.company_id, order.id)
    rows = _lines(session, actor, order, supplier, lines)
    deltas = combine(on_order(order, old, -1), on_order(order, rows))
    session.execute(
        delete(PurchaseOrderLine).where(
            PurchaseOrderLine.company_id == actor.company_id,
            PurchaseOrderLine.order_id == order.id,
        )
    )
    session.add_all(rows)
    if deltas:
        levels.lock_and_change_on_order(session, actor.company_id, deltas)
    PURCHASE_ORDERS.record(session, actor, "lines_replaced", order, lines=len(rows))
    return announce(session, actor, current(session, actor, order, rows), change="lines_replaced")


def delete_order(session: Session, actor: Actor, *, order_id: str, data_dir: Path) -> None:
    """Deletes an order in any status: what it received (less what went back) leaves again by
    reversing its movements (lines of non-stock items and services have none to reverse),
    what it had on order is no longer on order, its packing slip goes.
    Refused, with nothing changed, if that stock is no longer there to take back. Announced
    as the order was just before."""
    order = PURCHASE_ORDERS.locked(session, actor, order_id)
    lines = PURCHASE_ORDERS.line_rows(session, actor.company_id, order.id)
    reversed_movements = _take_back(session, actor, order, lines)
    # rendered before it is marked (taking its stock back changed nothing it shows), with
    # the items and locations the posting read
    was = current(session, actor, order, lines).data
    slip = order.packing_slip_file
    order.deleted_at = utcnow()
    PURCHASE_ORDERS.record(
        session,
        actor,
        "deleted",
        order,
        number=order.order_number,
        status=order.status,
        reversed_movements=reversed_movements,
    )
    session.flush()
    outbox.emit(session, actor.company_id, "purchase_order.updated", was, change="deleted")
    if slip:
        slips.remove(data_dir, actor.company_id, slip)


def _take_back(
    session: Session, actor: Actor, order: PurchaseOrder, lines: list[PurchaseOrderLine]
) -> int:
    """Reverses the order's movements, dated today, and ends what it has on order; returns
    the number of movements reversed."""
    company = get_company(session, actor.company_id)
    movements = list(
        session.scalars(
            select(Movement)
            .where(
                Movement.company_id == actor.company_id,
                Movement.document_type == PURCHASE_ORDERS.name,
                Movement.document_id == order.id,
            )
            .order_by(Movement.id)
        )
    )
    removed = combine(on_order(order, lines, -1))
    if movements:
        ledger.post(
            session,
            actor,
            document=PURCHASE_ORDERS.ledger_document(order, company_today(company)),
            lines=ledger.reversing_lines(movements),
            allow_negative=company.allow_negative_stock,
            on_order=removed,
        )
    elif removed:
        levels.lock_and_change_on_order(session, actor.company_id, removed)
    return len(movements)


# --- checking what an order names ---------------------------------------------------------


def _supplier(session: Session, actor: Actor, supplier_id: str) -> Supplier:
    supplier = session.get(Supplier, (actor.company_id, supplier_id))
    if supplier is None:
        errors = [field_error("supplier_id", "no such supplier", "unknown_reference")]
        raise UnknownReference("supplier", errors, f"no supplier {supplier_id!r}")
    if not supplier.active:
        raise InactiveSupplier(supplier.name)
    return supplier


def _currency(company: Company, currency: str | None, rate: Decimal | None) -> tuple[str, Decimal]:
    """The order's currency and its exchange rate to the company currency."""
    currency = validate_currency(currency or company.currency)
    if currency == company.currency:
        if rate not in (None, 1):
            raise Invalid(
                "an order in the company currency has an exchange rate of 1",
                errors=[field_error("exchange_rate", "must be 1 or left out")],
            )
        return currency, Decimal(1)
    if rate is None:
        raise Invalid(
            f"an order in {currency} needs the exchange rate to {company.currency}",
            errors=[field_error("exchange_rate", f"required for {currency} orders", "missing")],
        )
    return currency, rate


def _staff(session: Session, actor: Actor, staff_id: str | None) -> tuple[str | None, str]:
    """The buyer: the API key named, else the caller."""
    if staff_id is None:
        return actor.key_id, actor.name
    key = session.scalar(
        select(ApiKey).where(ApiKey.company_id == actor.company_id, ApiKey.id == staff_id)
    )
    if key is None:
        raise UnknownStaff(staff_id)
    return key.id, key.name


def _lines(
    session: Session,
    actor: Actor,
    order: PurchaseOrder,
    supplier: Supplier,
    lines: Sequence[OrderLine],
) -> list[PurchaseOrderLine]:
    """The order's line rows, after checking their items as the ledger does (lines of
    non-stock items and services are kept, and will move nothing); a line naming only a
    variant is of that variant's item."""
    item_ids = _item_ids(session, actor, lines)
    items, stocked = check_items(
        session,
        actor.company_id,
        [
            ledger.Line(
                item_id=item_id,
                variant_id=line.variant_id,
                quantity=line.quantity,
                from_location_id="",
                to_location_id="",
                movement_type="purchase",
                field=f"items.{n}",
            )
            for n, (item_id, line) in enumerate(zip(item_ids, lines, strict=True))
        ],
    )
    errors = [
        field_error(f"items.{n}.unit_cost", f"required for {order.currency} orders")
        for n, line in enumerate(lines)
        if line.unit_cost is None and order.exchange_rate != 1
    ]
    if errors:
        raise Invalid(errors[0].message, errors=errors)
    return [
        _line_row(order, supplier, n, line, items[item_id], stocked[n])
        for n, (item_id, line) in enumerate(zip(item_ids, lines, strict=True))
    ]


def _line_row(
    order: PurchaseOrder, supplier: Supplier, n: int, line: OrderLine, item: Item, stocked: bool
) -> PurchaseOrderLine:
    """A line row; its cost defaults to the item's cost price (the order being in the company
    currency), its supplier code to the item's when the item names this supplier, its
    description to the item's purchase description (else its name); it counts on order if
    its item's stock is tracked."""
    code = line.supplier_item_code
    if code is None and item.supplier_id == supplier.id:
        code = item.supplier_item_code
    return new_row(
        PurchaseOrderLine,
        id=new_id("poline"),
        company_id=order.company_id,
        order_id=order.id,
        position=n,
        item_id=item.id,
        variant_id=line.variant_id,
        supplier_item_code=code,
        quantity=line.quantity,
        unit_cost=(item.cost_price or ZERO) if line.unit_cost is None else line.unit_cost,
        tolerance_percent=line.tolerance_percent,
        quantity_received=ZERO,
        quantity_returned=ZERO,
        description=line.description or item.purchase_description or item.name,
        notes=line.notes,
        stocked=stocked,
    )


def _item_ids(session: Session, actor: Actor, lines: Sequence[OrderLine]) -> list[str]:
    """Each line's item: the one named, else its variant's (refused when there is none)."""
    variant_ids = {line.variant_id for line in lines if line.variant_id and not line.item_id}
    variants = (
        dict(
            session.execute(
                select(ItemVariant.id, ItemVariant.item_id).where(
                    ItemVariant.company_id == actor.company_id, ItemVariant.id.in_(variant_ids)
                )
            ).all()
        )
        if variant_ids
        else {}
    )
    errors = [
        field_error(f"items.{n}.variant_id", "no such variant", "unknown_reference")
        for n, line in enumerate(lines)
        if not line.item_id and line.variant_id not in variants
    ]
    if errors:
        raise UnknownReference("variant", errors, errors[0].message)
    return [line.item_id or variants[line.variant_id or ""] for line in lines]
