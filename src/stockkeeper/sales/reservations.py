"""Reservations: stock held for a reference at a location, then fulfilled (a sale out of it),
released, or expired, each exactly once.

Every change takes the item x location's level locks first and the reservation's row second,
the same order as postings (which expire due reservations under those locks), so nothing
deadlocks and no reservation ends twice.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Location
from stockkeeper.catalog.service.documents import locations_by_id
from stockkeeper.catalog.service.locations import check_bins, require_location
from stockkeeper.core.audit import record
from stockkeeper.core.errors import Invalid, NotFound, field_error
from stockkeeper.core.filters import given
from stockkeeper.core.ids import new_id
from stockkeeper.core.locks import lock_one
from stockkeeper.core.pagination import Keyset, keyset_page
from stockkeeper.core.types import utcnow
from stockkeeper.core.workflow import Workflow
from stockkeeper.stock import ledger, levels, lots
from stockkeeper.stock.errors import InsufficientStock
from stockkeeper.stock.locations import virtual_locations
from stockkeeper.stock.models import Batch, SerialNumber, StockReservation
from stockkeeper.tenancy.service import Actor, company_today, get_company

WORKFLOW = Workflow(
    "reservation",
    {
        "active": ("fulfil", "release"),
        "fulfilled": (),
        "released": (),
        "expired": (),
    },
    listed_as="allowed_actions",
    past={"fulfil": "fulfilled", "release": "released"},
)


def shown_status(reservation: StockReservation) -> str:
    """Its status as of now: an active reservation past its expiry is expired, even before
    the next posting at its location marks it so."""
    if (
        reservation.status == "active"
        and reservation.expires_at is not None
        and reservation.expires_at <= utcnow()
    ):
        return "expired"
    return reservation.status


def _locked_levels(
    session: Session, company_id: str, r: StockReservation, customer: str | None = None
) -> levels.Levels:
    """Locks the reservation's item x location, making sure its own level row exists, and
    with a ``customer`` location the item's levels there too: a fulfilment takes every lock
    its posting needs at once, in key order, so it cannot deadlock with other postings."""
    rows = [levels.level_row(company_id, r.item_id, r.variant_id, r.location_id, physical=True)]
    pairs = {(r.item_id, r.location_id)}
    if customer:
        rows.append(levels.level_row(company_id, r.item_id, r.variant_id, customer, physical=False))
        pairs.add((r.item_id, customer))
    if r.batch_id or r.serial_id:
        rows.append(
            levels.level_row(
                company_id,
                r.item_id,
                r.variant_id,
                r.location_id,
                physical=True,
                batch_id=r.batch_id,
                serial_id=r.serial_id,
            )
        )
    return levels.lock(session, company_id, pairs, rows)


def _lot(
    session: Session, actor: Actor, item_id: str, values: dict[str, Any]
) -> tuple[str | None, str | None]:
    """The batch id and serial id a reservation names, if it names one."""
    batch_id, number = values.get("batch_id"), values.get("serial_number")
    if batch_id and number:
        raise Invalid(
            "a reservation names a batch or a serial number, not both",
            errors=[field_error("serialNumber", "not with batchId")],
        )
    if batch_id:
        batch = session.get(Batch, (actor.company_id, batch_id))
        if batch is None or batch.item_id != item_id:
            raise Invalid(
                f"no batch {batch_id!r} of this item",
                code="unknown_batch",
                errors=[field_error("batchId", "no such batch of this item", "unknown_reference")],
            )
        return batch.id, None
    if number:
        serial_id = session.scalar(
            select(SerialNumber.id).where(
                SerialNumber.company_id == actor.company_id,
                SerialNumber.item_id == item_id,
                SerialNumber.serial_number == number,
            )
        )
        if serial_id is None or values["quantity"] != 1:
            raise Invalid(
                f"no serial number {number!r} of this item to reserve one of",
                code="unknown_serial",
                errors=[field_error("serialNumber", "no such serial number, or quantity is not 1")],
            )
        return None, serial_id
    return None, None


def reserve(session: Session, actor: Actor, *, values: dict[str, Any]) -> StockReservation:
    location = require_location(session, actor, values["location_id"], "locationId")
    item_id, variant_id, quantity = values["item_id"], values.get("variant_id"), values["quantity"]
    expires_at = values.get("expires_at")
    if expires_at is not None and expires_at <= utcnow():
        raise Invalid(
            "expiresAt is in the past", errors=[field_error("expiresAt", "must be in the future")]
        )
    items = ledger.check_items(
        session,
        actor.company_id,
        [
            ledger.Line(
                item_id=item_id,
                variant_id=variant_id,
                quantity=quantity,
                from_location_id=location.id,
                to_location_id=location.id,
                movement_type="reservation",
                field="",
            )
        ],
    )
    batch_id, serial_id = _lot(session, actor, item_id, values)
    reservation = StockReservation(
        id=new_id("rsv"),
        company_id=actor.company_id,
        item_id=item_id,
        variant_id=variant_id,
        location_id=location.id,
        batch_id=batch_id,
        serial_id=serial_id,
        quantity=quantity,
        quantity_fulfilled=Decimal(0),
        reference=values.get("reference"),
        notes=values.get("notes"),
        expires_at=expires_at,
        status="active",
        created_by=actor.name,
    )
    state = _locked_levels(session, actor.company_id, reservation)
    key = levels.reserved_key(reservation)
    available = state.groups[(item_id, variant_id, location.id)].available
    if batch_id or serial_id:
        level = state.levels[key]
        available = min(available, level["on_hand"] - level["reserved"])
    if quantity > available:
        raise InsufficientStock(
            [
                ledger.shortage(
                    items[item_id],
                    location,
                    variant_id,
                    None,
                    quantity,
                    available,
                    batch_id=batch_id,
                    serial_id=serial_id,
                )
            ]
        )
    levels.change_reserved(session, actor.company_id, state, key, quantity)
    session.add(reservation)
    record(
        session,
        actor,
        "reservation.created",
        "reservation",
        reservation.id,
        quantity=str(quantity),
        reference=reservation.reference,
    )
    session.flush()
    return reservation


def _take(
    session: Session, actor: Actor, reservation_id: str, action: str, customer: str | None = None
) -> tuple[StockReservation, levels.Levels]:
    """The reservation's levels and the reservation, locked in that order, if it may still
    ``action``."""
    found = session.get(StockReservation, (actor.company_id, reservation_id))
    if found is None:
        raise NotFound("reservation", reservation_id)
    state = _locked_levels(session, actor.company_id, found, customer)
    reservation = lock_one(session, StockReservation, (actor.company_id, reservation_id))
    assert reservation is not None
    WORKFLOW.require(reservation.status, action)
    return reservation, state


def release(session: Session, actor: Actor, reservation_id: str) -> None:
    reservation, state = _take(session, actor, reservation_id, "release")
    key = levels.reserved_key(reservation)
    levels.change_reserved(session, actor.company_id, state, key, -reservation.remaining)
    reservation.status, reservation.closed_by, reservation.closed_at = (
        "released",
        actor.name,
        utcnow(),
    )
    record(session, actor, "reservation.released", "reservation", reservation.id)


def fulfil(session: Session, actor: Actor, reservation_id: str, *, values: dict[str, Any]) -> None:
    """Issues all that is reserved, or ``quantity`` of it, to the customer location (a sale);
    what is left stays reserved until fulfilled, released or expired. A reservation of a
    batch or serial issues that one; otherwise a tracked item's fulfilment names its own."""
    customer = virtual_locations(session, actor.company_id)["customer"]
    reservation, state = _take(session, actor, reservation_id, "fulfil", customer)
    quantity = values.get("quantity") or reservation.remaining
    if quantity > reservation.remaining:
        raise Invalid(
            f"only {reservation.remaining} is left to fulfil",
            errors=[field_error("quantity", f"at most {reservation.remaining}", "too_large")],
        )
    if values.get("bin_id"):
        location = session.get(Location, (actor.company_id, reservation.location_id))
        assert location is not None
        check_bins(session, actor.company_id, [("binId", values["bin_id"], location)])
    company = get_company(session, actor.company_id)
    key = levels.reserved_key(reservation)
    levels.change_reserved(session, actor.company_id, state, key, -quantity)
    lot = lots.Lots(
        batches=lots.storable(values.get("batches")), serial_numbers=values.get("serial_numbers")
    )
    if reservation.batch_id:
        lot = lots.Lots(batches=[{"batch_id": reservation.batch_id, "quantity": quantity}])
    elif reservation.serial_id:
        serial = session.get(SerialNumber, (actor.company_id, reservation.serial_id))
        assert serial is not None
        lot = lots.Lots(serial_numbers=[serial.serial_number])
    line = ledger.Line(
        item_id=reservation.item_id,
        variant_id=reservation.variant_id,
        quantity=quantity,
        from_location_id=reservation.location_id,
        from_bin_id=values.get("bin_id"),
        to_location_id=customer,
        movement_type="sale",
        field="",
    )
    lots.post(
        session,
        actor,
        document=ledger.Document(
            type="reservation",
            id=reservation.id,
            effective_date=values.get("date") or company_today(company),
            reference=values.get("reference") or reservation.reference,
        ),
        lines=[(line, lot)],
        allow_negative=company.allow_negative_stock,
    )
    reservation.quantity_fulfilled += quantity
    if reservation.remaining == 0:
        reservation.status, reservation.closed_by, reservation.closed_at = (
            "fulfilled",
            actor.name,
            utcnow(),
        )
    record(
        session,
        actor,
        "reservation.fulfilled",
        "reservation",
        reservation.id,
        quantity=str(quantity),
    )


