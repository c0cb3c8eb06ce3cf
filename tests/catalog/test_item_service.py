"""The item use cases (``stock/service/items.py``) through the service layer alone, on both
engines: what each change announces, the tracking rule, the errors in the domain's terms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.adjustments import service as adjustments
from stockkeeper.adjustments.values import AdjustmentLine, NewAdjustment
from stockkeeper.catalog.service import categories
from stockkeeper.catalog.values import (
    ItemChanges,
    NewCategory,
    NewItem,
    NewVariant,
    VariantChanges,
)
from stockkeeper.core import outbox
from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.errors import Duplicate, Invalid, NotFound, UnknownReference
from stockkeeper.stock.errors import ItemHasStock
from stockkeeper.stock.service import items as service
from stockkeeper.stock.values import ItemListing
from stockkeeper.tenancy.service import Actor
from tests.factories import new_item, new_location
from tests.support import Tenant, as_json, unique


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def _item(**fields: Any) -> NewItem:
    values = {"item_code": unique("ITEM"), "name": unique("Item"), "type": "inventory"}
    return NewItem.model_validate(values | fields)


def _events(session: Session) -> list[tuple[str, dict[str, Any]]]:
    """What the transaction announces of items."""
    return [
        (m["event"], m["data"]["object"])
        for m in outbox.pending(session)
        if m["event"].startswith("item.")
    ]


def _audit(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """The audit rows of items and variants, in order."""
    a = AuditEvent
    rows = session.execute(
        select(a.action, a.entity_id)
        .where(a.company_id == actor.company_id, a.entity_type.in_(("item", "variant")))
        .order_by(a.occurred_at, a.id)
    )
    return [(action, entity) for action, entity in rows]


def _stock(session: Session, actor: Actor, item_id: str, location_id: str) -> None:
    line = AdjustmentLine(item_id=item_id, adjustment_quantity=Decimal(3), unit_cost=Decimal(2))
    adjustment = NewAdjustment(reason="found", location_id=location_id, items=[line])
    adjustments.create_adjustment(session, actor, adjustment=adjustment)


def test_each_change_of_an_item_announces_it_as_get_shows_it(
    session: Session, actor: Actor
) -> None:
    created = service.create_item(session, actor, item=_item(pricing={"cost_price": 4}))
    ident = created.item.id
    changes = ItemChanges.model_validate({"name": "Renamed", "inventory": {"minimum_stock": 5}})
    updated = service.update_item(session, actor, item_id=ident, changes=changes)
    assert updated.data["pricing"]["costPrice"] == 4  # what was not sent is kept
    events = _events(session)
    assert [name for name, _ in events] == ["item.created", "item.updated"]
    assert events[0][1] == as_json(created.data)
    assert events[1][1] == as_json(service.get_item(session, actor, item_id=ident).data)
    assert events[1][1]["name"] == "Renamed"
    assert "stockHistory" not in events[1][1]
    assert _audit(session, actor) == [("item.created", ident), ("item.updated", ident)]


def test_a_variant_created_changed_or_deleted_announces_its_item(
    session: Session, actor: Actor
) -> None:
    ident = new_item(session, actor)
    variant = NewVariant(name="Red", item_code=unique("RED"))
    added = service.create_variant(session, actor, item_id=ident, variant=variant)
    assert added.data["stock"] == 0 and added.data["itemId"] == ident
    renamed = service.update_variant(
        session,
        actor,
        item_id=ident,
        variant_id=added.variant.id,
        changes=VariantChanges(name="Crimson"),
    )
    assert renamed.data["name"] == "Crimson"
    assert service.delete_variant(session, actor, item_id=ident, variant_id=added.variant.id)
    announced = _events(session)[1:]  # after the item's creation
    assert [name for name, _ in announced] == ["item.updated"] * 3
    assert [[v["name"] for v in item["variants"]] for _, item in announced] == [
        ["Red"],
        ["Crimson"],
        [],
    ]
    assert announced[-1][1] == as_json(service.get_item(session, actor, item_id=ident).data)
    actions = [action for action, _ in _audit(session, actor)]
    assert actions[-3:] == ["variant.created", "variant.updated", "variant.deleted"]


def test_deleting_announces_the_item_as_it_was_or_as_it_stays(
    session: Session, actor: Actor
) -> None:
    gone = new_item(session, actor)
    before = service.get_item(session, actor, item_id=gone).data
    assert service.delete_item(session, actor, item_id=gone) is True
    with pytest.raises(NotFound):
        service.get_item(session, actor, item_id=gone)
    kept = new_item(session, actor)
    _stock(session, actor, kept, new_location(session, actor))
    assert service.delete_item(session, actor, item_id=kept) is False
    deleted = [obj for name, obj in _events(session) if name == "item.deleted"]
    assert deleted[0] == as_json(before)
    after = service.get_item(session, actor, item_id=kept).data
    assert deleted[1] == as_json(after) and after["isActive"] is False
    assert after["inventory"]["currentStock"] == 3
    actions = {entity: action for action, entity in _audit(session, actor)}
    assert (actions[gone], actions[kept]) == ("item.deleted", "item.deactivated")


@pytest.mark.parametrize(
    "changes",
    [
        {"inventory": {"tracked": False}},
        {"inventory": {"tracking": "batch"}},
        {"type": "non_inventory"},
    ],
    ids=["untracked", "retracked", "retyped"],
)
def test_an_item_holding_stock_keeps_its_tracking(
    session: Session, actor: Actor, changes: dict[str, Any]
) -> None:
    ident = new_item(session, actor)
    _stock(session, actor, ident, new_location(session, actor))
    before = _events(session)
    with pytest.raises(ItemHasStock) as refused:
        service.update_item(
            session, actor, item_id=ident, changes=ItemChanges.model_validate(changes)
        )
    assert refused.value.code == "item_has_stock"
    assert _events(session) == before
    # what leaves the tracking as it is, is allowed
    same = ItemChanges.model_validate({"inventory": {"tracked": True, "tracking": "none"}})
    service.update_item(session, actor, item_id=ident, changes=same)


def test_an_item_without_stock_may_change_its_tracking(session: Session, actor: Actor) -> None:
    ident = new_item(session, actor)
    changes = ItemChanges.model_validate({"inventory": {"tracking": "serial"}})
    view = service.update_item(session, actor, item_id=ident, changes=changes)
    assert view.data["inventory"]["tracking"] == "serial"


def test_errors_name_fields_in_the_domains_terms(session: Session, actor: Actor) -> None:
    taken = unique("TAKEN")
    new_item(session, actor, item_code=taken)
    with pytest.raises(Duplicate) as duplicate:
        service.create_item(
            session, actor, item=_item(variants=[{"name": "v", "item_code": taken}])
        )
    assert duplicate.value.code == "duplicate_item_code"
    assert [e.field for e in duplicate.value.errors] == ["variants.0.item_code"]
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"category_id": "cat_missing"}, "unknown_category", "category_id"),
        ({"supplier_id": "supp_missing"}, "unknown_supplier", "supplier_id"),
        (
            {"pricing": {"price_groups": [{"group_id": "pg_missing", "price": 1}]}},
            "unknown_price_group",
            "pricing.price_groups.0.group_id",
        ),
        (
            {"inventory": {"minimum_stock": 5, "maximum_stock": 2}},
            "validation_failed",
            "inventory.maximum_stock",
        ),
        ({"pricing": {"cost_price": None}}, "validation_failed", "pricing.cost_price"),
        (
            {"type": "service", "inventory": {"tracked": True}},
            "validation_failed",
            "inventory.tracked",
        ),
    ]
    for fields, code, field in cases:
        with pytest.raises(Invalid) as refused:
            service.create_item(session, actor, item=_item(**fields))
        assert (refused.value.code, [e.field for e in refused.value.errors]) == (code, [field])
    with pytest.raises(UnknownReference):
        service.update_item(
            session,
            actor,
            item_id=new_item(session, actor),
            changes=ItemChanges(category_id="cat_missing"),
        )


def test_dimensions_sent_without_a_unit_are_in_centimetres(session: Session, actor: Actor) -> None:
    view = service.create_item(session, actor, item=_item(dimensions={"length": 10}))
    assert view.data["dimensions"] == {"length": 10, "width": None, "height": None, "unit": "cm"}


def test_the_list_resolves_a_category_with_its_subcategories(
    session: Session, actor: Actor
) -> None:
    parent = categories.create_category(session, actor, category=NewCategory(name="Parent"))
    child = categories.create_category(
        session, actor, category=NewCategory(name="Child", parent_id=parent.category.id)
    )
    inside = new_item(session, actor, category_id=child.category.id)
    new_item(session, actor)
    listing = ItemListing(category=parent.category.id, include_variants=True)
    page = service.list_items(session, actor, filters=listing, limit=10, cursor=None)
    assert ([v.item.id for v in page.rows], page.total) == ([inside], 1)
    assert page.rows[0].data["category"]["path"] == "Parent > Child"
    assert page.rows[0].data["variants"] == [] and page.rows[0].data["images"] is None


def test_an_item_shows_its_latest_movements_when_asked(session: Session, actor: Actor) -> None:
    ident = new_item(session, actor)
    _stock(session, actor, ident, new_location(session, actor))
    view = service.get_item(session, actor, item_id=ident, stock_history=True)
    [movement] = view.detail()["stockHistory"]
    assert (movement["itemId"], movement["quantity"]) == (ident, 3)
    assert "stockHistory" not in service.get_item(session, actor, item_id=ident).detail()
