"""The ledger as the movement list shows it: signed rows at warehouses and stores."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, String, and_, func, literal, select, tuple_, union_all
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from stockkeeper.catalog.models import Item, Location
from stockkeeper.core.pagination import day, one_of, resume, text
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
) -> tuple[list[dict[str, Any]], str | None, int]:
    """Signed rows at physical locations, newest first; with the next cursor and the total.
    ``offset`` (without a cursor) skips that many first: a page by its number, for the faces
    whose clients number their pages."""
    listing = resume("movement", filters, cursor)
    filters = listing.filters
    after = listing.after(day, text, one_of("in", "out"))
    company_id = actor.company_id
    rows = union_all(
        _side(company_id, filters, incoming=True), _side(company_id, filters, incoming=False)
    ).subquery()
    total = session.scalar(select(func.count()).select_from(rows)) or 0
    order = (rows.c.effective_date, rows.c.id, rows.c.direction)
    statement = _named(company_id, rows)
    if after is not None:
        types: tuple[TypeEngine[Any], ...] = (Date(), String(), String())
        bound = [literal(v, t) for v, t in zip(after, types, strict=True)]
        statement = statement.where(tuple_(*order) < tuple_(*bound))
    statement = statement.order_by(*(c.desc() for c in order)).limit(limit + 1)
    if offset:
        statement = statement.offset(offset)
    found = [dict(r) for r in session.execute(statement).mappings()]
    if len(found) <= limit:
        return found, None, total
    last = found[limit - 1]
    next_cursor = listing.next_cursor(last["effective_date"], last["id"], last["direction"])
    return found[:limit], next_cursor, total


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