@dataclass(frozen=True)
class ReservationView:
    reservation: StockReservation
    item: Item
    location: Location
    batch_number: str | None = None
    serial_number: str | None = None


def get_reservation(session: Session, actor: Actor, *, reservation_id: str) -> ReservationView:
    reservation = session.get(StockReservation, (actor.company_id, reservation_id))
    if reservation is None:
        raise NotFound("reservation", reservation_id)
    return _views(session, actor, [reservation])[0]


def _views(
    session: Session, actor: Actor, reservations: list[StockReservation]
) -> list[ReservationView]:
    items = {
        i.id: i
        for i in session.scalars(
            select(Item).where(
                Item.company_id == actor.company_id,
                Item.id.in_({r.item_id for r in reservations}),
            )
        )
    }
    locations = locations_by_id(session, actor.company_id, (r.location_id for r in reservations))
    names = _lot_names(session, actor.company_id, reservations)
    return [
        ReservationView(
            r,
            items[r.item_id],
            locations[r.location_id],
            names.get(r.batch_id or ""),
            names.get(r.serial_id or ""),
        )
        for r in reservations
    ]


def _lot_names(
    session: Session, company_id: str, reservations: list[StockReservation]
) -> dict[str, str]:
    """Batch and serial ids -> their numbers, for the reservations that name one."""
    batch_ids = {r.batch_id for r in reservations if r.batch_id}
    serial_ids = {r.serial_id for r in reservations if r.serial_id}
    names: dict[str, str] = {}
    if batch_ids:
        names.update(
            (ident, name)
            for ident, name in session.execute(
                select(Batch.id, Batch.batch_number).where(
                    Batch.company_id == company_id, Batch.id.in_(batch_ids)
                )
            ).all()
        )
    if serial_ids:
        names.update(
            (ident, name)
            for ident, name in session.execute(
                select(SerialNumber.id, SerialNumber.serial_number).where(
                    SerialNumber.company_id == company_id, SerialNumber.id.in_(serial_ids)
                )
            ).all()
        )
    return names


