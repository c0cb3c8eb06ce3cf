"""The adjustment lifecycle: drafts, approval, posting and reversal; value adjustments; custom
fields. Every refusal leaves the document and the ledger as they were."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import func, select

from stockkeeper.core.audit import AuditEvent
from stockkeeper.core.db import Database
from stockkeeper.stock.models import Movement
from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem, run_together

ADJUSTMENTS = "/api/v1/inventory/adjustments"


def _draft(api: Api, location_id: str, *lines: dict[str, Any], **fields: Any) -> dict[str, Any]:
    body = {"reason": "found", "locationId": location_id, "items": list(lines), **fields}
    return api.create(ADJUSTMENTS, {**body, "status": "draft"})


def _act(api: Api, adjustment_id: str, action: str, body: Any = None) -> Any:
    return api.post(f"{ADJUSTMENTS}/{adjustment_id}/{action}", body)


def _on_hand(api: Api, item_id: str) -> Any:
    return api.data(api.get(f"/api/v1/items/{item_id}"))["inventory"]["currentStock"]


def _movements(database: Database, document_id: str) -> list[Movement]:
    with database.unit_of_work(write=False) as session:
        return list(
            session.scalars(
                select(Movement).where(Movement.document_id == document_id).order_by(Movement.id)
            )
        )


def test_a_draft_moves_nothing_until_posted(api: Api, database: Database) -> None:
    location = api.location()["id"]
    item = api.item()["id"]
    draft = _draft(api, location, {"itemId": item, "adjustmentQuantity": 7, "unitCost": 3})
    assert (draft["status"], draft["totalValue"], draft["postedAt"]) == ("draft", None, None)
    assert draft["allowedActions"] == ["edit", "delete", "submit", "post"]
    (line,) = draft["items"]
    assert (line["currentStock"], line["adjustedStock"], line["unitCost"]) == (None, None, 3)
    assert _on_hand(api, item) == 0 and _movements(database, draft["id"]) == []

    posted = api.data(_act(api, draft["id"], "post"))
    assert (posted["status"], posted["postedBy"], posted["totalValue"]) == ("posted", "admin", 21)
    assert posted["adjustmentNumber"] == draft["adjustmentNumber"]
    (line,) = posted["items"]
    assert (line["currentStock"], line["adjustedStock"], line["totalCost"]) == (0, 7, 21)
    assert posted["allowedActions"] == ["reverse"]
    assert _on_hand(api, item) == 7
    assert_ledger_consistent(database, api.tenant.company_id)


def test_drafts_are_edited_and_deleted_but_nothing_else_is(api: Api, database: Database) -> None:
    location = api.location()["id"]
    first, second = api.item()["id"], api.item()["id"]
    draft = _draft(api, location, {"itemId": first, "adjustmentQuantity": 1})
    edited = api.data(
        api.put(
            f"{ADJUSTMENTS}/{draft['id']}",
            {
                "reason": "lost",
                "locationId": location,
                "notes": "recounted",
                "items": [
                    {"itemId": second, "adjustmentQuantity": 4, "unitCost": 2},
                    {"itemId": first, "adjustmentQuantity": 1},
                ],
            },
        )
    )
    assert (edited["reason"], edited["notes"], edited["status"]) == ("lost", "recounted", "draft")
    assert [(line["itemId"], line["adjustmentQuantity"]) for line in edited["items"]] == [
        (second, 4),
        (first, 1),
    ]
    bad_edit = api.put(
        f"{ADJUSTMENTS}/{draft['id']}",
        {
            "reason": "found",
            "locationId": location,
            "items": [{"itemId": "item_nope", "adjustmentQuantity": 1}],
        },
    )
    problem(bad_edit, 422, "item_cannot_move")
    assert api.data(api.get(f"{ADJUSTMENTS}/{draft['id']}")) == edited

    throwaway = _draft(api, location, {"itemId": first, "adjustmentQuantity": 1})
    assert api.data(api.delete(f"{ADJUSTMENTS}/{throwaway['id']}")) == {
        "id": throwaway["id"],
        "deleted": True,
    }
    problem(api.get(f"{ADJUSTMENTS}/{throwaway['id']}"), 404, "adjustment_not_found")

    api.data(_act(api, draft["id"], "post"))
    refused = problem(api.delete(f"{ADJUSTMENTS}/{draft['id']}"), 409, "illegal_transition")
    assert refused["currentStatus"] == "posted" and refused["allowedActions"] == ["reverse"]
    refused = problem(
        api.put(f"{ADJUSTMENTS}/{draft['id']}", {"reason": "found", "items": []}), 422
    )
    refused = problem(
        api.put(
            f"{ADJUSTMENTS}/{draft['id']}",
            {
                "reason": "found",
                "locationId": location,
                "items": [{"itemId": first, "adjustmentQuantity": 9}],
            },
        ),
        409,
        "illegal_transition",
    )
    assert "cannot be edited" in refused["detail"]
    assert _on_hand(api, first) == 1 and _on_hand(api, second) == 4


def test_approval_path_and_its_refusals(api: Api, database: Database) -> None:
    location = api.location()["id"]
    item = api.item()["id"]
    clerk = api.as_key(api.tenant.clerk_key)
    draft = _draft(clerk, location, {"itemId": item, "adjustmentQuantity": 5, "unitCost": 1})
    submitted = clerk.data(_act(clerk, draft["id"], "submit"))
    assert (submitted["status"], submitted["submittedBy"]) == ("pending_approval", "clerk")
    assert submitted["allowedActions"] == ["approve", "reject"]

    refused = problem(_act(clerk, draft["id"], "post"), 409, "illegal_transition")
    assert refused["allowedActions"] == ["approve", "reject"]
    problem(_act(clerk, draft["id"], "approve"), 403)
    problem(
        clerk.put(
            f"{ADJUSTMENTS}/{draft['id']}",
            {
                "reason": "found",
                "locationId": location,
                "items": [{"itemId": item, "adjustmentQuantity": 1}],
            },
        ),
        409,
        "illegal_transition",
    )

    approved = api.data(_act(api, draft["id"], "approve"))
    assert (approved["status"], approved["approvedBy"]) == ("approved", "admin")
    assert approved["approvedAt"] and approved["allowedActions"] == ["post"]
    assert _on_hand(api, item) == 0
    posted = clerk.data(_act(clerk, draft["id"], "post"))
    assert (posted["status"], posted["postedBy"], posted["approvedBy"]) == (
        "posted",
        "clerk",
        "admin",
    )
    assert _on_hand(api, item) == 5

    other = _draft(clerk, location, {"itemId": item, "adjustmentQuantity": -5})
    clerk.data(_act(clerk, other["id"], "submit"))
    problem(_act(api, other["id"], "reject", {}), 422)
    problem(_act(clerk, other["id"], "reject", {"reason": "no"}), 403)
    rejected = api.data(_act(api, other["id"], "reject", {"reason": "count was wrong"}))
    assert (rejected["status"], rejected["rejectionReason"]) == ("rejected", "count was wrong")
    assert rejected["rejectedBy"] == "admin" and rejected["allowedActions"] == []
    refused = problem(_act(clerk, other["id"], "post"), 409, "illegal_transition")
    assert refused["allowedActions"] == [] and refused["currentStatus"] == "rejected"
    assert _on_hand(api, item) == 5

    with database.unit_of_work(write=False) as session:
        actions = list(
            session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.entity_id == draft["id"])
                .order_by(AuditEvent.id)
            )
        )
    assert actions == [
        "adjustment.drafted",
        "adjustment.submitted",
        "adjustment.approved",
        "adjustment.posted",
    ]
    assert_ledger_consistent(database, api.tenant.company_id)


def test_reversal_undoes_the_movements_once(api: Api, database: Database) -> None:
    location = api.location()["id"]
    kept, sold = api.item()["id"], api.item()["id"]
    api.adjust(location, (kept, 10, 4), (sold, 3, 2))
    removal = api.adjust(location, (kept, -4))
    assert removal["items"][0]["unitCost"] == 4

    reversed_ = api.data(_act(api, removal["id"], "reverse"))
    assert (reversed_["status"], reversed_["reversedBy"]) == ("reversed", "admin")
    assert reversed_["allowedActions"] == []
    assert _on_hand(api, kept) == 10
    (row,) = api.stock(itemId=kept)
    assert (row["currentStock"], row["stockValue"]) == (10, 40)
    original, reversal = _movements(database, removal["id"])
    assert reversal.movement_type == "reversal" and reversal.quantity == original.quantity
    assert (reversal.from_location_id, reversal.to_location_id) == (
        original.to_location_id,
        original.from_location_id,
    )
    problem(_act(api, removal["id"], "reverse"), 409, "illegal_transition")

    gone = api.adjust(location, (sold, 5, 2))
    api.adjust(location, (sold, -8))
    refused = problem(_act(api, gone["id"], "reverse"), 409, "insufficient_stock")
    assert refused["shortages"][0]["itemId"] == sold
    assert api.data(api.get(f"{ADJUSTMENTS}/{gone['id']}"))["status"] == "posted"
    assert len(_movements(database, gone["id"])) == 1
    assert_ledger_consistent(database, api.tenant.company_id)


def test_value_adjustments_revalue_without_moving_stock(api: Api, database: Database) -> None:
    location = api.location()["id"]
    item, empty = api.item()["id"], api.item()["id"]
    api.adjust(location, (item, 10, 5))
    revalued = api.create(
        ADJUSTMENTS,
        {
            "reason": "stock_count",
            "adjustmentType": "value",
            "locationId": location,
            "items": [{"itemId": item, "valueAdjusted": 20}],
        },
    )
    assert (revalued["adjustmentType"], revalued["type"], revalued["totalValue"]) == (
        "value",
        "positive",
        20,
    )
    (line,) = revalued["items"]
    assert (line["adjustmentQuantity"], line["valueAdjusted"], line["totalCost"]) == (0, 20, 20)
    assert (line["currentStock"], line["adjustedStock"]) == (10, 10)
    (row,) = api.stock(itemId=item)
    assert (row["currentStock"], row["stockValue"], row["averageCost"]) == (10, 70, 7)
    assert api.adjust(location, (item, -5))["items"][0]["unitCost"] == 7

    def value_line(item_id: str, amount: Any, **extra: Any) -> Any:
        return api.post(
            ADJUSTMENTS,
            {
                "reason": "stock_count",
                "adjustmentType": "value",
                "locationId": location,
                "items": [{"itemId": item_id, "valueAdjusted": amount, **extra}],
            },
        )

    too_much = problem(value_line(item, -35.01), 409, "value_below_zero")
    assert too_much["errors"][0]["field"] == "items.0.valueAdjusted"
    problem(value_line(empty, 10), 409, "nothing_to_revalue")
    invalid = problem(value_line(item, 5, adjustmentQuantity=1, unitCost=2), 422)
    assert {e["field"] for e in invalid["errors"]} == {
        "items.0.adjustmentQuantity",
        "items.0.unitCost",
    }
    quantity_only = problem(
        api.post(
            ADJUSTMENTS,
            {
                "reason": "found",
                "locationId": location,
                "items": [{"itemId": item, "valueAdjusted": 3}],
            },
        ),
        422,
    )
    assert {e["field"] for e in quantity_only["errors"]} == {
        "items.0.adjustmentQuantity",
        "items.0.valueAdjusted",
    }

    lowered = api.data(value_line(item, -35), 201)
    assert lowered["type"] == "negative"
    (row,) = api.stock(itemId=item)
    assert (row["currentStock"], row["stockValue"]) == (5, 0)
    api.data(_act(api, lowered["id"], "reverse"))
    (row,) = api.stock(itemId=item)
    assert (row["currentStock"], row["stockValue"]) == (5, 35)
    types = [
        m.movement_type
        for m in _movements(database, revalued["id"]) + _movements(database, lowered["id"])
    ]
    assert types == ["revaluation", "revaluation", "reversal"]
    listed = api.data(api.get(ADJUSTMENTS, params={"adjustmentType": "value"}))
    assert {a["id"] for a in listed} == {revalued["id"], lowered["id"]}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_custom_fields_round_trip(api: Api) -> None:
    location = api.location()["id"]
    item = api.item()["id"]
    fields = [
        {"customfieldId": "cf_1", "label": "Counted by", "value": "Aisha"},
        {"label": "Pallets", "value": 3.5},
        {"label": "Audited", "value": True},
    ]
    created = _draft(api, location, {"itemId": item, "adjustmentQuantity": 1}, customFields=fields)
    assert created["customFields"] == [
        {"customfieldId": "cf_1", "label": "Counted by", "value": "Aisha"},
        {"customfieldId": None, "label": "Pallets", "value": 3.5},
        {"customfieldId": None, "label": "Audited", "value": True},
    ]
    assert (
        api.data(api.get(f"{ADJUSTMENTS}/{created['id']}"))["customFields"]
        == created["customFields"]
    )
    twice = api.post(
        ADJUSTMENTS,
        {
            "reason": "found",
            "locationId": location,
            "customFields": [{"label": "Bay", "value": "1"}, {"label": "bay", "value": "2"}],
            "items": [{"itemId": item, "adjustmentQuantity": 1}],
        },
    )
    assert problem(twice, 422)["errors"][0]["field"] == "customFields.1.label"


def test_a_refused_draft_leaves_nothing_behind(api: Api, database: Database) -> None:
    location = api.location()["id"]
    item = api.item()["id"]
    refused = api.post(
        ADJUSTMENTS,
        {
            "status": "draft",
            "reason": "found",
            "locationId": location,
            "items": [
                {"itemId": item, "adjustmentQuantity": 1},
                {"itemId": "item_nope", "adjustmentQuantity": 1},
            ],
        },
    )
    assert problem(refused, 422, "item_cannot_move")["errors"][0]["field"] == "items.1.itemId"
    assert api.data(api.get(ADJUSTMENTS, params={"status": "draft"})) == []
    first = _draft(api, location, {"itemId": item, "adjustmentQuantity": 1})
    assert first["adjustmentNumber"].endswith("-0001")


def test_one_draft_posted_by_many_at_once_posts_once(api: Api, database: Database) -> None:
    location = api.location()["id"]
    item = api.item()["id"]
    draft = _draft(api, location, {"itemId": item, "adjustmentQuantity": 2, "unitCost": 1})
    statuses: list[int] = []
    lock = threading.Lock()

    def work(_: int) -> None:
        response = _act(api, draft["id"], "post")
        with lock:
            statuses.append(response.status_code)
            if response.status_code != 200:
                assert response.json()["code"] == "illegal_transition", response.text

    assert run_together(6, work) == []
    assert sorted(statuses) == [200, 409, 409, 409, 409, 409]
    assert _on_hand(api, item) == 2 and len(_movements(database, draft["id"])) == 1
    with database.unit_of_work(write=False) as session:
        posted_events = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity_id == draft["id"], AuditEvent.action == "adjustment.posted")
        )
    assert posted_events == 1
    assert_ledger_consistent(database, api.tenant.company_id)
