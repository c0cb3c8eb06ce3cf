"""Purchase orders: creating them, their lines, their status, deleting them, reading them.

created -> ordered -> partially_received -> received, cancelled from created or ordered, and a
partially received order closed short. While an order is ordered or partially received, what
is still open on its lines (ordered less received) counts as on order at its location.
Receipts and returns are in ``receiving.py``.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, ItemVariant, Location, Supplier
from stockkeeper.catalog.service.documents import lines_with_items, locations_by_id
from stockkeeper.catalog.service.locations import default_warehouse, require_location
from stockkeeper.core.audit import record
from stockkeeper.core.errors import Conflict, Invalid, NotFound, field_error
from stockkeeper.core.filters import given
from stockkeeper.core.ids import new_id
from stockkeeper.core.locks import lock_one
from stockkeeper.core.pagination import Keyset, keyset_page
from stockkeeper.core.sequences import next_number
from stockkeeper.core.types import utcnow
from stockkeeper.core.workflow import Workflow
from stockkeeper.purchasing import slips
from stockkeeper.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
)
from stockkeeper.stock import ledger, levels
from stockkeeper.stock.models import Movement
from stockkeeper.tenancy.models import ApiKey
from stockkeeper.tenancy.service import (
    Actor,
    company_today,
    get_company,
    numbering_template,
    validate_currency,
)

ZERO = Decimal(0)
WORKFLOW = Workflow(
    "purchase order",
    {
        "created": ("ordered", "cancelled"),
        "ordered": ("received", "cancelled"),
        "partially_received": ("received", "closed"),
        "received": (),
        "cancelled": (),
        "closed": (),
    },
    listed_as="allowed_statuses",
)
OPEN = ("ordered", "partially_received")
EDITABLE = ("created", "ordered")


def open_quantity(order: PurchaseOrder, line: PurchaseOrderLine) -> Decimal:
    """What of a line is still on order."""
    if order.status not in OPEN:
        return ZERO
    return max(ZERO, line.quantity - line.quantity_received)


def on_order(
    order: PurchaseOrder, lines: list[PurchaseOrderLine], sign: int = 1
) -> dict[levels.GroupKey, Decimal]:
    """The on-order figures the order's lines add (``sign`` -1: take away) at its location."""
    deltas: dict[levels.GroupKey, Decimal] = defaultdict(Decimal)
    for line in lines:
        deltas[(line.item_id, line.variant_id, order.location_id)] += sign * open_quantity(
            order, line
        )
    return deltas


def combine(*parts: dict[levels.GroupKey, Decimal]) -> dict[levels.GroupKey, Decimal]:
    total: dict[levels.GroupKey, Decimal] = defaultdict(Decimal)
    for part in parts:
        for key, delta in part.items():
            total[key] += delta
    return {key: delta for key, delta in total.items() if delta}


def locked_order(session: Session, actor: Actor, order_id: str) -> PurchaseOrder:
    """The order, locked for the rest of the transaction (receipts of one order queue here)."""
    order = lock_one(session, PurchaseOrder, (actor.company_id, order_id))
    if order is None or order.deleted_at is not None:
        raise NotFound("purchase order", order_id)
    return order


def order_lines(session: Session, actor: Actor, order_id: str) -> list[PurchaseOrderLine]:
    return list(
        session.scalars(
            select(PurchaseOrderLine)
            .where(
                PurchaseOrderLine.company_id == actor.company_id,
                PurchaseOrderLine.order_id == order_id,
            )
            .order_by(PurchaseOrderLine.position)
        )
    )


def _supplier(session: Session, actor: Actor, supplier_id: str) -> Supplier:
    supplier = session.get(Supplier, (actor.company_id, supplier_id))
    if supplier is None:
        raise Invalid(
            f"no supplier {supplier_id!r}",
            code="unknown_supplier",
            errors=[field_error("supplierId", "no such supplier", "unknown_reference")],
        )
    if not supplier.active:
        raise Invalid(
            f"supplier {supplier.name} is inactive",
            code="inactive_supplier",
            errors=[field_error("supplierId", "inactive", "inactive_supplier")],
        )
    return supplier


def _staff(session: Session, actor: Actor, staff_id: str | None) -> tuple[str, str]:
    if staff_id is None:
        return actor.key_id, actor.name
    key = session.scalar(
        select(ApiKey).where(ApiKey.company_id == actor.company_id, ApiKey.id == staff_id)
    )
    if key is None:
        raise Invalid(
            f"no API key {staff_id!r} in this company",
            code="unknown_staff",
            errors=[field_error("staffId", "no such API key", "unknown_reference")],
        )
    return key.id, key.name


