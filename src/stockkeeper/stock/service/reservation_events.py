"""What a reservation's changes announce: ``inventory.reservation``, with the reservation as
``GET /api/v1/inventory/reservations/{id}`` shows it. Here, not in the reservation use cases,
because the level locks announce too: they expire what is due."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stockkeeper.core import outbox
from stockkeeper.stock.models import StockReservation
from stockkeeper.stock.views.reservations import ReservationView, reservation_views


def announce(
    session: Session, company_id: str, reservations: list[StockReservation]
) -> list[ReservationView]:
    """Each reservation as ``inventory.reservation`` (created, fulfilled, released,
    expired), rendered as it now stands; the views announced."""
    session.flush()
    views = reservation_views(session, company_id, reservations)
    for view in views:
        outbox.emit(session, company_id, "inventory.reservation", view.data)
    return views
