"""Sales issues and customer returns through the service layer alone, on both engines: what
they post, what they refuse, and what each announces."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from stockkeeper.adjustments import service as adjustments
from stockkeeper.adjustments.values import AdjustmentLine, NewAdjustment
from stockkeeper.core import outbox
from stockkeeper.core.errors import NotFound, UnknownReference
from stockkeeper.sales import service
from stockkeeper.sales.errors import MoreThanIssued
from stockkeeper.sales.values import NewIssue, NewReturn, SalesLine
from stockkeeper.stock.errors import InsufficientStock
from stockkeeper.tenancy.service import Actor
from tests.factories import new_item, new_location
from tests.support import Tenant, as_json


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def _stocked(session: Session, actor: Actor, quantity: int, cost: int = 3) -> tuple[str, str]:
    location, item = new_location(session, actor), new_item(session, actor)
    line = AdjustmentLine(item_id=item, adjustment_quantity=Decimal(quantity), unit_cost=cost)
    adjustment = NewAdjustment(reason="found", location_id=location, items=[line])
    adjustments.create_adjustment(session, actor, adjustment=adjustment)
    return location, item


def _announced(session: Session, event: str) -> list[dict[str, Any]]:
    return [m["data"]["object"] for m in outbox.pending(session) if m["event"] == event]


def test_an_issue_posts_at_the_average_cost_and_is_announced_once(
    session: Session, actor: Actor
) -> None:
    location, item = _stocked(session, actor, 10, cost=3)
    issue = service.create_issue(
        session,
        actor,
        issue=NewIssue(location_id=location, items=[SalesLine(item_id=item, quantity=4)]),
    )
    assert (issue.data["totalValue"], issue.data["items"][0]["unitCost"]) == (12, 3)
    assert _announced(session, "inventory.issue") == [as_json(issue.data)]
    found = service.get_issue(session, actor, issue_id=issue.document.id)
    assert found.data == issue.data
    with pytest.raises(NotFound):  # an issue is not a return
        service.get_return(session, actor, return_id=issue.document.id)
    levels = _announced(session, "inventory.level")
    assert [(lv["locationId"], lv["currentStock"]) for lv in levels] == [(location, 6)]


def test_issuing_more_than_is_available_names_the_shortage_and_announces_nothing(
    session: Session, actor: Actor
) -> None:
    location, item = _stocked(session, actor, 2)
    with pytest.raises(InsufficientStock) as short:
        service.create_issue(
            session,
            actor,
            issue=NewIssue(location_id=location, items=[SalesLine(item_id=item, quantity=3)]),
        )
    assert short.value.shortages[0].available == Decimal(2)
    assert _announced(session, "inventory.issue") == []


def test_a_return_comes_back_at_the_issue_cost_and_no_more_than_went_out(
    session: Session, actor: Actor
) -> None:
    location, item = _stocked(session, actor, 10, cost=5)
    issue = service.create_issue(
        session,
        actor,
        issue=NewIssue(location_id=location, items=[SalesLine(item_id=item, quantity=3)]),
    )
    back = NewReturn(
        issue_id=issue.document.id,
        location_id=location,
        items=[SalesLine(item_id=item, quantity=2)],
    )
    returned = service.create_return(session, actor, customer_return=back)
    assert (returned.data["issueId"], returned.data["totalValue"]) == (issue.document.id, 10)
    assert _announced(session, "inventory.return") == [as_json(returned.data)]
    with pytest.raises(MoreThanIssued) as refused:
        service.create_return(session, actor, customer_return=back)
    assert [e.field for e in refused.value.errors] == ["items.0.quantity"]
    unknown = back.model_copy(update={"issue_id": "iss_missing"})
    with pytest.raises(UnknownReference) as missing:
        service.create_return(session, actor, customer_return=unknown)
    assert (missing.value.code, missing.value.errors[0].field) == ("unknown_issue", "issue_id")
