"""The adjustment use cases through the service layer alone (no HTTP), on both engines: the
lifecycle, its rules, its errors, and what each change announces."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from stockkeeper.adjustments import service
from stockkeeper.adjustments.values import AdjustmentLine, NewAdjustment, StockCount
from stockkeeper.core import outbox
from stockkeeper.core.errors import IllegalTransition, UnknownReference
from stockkeeper.stock.errors import InsufficientStock
from stockkeeper.tenancy.service import Actor
from tests.factories import new_item, new_location
from tests.support import Tenant, as_json


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


@pytest.fixture
def warehouse(session: Session, actor: Actor) -> str:
    return new_location(session, actor)


def _adjust(item_id: str, quantity: int, **fields: object) -> NewAdjustment:
    line = AdjustmentLine(item_id=item_id, adjustment_quantity=Decimal(quantity), unit_cost=2)
    return NewAdjustment.model_validate({"reason": "found", "items": [line], **fields})


def _events(session: Session) -> list[tuple[str, dict[str, Any]]]:
    """What the transaction announces, alerts aside (they come when the alerts slice is
    installed, and have tests of their own)."""
    return [
        (m["event"], m["data"]["object"])
        for m in outbox.pending(session)
        if m["event"] in ("inventory.adjustment", "inventory.level")
    ]


def test_a_draft_goes_through_approval_to_posted_and_reversed(
    session: Session, actor: Actor, warehouse: str
) -> None:
    item = new_item(session, actor)
    draft = service.create_adjustment(
        session, actor, adjustment=_adjust(item, 5, status="draft", location_id=warehouse)
    )
    assert (draft.adjustment.status, _events(session)) == ("draft", [])
    ident = draft.adjustment.id
    submitted = service.submit_adjustment(session, actor, adjustment_id=ident)
    assert submitted.data["allowedActions"] == ["approve", "reject"]
    service.approve_adjustment(session, actor, adjustment_id=ident)
    posted = service.post_adjustment(session, actor, adjustment_id=ident)
    assert posted.data["status"] == "posted" and posted.data["items"][0]["adjustedStock"] == 5
    reversed_ = service.reverse_adjustment(session, actor, adjustment_id=ident)
    events = _events(session)
    # the level is announced once, where it first changed, with the figures of the end
    assert [name for name, _ in events] == [
        "inventory.level",
        "inventory.adjustment",
        "inventory.adjustment",
    ]
    assert events[1][1]["status"] == "posted" and events[2][1] == as_json(reversed_.data)
    assert events[0][1]["currentStock"] == 0
    assert service.get_adjustment(session, actor, adjustment_id=ident).data == reversed_.data


def test_moves_the_status_does_not_allow_are_refused_with_what_it_does(
    session: Session, actor: Actor, warehouse: str
) -> None:
    item = new_item(session, actor)
    posted = service.create_adjustment(
        session, actor, adjustment=_adjust(item, 1, location_id=warehouse)
    )
    with pytest.raises(IllegalTransition) as refused:
        service.submit_adjustment(session, actor, adjustment_id=posted.adjustment.id)
    assert refused.value.allowed == ["reverse"]
    assert refused.value.details == {"current_status": "posted", "allowed_actions": ["reverse"]}


def test_removing_more_than_is_there_names_the_short_line_and_changes_nothing(
    session: Session, actor: Actor, warehouse: str
) -> None:
    item = new_item(session, actor)
    service.create_adjustment(session, actor, adjustment=_adjust(item, 2, location_id=warehouse))
    before = _events(session)
    with pytest.raises(InsufficientStock) as short:
        service.create_adjustment(
            session, actor, adjustment=_adjust(item, -3, location_id=warehouse)
        )
    (shortage,) = short.value.shortages
    assert (shortage.item_id, shortage.requested, shortage.available) == (
        item,
        Decimal(3),
        Decimal(2),
    )
    assert _events(session) == before


def test_errors_name_fields_in_the_domains_terms(
    session: Session, actor: Actor, warehouse: str
) -> None:
    item = new_item(session, actor)
    with pytest.raises(UnknownReference) as unknown:
        service.create_adjustment(
            session, actor, adjustment=_adjust(item, 1, location_id="loc_missing")
        )
    assert unknown.value.code == "unknown_location"
    assert [e.field for e in unknown.value.errors] == ["location_id"]


def test_a_stock_count_posts_the_difference_and_announces_it(
    session: Session, actor: Actor, warehouse: str
) -> None:
    item = new_item(session, actor)
    service.create_adjustment(session, actor, adjustment=_adjust(item, 5, location_id=warehouse))
    counted = service.count_stock(
        session, actor, count=StockCount(item_id=item, location_id=warehouse, new_quantity=3)
    )
    assert counted.on_hand == 3
    adjustments = [obj for name, obj in _events(session) if name == "inventory.adjustment"]
    assert [(a["reason"], a["items"][0]["adjustmentQuantity"]) for a in adjustments] == [
        ("found", 5),
        ("stock_count", -2),
    ]
    again = service.count_stock(
        session, actor, count=StockCount(item_id=item, location_id=warehouse, new_quantity=3)
    )
    assert again.on_hand == 3
    assert len([1 for name, _ in _events(session) if name == "inventory.adjustment"]) == 2
