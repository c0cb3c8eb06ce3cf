"""Items created together (``create_items``, an import's chunk): each as ``create_item``
makes it (numbered in order, with its variants and prices, its audit row and event), in a
fixed number of statements; a refusal of one names it and makes none."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from stockkeeper.catalog.models import Item, ItemVariant
from stockkeeper.catalog.values import NewItem
from stockkeeper.core import outbox
from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.errors import DomainError, Duplicate, UnknownReference
from stockkeeper.stock.service import items as service
from stockkeeper.stock.values import ItemListing, NewStockItem
from stockkeeper.tenancy.service import Actor
from tests.support import Tenant, as_json, unique


@pytest.fixture
def actor(tenant: Tenant) -> Actor:
    return tenant.actor


def _new(count: int, **fields: Any) -> list[NewItem]:
    return [
        NewItem.model_validate(
            {"item_code": unique("BULK"), "name": unique("Bulk item"), "type": "inventory"} | fields
        )
        for _ in range(count)
    ]


def _count(session: Session, actor: Actor, model: type[Item | ItemVariant]) -> int:
    rows = select(func.count()).where(model.company_id == actor.company_id)
    return session.scalar(rows) or 0


def _statements(session: Session, actor: Actor, items: list[NewItem]) -> list[str]:
    """The statements that create the items (their first words; a transaction's own left
    out), in order."""
    seen: list[str] = []
    engine = session.get_bind()

    def count(*args: Any) -> None:
        words = " ".join(args[2].split()[:3])
        if not words.startswith(("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA")):
            seen.append(words)

    event.listen(engine, "before_cursor_execute", count)
    try:
        service.create_items(session, actor, items=items)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return seen


def test_items_made_together_are_what_one_at_a_time_makes(session: Session, actor: Actor) -> None:
    variants = [{"item_code": unique("V"), "name": "Red", "attributes": {"colour": "red"}}]
    made = service.create_items(session, actor, items=_new(3, pricing={"selling_price": "9.5"}))
    alone = service.create_item(session, actor, item=_new(1, variants=variants)[0])
    numbers = [view.item.article_number for view in [*made, alone]]
    assert numbers == sorted(numbers) and len(set(numbers)) == 4
    assert all(view.data["pricing"]["sellingPrice"] == 9.5 for view in made)
    events = [m for m in outbox.pending(session) if m["event"] == "item.created"]
    assert [e["data"]["object"] for e in events] == [
        as_json(service.get_item(session, actor, item_id=view.item.id).data)
        for view in [*made, alone]
    ]
    audited = session.scalars(
        select(AuditEvent.entity_id).where(
            AuditEvent.company_id == actor.company_id, AuditEvent.action == "item.created"
        )
    ).all()
    assert sorted(audited) == sorted(view.item.id for view in [*made, alone])
    assert alone.item.search_text.endswith("red")  # its variant's name is searched too


def test_many_items_take_the_statements_of_a_few(session: Session, actor: Actor) -> None:
    _statements(session, actor, _new(1))  # what the unit of work reads once
    few = _statements(session, actor, _new(2, pricing={"selling_price": 3}))
    many = _statements(session, actor, _new(60, pricing={"selling_price": 3}))
    assert many == few


def test_a_code_taken_twice_names_the_item_and_makes_none(session: Session, actor: Actor) -> None:
    items = _new(3)
    items[2] = items[2].model_copy(update={"barcode": "4006381333931"})
    twice = items[1].model_copy(update={"item_code": items[0].item_code})
    before = _count(session, actor, Item)
    with pytest.raises(Duplicate) as refused:
        service.create_items(session, actor, items=[items[0], twice, items[2]])
    assert [e.field for e in refused.value.errors] == ["items.1.item_code"]
    variant = {"item_code": items[0].item_code, "name": "Blue"}
    with pytest.raises(Duplicate) as refused:
        service.create_items(session, actor, items=[items[0], _new(1, variants=[variant])[0]])
    assert [e.field for e in refused.value.errors] == ["items.1.variants.0.item_code"]
    with pytest.raises(UnknownReference) as unknown:
        service.create_items(session, actor, items=[items[0], _new(1, category_id="cat_x")[0]])
    assert [e.field for e in unknown.value.errors] == ["items.1.category_id"]
    session.flush()
    assert _count(session, actor, Item) == before
    assert _count(session, actor, ItemVariant) == 0


def _written_then_undone(session: Session, actor: Actor, items: list[NewItem]) -> list[Item]:
    """Creates the items in a savepoint, rolled back when one is refused; the item rows it
    had written, as the session held them before the rollback."""
    savepoint = session.begin_nested()
    try:
        service.create_items(session, actor, items=items)
    except DomainError:
        codes = {item.item_code for item in items}
        held = session.identity_map.values()
        written = [row for row in held if isinstance(row, Item) and row.item_code in codes]
        savepoint.rollback()
        return written
    raise AssertionError("no item was refused")


def test_items_undone_by_their_savepoint_leave_nothing_behind(
    session: Session, actor: Actor
) -> None:
    """The items' rows are written past the unit of work's flush and kept in the session: a
    savepoint that rolls back after them (the opening stock refused) takes them away, rows
    and session alike, and what is made next is written as usual."""
    before = _count(session, actor, Item)
    opening = {"opening_stock": {"quantity": 5, "location_id": "loc_nowhere"}}
    refused = NewStockItem.model_validate(
        {"item_code": unique("OPEN"), "name": "Opened", "type": "inventory", "inventory": opening}
    )
    written = _written_then_undone(session, actor, [*_new(1), refused])
    assert len(written) == 2 and not [row for row in written if row in session]
    made = service.create_items(session, actor, items=_new(2))
    made[0].item.name = "Renamed"
    session.flush()
    assert _count(session, actor, Item) == before + 2
    renamed = select(Item.name).where(
        Item.company_id == actor.company_id, Item.id == made[0].item.id
    )
    assert session.scalar(renamed) == "Renamed"


def test_items_made_together_are_searched_as_each_alone(session: Session, actor: Actor) -> None:
    """Their rows are written in one statement, whose triggers feed both search indexes for
    every row: three characters anywhere, one or two at the start of a word."""
    names = ["Quokka lamp", "Zebra fence post", "Yak wool rug"]
    made = service.create_items(session, actor, items=[_new(1, name=name)[0] for name in names])

    def found(term: str) -> list[str]:
        listing = ItemListing(search=term)
        views = service.list_items(session, actor, filters=listing, limit=10, cursor=None)
        return [view.item.name for view in views.rows]

    assert [found(term) for term in ("okka", "fence", "wool r")] == [[n] for n in names]
    assert [found(term) for term in ("q", "po", "ru")] == [[n] for n in names]
    assert [view.item.name for view in made] == names
