"""The item fields the Sage and Codat documents need, on both engines: notes, a purchase
description and an external system's id (Sage), whether the item is bought and sold (Codat's
bill and invoice items); and the reason ``internal_consumption`` every company has."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from stockkeeper.catalog.service import reasons
from stockkeeper.catalog.values import ItemChanges
from stockkeeper.core.errors import Invalid
from stockkeeper.core.outbox import pending
from stockkeeper.stock.service import items
from stockkeeper.tenancy.service import Actor
from tests.factories import new_item
from tests.support import Api, Tenant, problem

SAGE = {
    "notes": "Keep dry.\nStack at most five high.",
    "purchaseDescription": "Widget, grey, boxed (supplier's name for it)",
    "sourceGuid": "42ef9c714a1911e8b45c025132dab352",
}


def test_sage_fields_are_kept_shown_changed_and_cleared(api: Api) -> None:
    item = api.item(description="Widget", **SAGE)
    fetched = api.data(api.get(f"/api/v1/items/{item['id']}"))
    for shown in (item, fetched):
        assert {name: shown[name] for name in SAGE} == SAGE
        assert shown["description"] == "Widget"
    changed = api.data(api.put(f"/api/v1/items/{item['id']}", {"notes": "Fragile"}))
    assert (changed["notes"], changed["sourceGuid"]) == ("Fragile", SAGE["sourceGuid"])
    cleared = {"purchaseDescription": None, "sourceGuid": None, "notes": None}
    assert {
        name: value
        for name, value in api.data(api.put(f"/api/v1/items/{item['id']}", cleared)).items()
        if name in SAGE
    } == cleared
    plain = api.item()
    assert (plain["notes"], plain["purchaseDescription"], plain["sourceGuid"]) == (
        None,
        None,
        None,
    )


def test_a_source_guid_is_free_text_of_100_and_not_unique(api: Api) -> None:
    guid = "ext:" + "x" * 96
    first, second = api.item(sourceGuid=guid), api.item(sourceGuid=guid)
    assert first["sourceGuid"] == second["sourceGuid"] == guid
    body = {"itemCode": "LONG", "name": "n", "type": "inventory", "sourceGuid": guid + "y"}
    refused = problem(api.post("/api/v1/items", body), 422, "validation_failed")
    assert [e["field"] for e in refused["errors"]] == ["sourceGuid"]
    long_notes = {"itemCode": "LONG", "name": "n", "type": "inventory", "notes": "n" * 5001}
    refused = problem(api.post("/api/v1/items", long_notes), 422, "validation_failed")
    assert [e["field"] for e in refused["errors"]] == ["notes"]


def test_items_are_bought_and_sold_unless_said_otherwise(api: Api) -> None:
    default = api.item()
    assert (default["purchasable"], default["sellable"]) == (True, True)
    made_here = api.item(purchasable=False)
    assert (made_here["purchasable"], made_here["sellable"]) == (False, True)
    changed = api.data(
        api.put(f"/api/v1/items/{made_here['id']}", {"sellable": False, "name": "Kept"})
    )
    assert (changed["purchasable"], changed["sellable"]) == (False, False)
    fetched = api.data(api.get(f"/api/v1/items/{made_here['id']}"))
    assert (fetched["purchasable"], fetched["sellable"]) == (False, False)
    listed = {i["id"]: i for i in api.data(api.get("/api/v1/items"))}
    assert (listed[default["id"]]["purchasable"], listed[made_here["id"]]["sellable"]) == (
        True,
        False,
    )


@pytest.mark.parametrize("field", ["purchasable", "sellable"])
def test_the_flags_are_never_null(api: Api, field: str) -> None:
    item = api.item()
    refused = problem(api.put(f"/api/v1/items/{item['id']}", {field: None}), 422)
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [(field, "null")]
    body = {"itemCode": "NULL", "name": "n", "type": "inventory", field: None}
    problem(api.post("/api/v1/items", body), 422, "validation_failed")
    assert api.data(api.get(f"/api/v1/items/{item['id']}"))[field] is True


def test_an_update_of_the_flags_is_announced_and_audited(session: Session, tenant: Tenant) -> None:
    actor: Actor = tenant.actor
    item_id = new_item(session, actor)
    changes = ItemChanges.model_validate({"sellable": False, "notes": "internal use only"})
    view = items.update_item(session, actor, item_id=item_id, changes=changes)
    assert (view.item.sellable, view.item.purchasable, view.item.notes) == (
        False,
        True,
        "internal use only",
    )
    (updated,) = [m for m in pending(session) if m["event"] == "item.updated"]
    shown: dict[str, Any] = updated["data"]["object"]
    assert (shown["sellable"], shown["notes"]) == (False, "internal use only")
    with pytest.raises(Invalid) as refused:
        items.update_item(session, actor, item_id=item_id, changes=ItemChanges(purchasable=None))
    assert [(e.field, e.code) for e in refused.value.errors] == [("purchasable", "null")]


# --- the reason internal_consumption --------------------------------------------------------


def test_internal_consumption_is_a_standard_reason(api: Api) -> None:
    listed = {r["code"]: r for r in api.data(api.get("/api/v1/inventory/adjustment-reasons"))}
    reason = listed["internal_consumption"]
    assert (reason["name"], reason["isSystem"], reason["isActive"]) == (
        "Internal consumption",
        True,
        True,
    )
    problem(api.delete("/api/v1/inventory/adjustment-reasons/internal_consumption"), 409)


def test_stock_used_internally_is_written_off_with_it(api: Api) -> None:
    warehouse = api.location()
    item = api.item()
    api.adjust(warehouse["id"], (item["id"], 10, 2))
    used = api.adjust(warehouse["id"], (item["id"], -3), reason="internal_consumption")
    assert used["reason"] == "internal_consumption"
    assert used["status"] == "posted"
    assert api.stock(itemId=item["id"])[0]["currentStock"] == 7
    movements = api.data(
        api.get("/api/v1/inventory/movements", params={"itemId": item["id"], "type": "adjustment"})
    )
    assert sorted(m["reason"] for m in movements) == ["found", "internal_consumption"]


def test_a_new_company_is_seeded_with_it(session: Session, tenant: Tenant) -> None:
    codes = {r.code: r for r in reasons.list_reasons(session, tenant.actor)}
    assert codes["internal_consumption"].is_system is True
    assert "internal_consumption" in reasons.STANDARD
