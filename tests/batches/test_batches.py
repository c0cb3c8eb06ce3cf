"""Batches of documents through ``POST /api/v1/inventory/batches``: all or none, each on its
own, sent again by external id or Idempotency-Key, and refused as a whole where they must be."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from stockkeeper.core.db import Database
from stockkeeper.core.outbox import OutboxEvent
from stockkeeper.stock.models import Movement
from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem, run_together, unique

BATCHES = "/api/v1/inventory/batches"
YEAR = dt.date.today().year


def _stocked(api: Api, quantity: int = 10) -> tuple[str, str, str]:
    """A warehouse, a store and an item with ``quantity`` in the warehouse at 5 each."""
    warehouse = api.location(type="warehouse")["id"]
    store = api.location(type="store")["id"]
    item = api.item()["id"]
    api.adjust(warehouse, (item, quantity, 5))
    return warehouse, store, item


def _issue(location: str, item: str, quantity: Any, **fields: Any) -> dict[str, Any]:
    return {
        "type": "issue",
        "locationId": location,
        "items": [{"itemId": item, "quantity": quantity}],
        **fields,
    }


def _adjustment(location: str, item: str, quantity: Any, **fields: Any) -> dict[str, Any]:
    return {
        "type": "adjustment",
        "reason": "found",
        "locationId": location,
        "items": [{"itemId": item, "adjustmentQuantity": quantity, "unitCost": 5}],
        **fields,
    }


def _transfer(source: str, destination: str, item: str, quantity: Any) -> dict[str, Any]:
    return {
        "type": "transfer",
        "fromLocationId": source,
        "toLocationId": destination,
        "items": [{"itemId": item, "quantity": quantity}],
    }


def _return(location: str, item: str, quantity: Any, **fields: Any) -> dict[str, Any]:
    return {**_issue(location, item, quantity, **fields), "type": "return"}


def _movements(database: Database, company_id: str) -> int:
    with database.unit_of_work(write=False) as session:
        count = session.scalar(
            select(func.count()).select_from(Movement).where(Movement.company_id == company_id)
        )
    return int(count or 0)


def _events(database: Database, company_id: str, event: str) -> int:
    with database.unit_of_work(write=False) as session:
        count = session.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.company_id == company_id, OutboxEvent.event == event)
        )
    return int(count or 0)


def _on_hand(api: Api, item: str, location: str) -> Any:
    rows = api.stock(itemId=item, locationId=location)
    return rows[0]["currentStock"] if rows else 0


def test_an_atomic_batch_posts_every_document(api: Api, database: Database) -> None:
    warehouse, store, item = _stocked(api)
    body = {
        "atomic": True,
        "documents": [
            _issue(warehouse, item, 2, reference="R-1"),
            _adjustment(warehouse, item, 3),
            _transfer(warehouse, store, item, 4),
            _return(store, item, 1),
        ],
    }
    batch = api.data(api.post(BATCHES, body))
    assert (batch["atomic"], batch["created"], batch["existing"], batch["failed"]) == (
        True,
        4,
        0,
        0,
    )
    results = batch["results"]
    assert [(r["index"], r["type"], r["status"]) for r in results] == [
        (0, "issue", "created"),
        (1, "adjustment", "created"),
        (2, "transfer", "created"),
        (3, "return", "created"),
    ]
    issue, adjustment, transfer, returned = (r["data"] for r in results)
    assert issue["documentNumber"] == f"ISS-{YEAR}-0001" and issue["reference"] == "R-1"
    assert (adjustment["status"], adjustment["type"]) == ("posted", "positive")
    assert transfer["status"] == "completed"
    assert returned["documentNumber"] == f"RET-{YEAR}-0001"
    # as each one's own route reads it
    assert api.data(api.get(f"/api/v1/inventory/issues/{issue['id']}")) == issue
    assert _on_hand(api, item, warehouse) == 10 - 2 + 3 - 4
    assert _on_hand(api, item, store) == 4 + 1
    assert_ledger_consistent(database, api.tenant.company_id)


def _numbers_after(api: Api, warehouse: str, item: str) -> tuple[str, str]:
    """The numbers a new issue and a new adjustment get: which numbers were used."""
    issue = api.create(
        "/api/v1/inventory/issues",
        {"locationId": warehouse, "items": [{"itemId": item, "quantity": 1}]},
    )
    adjustment = api.adjust(warehouse, (item, 1, 5))
    return issue["documentNumber"], adjustment["adjustmentNumber"]


def test_an_atomic_batch_with_a_refused_document_posts_nothing(
    api: Api, database: Database
) -> None:
    warehouse, store, item = _stocked(api)
    before = _movements(database, api.tenant.company_id)
    body = {
        "atomic": True,
        "documents": [
            _issue(warehouse, item, 2),
            _adjustment(warehouse, item, 3),
            _transfer(warehouse, store, item, 4),
            _issue(warehouse, item, 50),  # more than is there
            _issue(warehouse, item, 1),
        ],
    }
    refused = problem(api.post(BATCHES, body), 422, "batch_document_refused")
    assert (refused["index"], refused["documentType"]) == (3, "issue")
    assert refused["problem"]["code"] == "insufficient_stock"
    assert refused["problem"]["status"] == 409
    [shortage] = refused["problem"]["shortages"]
    assert (shortage["itemId"], shortage["requested"], shortage["available"]) == (item, 50, 7)
    assert [e["field"] for e in refused["errors"]] == ["documents.3"]
    assert refused["detail"].startswith("documents.3 (issue): not enough stock")
    # nothing moved, and no number was used: the next ones are the first of the year
    assert _movements(database, api.tenant.company_id) == before
    assert _on_hand(api, item, warehouse) == 10 and _on_hand(api, item, store) == 0
    assert _numbers_after(api, warehouse, item) == (f"ISS-{YEAR}-0001", f"ADJ-{YEAR}-0002")
    assert_ledger_consistent(database, api.tenant.company_id)


def test_an_atomic_refusal_names_the_fields_under_the_document(
    api: Api, database: Database
) -> None:
    warehouse, _, item = _stocked(api)
    body = {
        "atomic": True,
        "documents": [_issue(warehouse, item, 1), _issue("loc_nowhere", item, 1)],
    }
    refused = problem(api.post(BATCHES, body), 422, "batch_document_refused")
    assert refused["index"] == 1 and refused["problem"]["code"] == "unknown_location"
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("documents.1.locationId", "unknown_reference")
    ]
    value_line = _adjustment(warehouse, item, 1)
    value_line["items"][0]["valueAdjusted"] = 5
    body = {"atomic": True, "documents": [_issue(warehouse, item, 1), value_line]}
    refused = problem(api.post(BATCHES, body), 422, "batch_document_refused")
    assert refused["problem"]["code"] == "validation_failed"
    assert refused["detail"] == (
        "documents.1 (adjustment): not allowed on quantity lines; nothing in the batch was posted"
    )
    assert [e["field"] for e in refused["errors"]] == ["documents.1.items.0.valueAdjusted"]
    assert _events(database, api.tenant.company_id, "inventory.issue") == 0


def test_each_document_on_its_own(api: Api, database: Database) -> None:
    warehouse, store, item = _stocked(api)
    before = _movements(database, api.tenant.company_id)
    body = {
        "documents": [
            _issue(warehouse, item, 2),
            _issue(warehouse, item, 50),  # more than is there
            _adjustment(warehouse, "item_nothing", 3),  # no such item
            _transfer(warehouse, store, item, 4),
            _adjustment(warehouse, item, 1, status="draft"),
        ]
    }
    batch = api.data(api.post(BATCHES, body))
    assert batch["atomic"] is False
    assert (batch["created"], batch["existing"], batch["failed"]) == (3, 0, 2)
    results = batch["results"]
    assert [r["status"] for r in results] == ["created", "failed", "failed", "created", "created"]
    assert "problem" not in results[0] and "data" not in results[1]
    short = results[1]["problem"]
    assert (short["status"], short["code"], short["title"]) == (
        409,
        "insufficient_stock",
        "Conflict",
    )
    assert short["shortages"][0]["available"] == 8
    unknown = results[2]["problem"]
    assert (unknown["status"], unknown["code"]) == (422, "item_cannot_move")
    assert [e["field"] for e in unknown["errors"]] == ["items.0.itemId"]
    assert results[0]["data"]["documentNumber"] == f"ISS-{YEAR}-0001"
    assert results[4]["data"]["status"] == "draft"
    # the refused documents left nothing: no movement, no number, no event
    assert _movements(database, api.tenant.company_id) == before + 2  # the issue, the transfer
    assert _events(database, api.tenant.company_id, "inventory.issue") == 1
    assert _on_hand(api, item, warehouse) == 10 - 2 - 4
    assert _numbers_after(api, warehouse, item) == (f"ISS-{YEAR}-0002", f"ADJ-{YEAR}-0003")
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_malformed_document_is_refused_on_its_own(api: Api, database: Database) -> None:
    warehouse, _, item = _stocked(api)
    missing = _issue(warehouse, item, 1)
    del missing["items"]
    negative = _adjustment(warehouse, item, "lots")
    body = {"documents": [missing, _issue(warehouse, item, 2), negative]}
    batch = api.data(api.post(BATCHES, body))
    assert [r["status"] for r in batch["results"]] == ["failed", "created", "failed"]
    first, last = batch["results"][0]["problem"], batch["results"][2]["problem"]
    assert (first["status"], first["code"]) == (422, "validation_failed")
    assert [e["field"] for e in first["errors"]] == ["items"]
    assert [e["field"] for e in last["errors"]] == ["items.0.adjustmentQuantity"]
    assert _on_hand(api, item, warehouse) == 10 - 2
    # all or none: the malformed document refuses the batch, named
    refused = problem(api.post(BATCHES, {**body, "atomic": True}), 422, "batch_document_refused")
    assert (refused["index"], refused["problem"]["code"]) == (0, "validation_failed")
    assert [e["field"] for e in refused["errors"]] == ["documents.0.items"]
    # a document of no type the batch knows makes the batch malformed, each one named
    untyped = {"documents": [_issue(warehouse, item, 1), {"type": "receipt"}, {}, "issue"]}
    refused = problem(api.post(BATCHES, untyped), 422, "validation_failed")
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("documents.1.type", "unknown_document_type"),
        ("documents.2.type", "unknown_document_type"),
        ("documents.3", "object_expected"),
    ]
    assert refused["errors"][0]["message"] == (
        "'receipt' is no type of document: one of adjustment, issue, return, transfer"
    )
    assert _on_hand(api, item, warehouse) == 10 - 2
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_replay_by_idempotency_key_posts_nothing_again(api: Api, database: Database) -> None:
    warehouse, store, item = _stocked(api)
    body = {"documents": [_issue(warehouse, item, 2), _transfer(warehouse, store, item, 1)]}
    key = {"Idempotency-Key": unique("batch")}
    first = api.post(BATCHES, body, headers=key)
    assert first.status_code == 200, first.text
    moved = _movements(database, api.tenant.company_id)
    again = api.post(BATCHES, body, headers=key)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert _movements(database, api.tenant.company_id) == moved
    assert _on_hand(api, item, warehouse) == 7
    # the same key with another body is refused
    other = {"documents": [_issue(warehouse, item, 1)]}
    problem(api.post(BATCHES, other, headers=key), 422, "idempotency_key_reused")
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_viewer_is_refused_and_a_clerk_may_post(api: Api) -> None:
    warehouse, _, item = _stocked(api)
    body = {"documents": [_issue(warehouse, item, 1)]}
    problem(api.as_key(api.tenant.viewer_key).post(BATCHES, body), 403, "role_too_weak")
    assert _on_hand(api, item, warehouse) == 10
    clerk = api.as_key(api.tenant.clerk_key)
    assert clerk.data(clerk.post(BATCHES, body))["created"] == 1


def test_a_thousand_documents_at_most(api: Api, database: Database) -> None:
    warehouse, _, item = _stocked(api)
    refused = problem(api.post(BATCHES, {"documents": [_issue(warehouse, item, 1)] * 1001}), 422)
    assert refused["code"] == "validation_failed"
    assert [e["field"] for e in refused["errors"]] == ["documents"]
    problem(api.post(BATCHES, {"documents": []}), 422, "validation_failed")
    # a thousand, over the megabyte the other routes take: one line's notes fill it out
    notes = "n" * 1500
    adjustment = _adjustment(warehouse, item, 1)
    adjustment["items"][0]["notes"] = notes
    body = {"atomic": True, "documents": [adjustment] * 1000}
    batch = api.data(api.post(BATCHES, body))
    assert batch["created"] == 1000 and batch["results"][-1]["index"] == 999
    assert _on_hand(api, item, warehouse) == 1010
    too_big = {"locationId": warehouse, "notes": notes, "items": [{"itemId": item, "quantity": 1}]}
    too_big["items"] = [{"itemId": item, "quantity": 1, "notes": notes}] * 800
    problem(api.post("/api/v1/inventory/issues", too_big), 413, "body_too_large")
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_body_over_sixteen_mebibytes_is_refused(api: Api) -> None:
    warehouse, _, item = _stocked(api)
    padded = _issue(warehouse, item, 1, notes="x" * 2000)
    padded["items"][0]["notes"] = "y" * 2000
    documents = [padded] * 4300  # past the document limit too: the size is told first
    response = api.post(BATCHES, {"documents": documents})
    refused = problem(response, 413, "body_too_large")
    assert "16777216" in refused["detail"]
    assert _on_hand(api, item, warehouse) == 10


def test_two_batches_racing_with_the_same_external_ids_post_once(
    api: Api, database: Database
) -> None:
    warehouse, _, item = _stocked(api, 100)
    run = unique("till")
    documents = [_issue(warehouse, item, 1, externalId=f"{run}-{n}") for n in range(5)]
    answers: list[dict[str, Any]] = []

    def send(n: int) -> None:
        response = api.post(BATCHES, {"atomic": n % 2 == 0, "documents": documents})
        assert response.status_code == 200, response.text
        answers.append(response.json()["data"])

    assert run_together(4, send) == []
    statuses = sorted(r["status"] for answer in answers for r in answer["results"])
    assert statuses == ["created"] * 5 + ["existing"] * 15
    ids = {tuple(r["data"]["id"] for r in answer["results"]) for answer in answers}
    assert len(ids) == 1  # every answer names the same five issues
    assert _on_hand(api, item, warehouse) == 95
    listed = api.data(api.get("/api/v1/inventory/issues", params={"externalId": f"{run}-0"}))
    assert [issue["externalId"] for issue in listed] == [f"{run}-0"]
    assert_ledger_consistent(database, api.tenant.company_id)
