"""The catalogue's use cases around items through the service layer alone, on both engines:
categories, price groups, locations and bins, suppliers and the settings; their rules, their
errors in the domain's terms, and the audit row of every change (they announce nothing)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stockkeeper.catalog.errors import CategoryCycle
from stockkeeper.catalog.service import categories, locations, price_groups, settings, suppliers
from stockkeeper.catalog.values import (
    BinChanges,
    CategoryChanges,
    LocationChanges,
    NewBin,
    NewCategory,
    NewLocation,
    NewPriceGroup,
    NewSupplier,
    PriceGroupChanges,
    SettingsChanges,
    SupplierChanges,
)
from stockkeeper.core import outbox
from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.errors import Duplicate, InUse, Invalid, UnknownReference
from stockkeeper.tenancy.service import Actor
from tests.factories import new_item, new_location
from tests.support import Tenant


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def _audit(session: Session, actor: Actor, *entities: str) -> list[str]:
    """The actions of the audit rows of these kinds of entity, in order."""
    a = AuditEvent
    rows = session.scalars(
        select(a.action)
        .where(a.company_id == actor.company_id, a.entity_type.in_(entities))
        .order_by(a.occurred_at, a.id)
    )
    return list(rows)


def test_categories_keep_a_tree(session: Session, actor: Actor) -> None:
    top = categories.create_category(session, actor, category=NewCategory(name="Electronics"))
    ident = top.category.id
    child = categories.create_category(
        session, actor, category=NewCategory(name="Cables", parent_id=ident)
    )
    assert (child.path, child.category.position) == ("Electronics > Cables", 0)
    with pytest.raises(CategoryCycle) as cycle:
        categories.update_category(
            session,
            actor,
            category_id=ident,
            changes=CategoryChanges(parent_id=child.category.id),
        )
    assert [e.field for e in cycle.value.errors] == ["parent_id"]
    with pytest.raises(UnknownReference) as unknown:
        categories.create_category(
            session, actor, category=NewCategory(name="Lost", parent_id="cat_missing")
        )
    assert (unknown.value.code, unknown.value.errors[0].field) == ("unknown_category", "parent_id")
    with pytest.raises(InUse) as in_use:
        categories.delete_category(session, actor, category_id=ident)
    assert in_use.value.code == "category_in_use"
    renamed = categories.update_category(
        session, actor, category_id=ident, changes=CategoryChanges(name="Electrics")
    )
    assert categories.get_category(session, actor, category_id=child.category.id).path == (
        "Electrics > Cables"
    )
    assert renamed.category.color == "#6e56cf"  # kept
    categories.delete_category(session, actor, category_id=child.category.id)
    assert _audit(session, actor, "category") == [
        "category.created",
        "category.created",
        "category.updated",
        "category.deleted",
    ]
    assert outbox.pending(session) == []


def test_a_category_with_items_cannot_be_deleted(session: Session, actor: Actor) -> None:
    filed = categories.create_category(session, actor, category=NewCategory(name="Filed"))
    new_item(session, actor, category_id=filed.category.id)
    with pytest.raises(InUse, match="items are filed under it"):
        categories.delete_category(session, actor, category_id=filed.category.id)


def test_price_groups_are_deleted_inactive_and_never_the_last_of_their_kind(
    session: Session, actor: Actor
) -> None:
    inactive = PriceGroupChanges(is_active=False)
    (rate,) = price_groups.list_price_groups(session, actor, kind="service_rate")
    price_groups.update_price_group(session, actor, group_id=rate.id, changes=inactive)
    with pytest.raises(InUse, match=r"selling prices \(the last of its kind\)") as refused:
        price_groups.delete_price_group(session, actor, group_id=rate.id)
    assert refused.value.code == "price_group_in_use"
    group = price_groups.create_price_group(session, actor, group=NewPriceGroup(name="Retail"))
    with pytest.raises(Duplicate) as duplicate:
        price_groups.create_price_group(session, actor, group=NewPriceGroup(name="Retail"))
    assert (duplicate.value.code, duplicate.value.errors[0].field) == ("duplicate_name", "name")
    other_kind = NewPriceGroup(name="Retail", kind="service_rate")
    price_groups.create_price_group(session, actor, group=other_kind)
    with pytest.raises(InUse, match="deactivate it first"):
        price_groups.delete_price_group(session, actor, group_id=group.id)
    price_groups.update_price_group(session, actor, group_id=group.id, changes=inactive)
    price_groups.delete_price_group(session, actor, group_id=group.id)
    assert _audit(session, actor, "price_group") == [
        "price_group.updated",
        "price_group.created",
        "price_group.created",
        "price_group.updated",
        "price_group.deleted",
    ]


def test_a_required_field_sent_as_null_is_refused_by_its_name(
    session: Session, actor: Actor
) -> None:
    group = price_groups.create_price_group(session, actor, group=NewPriceGroup(name="Net"))
    with pytest.raises(Invalid) as refused:
        price_groups.update_price_group(
            session, actor, group_id=group.id, changes=PriceGroupChanges(is_active=None)
        )
    assert [(e.field, e.code) for e in refused.value.errors] == [("is_active", "null")]


def test_locations_bins_and_the_default_warehouse(session: Session, actor: Actor) -> None:
    store = locations.create_location(
        session, actor, location=NewLocation(name="Shop", type="store", code="ST1")
    )
    main = locations.create_location(session, actor, location=NewLocation(name="Main"))
    assert (store.is_default, main.is_default) == (False, True)
    with pytest.raises(Duplicate) as duplicate:
        locations.create_location(session, actor, location=NewLocation(name="X", code="ST1"))
    assert duplicate.value.code == "duplicate_code"
    north = locations.create_location(session, actor, location=NewLocation(name="North"))
    locations.update_location(
        session, actor, location_id=main.id, changes=LocationChanges(type="store")
    )
    assert locations.default_warehouse(session, actor.company_id) == north
    shelf = locations.create_bin(session, actor, location_id=north.id, bin=NewBin(code="A1"))
    locations.create_bin(session, actor, location_id=store.id, bin=NewBin(code="A1"))
    with pytest.raises(Duplicate):
        locations.create_bin(session, actor, location_id=north.id, bin=NewBin(code="A1"))
    locations.update_bin(
        session,
        actor,
        location_id=north.id,
        bin_id=shelf.id,
        changes=BinChanges(is_active=False),
    )
    with pytest.raises(UnknownReference) as unknown:
        locations.check_bins(session, actor.company_id, [("items.0.bin_id", shelf.id, store)])
    assert (unknown.value.code, unknown.value.errors[0].field) == ("unknown_bin", "items.0.bin_id")
    locations.delete_bin(session, actor, location_id=north.id, bin_id=shelf.id)
    locations.delete_location(session, actor, location_id=store.id)
    assert _audit(session, actor, "location", "bin") == [
        "location.created",
        "location.created",
        "location.created",
        "location.updated",
        "bin.created",
        "bin.created",
        "bin.updated",
        "bin.deleted",
        "location.deleted",
    ]


def test_suppliers_are_numbered_and_kept_while_items_refer_to_them(
    session: Session, actor: Actor
) -> None:
    first = suppliers.create_supplier(session, actor, supplier=NewSupplier(name="Acme"))
    second = suppliers.create_supplier(session, actor, supplier=NewSupplier(name="Bolt"))
    assert (first.creditor_number, second.creditor_number) == ("CRED001", "CRED002")
    new_item(session, actor, supplier_id=first.id)
    with pytest.raises(InUse) as in_use:
        suppliers.delete_supplier(session, actor, supplier_id=first.id)
    assert in_use.value.code == "supplier_in_use"
    changed = suppliers.update_supplier(
        session, actor, supplier_id=second.id, changes=SupplierChanges(active=False)
    )
    assert (changed.name, changed.active) == ("Bolt", False)
    suppliers.delete_supplier(session, actor, supplier_id=second.id)
    assert _audit(session, actor, "supplier") == [
        "supplier.created",
        "supplier.created",
        "supplier.updated",
        "supplier.deleted",
    ]


def test_settings_change_what_is_sent_and_refuse_in_the_domains_terms(
    session: Session, actor: Actor
) -> None:
    warehouse = new_location(session, actor)
    store = new_location(session, actor, type="store")
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    refusals = (
        (SettingsChanges(default_warehouse_id=store), "validation_failed"),
        (SettingsChanges(default_warehouse_id="loc_missing"), "unknown_location"),
        (SettingsChanges(default_warehouse_id=None), "unknown_location"),
    )
    for refused_changes, code in refusals:
        with pytest.raises(Invalid) as refused:
            settings.update_settings(session, actor, changes=refused_changes)
        assert (refused.value.code, refused.value.errors[0].field) == (code, "default_warehouse_id")
    with pytest.raises(Invalid) as future:
        settings.update_settings(session, actor, changes=SettingsChanges(lock_date=tomorrow))
    assert [e.field for e in future.value.errors] == ["lock_date"]
    changes = SettingsChanges.model_validate(
        {
            "default_warehouse_id": warehouse,
            "default_costing_method": "fifo",
            "numbering_formats": {"supplier": "SUP{SEQ:3}", "transfer": None},
        }
    )
    updated = settings.update_settings(session, actor, changes=changes)
    assert (updated.default_warehouse_id, updated.default_costing_method) == (warehouse, "fifo")
    assert updated.numbering_formats["supplier"] == "SUP{SEQ:3}"
    assert updated.numbering_formats["transfer"] == "XFR-{YYYY}-{SEQ:4}"
    assert updated.currency == "MYR"  # not sent, kept
    assert _audit(session, actor, "company") == ["settings.updated"]
