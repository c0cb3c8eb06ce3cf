"""Reservations through the service layer alone, on both engines: each change announced
once as ``inventory.reservation``, with the stock level it changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from stockkeeper.adjustments import service as adjustments
from stockkeeper.adjustments.values import AdjustmentLine, NewAdjustment
from stockkeeper.core import clock, outbox
from stockkeeper.core.errors import IllegalTransition
from stockkeeper.stock.errors import InsufficientStock
from stockkeeper.stock.service import reservations as service
from stockkeeper.stock.values import Fulfilment, NewReservation, ReservationFilters
from stockkeeper.tenancy.service import Actor, Role
from tests.factories import new_item, new_location
from tests.support import Tenant, as_json


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


@pytest.fixture
def stocked(session: Session, actor: Actor) -> tuple[str, str]:
    location, item = new_location(session, actor), new_item(session, actor)
    line = AdjustmentLine(item_id=item, adjustment_quantity=Decimal(10), unit_cost=2)
    adjustment = NewAdjustment(reason="found", location_id=location, items=[line])
    adjustments.create_adjustment(session, actor, adjustment=adjustment)
    return location, item


def _announced(session: Session, event: str) -> list[dict[str, Any]]:
    return [m["data"]["object"] for m in outbox.pending(session) if m["event"] == event]


def test_reserve_fulfil_in_part_then_release(
    session: Session, actor: Actor, stocked: tuple[str, str]
) -> None:
    location, item = stocked
    held = service.create_reservation(
        session, actor, reservation=NewReservation(item_id=item, location_id=location, quantity=6)
    )
    ident = held.reservation.id
    part = service.fulfil_reservation(
        session, actor, reservation_id=ident, fulfilment=Fulfilment(quantity=Decimal(2))
    )
    released = service.release_reservation(session, actor, reservation_id=ident)
    shown = [
        (r["status"], r["quantityFulfilled"], r["quantityRemaining"])
        for r in _announced(session, "inventory.reservation")
    ]
    assert shown == [("active", 0, 6), ("active", 2, 4), ("released", 2, 0)]
    assert _announced(session, "inventory.reservation")[-1] == as_json(released.data)
    assert part.data["allowedActions"] == ["fulfil", "release"]
    (level,) = _announced(session, "inventory.level")
    assert (level["currentStock"], level["reservedStock"], level["availableStock"]) == (8, 0, 8)
    with pytest.raises(IllegalTransition) as ended:
        service.release_reservation(session, actor, reservation_id=ident)
    assert ended.value.details == {"current_status": "released", "allowed_actions": []}


def test_more_than_is_available_is_refused(
    session: Session, actor: Actor, stocked: tuple[str, str]
) -> None:
    location, item = stocked
    with pytest.raises(InsufficientStock):
        service.create_reservation(
            session,
            actor,
            reservation=NewReservation(item_id=item, location_id=location, quantity=11),
        )
    assert _announced(session, "inventory.reservation") == []


def test_an_expired_reservation_is_announced_when_its_location_is_next_locked(
    session: Session, actor: Actor, stocked: tuple[str, str]
) -> None:
    location, item = stocked
    soon = clock.now() + dt.timedelta(hours=1)
    held = service.create_reservation(
        session,
        actor,
        reservation=NewReservation(item_id=item, location_id=location, quantity=4, expires_at=soon),
    )
    with clock.moved(dt.timedelta(hours=2)):
        service.create_reservation(
            session,
            actor,
            reservation=NewReservation(item_id=item, location_id=location, quantity=10),
        )
        events = _announced(session, "inventory.reservation")
    assert [(r["id"], r["status"]) for r in events] == [
        (held.reservation.id, "active"),
        (held.reservation.id, "expired"),
        (events[2]["id"], "active"),
    ]


def test_a_read_lists_the_actions_its_reader_may_take(
    session: Session, actor: Actor, stocked: tuple[str, str]
) -> None:
    """A viewer's read lists no action; a clerk's every one the status allows; the event,
    read by no one, carries them all."""
    location, item = stocked
    wanted = NewReservation(item_id=item, location_id=location, quantity=1)
    ident = service.create_reservation(session, actor, reservation=wanted).reservation.id

    def actions(role: Role) -> tuple[list[str], list[str]]:
        reader = replace(actor, role=role)
        one = service.get_reservation(session, reader, reservation_id=ident).data
        listed = service.list_reservations(
            session, reader, filters=ReservationFilters(), limit=5, cursor=None
        )
        return one["allowedActions"], listed.rows[0].data["allowedActions"]

    assert actions(Role.viewer) == ([], [])
    assert actions(Role.clerk) == (["fulfil", "release"], ["fulfil", "release"])
    assert _announced(session, "inventory.reservation")[-1]["allowedActions"] == [
        "fulfil",
        "release",
    ]
