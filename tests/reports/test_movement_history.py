"""The ledger as a stock history (``reports/service/movement_history.py``): entries numbered
by the movements' rank, signed at warehouses and stores, with their adjustments' notes and
their items whole; a manual movement posted and read back as its entry."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from stockkeeper.adjustments import service as adjustments
from stockkeeper.adjustments.values import NewAdjustment
from stockkeeper.core.errors import NotFound
from stockkeeper.reports.service import movement_history as service
from stockkeeper.stock.errors import InsufficientStock
from stockkeeper.tenancy.service import Actor
from tests.factories import new_item, new_location
from tests.support import Tenant


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def _adjustment(item_id: str, quantity: int, **fields: object) -> NewAdjustment:
    line = {"item_id": item_id, "adjustment_quantity": quantity, "notes": fields.pop("line", None)}
    return NewAdjustment.model_validate({"reason": "found", "items": [line], **fields})


def test_entries_are_numbered_signed_and_noted(session: Session, actor: Actor) -> None:
    new_location(session, actor)
    item = new_item(session, actor, name="Bolt", pricing={"cost_price": 2})
    first = service.post_manual_movement(
        session, actor, adjustment=_adjustment(item, 5, notes="Count", reference="C-1")
    )
    second = service.post_manual_movement(
        session, actor, adjustment=_adjustment(item, -2, line="Broken")
    )
    assert (first.quantity, first.details, first.reference) == (Decimal(5), "Count", "C-1")
    assert (second.quantity, second.details) == (Decimal(-2), "Broken")
    assert second.number == first.number + 1
    assert second.item.stock.on_hand == 3
    entries, total = service.list_movement_entries(session, actor, item_id=item, offset=0, limit=10)
    assert (total, [e.id for e in entries]) == (2, [first.id, second.id])
    page, total = service.list_movement_entries(session, actor, item_id=None, offset=1, limit=1)
    assert (total, [e.id for e in page]) == (2, [second.id])
    assert service.get_movement_entry(session, actor, entry_id=second.id) == second
    assert isinstance(second.value, Decimal) and second.value == -4


def test_a_refused_movement_leaves_nothing_and_unknown_entries_are_not_found(
    session: Session, actor: Actor
) -> None:
    new_location(session, actor)
    item = new_item(session, actor)
    with pytest.raises(InsufficientStock):
        service.post_manual_movement(session, actor, adjustment=_adjustment(item, -1))
    assert service.list_movement_entries(session, actor, item_id=None, offset=0, limit=5) == (
        [],
        0,
    )
    for missing in ("mov_missing", "mov_missing.in"):
        with pytest.raises(NotFound):
            service.get_movement_entry(session, actor, entry_id=missing)
    adjustments.create_adjustment(session, actor, adjustment=_adjustment(item, 1))
    entries, _ = service.list_movement_entries(session, actor, item_id=item, offset=0, limit=5)
    stranger = Actor.system("comp_another", "setup")
    with pytest.raises(NotFound):
        service.get_movement_entry(session, stranger, entry_id=entries[0].id)
