"""What the item use cases offer faces that number their pages and show each type at its own
path (the Sage dialect): the ``goods`` filter, ``offset``, ``types`` on reads and updates, and
items read whole by their ids."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from stockkeeper.catalog.values import ItemChanges
from stockkeeper.core.errors import NotFound
from stockkeeper.stock.service import items as service
from stockkeeper.stock.values import ItemListing
from stockkeeper.tenancy.service import Actor
from tests.factories import new_item
from tests.support import Api, Tenant


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def _names(session: Session, actor: Actor, offset: int = 0, **filters: Any) -> list[str]:
    listing = ItemListing.model_validate(filters)
    page = service.list_items(session, actor, filters=listing, limit=2, cursor=None, offset=offset)
    return [view.item.name for view in page.rows]


def test_goods_are_stock_and_non_stock_items_and_offset_numbers_pages(
    session: Session, actor: Actor
) -> None:
    new_item(session, actor, name="A stock")
    new_item(session, actor, name="B non-stock", type="non_inventory")
    new_item(session, actor, name="C service", type="service")
    new_item(session, actor, name="D stock")
    assert _names(session, actor, goods=True) == ["A stock", "B non-stock"]
    assert _names(session, actor, 2, goods=True) == ["D stock"]
    assert _names(session, actor, goods=False) == ["C service"]
    assert _names(session, actor, 1) == ["B non-stock", "C service"]
    assert _names(session, actor, 9) == []
    page = service.list_items(
        session, actor, filters=ItemListing(goods=True), limit=2, cursor=None, offset=2
    )
    assert (page.total, page.next_cursor) == (3, None)


def test_types_make_an_item_of_another_type_not_found(session: Session, actor: Actor) -> None:
    ident = new_item(session, actor, name="Fitting", type="service")
    assert service.get_item(session, actor, item_id=ident, types=("service",)).item.id == ident
    with pytest.raises(NotFound) as refused:
        service.get_item(session, actor, item_id=ident, types=("inventory",))
    assert refused.value.code == "item_not_found"
    with pytest.raises(NotFound):
        service.update_item(
            session, actor, item_id=ident, changes=ItemChanges(name="X"), types=("inventory",)
        )
    assert service.get_item(session, actor, item_id=ident).item.name == "Fitting"


def test_item_views_read_the_items_of_the_company_only(session: Session, actor: Actor) -> None:
    ours = new_item(session, actor, name="Ours")
    views = service.item_views(session, actor, item_ids=[ours, "item_missing"])
    assert list(views) == [ours]
    assert views[ours].data["name"] == "Ours"
    stranger = Actor.system("comp_another", "setup")
    assert service.item_views(session, stranger, item_ids=[ours]) == {}


def test_the_canonical_item_list_takes_goods(api: Api) -> None:
    stock = api.item(type="inventory")
    api.item(type="service")
    listed = api.data(api.get("/api/v1/items", params={"goods": "true"}))
    assert [i["id"] for i in listed] == [stock["id"]]


def test_updated_since_lists_what_changed_at_or_after_an_instant(
    session: Session, actor: Actor
) -> None:
    ident = new_item(session, actor, name="Changed")
    stamp = service.get_item(session, actor, item_id=ident).item.updated_at
    assert _names(session, actor, updated_since=stamp) == ["Changed"]
    assert _names(session, actor, updated_since=stamp + dt.timedelta(seconds=1)) == []


def test_updated_before_lists_what_last_changed_before_an_instant(
    session: Session, actor: Actor
) -> None:
    ident = new_item(session, actor, name="Unchanged")
    stamp = service.get_item(session, actor, item_id=ident).item.updated_at
    assert _names(session, actor, updated_before=stamp) == []
    after = stamp + dt.timedelta(microseconds=1)
    assert _names(session, actor, updated_before=after, updated_since=stamp) == ["Unchanged"]


def test_the_canonical_item_list_takes_updated_before(api: Api) -> None:
    first = api.item(name="First")
    second = api.item(name="Second")
    listed = api.data(api.get("/api/v1/items", params={"updatedBefore": second["updatedAt"]}))
    assert [i["id"] for i in listed] == [first["id"]]
