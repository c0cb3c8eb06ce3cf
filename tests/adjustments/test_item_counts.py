"""An item's quantity on hand set directly (``update_item_counted``), through the service
layer alone: a stock count at the default warehouse for the difference over all locations,
only where the company does not receive stock on purchase orders."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from stockkeeper.adjustments import service
from stockkeeper.adjustments.service.item_counts import update_item_counted
from stockkeeper.adjustments.values import StockCount
from stockkeeper.catalog.values import ItemChanges
from stockkeeper.core import outbox
from stockkeeper.core.errors import Invalid, NotFound
from stockkeeper.stock.errors import StockFromPurchaseOrders
from stockkeeper.tenancy.service import Actor, get_company
from tests.factories import new_item, new_location
from tests.support import Tenant


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def _counts(session: Session) -> list[dict[str, Any]]:
    return [
        m["data"]["object"]
        for m in outbox.pending(session)
        if m["event"] == "inventory.adjustment" and m["data"]["object"]["reason"] == "stock_count"
    ]


def _allow_direct_counts(session: Session, actor: Actor) -> None:
    get_company(session, actor.company_id).purchase_orders_enabled = False
    session.flush()


def test_the_difference_over_all_locations_is_counted_at_the_default_warehouse(
    session: Session, actor: Actor
) -> None:
    default = new_location(session, actor)  # the first warehouse is the default
    other = new_location(session, actor)
    item = new_item(session, actor)
    for location, quantity in ((default, 5), (other, 3)):
        count = StockCount(item_id=item, location_id=location, new_quantity=Decimal(quantity))
        service.count_stock(session, actor, count=count)
    _allow_direct_counts(session, actor)
    before = len(_counts(session))

    view = update_item_counted(
        session, actor, item_id=item, changes=ItemChanges(name="Renamed"), on_hand=Decimal(4)
    )

    assert (view.item.name, view.stock.on_hand) == ("Renamed", Decimal(4))
    assert view.stock.locations[default].on_hand == 1  # 4 in all, 3 of them elsewhere
    assert view.stock.locations[other].on_hand == 3
    [counted] = _counts(session)[before:]
    assert counted["locationId"] == default
    assert counted["items"][0]["adjustmentQuantity"] == -4


def test_refused_where_stock_comes_in_on_purchase_orders_unless_unchanged(
    session: Session, actor: Actor
) -> None:
    location = new_location(session, actor)
    item = new_item(session, actor)
    count = StockCount(item_id=item, location_id=location, new_quantity=Decimal(2))
    service.count_stock(session, actor, count=count)
    assert get_company(session, actor.company_id).purchase_orders_enabled is True
    with pytest.raises(StockFromPurchaseOrders):
        update_item_counted(session, actor, item_id=item, changes=ItemChanges(), on_hand=Decimal(9))
    same = update_item_counted(
        session, actor, item_id=item, changes=ItemChanges(), on_hand=Decimal(2)
    )
    assert same.stock.on_hand == 2 and len(_counts(session)) == 1


def test_what_cannot_be_counted_is_refused(session: Session, actor: Actor) -> None:
    new_location(session, actor)
    other = new_location(session, actor)
    item = new_item(session, actor)
    count = StockCount(item_id=item, location_id=other, new_quantity=Decimal(6))
    service.count_stock(session, actor, count=count)
    _allow_direct_counts(session, actor)
    with pytest.raises(Invalid) as below:
        update_item_counted(session, actor, item_id=item, changes=ItemChanges(), on_hand=Decimal(5))
    assert below.value.errors[0].field == "on_hand" and "6" in below.value.errors[0].message
    with pytest.raises(NotFound):
        update_item_counted(
            session, actor, item_id="item_missing", changes=ItemChanges(), on_hand=Decimal(1)
        )


def test_without_a_default_warehouse_nothing_is_counted(session: Session, actor: Actor) -> None:
    item = new_item(session, actor)
    _allow_direct_counts(session, actor)
    with pytest.raises(Invalid) as refused:
        update_item_counted(session, actor, item_id=item, changes=ItemChanges(), on_hand=Decimal(1))
    assert refused.value.errors[0].field == "on_hand"
    assert _counts(session) == []