def create_order(session: Session, actor: Actor, *, values: dict[str, Any]) -> PurchaseOrder:
    company = get_company(session, actor.company_id)
    supplier = _supplier(session, actor, values["supplier_id"])
    if values.get("location_id"):
        location = require_location(session, actor, values["location_id"], "locationId")
    else:
        found = default_warehouse(session, actor.company_id)
        if found is None:
            raise Invalid(
                "the company has no default warehouse: name the locationId to receive into",
                errors=[field_error("locationId", "required without a default warehouse")],
            )
        location = found
    currency = validate_currency(values.get("currency") or company.currency)
    rate = values.get("exchange_rate")
    if currency == company.currency:
        if rate not in (None, 1):
            raise Invalid(
                "an order in the company currency has an exchange rate of 1",
                errors=[field_error("exchangeRate", "must be 1 or left out")],
            )
        rate = Decimal(1)
    elif rate is None:
        raise Invalid(
            f"an order in {currency} needs the exchange rate to {company.currency}",
            errors=[field_error("exchangeRate", f"required for {currency} orders", "missing")],
        )
    staff_id, staff_name = _staff(session, actor, values.get("staff_id"))
    order_date = values.get("order_date") or company_today(company)
    order = PurchaseOrder(
        id=new_id("po"),
        company_id=actor.company_id,
        supplier_id=supplier.id,
        location_id=location.id,
        status="created",
        staff_id=staff_id,
        staff_name=staff_name,
        order_date=order_date,
        expected_date=values.get("expected_date"),
        currency=currency,
        exchange_rate=rate,
        notes=values.get("notes"),
        created_by=actor.name,
    )
    rows = _lines(session, actor, order, supplier, values.get("items") or [])
    order.order_number = next_number(
        session,
        actor.company_id,
        name="purchase_order",
        template=numbering_template(company, "purchase_order"),
        today=order_date,
    )
    session.add(order)
    session.flush()
    session.add_all(rows)
    record(
        session,
        actor,
        "purchase_order.created",
        "purchase_order",
        order.id,
        number=order.order_number,
        lines=len(rows),
    )
    session.flush()
    return order


def _lines(
    session: Session,
    actor: Actor,
    order: PurchaseOrder,
    supplier: Supplier,
    entries: list[dict[str, Any]],
) -> list[PurchaseOrderLine]:
    """Order lines from a request's ``items``, after checking every item can be stocked."""
    variant_ids = {e["variant_id"] for e in entries if e.get("variant_id")}
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
    errors = []
    for n, entry in enumerate(entries):
        if entry.get("variant_id") and not entry.get("item_id"):
            entry["item_id"] = variants.get(entry["variant_id"], "")
            if not entry["item_id"]:
                errors.append(
                    field_error(f"items.{n}.variantId", "no such variant", "unknown_reference")
                )
    if errors:
        raise Invalid(errors[0].message, code="unknown_variant", errors=errors)
    items = ledger.check_items(
        session,
        actor.company_id,
        [
            ledger.Line(
                item_id=e["item_id"],
                variant_id=e.get("variant_id"),
                quantity=e["quantity"],
                from_location_id="",
                to_location_id="",
                movement_type="purchase",
                field=f"items.{n}",
            )
            for n, e in enumerate(entries)
        ],
    )
    rows = []
    for n, entry in enumerate(entries):
        item = items[entry["item_id"]]
        cost = entry.get("unit_cost")
        if cost is None:
            if order.exchange_rate != 1:
                errors.append(
                    field_error(f"items.{n}.unitCost", f"required for {order.currency} orders")
                )
                continue
            cost = item.cost_price or ZERO
        code = entry.get("supplier_item_code")
        if code is None and item.supplier_id == supplier.id:
            code = item.supplier_item_code
        rows.append(
            PurchaseOrderLine(
                id=new_id("poline"),
                company_id=actor.company_id,
                order_id=order.id,
                position=n,
                item_id=item.id,
                variant_id=entry.get("variant_id"),
                supplier_item_code=code,
                quantity=entry["quantity"],
                unit_cost=cost,
                tolerance_percent=entry.get("tolerance_percent") or ZERO,
                quantity_received=ZERO,
                quantity_returned=ZERO,
                notes=entry.get("notes"),
            )
        )
    if errors:
        raise Invalid(errors[0].message, errors=errors)
    return rows


