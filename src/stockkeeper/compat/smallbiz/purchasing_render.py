"""Suppliers and purchase orders in smallbiz's shape: snake_case fields, integer ids (each
kind numbered in one query for a whole list), dates as ``YYYY-MM-DD``, money and
quantities as exact JSON numbers, and an order's status as smallbiz shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from sqlalchemy.orm import Session

from stockkeeper.compat.smallbiz import ids
from stockkeeper.compat.smallbiz.purchasing_parse import SHOWN
from stockkeeper.purchasing.views import OrderView, SupplierWithOrders, line_total
from stockkeeper.tenancy.service import Actor

Json = dict[str, Any]


class SupplierRow(Protocol):
    """What a supplier shows (the catalogue's row)."""

    @property
    def id(self) -> str: ...
    @property
    def creditor_number(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def contact_person(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def address(self) -> str | None: ...
    @property
    def notes(self) -> str | None: ...
    @property
    def website(self) -> str | None: ...
    @property
    def active(self) -> bool: ...
    @property
    def created_at(self) -> dt.datetime: ...
    @property
    def updated_at(self) -> dt.datetime: ...


class Numbers:
    """The integer ids of the records a response shows, each kind numbered at once."""

    def __init__(self, session: Session, actor: Actor) -> None:
        self.session, self.actor = session, actor
        self.known: dict[ids.Kind, dict[str, int]] = {}

    def load(self, kind: ids.Kind, record_ids: Iterable[str | None]) -> None:
        wanted = {r for r in record_ids if r is not None} - set(self.known.get(kind, {}))
        if wanted:
            found = ids.numbers(self.session, self.actor, kind, sorted(wanted))
            self.known.setdefault(kind, {}).update(found)

    def of(self, kind: ids.Kind, record_id: str | None) -> int | None:
        if record_id is None:
            return None
        self.load(kind, [record_id])
        return self.known[kind][record_id]


# --- suppliers ----------------------------------------------------------------------------


def suppliers(session: Session, actor: Actor, rows: Sequence[SupplierRow]) -> list[Json]:
    numbers = Numbers(session, actor)
    numbers.load("supplier", (row.id for row in rows))
    return [_supplier(numbers, row) for row in rows]


def supplier(session: Session, actor: Actor, row: SupplierRow) -> Json:
    return suppliers(session, actor, [row])[0]


def supplier_with_orders(session: Session, actor: Actor, view: SupplierWithOrders) -> Json:
    """The supplier with its most recent orders (newest first, without their lines)."""
    shown = supplier(session, actor, view.supplier)
    return {**shown, "orders": orders(session, actor, view.recent)}


def _supplier(numbers: Numbers, row: SupplierRow) -> Json:
    return {
        "id": numbers.of("supplier", row.id),
        "creditor_number": row.creditor_number,
        "name": row.name,
        "contact_person": row.contact_person,
        "email": row.email,
        "phone": row.phone,
        "address": row.address,
        "notes": row.notes,
        "website": row.website,
        "active": row.active,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


# --- purchase orders ----------------------------------------------------------------------


def orders(session: Session, actor: Actor, views: Sequence[OrderView]) -> list[Json]:
    """Orders as a list shows them: with their supplier's name and item counts, no lines."""
    numbers = Numbers(session, actor)
    numbers.load("purchase_order", (v.order.id for v in views))
    numbers.load("supplier", (v.order.supplier_id for v in views))
    numbers.load("staff", (v.order.staff_id for v in views))
    return [_order(numbers, view) for view in views]


def order(session: Session, actor: Actor, view: OrderView) -> Json:
    """An order with all its line items."""
    numbers = Numbers(session, actor)
    numbers.load("order_line", (line.id for line, _ in view.lines))
    numbers.load("item", (item.id for _, item in view.lines))
    items = [_line(numbers, view, n) for n in range(len(view.lines))]
    return {**_order(numbers, view), "items": items}


def _order(numbers: Numbers, view: OrderView) -> Json:
    o = view.order
    return {
        "id": numbers.of("purchase_order", o.id),
        "order_number": o.order_number,
        "supplier_id": numbers.of("supplier", o.supplier_id),
        "supplier_name": view.supplier.name,
        "creditor_number": view.supplier.creditor_number,
        "staff_id": numbers.of("staff", o.staff_id),
        "staff_name": o.staff_name,
        "status": SHOWN[o.status],
        "order_date": o.order_date,
        "expected_date": o.expected_date,
        "received_date": o.received_date,
        "notes": o.notes,
        "packing_slip_number": o.packing_slip_number,
        "packing_slip_file": o.packing_slip_file,
        "item_count": len(view.lines),
        "total": view.total,
        "created_at": o.created_at,
        "updated_at": o.updated_at,
    }


def _line(numbers: Numbers, view: OrderView, n: int) -> Json:
    line, item = view.lines[n]
    return {
        "id": numbers.of("order_line", line.id),
        "order_id": numbers.of("purchase_order", view.order.id),
        "product_id": numbers.of("item", item.id),
        "product_name": item.name,
        "sku": item.item_code,
        "article_number": item.article_number,
        "quantity": line.quantity,
        "unit_cost": line.unit_cost,
        "received_quantity": line.quantity_received,
        "total": line_total(line),
    }
