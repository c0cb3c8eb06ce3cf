"""A document's ``externalId``: sent again, by its own route or in any later batch, it is
answered with the document posted the first time; two creates racing with one id make one."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from typing import Any

from stockkeeper.core.db import Database
from stockkeeper.sales import service as sales
from stockkeeper.sales.values import NewIssue, SalesLine
from stockkeeper.tenancy.service import Actor
from tests.batches.test_batches import BATCHES, _issue, _movements, _on_hand, _stocked
from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem, unique


def _bodies(warehouse: str, store: str, item: str) -> dict[str, Any]:
    """Each type's create body, all with one external id (each type has its own ids)."""
    line = {"itemId": item, "quantity": 1}
    return {
        "adjustments": {
            "reason": "found",
            "locationId": warehouse,
            "items": [{"itemId": item, "adjustmentQuantity": 1, "unitCost": 5}],
        },
        "issues": {"locationId": warehouse, "items": [line]},
        "returns": {"locationId": warehouse, "items": [line]},
        "transfers": {"fromLocationId": warehouse, "toLocationId": store, "items": [line]},
    }


def test_each_route_answers_a_known_external_id_with_its_document(
    api: Api, database: Database
) -> None:
    warehouse, store, item = _stocked(api)
    external_id = unique("POS")
    for path, body in _bodies(warehouse, store, item).items():
        url = f"/api/v1/inventory/{path}"
        first = api.data(api.post(url, {**body, "externalId": external_id}), 201)
        assert first["externalId"] == external_id
        moved = _movements(database, api.tenant.company_id)
        again = api.post(url, {**body, "externalId": external_id, "notes": "sent again"})
        assert api.data(again, 200) == first, path  # the first one, as it was
        assert "Location" not in again.headers
        assert _movements(database, api.tenant.company_id) == moved
        listed = api.data(api.get(url, params={"externalId": external_id}))
        assert [d["id"] for d in listed] == [first["id"]], path
        assert api.data(api.get(url, params={"externalId": "other"})) == []
    # each type had one posted: +1 -1 +1 -1 (the transfer leaves the warehouse)
    assert _on_hand(api, item, warehouse) == 10 and _on_hand(api, item, store) == 1
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_later_batch_answers_with_what_was_posted(api: Api, database: Database) -> None:
    warehouse, _, item = _stocked(api)
    till = unique("till")
    single = api.data(
        api.post(
            "/api/v1/inventory/issues",
            {
                "locationId": warehouse,
                "items": [{"itemId": item, "quantity": 1}],
                "externalId": till,
            },
        ),
        201,
    )
    documents = [
        _issue(warehouse, item, 1, externalId=till),  # posted by its own route
        _issue(warehouse, item, 2, externalId=f"{till}-b"),
        _issue(warehouse, item, 2, externalId=f"{till}-b"),  # twice in one batch
        {**_issue(warehouse, item, 1, externalId=till), "type": "return"},  # returns apart
    ]
    first = api.data(api.post(BATCHES, {"documents": documents}))
    assert [r["status"] for r in first["results"]] == ["existing", "created", "existing", "created"]
    assert first["results"][0]["data"] == single
    assert first["results"][1]["data"] == first["results"][2]["data"]
    assert (first["created"], first["existing"]) == (2, 2)
    later = api.data(api.post(BATCHES, {"atomic": True, "documents": documents}))
    assert [r["status"] for r in later["results"]] == ["existing"] * 4
    assert [r["data"] for r in later["results"]] == [r["data"] for r in first["results"]]
    assert _on_hand(api, item, warehouse) == 10 - 1 - 2 + 1
    assert_ledger_consistent(database, api.tenant.company_id)


def test_an_external_id_is_text(api: Api) -> None:
    warehouse, _, item = _stocked(api)
    body = {"locationId": warehouse, "items": [{"itemId": item, "quantity": 1}]}
    for wrong in ("", "  ", "x" * 256, 12):
        response = api.post("/api/v1/inventory/issues", {**body, "externalId": wrong})
        refused = problem(response, 422, "validation_failed")
        assert [e["field"] for e in refused["errors"]] == ["externalId"], wrong


def test_the_loser_of_a_race_reads_the_winner(api: Api, database: Database) -> None:
    """The first create holds its document uncommitted while a second, for another item (no
    lock between them), sends the same external id: on PostgreSQL the second meets the unique
    index, waits for the first, and answers with its document; on SQLite it waits to begin."""
    warehouse, _, item = _stocked(api)
    other = api.item()["id"]
    api.adjust(warehouse, (other, 10, 5))
    actor: Actor = api.tenant.actor
    external_id = unique("race")

    def issue(item_id: str) -> NewIssue:
        line = SalesLine(item_id=item_id, quantity=Decimal(1))
        return NewIssue(location_id=warehouse, items=[line], external_id=external_id)

    answered: list[Any] = []

    def second() -> None:
        with database.unit_of_work() as session:
            answered.append(sales.create_issue(session, actor, issue=issue(other)))

    with database.unit_of_work() as session:
        first = sales.create_issue(session, actor, issue=issue(item))
        racer = threading.Thread(target=second)
        racer.start()
        time.sleep(0.5)  # the racer is waiting on the unique index (or to begin)
    racer.join()
    [view] = answered
    assert view.existing and view.document.id == first.document.id
    assert _on_hand(api, other, warehouse) == 10 and _on_hand(api, item, warehouse) == 9
    assert_ledger_consistent(database, api.tenant.company_id)
