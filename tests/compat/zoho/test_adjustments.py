"""Zoho's inventory adjustments over the adjustment use cases: an adjusted quantity adjustment
moves stock, a value adjustment revalues it, a draft moves nothing and is deleted, approval
posts and rejection does not, an update replaces a draft's content, and the list pages as
Zoho's do. Every answer is checked against the document's schema by the client."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from stockkeeper.core.db import Database
from stockkeeper.core.outbox import OutboxEvent
from tests.compat.zoho.client import Zoho, body, levels, line, on_hand
from tests.invariants import assert_ledger_consistent
from tests.support import Api


def _announced(database: Database, company_id: str) -> list[dict[str, Any]]:
    """The ``inventory.adjustment`` events' objects, oldest first."""
    with database.unit_of_work(write=False) as session:
        messages = session.scalars(
            select(OutboxEvent.message)
            .where(
                OutboxEvent.company_id == company_id,
                OutboxEvent.event == "inventory.adjustment",
            )
            .order_by(OutboxEvent.created_at, OutboxEvent.id)
        )
        return [json.loads(m)["data"]["object"] for m in messages]


def _stock_row(api: Api, item: str) -> dict[str, Any]:
    (row,) = api.stock(itemId=item)
    return row


def test_an_adjusted_quantity_adjustment_moves_stock(api: Api, database: Database) -> None:
    zoho = Zoho(api)
    location, item = api.location(), api.item(unit="box")
    sent = body(
        location["id"],
        line(item["id"], 10, item_total=244, description="found in aisle 4"),
        reference_number="REF-IA-00001",
        description="Just a sample description.",
    )
    created = zoho.create(sent)
    assert created["message"] == "Inventory Adjustment has been added"
    got = created["inventory_adjustment"]
    assert got["status"] == "adjusted" and got["date"] == "2026-03-02"
    assert (got["reason"], got["reason_id"]) == ("Damaged goods", "other")
    assert got["reference_number"] == sent["reference_number"]
    assert got["description"] == sent["description"]
    assert (got["location_id"], got["location_name"]) == (location["id"], location["name"])
    assert got["total"] == 244
    (row,) = got["line_items"]
    assert (row["item_id"], row["name"], row["unit"]) == (item["id"], item["name"], "box")
    assert (row["quantity_adjusted"], row["item_total"]) == (10, 244)
    assert row["description"] == "found in aisle 4" and row["location_id"] == location["id"]
    assert on_hand(api, item["id"]) == 10
    assert _stock_row(api, item["id"])["averageCost"] == 24.4  # the canonical API, read as floats

    removed = zoho.create(body(location["id"], line(item["id"], -4)))["inventory_adjustment"]
    assert removed["line_items"][0]["quantity_adjusted"] == -4
    assert removed["total"] == Decimal("-97.6")  # at the average cost
    assert on_hand(api, item["id"]) == 6
    assert zoho.get(created["inventory_adjustment"]["inventory_adjustment_id"]) == {
        "code": 0,
        "message": "success",
        "inventory_adjustment": got,
    }
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_value_adjustment_revalues_the_stock(api: Api, database: Database) -> None:
    zoho = Zoho(api)
    location, item = api.location()["id"], api.item()["id"]
    zoho.create(body(location, line(item, 5, item_total=50)))
    revalued = zoho.create(
        {
            "date": "2026-03-03",
            "reason": "Revaluation",
            "adjustment_type": "value",
            "location_id": location,
            "line_items": [{"item_id": item, "value_adjusted": 12.5}],
        }
    )["inventory_adjustment"]
    assert revalued["adjustment_type"] == "value" and revalued["total"] == Decimal("12.5")
    (row,) = revalued["line_items"]
    assert row["value_adjusted"] == Decimal("12.5") and "quantity_adjusted" not in row
    stock = _stock_row(api, item)
    assert (stock["currentStock"], stock["stockValue"]) == (5, 62.5)
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_draft_moves_nothing_is_updated_and_deleted(api: Api, database: Database) -> None:
    zoho = Zoho(api)
    location, item, other = api.location()["id"], api.item()["id"], api.item()["id"]
    draft = zoho.create(body(location, line(item, 3), status="draft"))["inventory_adjustment"]
    ident = draft["inventory_adjustment_id"]
    assert draft["status"] == "draft" and "total" not in draft
    assert on_hand(api, item) == 0

    changed = body(location, line(other, 2, line_item_id=draft["line_items"][0]["line_item_id"]))
    updated = zoho.update(ident, {**changed, "reference_number": "REF-2"})
    assert updated["message"] == "success"
    got = updated["inventory_adjustment"]
    assert [r["item_id"] for r in got["line_items"]] == [other]
    assert got["reference_number"] == "REF-2" and got["status"] == "draft"

    deleted = zoho.delete(ident)
    assert deleted == {"code": 0, "message": "Inventory Adjustment(s) has been deleted"}
    assert zoho.get(ident, status=404)["code"] == 1002
    assert on_hand(api, item) == 0 and on_hand(api, other) == 0
    assert_ledger_consistent(database, api.tenant.company_id)