@dataclass(frozen=True)
class ReservationFilters:
    item_id: str | None = None
    location_id: str | None = None
    status: str | None = None
    reference: str | None = None


def list_reservations(
    session: Session,
    actor: Actor,
    *,
    filters: ReservationFilters,
    limit: int,
    cursor: str | None,
) -> tuple[list[ReservationView], str | None, int]:
    """Newest first; ``status`` filters by the status as of now (see ``shown_status``)."""
    r = StockReservation
    where: list[Any] = [r.company_id == actor.company_id]
    where += given(
        (filters.item_id, r.item_id, operator.eq),
        (filters.location_id, r.location_id, operator.eq),
        (filters.reference, r.reference, operator.eq),
    )
    now = utcnow()
    past_due = r.expires_at.is_not(None) & (r.expires_at <= now)
    if filters.status == "active":
        where += [r.status == "active", ~past_due]
    elif filters.status == "expired":
        where.append((r.status == "expired") | ((r.status == "active") & past_due))
    elif filters.status:
        where.append(r.status == filters.status)
    found, next_cursor, total = keyset_page(
        session,
        r,
        where,
        Keyset(key=r.created_at, ident=r.id, descending=True),
        kind="reservation",
        limit=limit,
        cursor=cursor,
        parse=datetime.fromisoformat,
    )
    return _views(session, actor, found) if found else [], next_cursor, total
