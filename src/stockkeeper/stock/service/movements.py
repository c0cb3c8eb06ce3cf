"""The ledger as the movement list shows it: signed rows at warehouses and stores."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, and_, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, Location
from stockkeeper.core.pagination import Listed, day, one_of, resume, text
from stockkeeper.stock.models import Batch, Movement, SerialNumber
from stockkeeper.stock.values import MovementFilters
from stockkeeper.tenancy.service import Actor


def signed_rows(company_id: str, *, incoming: bool, extra: list[Any] | None = None) -> Any:
    """Movements seen from one side: arrivals (positive) or departures (negative) at premises
    (``location_id``), each with the place at its other end (``other_location_id``)."""
    m = Movement
    location = m.to_location_id if incoming else m.from_location_id
    other = m.from_location_id if incoming else m.to_location_id
    bin_id = m.to_bin_id if incoming else m.from_bin_id
    return (
        select(
            m.id,
            m.item_id,
            m.variant_id,
            location.label("location_id"),
            other.label("other_location_id"),
            bin_id.label("bin_id"),
            m.batch_id,
            m.serial_id,
            (m.quantity if incoming else -m.quantity).label("quantity"),
            m.unit_cost,
            (m.value if incoming else -m.value).label("value"),
            m.movement_type,
            m.reason,
            m.reference,
            m.document_type,
            m.document_id,
            m.document_number,
            m.document_line_id,
            m.effective_date,
            m.created_at,
            m.created_by,
            literal("in" if incoming else "out", String).label("direction"),
        )
        .join(Location, and_(Location.company_id == m.company_id, Location.id == location))
        .where(
            m.company_id == company_id, Location.type.in_(("warehouse", "store")), *(extra or [])
        )
    )


def list_movements(
    session: Session,
    actor: Actor,
    *,
    filters: MovementFilters,
    limit: int,
    cursor: str | None,
    offset: int = 0,
    with_total: bool = True,
) -> Listed[dict[str, Any]]:
    """A page of signed rows at physical locations, newest first, with the next cursor and
    the total (None unless ``with_total``: counting the ledger costs more than a page of it).
    ``offset`` (without a cursor) skips that many first: a page by its number, for the faces
    whose clients number their pages."""
    listing = resume("movement", filters, cursor)
    filters = listing.filters
    after = listing.after(day, text, one_of("in", "out"))
    company_id = actor.company_id
    total = None
    if with_total:
        every = union_all(*(_side(company_id, filters, incoming=side) for side in (True, False)))
        total = session.scalar(select(func.count()).select_from(every.subquery())) or 0
    # each side reads only its own first page along the date index; the union orders the two
    wanted = offset + limit + 1
    sides = [
        _page_of(_side(company_id, filters, incoming=side), side, after, wanted)
        for side in (True, False)
    ]
    rows = union_all(*sides).subquery()
    order = (rows.c.effective_date, rows.c.id, rows.c.direction)
    statement = _named(company_id, rows).order_by(*(c.desc() for c in order)).limit(limit + 1)
    if offset:
        statement = statement.offset(offset)
    found = [dict(r) for r in session.execute(statement).mappings()]
    if len(found) <= limit:
        return Listed(found, None, total)
    last = found[limit - 1]
    next_cursor = listing.next_cursor(last["effective_date"], last["id"], last["direction"])
    return Listed(found[:limit], next_cursor, total)


def _page_of(side: Any, incoming: bool, after: tuple[Any, ...] | None, wanted: int) -> Any:
    """One side's rows after the cursor, newest first, at most ``wanted`` of them. Rows sort
    by date, id, then direction ("in" before "out"), so an arrival sharing the cursor's
    movement is still to come when the cursor stopped at its departure."""
    m = Movement
    if after is not None:
        day_, ident, direction = after
        before = m.id <= ident if incoming and direction == "out" else m.id < ident
        # the leading bound on the date alone lets the index seek straight to the cursor
        side = side.where(m.effective_date <= day_, or_(m.effective_date < day_, before))
    ordered = side.order_by(m.effective_date.desc(), m.id.desc()).limit(wanted)
    return select(ordered.subquery())


def _named(company_id: str, rows: Any) -> Any:
    """The rows with their item's code and name, and their batch's and serial's numbers."""
    return (
        select(
            rows,
            Item.item_code,
            Item.name.label("item_name"),
            Batch.batch_number,
            Batch.external_batch_number,
            Batch.manufacturer_date,
            Batch.expiry_date,
            SerialNumber.serial_number,
        )
        .join(Item, and_(Item.company_id == company_id, Item.id == rows.c.item_id))
        .outerjoin(Batch, and_(Batch.company_id == company_id, Batch.id == rows.c.batch_id))
        .outerjoin(
            SerialNumber,
            and_(SerialNumber.company_id == company_id, SerialNumber.id == rows.c.serial_id),
        )
    )


def _side(company_id: str, filters: MovementFilters, *, incoming: bool) -> Any:
    """The movements arriving at (or leaving) warehouses and stores, as the filters ask."""
    m = Movement
    extra: list[Any] = []
    if filters.item_id:
        extra.append(m.item_id == filters.item_id)
    if filters.location_id:
        extra.append((m.to_location_id if incoming else m.from_location_id) == filters.location_id)
    if filters.date_from:
        extra.append(m.effective_date >= filters.date_from)
    if filters.date_to:
        extra.append(m.effective_date <= filters.date_to)
    if filters.type:
        extra.append(m.movement_type == filters.type)
    if filters.reference:
        extra.append(m.reference == filters.reference)
    return signed_rows(company_id, incoming=incoming, extra=extra)