def test_an_adjusted_one_is_neither_updated_nor_deleted(api: Api, database: Database) -> None:
    zoho = Zoho(api)
    location, item = api.location()["id"], api.item()["id"]
    ident = zoho.create(body(location, line(item, 3)))["inventory_adjustment"][
        "inventory_adjustment_id"
    ]
    assert zoho.update(ident, body(location, line(item, 9)), status=409)["code"] == 1041
    assert zoho.delete(ident, status=409)["code"] == 1041
    assert zoho.get(ident)["inventory_adjustment"]["line_items"][0]["quantity_adjusted"] == 3
    assert on_hand(api, item) == 3
    assert_ledger_consistent(database, api.tenant.company_id)


def test_approval_posts_and_rejection_does_not(api: Api, database: Database) -> None:
    zoho = Zoho(api)
    location, item = api.location()["id"], api.item()["id"]
    first, second = (
        zoho.create(body(location, line(item, n), status="draft"))["inventory_adjustment"][
            "inventory_adjustment_id"
        ]
        for n in (4, 6)
    )
    for ident in (first, second):
        pending = zoho.act(ident, "submit")["inventory_adjustment"]
        assert pending["status"] == "pending_approval"
    assert on_hand(api, item) == 0

    assert _announced(database, api.tenant.company_id) == []
    assert zoho.act(first, "approve") == {"code": 0, "message": "success"}
    assert zoho.get(first)["inventory_adjustment"]["status"] == "adjusted"
    assert on_hand(api, item) == 4
    (posted,) = _announced(database, api.tenant.company_id)  # once, as the canonical API shows
    assert posted == api.data(api.get(f"/api/v1/inventory/adjustments/{first}"))

    no = {"reason": "Quantities do not match the physical count."}
    assert zoho.act(second, "reject", no) == {"code": 0, "message": "success"}
    assert zoho.get(second)["inventory_adjustment"]["status"] == "rejected"
    assert on_hand(api, item) == 4 and len(_announced(database, api.tenant.company_id)) == 1
    canonical = api.data(api.get(f"/api/v1/inventory/adjustments/{second}"))
    assert canonical["rejectionReason"] == no["reason"]

    # approving again, or approving what was rejected, is refused and moves nothing
    assert zoho.act(first, "approve", status=409)["code"] == 1041
    assert zoho.act(second, "approve", status=409)["code"] == 1041
    assert on_hand(api, item) == 4
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_rejection_needs_no_reason_and_a_clerk_cannot_approve(api: Api) -> None:
    zoho, clerk = Zoho(api), Zoho(api.as_key(api.tenant.clerk_key))
    location, item = api.location()["id"], api.item()["id"]
    ident = clerk.create(body(location, line(item, 1), status="draft"))["inventory_adjustment"][
        "inventory_adjustment_id"
    ]
    clerk.act(ident, "submit")
    assert clerk.act(ident, "approve", status=403)["code"] == 57
    assert zoho.act(ident, "reject") == {"code": 0, "message": "success"}
    assert on_hand(api, item) == 0


def test_a_draft_marked_adjusted_moves_stock(api: Api, database: Database) -> None:
    zoho = Zoho(api)
    location, item = api.location()["id"], api.item()["id"]
    draft = zoho.create(body(location, line(item, 2), status="draft"))["inventory_adjustment"]
    adjusted = zoho.act(draft["inventory_adjustment_id"], "status/adjusted")
    assert adjusted["inventory_adjustment"]["status"] == "adjusted"
    assert on_hand(api, item) == 2
    assert_ledger_consistent(database, api.tenant.company_id)


def test_the_list_pages_as_zoho_does(api: Api) -> None:
    zoho = Zoho(api)
    location, item = api.location()["id"], api.item()["id"]
    made = [
        zoho.create(body(location, line(item, 1), date=f"2026-03-0{n}"))["inventory_adjustment"]
        for n in range(1, 6)
    ]
    zoho.create(body(location, line(item, 1), status="draft", date="2026-03-09"))
    first = zoho.list(per_page=2, filter_by="Status.Adjusted", organization_id="10234695")
    assert first["page_context"]["page"] == 1 and first["page_context"]["per_page"] == 2
    assert first["page_context"]["has_more_page"] is True
    pages = [first] + [zoho.list(page=n, per_page=2, filter_by="Status.Adjusted") for n in (2, 3)]
    assert [p["page_context"]["has_more_page"] for p in pages] == [True, True, False]
    listed = [a["inventory_adjustment_id"] for p in pages for a in p["inventory_adjustments"]]
    assert listed == [a["inventory_adjustment_id"] for a in reversed(made)]  # newest first
    assert all("line_items" not in a for a in first["inventory_adjustments"])
    drafts = zoho.list(filter_by="Status.Draft")["inventory_adjustments"]
    assert [a["status"] for a in drafts] == ["draft"]
    assert len(zoho.list()["inventory_adjustments"]) == 6
    assert zoho.list(page=4, per_page=2, filter_by="Status.Adjusted")["inventory_adjustments"] == []


def test_levels_helper_sees_bins(api: Api) -> None:
    """The levels read by these tests name bins and batches (a guard for the tests below)."""
    location, item = api.location()["id"], api.item()["id"]
    Zoho(api).create(body(location, line(item, 2)))
    assert levels(api, item) == {(None, None): 2}
