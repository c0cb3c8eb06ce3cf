"""Reservations: stock held for a reference at a location, then fulfilled (a sale out of it),
released, or expired, each exactly once.

Every change takes the item x location's level locks first and the reservation's row second,
the same order as postings (which expire due reservations under those locks), so nothing
deadlocks and no reservation ends twice.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Location
from stockkeeper.catalog.service.locations import check_bins, require_location
from stockkeeper.core import audit
from stockkeeper.core.errors import Invalid, NotFound, UnknownReference, field_error
from stockkeeper.core.ids import new_id
from stockkeeper.core.locks import lock_one
from stockkeeper.core.pagination import Keyset, Listed, instant, keyset_page, resume
from stockkeeper.core.types import utcnow
from stockkeeper.stock.errors import InsufficientStock
from stockkeeper.stock.models import Batch, SerialNumber, StockReservation
from stockkeeper.stock.service import ledger, levels, lots
from stockkeeper.stock.service.locations import virtual_locations
from stockkeeper.stock.service.reservation_events import announce
from stockkeeper.stock.service.reservation_states import RESERVATIONS
from stockkeeper.stock.service.shortages import shortage
from stockkeeper.stock.values import Fulfilment, NewReservation, ReservationFilters
from stockkeeper.stock.views.reservations import ReservationView, reservation_views
from stockkeeper.tenancy.service import Actor, company_today, get_company


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


def _lot(session: Session, actor: Actor, wanted: NewReservation) -> tuple[str | None, str | None]:
    """The batch id and serial id a reservation names, if it names one."""
    batch_id, number = wanted.batch_id, wanted.serial_number
    if batch_id and number:
        raise Invalid(
            "a reservation names a batch or a serial number, not both",
            errors=[field_error("serial_number", "not with a batch")],
        )
    if batch_id:
        batch = session.get(Batch, (actor.company_id, batch_id))
        if batch is None or batch.item_id != wanted.item_id:
            errors = [field_error("batch_id", "no such batch of this item", "unknown_reference")]
            raise UnknownReference("batch", errors, f"no batch {batch_id!r} of this item")
        return batch.id, None
    if number:
        serial_id = session.scalar(
            select(SerialNumber.id).where(
                SerialNumber.company_id == actor.company_id,
                SerialNumber.item_id == wanted.item_id,
                SerialNumber.serial_number == number,
            )
        )
        if serial_id is None or wanted.quantity != 1:
            message = "no such serial number, or quantity is not 1"
            errors = [field_error("serial_number", message, "unknown_reference")]
            raise UnknownReference(
                "serial", errors, f"no serial number {number!r} of this item to reserve one of"
            )
        return None, serial_id
    return None, None


def create_reservation(
    session: Session, actor: Actor, *, reservation: NewReservation
) -> ReservationView:
    """Holds stock for a reference at a location; more than is available there (on hand
    less what is reserved) is refused, naming the shortage."""
    location = require_location(session, actor, reservation.location_id, "location_id")
    if reservation.expires_at is not None and reservation.expires_at <= utcnow():
        raise Invalid.fields([field_error("expires_at", "must be in the future")])
    items = ledger.check_items(
        session,
        actor.company_id,
        [
            ledger.Line(
                item_id=reservation.item_id,
                variant_id=reservation.variant_id,
                quantity=reservation.quantity,
                from_location_id=location.id,
                to_location_id=location.id,
                movement_type="reservation",
                field="",
            )
        ],
    )
    row = _new_row(session, actor, reservation, location)
    state = _locked_levels(session, actor.company_id, row)
    key = levels.reserved_key(row)
    available = state.groups[(row.item_id, row.variant_id, location.id)].available
    if row.batch_id or row.serial_id:
        lot = levels.lot_of(state.levels[key])
        available = min(available, state.lots_free()[lot])
    if row.quantity > available:
        short = shortage(
            items[row.item_id],
            location,
            row.variant_id,
            None,
            row.quantity,
            available,
            batch_id=row.batch_id,
            serial_id=row.serial_id,
        )
        raise InsufficientStock([short])
    levels.change_reserved(session, actor.company_id, state, key, row.quantity)
    session.add(row)
    _record(session, actor, "created", row, quantity=row.quantity, reference=row.reference)
    return _announced(session, actor, row)


def _new_row(
    session: Session, actor: Actor, reservation: NewReservation, location: Location
) -> StockReservation:
    batch_id, serial_id = _lot(session, actor, reservation)
    return StockReservation(
        id=new_id("rsv"),
        company_id=actor.company_id,
        item_id=reservation.item_id,
        variant_id=reservation.variant_id,
        location_id=location.id,
        batch_id=batch_id,
        serial_id=serial_id,
        quantity=reservation.quantity,
        quantity_fulfilled=Decimal(0),
        reference=reservation.reference,
        notes=reservation.notes,
        expires_at=reservation.expires_at,
        status="active",
        created_by=actor.name,
    )


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
    RESERVATIONS.require(reservation.status, action)
    return reservation, state


def release_reservation(session: Session, actor: Actor, *, reservation_id: str) -> ReservationView:
    """Releases what is still reserved."""
    reservation, state = _take(session, actor, reservation_id, "release")
    key = levels.reserved_key(reservation)
    levels.change_reserved(session, actor.company_id, state, key, -reservation.remaining)
    reservation.status, reservation.closed_by, reservation.closed_at = (
        "released",
        actor.name,
        utcnow(),
    )
    _record(session, actor, "released", reservation)
    return _announced(session, actor, reservation)


def fulfil_reservation(
    session: Session, actor: Actor, *, reservation_id: str, fulfilment: Fulfilment
) -> ReservationView:
    """Issues all that is reserved, or ``quantity`` of it, to the customer location (a sale);
    what is left stays reserved until fulfilled, released or expired. A reservation of a
    batch or serial issues that one; otherwise a tracked item's fulfilment names its own."""
    customer = virtual_locations(session, actor.company_id)["customer"]
    reservation, state = _take(session, actor, reservation_id, "fulfil", customer)
    quantity = fulfilment.quantity or reservation.remaining
    if quantity > reservation.remaining:
        raise Invalid(
            f"only {reservation.remaining} is left to fulfil",
            errors=[field_error("quantity", f"at most {reservation.remaining}", "too_large")],
        )
    if fulfilment.bin_id:
        location = session.get(Location, (actor.company_id, reservation.location_id))
        assert location is not None
        check_bins(session, actor.company_id, [("bin_id", fulfilment.bin_id, location)])
    levels.change_reserved(
        session, actor.company_id, state, levels.reserved_key(reservation), -quantity
    )
    _post_sale(session, actor, reservation, fulfilment, quantity, customer)
    reservation.quantity_fulfilled += quantity
    if reservation.remaining == 0:
        reservation.status, reservation.closed_by, reservation.closed_at = (
            "fulfilled",
            actor.name,
            utcnow(),
        )
    _record(session, actor, "fulfilled", reservation, quantity=quantity)
    return _announced(session, actor, reservation)