def replace_lines(
    session: Session, actor: Actor, order_id: str, entries: list[dict[str, Any]]
) -> None:
    """Replaces every line of a created or ordered order (what is on order follows)."""
    order = locked_order(session, actor, order_id)
    if order.status not in EDITABLE:
        raise Conflict(
            f"a {order.status.replace('_', ' ')} purchase order cannot have its lines replaced; "
            "only created or ordered ones can",
            code="order_not_editable",
            currentStatus=order.status,
        )
    supplier = _supplier(session, actor, order.supplier_id)
    old = order_lines(session, actor, order.id)
    rows = _lines(session, actor, order, supplier, entries)
    deltas = combine(on_order(order, old, -1), on_order(order, rows))
    for line in old:
        session.delete(line)
    session.flush()
    session.add_all(rows)
    if deltas:
        levels.lock_and_change_on_order(session, actor.company_id, deltas)
    record(
        session, actor, "purchase_order.lines_replaced", "purchase_order", order.id, lines=len(rows)
    )
    session.flush()


def delete_order(session: Session, actor: Actor, order_id: str, files: Path) -> None:
    """Deletes an order in any status: what it received (less what went back) leaves again by
    reversing movements, what it had on order is no longer on order, its packing slip goes.
    Refused, with nothing changed, if that stock is no longer there to take back."""
    order = locked_order(session, actor, order_id)
    lines = order_lines(session, actor, order.id)
    company = get_company(session, actor.company_id)
    movements = list(
        session.scalars(
            select(Movement)
            .where(
                Movement.company_id == actor.company_id,
                Movement.document_type == "purchase_order",
                Movement.document_id == order.id,
            )
            .order_by(Movement.id)
        )
    )
    document = ledger.Document(
        type="purchase_order",
        id=order.id,
        effective_date=company_today(company),
        number=order.order_number,
        reference=order.order_number,
    )
    removed = combine(on_order(order, lines, -1))
    if movements:
        ledger.post(
            session,
            actor,
            document=document,
            lines=ledger.reversing_lines(movements),
            allow_negative=company.allow_negative_stock,
            on_order=removed,
        )
    elif removed:
        levels.lock_and_change_on_order(session, actor.company_id, removed)
    slip = order.packing_slip_file
    order.deleted_at = utcnow()
    record(
        session,
        actor,
        "purchase_order.deleted",
        "purchase_order",
        order.id,
        number=order.order_number,
        status=order.status,
        reversedMovements=len(movements),
    )
    session.flush()
    if slip:
        slips.remove(files, actor.company_id, slip)


def attach_slip(
    session: Session, actor: Actor, order_id: str, files: Path, upload: IO[bytes]
) -> PurchaseOrder:
    """Stores the packing slip of a received or partially received order, replacing any
    earlier one."""
    order = locked_order(session, actor, order_id)
    if order.status not in ("partially_received", "received"):
        raise Conflict(
            "a packing slip belongs to a received or partially received order",
            code="order_not_received",
            currentStatus=order.status,
        )
    supplier = session.get(Supplier, (actor.company_id, order.supplier_id))
    assert supplier is not None
    assert order.received_date is not None
    stem = slips.file_stem(
        order.order_number, supplier.creditor_number, order.received_date.strftime("%Y%m%d")
    )
    earlier = order.packing_slip_file
    name, content_type = slips.store(files, actor.company_id, stem, upload)
    order.packing_slip_file, order.packing_slip_type = name, content_type
    record(session, actor, "purchase_order.packing_slip", "purchase_order", order.id, file=name)
    session.flush()
    if earlier and earlier != name:
        slips.remove(files, actor.company_id, earlier)
    return order


def slip_file(session: Session, actor: Actor, order_id: str, files: Path) -> tuple[Path, str]:
    """The order's packing slip on disk and its content type."""
    order = get_order(session, actor, order_id=order_id).order
    if order.packing_slip_file is None or order.packing_slip_type is None:
        raise NotFound("packing slip of purchase order", order_id)
    path = slips.path_of(files, actor.company_id, order.packing_slip_file)
    if not path.is_file():
        raise NotFound("packing slip of purchase order", order_id)
    return path, order.packing_slip_type


def slips_of_year(session: Session, actor: Actor, year: int) -> list[str]:
    """The packing slip files of the orders received in ``year``."""
    o = PurchaseOrder
    return list(
        session.scalars(
            select(o.packing_slip_file)
            .where(
                o.company_id == actor.company_id,
                o.deleted_at.is_(None),
                o.packing_slip_file.is_not(None),
                o.received_date >= date(year, 1, 1),
                o.received_date <= date(year, 12, 31),
            )
            .order_by(o.packing_slip_file)
        )
    )


