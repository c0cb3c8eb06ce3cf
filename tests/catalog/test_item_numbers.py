"""Items' article numbers, on both engines: each item gets the next number of its company's
item sequence (``ART_PRODUCT{SEQ:3}``, never reset), in the transaction that makes it; the
number is read-only, unique in the company, and a refused request takes none."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item
from stockkeeper.catalog.service import settings
from stockkeeper.catalog.values import NewItem, SettingsChanges
from stockkeeper.core.db import Database
from stockkeeper.core.sequences import SequenceCounter
from stockkeeper.stock.service import items
from stockkeeper.tenancy.service import Actor
from tests.support import Api, Tenant, make_tenant, problem, unique


def test_items_are_numbered_in_the_order_they_are_made(api: Api) -> None:
    made = [api.item() for _ in range(3)]
    assert [i["articleNumber"] for i in made] == [
        "ART_PRODUCT001",
        "ART_PRODUCT002",
        "ART_PRODUCT003",
    ]
    fetched = api.data(api.get(f"/api/v1/items/{made[1]['id']}"))
    assert (fetched["articleNumber"], fetched["itemCode"]) == (
        "ART_PRODUCT002",
        made[1]["itemCode"],
    )
    listed = api.data(api.get("/api/v1/items", params={"sort": "itemCode"}))
    assert sorted(i["articleNumber"] for i in listed) == [i["articleNumber"] for i in made]


def test_the_number_is_read_only(api: Api) -> None:
    body = {"itemCode": "RO-1", "name": "n", "type": "inventory", "articleNumber": "MINE-1"}
    refused = problem(api.post("/api/v1/items", body), 422, "validation_failed")
    assert [e["field"] for e in refused["errors"]] == ["articleNumber"]
    item = api.item()
    refused = problem(
        api.put(f"/api/v1/items/{item['id']}", {"articleNumber": "MINE-1"}),
        422,
        "validation_failed",
    )
    assert [e["field"] for e in refused["errors"]] == ["articleNumber"]
    renamed = api.data(api.put(f"/api/v1/items/{item['id']}", {"itemCode": unique("NEW")}))
    assert renamed["articleNumber"] == item["articleNumber"]  # a new code keeps the number


def test_a_refused_item_takes_no_number(api: Api) -> None:
    first = api.item(itemCode="TAKEN")
    new = {"name": "n", "type": "inventory"}
    problem(api.post("/api/v1/items", {"itemCode": "TAKEN", **new}), 409)
    bad_group = {"pricing": {"priceGroups": [{"groupId": "pg_missing", "price": 1}]}}
    problem(api.post("/api/v1/items", {"itemCode": "X", **new, **bad_group}), 422)
    variant_clash = {"variants": [{"name": "v", "itemCode": "TAKEN"}]}
    problem(api.post("/api/v1/items", {"itemCode": "Y", **new, **variant_clash}), 409)
    assert first["articleNumber"] == "ART_PRODUCT001"
    assert api.item()["articleNumber"] == "ART_PRODUCT002"


def test_each_company_numbers_its_own_items(api: Api, database: Database) -> None:
    other = make_tenant(database)
    theirs = Api(api.client, other, other.admin_key)
    assert api.item()["articleNumber"] == "ART_PRODUCT001"
    assert theirs.item()["articleNumber"] == "ART_PRODUCT001"
    assert theirs.item()["articleNumber"] == "ART_PRODUCT002"
    assert api.item()["articleNumber"] == "ART_PRODUCT002"


def test_the_format_is_a_setting_and_the_counter_carries_on(api: Api) -> None:
    api.item()
    settings = api.data(api.get("/api/v1/settings"))
    assert settings["numberingFormats"]["item"] == "ART_PRODUCT{SEQ:3}"
    changed = api.data(api.put("/api/v1/settings", {"numberingFormats": {"item": "ART-{SEQ:5}"}}))
    assert changed["numberingFormats"]["item"] == "ART-{SEQ:5}"
    assert changed["numberingFormats"]["supplier"] == "CRED{SEQ:3}"  # the others are kept
    assert api.item()["articleNumber"] == "ART-00002"
    refused = api.put("/api/v1/settings", {"numberingFormats": {"item": "ART"}})
    body = problem(refused, 422, "invalid_numbering_format")
    assert [error["field"] for error in body["errors"]] == ["numberingFormats.item"]
    assert api.item()["articleNumber"] == "ART-00003"


def test_a_number_already_given_is_passed_over(session: Session, tenant: Tenant) -> None:
    """Counters are kept per period: a format with the year, then one without, can come back
    to a number given before; the item takes the next free one."""
    actor: Actor = tenant.actor
    _format(session, actor, "A{SEQ:1}")
    first = _new_item(session, actor)
    assert first.article_number == "A1"
    # a later number was given already (under another format, say)
    second = _new_item(session, actor)
    session.execute(
        update(Item)
        .where(Item.company_id == actor.company_id, Item.id == second.id)
        .values(article_number="A3")
    )
    session.execute(
        update(SequenceCounter)
        .where(SequenceCounter.company_id == actor.company_id, SequenceCounter.name == "item")
        .values(value=2)
    )
    assert _new_item(session, actor).article_number == "A4"


def _format(session: Session, actor: Actor, template: str) -> None:
    changes = SettingsChanges.model_validate({"numbering_formats": {"item": template}})
    settings.update_settings(session, actor, changes=changes)


def _new_item(session: Session, actor: Actor) -> Item:
    values = {"item_code": unique("NUM"), "name": "Numbered", "type": "inventory"}
    return items.create_item(session, actor, item=NewItem.model_validate(values)).item
