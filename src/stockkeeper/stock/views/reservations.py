"""A reservation as the API returns it and ``inventory.reservation`` carries it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Location
from stockkeeper.catalog.service.common import rows_by_id
from stockkeeper.core.json import dump
from stockkeeper.stock.models import Batch, SerialNumber, StockReservation
from stockkeeper.stock.schemas import ItemRef, LocationRef, ReservationRead
from stockkeeper.stock.service.reservation_states import RESERVATIONS, RESERVING, shown_status
from stockkeeper.tenancy.service import Role


@dataclass(frozen=True)
class ReservationView:
    reservation: StockReservation
    item: Item
    location: Location
    batch: Batch | None = None
    serial_number: str | None = None
    # whose read it is: the actions listed are those this role may take (None: all the
    # status allows, as the events carry them)
    role: Role | None = None

    def read_by(self, role: Role) -> ReservationView:
        return replace(self, role=role)

    @cached_property
    def data(self) -> dict[str, Any]:
        return dump(reservation_read(self))


def reservation_read(view: ReservationView) -> ReservationRead:
    r, batch = view.reservation, view.batch
    status = shown_status(r)
    return ReservationRead(
        id=r.id,
        item_id=r.item_id,
        item=ItemRef(id=view.item.id, item_code=view.item.item_code, name=view.item.name),
        variant_id=r.variant_id,
        location_id=r.location_id,
        location=LocationRef(id=view.location.id, name=view.location.name),
        batch_id=r.batch_id,
        batch_number=batch and batch.batch_number,
        external_batch_number=batch and batch.external_batch_number,
        manufacturer_date=batch and batch.manufacturer_date,
        expiry_date=batch and batch.expiry_date,
        serial_number=view.serial_number,
        quantity=r.quantity,
        quantity_fulfilled=r.quantity_fulfilled,
        quantity_remaining=r.remaining if status == "active" else 0,
        reference=r.reference,
        notes=r.notes,
        expires_at=r.expires_at,
        status=status,
        allowed_actions=_allowed(status, view.role),
        created_by=r.created_by,
        created_at=r.created_at,
        closed_by=r.closed_by,
        closed_at=r.closed_at,
    )


def _allowed(status: str, role: Role | None) -> list[str]:
    may = role is None or role >= RESERVING
    return RESERVATIONS.allowed(status) if may else []


def reservation_views(
    session: Session, company_id: str, reservations: list[StockReservation]
) -> list[ReservationView]:
    """The reservations' views, their items, locations, batches and serials read in one query
    each."""
    if not reservations:
        return []
    items = rows_by_id(session, Item, company_id, {r.item_id for r in reservations})
    locations = rows_by_id(session, Location, company_id, {r.location_id for r in reservations})
    batches = rows_by_id(
        session, Batch, company_id, {r.batch_id for r in reservations if r.batch_id}
    )
    names = _serial_numbers(session, company_id, reservations)
    return [
        ReservationView(
            r,
            items[r.item_id],
            locations[r.location_id],
            batches.get(r.batch_id or ""),
            names.get(r.serial_id or ""),
        )
        for r in reservations
    ]


def _serial_numbers(
    session: Session, company_id: str, reservations: list[StockReservation]
) -> dict[str, str]:
    """Serial ids -> their numbers, for the reservations that name one."""
    serial_ids = {r.serial_id for r in reservations if r.serial_id}
    names: dict[str, str] = {}
    if serial_ids:
        names.update(
            (ident, number)
            for ident, number in session.execute(
                select(SerialNumber.id, SerialNumber.serial_number).where(
                    SerialNumber.company_id == company_id, SerialNumber.id.in_(serial_ids)
                )
            )
        )
    return names