@dataclass(frozen=True)
class OrderView:
    order: PurchaseOrder
    supplier: Supplier
    location: Location
    lines: list[tuple[PurchaseOrderLine, Item]]
    receipts: list[tuple[PurchaseReceipt, list[PurchaseReceiptLine]]]

    @property
    def total(self) -> Decimal:
        return sum((line.quantity * line.unit_cost for line, _ in self.lines), ZERO)


def get_order(session: Session, actor: Actor, *, order_id: str) -> OrderView:
    order = session.get(PurchaseOrder, (actor.company_id, order_id))
    if order is None or order.deleted_at is not None:
        raise NotFound("purchase order", order_id)
    return _views(session, actor, [order], with_receipts=True)[0]


def _views(
    session: Session, actor: Actor, orders: list[PurchaseOrder], *, with_receipts: bool = False
) -> list[OrderView]:
    ids = [o.id for o in orders]
    lines = lines_with_items(
        session, actor.company_id, PurchaseOrderLine, PurchaseOrderLine.order_id, ids
    )
    suppliers = {
        s.id: s
        for s in session.scalars(
            select(Supplier).where(
                Supplier.company_id == actor.company_id,
                Supplier.id.in_({o.supplier_id for o in orders}),
            )
        )
    }
    locations = locations_by_id(session, actor.company_id, [o.location_id for o in orders])
    receipts: dict[str, list[tuple[PurchaseReceipt, list[PurchaseReceiptLine]]]] = {
        i: [] for i in ids
    }
    if with_receipts:
        found = list(
            session.scalars(
                select(PurchaseReceipt)
                .where(
                    PurchaseReceipt.company_id == actor.company_id,
                    PurchaseReceipt.order_id.in_(ids),
                )
                .order_by(PurchaseReceipt.created_at, PurchaseReceipt.id)
            )
        )
        receipt_lines = lines_with_items(
            session,
            actor.company_id,
            PurchaseReceiptLine,
            PurchaseReceiptLine.receipt_id,
            [r.id for r in found],
        )
        for receipt in found:
            receipts[receipt.order_id].append(
                (receipt, [line for line, _ in receipt_lines[receipt.id]])
            )
    return [
        OrderView(
            o, suppliers[o.supplier_id], locations[o.location_id], lines[o.id], receipts[o.id]
        )
        for o in orders
    ]


@dataclass(frozen=True)
class OrderFilters:
    status: str | None = None
    supplier_id: str | None = None
    location_id: str | None = None
    item_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def list_orders(
    session: Session, actor: Actor, *, filters: OrderFilters, limit: int, cursor: str | None
) -> tuple[list[OrderView], str | None, int]:
    """Newest first (by order date, then creation); the page, next cursor and total."""
    o = PurchaseOrder
    where: list[Any] = [o.company_id == actor.company_id, o.deleted_at.is_(None)]
    where += given(
        (filters.status, o.status, operator.eq),
        (filters.supplier_id, o.supplier_id, operator.eq),
        (filters.location_id, o.location_id, operator.eq),
        (filters.date_from, o.order_date, operator.ge),
        (filters.date_to, o.order_date, operator.le),
    )
    if filters.item_id:
        where.append(
            o.id.in_(
                select(PurchaseOrderLine.order_id).where(
                    PurchaseOrderLine.company_id == actor.company_id,
                    PurchaseOrderLine.item_id == filters.item_id,
                )
            )
        )
    found, next_cursor, total = keyset_page(
        session,
        o,
        where,
        Keyset(key=o.order_date, ident=o.id, descending=True),
        kind="purchase_order",
        limit=limit,
        cursor=cursor,
        parse=date.fromisoformat,
    )
    return _views(session, actor, found) if found else [], next_cursor, total


def recent_orders(session: Session, actor: Actor, supplier_id: str) -> list[OrderView]:
    """A supplier's 20 most recent orders."""
    o = PurchaseOrder
    found = list(
        session.scalars(
            select(o)
            .where(
                o.company_id == actor.company_id,
                o.supplier_id == supplier_id,
                o.deleted_at.is_(None),
            )
            .order_by(o.order_date.desc(), o.id.desc())
            .limit(20)
        )
    )
    return _views(session, actor, found) if found else []


def supplier_has_orders(session: Session, company_id: str, supplier_id: str) -> bool:
    count = session.scalar(
        select(func.count())
        .select_from(PurchaseOrder)
        .where(PurchaseOrder.company_id == company_id, PurchaseOrder.supplier_id == supplier_id)
    )
    return bool(count)
