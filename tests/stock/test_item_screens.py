"""The reads of the item screens, through the service alone, on both engines: a page of items
with the categories by path; an item with its stock per place and per batch (reserved and
available), its latest movements with the names of both ends, its cost figures; a page of its
movements; another company's item not found."""

from __future__ import annotations

from decimal import Decimal

import pytest

from stockkeeper.core.db import Database
from stockkeeper.core.errors import NotFound
from stockkeeper.stock.service import item_screens
from stockkeeper.stock.values import ItemListing
from tests.support import Api, make_tenant, unique


def test_browse_gives_a_page_of_items_and_the_categories_by_path(
    api: Api, database: Database
) -> None:
    top = api.category(name=unique("Garden"))
    leaf = api.category(name=unique("Hoses"), parentId=top["id"])
    tag = unique("hose").replace("-", "")
    item = api.item(name=f"{tag} green", categoryId=leaf["id"])
    api.item(name=f"{tag} blue")
    with database.unit_of_work() as session:
        found = item_screens.browse_items(
            session,
            api.tenant.actor,
            filters=ItemListing(search=tag, category=top["id"]),
            limit=10,
            cursor=None,
        )
    assert [v.item.id for v in found.page.rows] == [item["id"]] and found.page.total == 1
    paths = dict(found.categories)
    assert paths[leaf["id"]] == f"{top['name']} > {leaf['name']}"
    assert [c.path for c in found.categories] == sorted(
        (c.path for c in found.categories), key=str.lower
    )


def test_an_overview_shows_stock_per_place_and_batch_movements_and_costs(
    api: Api, database: Database
) -> None:
    north, south = api.location(name=unique("North")), api.location(name=unique("South"))
    item = api.item(inventory={"tracked": True, "tracking": "batch"})
    batch = {"batchNumber": "B1", "expiryDate": "2027-01-31", "quantity": 6}
    line = {"itemId": item["id"], "adjustmentQuantity": 6, "unitCost": 2, "batches": [batch]}
    api.create(
        "/api/v1/inventory/adjustments",
        {"reason": "found", "locationId": north["id"], "items": [line]},
    )
    line = {**line, "adjustmentQuantity": 2, "unitCost": 5, "batches": [{**batch, "quantity": 2}]}
    api.create(
        "/api/v1/inventory/adjustments",
        {"reason": "found", "locationId": south["id"], "items": [line]},
    )
    api.create(
        "/api/v1/inventory/reservations",
        {"itemId": item["id"], "locationId": north["id"], "quantity": 1},
    )
    with database.unit_of_work() as session:
        overview = item_screens.item_overview(session, api.tenant.actor, item_id=item["id"])
    places = {p.name: (p.on_hand, p.reserved, p.available) for p in overview.places}
    assert places == {
        north["name"]: (Decimal(6), Decimal(1), Decimal(5)),
        south["name"]: (Decimal(2), Decimal(0), Decimal(2)),
    }
    # a batch at each place, and at the north what is reserved of no batch in particular
    levels = {
        (lv.location, lv.batch_number): tuple(map(int, (lv.on_hand, lv.reserved, lv.available)))
        for lv in overview.levels.rows
    }
    assert levels == {
        (north["name"], "B1"): (6, 0, 6),
        (north["name"], None): (0, 1, -1),
        (south["name"], "B1"): (2, 0, 2),
    }
    assert overview.finer and overview.levels.total == 3
    assert {str(lv.expiry_date) for lv in overview.levels.rows if lv.batch_number} == {"2027-01-31"}
    movements = overview.movements
    assert movements.page.total == 2 and len(movements.page.rows) == 2
    assert {movements.locations[r["location_id"]] for r in movements.page.rows} == {
        north["name"],
        south["name"],
    }
    assert overview.costs.last_cost_price == Decimal(5)
    assert overview.costs.average_cost_price == Decimal("2.75")  # (12 + 10) / 8


def test_movements_are_paged_and_another_companys_item_is_not_found(
    api: Api, database: Database
) -> None:
    where = api.location()
    item = api.item()
    for _ in range(3):
        api.adjust(where["id"], (item["id"], 1, "1"))
    actor, stranger = api.tenant.actor, make_tenant(database).actor
    with database.unit_of_work() as session:
        _, first = item_screens.item_movements(
            session, actor, item_id=item["id"], limit=2, cursor=None
        )
        assert len(first.page.rows) == 2 and first.page.next_cursor is not None
        _, rest = item_screens.item_movements(
            session, actor, item_id=item["id"], limit=2, cursor=first.page.next_cursor
        )
        assert len(rest.page.rows) == 1 and rest.page.next_cursor is None
        for read in (
            lambda: item_screens.item_overview(session, stranger, item_id=item["id"]),
            lambda: item_screens.item_choices(session, stranger, item_id=item["id"]),
        ):
            with pytest.raises(NotFound):
                read()
    with database.unit_of_work() as session:
        choices = item_screens.item_choices(session, actor, item_id=item["id"])
    assert choices.view is not None and choices.view.item.id == item["id"]
