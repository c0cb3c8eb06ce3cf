"""What the core does for the Zoho dialect, shown on the canonical API and the service layer:
a reason named by its exact code (``reasonId``) beside words of one's own, approval that posts
in the same transaction (``post=True``), a rejection without a reason, numbered pages of the
list (``offset``), and the bins a view's lines name."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from stockkeeper.adjustments import service
from stockkeeper.adjustments.values import AdjustmentFilters, AdjustmentLine, NewAdjustment
from stockkeeper.core.errors import IllegalTransition
from stockkeeper.tenancy.service import Actor
from tests.factories import new_item, new_location
from tests.support import Api, Tenant, problem

ADJUSTMENTS = "/api/v1/inventory/adjustments"


def _body(location: str, item: str, **fields: object) -> dict[str, object]:
    line = {"itemId": item, "adjustmentQuantity": 1, "unitCost": 1}
    return {"reason": "found", "locationId": location, "items": [line], **fields}


def test_a_reason_by_its_exact_code(api: Api) -> None:
    location, item = api.location()["id"], api.item()["id"]
    both = api.create(ADJUSTMENTS, _body(location, item, reason="Forklift", reasonId="damaged"))
    assert (both["reason"], both["reasonText"]) == ("damaged", "Forklift")
    named = api.create(ADJUSTMENTS, _body(location, item, reason="Damaged", reasonId="damaged"))
    assert (named["reason"], named["reasonText"]) == ("damaged", None)
    unknown = problem(
        api.post(ADJUSTMENTS, _body(location, item, reasonId="shrinkage")), 422, "unknown_reason"
    )
    assert [e["field"] for e in unknown["errors"]] == ["reasonId"]
    api.data(api.put("/api/v1/inventory/adjustment-reasons/damaged", {"isActive": False}))
    inactive = api.post(ADJUSTMENTS, _body(location, item, reason="x", reasonId="damaged"))
    problem(inactive, 422, "unknown_reason")
    assert len(api.data(api.get(ADJUSTMENTS))) == 2


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def _draft(session: Session, actor: Actor, item: str, location: str, quantity: int) -> str:
    line = AdjustmentLine(item_id=item, adjustment_quantity=Decimal(quantity), unit_cost=2)
    new = NewAdjustment(reason="found", location_id=location, items=[line], status="draft")
    return service.create_adjustment(session, actor, adjustment=new).adjustment.id


def test_approval_that_posts_and_a_rejection_without_reason(session: Session, actor: Actor) -> None:
    location, item = new_location(session, actor), new_item(session, actor)
    first, second = (_draft(session, actor, item, location, n) for n in (3, 4))
    for ident in (first, second):
        service.submit_adjustment(session, actor, adjustment_id=ident)
    view = service.approve_adjustment(session, actor, adjustment_id=first, post=True)
    assert view.adjustment.status == "posted" and view.adjustment.approved_by == "admin"
    assert [(line.current_stock, line.adjusted_stock) for line, _ in view.lines] == [
        (Decimal(0), Decimal(3))
    ]
    rejected = service.reject_adjustment(session, actor, adjustment_id=second, reason=None)
    assert (rejected.adjustment.status, rejected.adjustment.rejection_reason) == ("rejected", None)
    with pytest.raises(IllegalTransition):
        service.approve_adjustment(session, actor, adjustment_id=second, post=True)


def test_numbered_pages(session: Session, actor: Actor) -> None:
    location, item = new_location(session, actor), new_item(session, actor)
    made = [_draft(session, actor, item, location, n) for n in range(1, 6)]
    filters = AdjustmentFilters()

    def page(offset: int, limit: int = 2) -> list[str]:
        listed = service.list_adjustments(
            session, actor, filters=filters, limit=limit, cursor=None, offset=offset
        )
        assert listed.total == 5
        return [view.adjustment.id for view in listed.rows]

    # drafts made within one millisecond may list in either order: the pages follow the list's
    whole = page(0, limit=10)
    assert sorted(whole) == sorted(made)
    assert [*page(0), *page(2), *page(4)] == whole
    assert page(6) == []


def test_a_view_holds_the_bins_its_lines_name(api: Api, session: Session, actor: Actor) -> None:
    location, item = api.location()["id"], api.item()["id"]
    a1, b2 = (
        api.create(f"/api/v1/locations/{location}/bins", {"code": code})["id"]
        for code in ("A1", "B2")
    )
    line = {"itemId": item, "adjustmentQuantity": 3, "unitCost": 1}
    spread = [{"binId": a1, "quantity": 1}, {"binId": b2, "quantity": 2}]
    made = api.create(
        ADJUSTMENTS,
        {
            "reason": "found",
            "locationId": location,
            "items": [{**line, "binId": a1}, {**line, "bins": spread}],
        },
    )
    plain = api.create(ADJUSTMENTS, _body(location, item))
    view = service.get_adjustment(session, actor, adjustment_id=made["id"])
    assert {ident: shelf.code for ident, shelf in view.bins.items()} == {a1: "A1", b2: "B2"}
    assert service.get_adjustment(session, actor, adjustment_id=plain["id"]).bins == {}