def _post_sale(
    session: Session,
    actor: Actor,
    reservation: StockReservation,
    fulfilment: Fulfilment,
    quantity: Decimal,
    customer: str,
) -> None:
    company = get_company(session, actor.company_id)
    lot = lots.Lots.given(fulfilment)
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
        from_bin_id=fulfilment.bin_id,
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
            effective_date=fulfilment.date or company_today(company),
            reference=fulfilment.reference or reservation.reference,
        ),
        lines=[(line, lot)],
        allow_negative=company.allow_negative_stock,
    )


def _record(
    session: Session, actor: Actor, action: str, row: StockReservation, **details: object
) -> None:
    audit.record(session, actor, f"reservation.{action}", "reservation", row.id, **details)


def _announced(session: Session, actor: Actor, row: StockReservation) -> ReservationView:
    return announce(session, actor.company_id, [row])[0]


def expire_reservations(session: Session, actor: Actor) -> int:
    """Expires the company's reservations that are past due and announces them (each once),
    as the next posting at their item x location would; how many expired. The worker asks
    for it, so that expiry is announced when nothing else moves."""
    r = StockReservation
    due = session.execute(
        select(r.item_id, r.location_id).where(
            r.company_id == actor.company_id, r.status == "active", r.expires_at <= utcnow()
        )
    ).all()
    if due:  # the level locks expire what is due at their item x location
        levels.lock(session, actor.company_id, {(item, location) for item, location in due}, [])
    return len(due)


def companies_with_expiry(session: Session) -> list[str]:
    """The companies with reservations past due and not yet marked expired."""
    r = StockReservation
    return list(
        session.scalars(
            select(r.company_id).where(r.status == "active", r.expires_at <= utcnow()).distinct()
        )
    )


def get_reservation(session: Session, actor: Actor, *, reservation_id: str) -> ReservationView:
    reservation = session.get(StockReservation, (actor.company_id, reservation_id))
    if reservation is None:
        raise NotFound("reservation", reservation_id)
    return reservation_views(session, actor.company_id, [reservation])[0].read_by(actor.role)


def list_reservations(
    session: Session,
    actor: Actor,
    *,
    filters: ReservationFilters,
    limit: int,
    cursor: str | None,
) -> Listed[ReservationView]:
    """Newest first; ``status`` filters by the status as of now (see ``shown_status``)."""
    listing = resume("reservation", filters, cursor)
    filters = listing.filters
    r = StockReservation
    where = [r.company_id == actor.company_id]
    for value, column in (
        (filters.item_id, r.item_id),
        (filters.location_id, r.location_id),
        (filters.reference, r.reference),
    ):
        if value is not None:
            where.append(column == value)
    past_due = r.expires_at.is_not(None) & (r.expires_at <= utcnow())
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
        listing,
        limit=limit,
        key=instant,
    )
    views = reservation_views(session, actor.company_id, found)
    return Listed([view.read_by(actor.role) for view in views], next_cursor, total)
