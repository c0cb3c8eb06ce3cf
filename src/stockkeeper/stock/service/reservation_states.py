"""A reservation's states: active until it is fulfilled, released or expired, each once.
Past its expiry it shows as expired at once, though its row is marked so the next time
anything is posted or reserved at its location (under the level lock)."""

from __future__ import annotations

from stockkeeper.core.types import utcnow
from stockkeeper.core.workflow import Workflow
from stockkeeper.stock.models import StockReservation
from stockkeeper.tenancy.service import Role

# reserving, fulfilling and releasing are a clerk's
RESERVING = Role.clerk

RESERVATIONS = Workflow(
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
    """Its status as of now: an active reservation past its expiry is expired."""
    if (
        reservation.status == "active"
        and reservation.expires_at is not None
        and reservation.expires_at <= utcnow()
    ):
        return "expired"
    return reservation.status
