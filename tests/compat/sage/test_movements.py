"""Stock movements through the Sage dialect: the ledger's movements at warehouses and stores,
signed and numbered, each with its stock item; manual movements posted as a stock take
adjustment of one line; negative stock refused in Sage's error shape."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from stockkeeper.api.problems import Refusal
from stockkeeper.compat.sage.errors import sage_errors
from stockkeeper.core.errors import Kind
from stockkeeper.stock.errors import InsufficientStock, Shortage
from tests.compat.sage.support import P, body, move, refused, stock_item, warehouse
from tests.invariants import assert_ledger_consistent
from tests.support import Api, Tenant


def _on_hand(api: Api, item_id: str) -> list[tuple[str, Any]]:
    return [(row["locationId"], row["currentStock"]) for row in api.stock(itemId=item_id)]


def _entries(api: Api, **params: Any) -> list[dict[str, Any]]:
    listed = body(api.get(f"{P}/stock_movements", params={"attributes": "all", **params}))
    entries: list[dict[str, Any]] = listed["$items"]
    return entries


def test_manual_movements_move_stock_in_and_out_of_the_default_warehouse(
    api: Api, tenant: Tenant, database: Any
) -> None:
    main = warehouse(api)
    item = stock_item(api, item_code="BLT", description="Bolt", cost_price="1.0")
    came = body(
        move(
            api,
            item["id"],
            10,
            cost_price="3.0",
            details="Count",
            reference="ST-1",
            date="2026-11-30",
        ),
        201,
    )
    assert (came["quantity"], came["cost_price"], came["details"]) == ("10.0", "3.0", "Count")
    assert (came["reference"], came["displayed_as"]) == ("ST-1", "Count (Ref: ST-1)")
    assert came["date"] == "2026-11-30T00:00:00.000Z"
    assert came["stock_item"]["quantity_in_stock"] == "10.0"
    assert came["stock_item"]["last_cost_price"] == "3.0"
    went = body(move(api, item["id"], "-4", details="Damaged in the yard"), 201)
    assert (went["quantity"], went["cost_price"]) == ("-4.0", "3.0")
    assert went["movement_number"] == came["movement_number"] + 1
    assert went["stock_item"]["quantity_in_stock"] == "6.0"
    assert _on_hand(api, item["id"]) == [(main, 6)]
    assert [e["id"] for e in _entries(api)] == [came["id"], went["id"]]
    assert body(api.get(f"{P}/stock_movements/{went['id']}")) == went
    adjustments = api.data(api.get("/api/v1/inventory/adjustments", params={"itemId": item["id"]}))
    assert {(a["reason"], a["reference"], a["notes"]) for a in adjustments} == {
        ("stock_count", "ST-1", "Count"),
        ("stock_count", None, "Damaged in the yard"),
    }
    # a movement sent without a reference is known by its document's number
    number = next(a["adjustmentNumber"] for a in adjustments if a["reference"] is None)
    assert (went["reference"], went["displayed_as"]) == (
        number,
        f"Damaged in the yard (Ref: {number})",
    )
    plain = body(move(api, item["id"], 1, reference="ST-2"), 201)  # no note: its item's name
    assert plain["displayed_as"] == "Bolt (Ref: ST-2)"
    assert_ledger_consistent(database, tenant.company_id)


def test_every_movement_of_the_ledger_is_listed_with_its_document(api: Api) -> None:
    main = warehouse(api)
    other = api.location(name="North", type="warehouse")["id"]
    item = stock_item(api, description="Nut")
    api.adjust(main, (item["id"], 8, "2.00"), reference="GRN-7")
    api.create(
        "/api/v1/inventory/transfers",
        {
            "fromLocationId": main,
            "toLocationId": other,
            "items": [{"itemId": item["id"], "quantity": 3}],
        },
    )
    entries = _entries(api, stock_item_id=item["id"])
    assert sum(Decimal(e["quantity"]) for e in entries) == 8
    assert entries[0]["quantity"] == "8.0" and entries[0]["reference"] == "GRN-7"
    numbers = [e["movement_number"] for e in entries]
    assert numbers == sorted(numbers) and len(set(numbers)) >= 2
    moved = [e for e in entries if e["id"].endswith(".in")]
    assert moved, entries
    for arrival in moved:
        departure = next(e for e in entries if e["id"] == arrival["id"].removesuffix(".in"))
        assert Decimal(arrival["quantity"]) == -Decimal(departure["quantity"]) == 3
        assert arrival["movement_number"] == departure["movement_number"]
        assert body(api.get(f"{P}/stock_movements/{arrival['id']}")) == arrival
    other_item = stock_item(api, description="Other")
    api.adjust(main, (other_item["id"], 1))
    assert len(_entries(api)) == len(entries) + 1
    assert (
        body(api.get(f"{P}/stock_movements", params={"items_per_page": 2}))["$total"]
        == len(entries) + 1
    )


def test_negative_stock_is_refused_naming_the_short_line_and_nothing_moves(
    api: Api, tenant: Tenant, database: Any
) -> None:
    main = warehouse(api)
    item = stock_item(api, item_code="SCR-4", description="Screw")
    body(move(api, item["id"], 3, cost_price=1), 201)
    before = _entries(api)
    errors = refused(move(api, item["id"], "-5"), 409, "insufficient_stock")
    assert len(errors) == 1
    assert "SCR-4" in errors[0]["$message"]
    assert "asked 5.0, available 3.0" in errors[0]["$message"]
    assert errors[0]["$source"] == "quantity"
    assert _entries(api) == before
    assert _on_hand(api, item["id"]) == [(main, 3)]
    assert_ledger_consistent(database, tenant.company_id)


def test_every_short_line_is_an_entry_of_its_own() -> None:
    """Sage's own error names no item; ours has one entry per short item and location (a
    Sage movement is one line; the rendering serves every refusal of the dialect)."""
    shortages = [
        Shortage("item_1", "A-1", None, "loc_1", "Main", None, None, None, Decimal(5), Decimal(3)),
        Shortage("item_2", "B-2", None, "loc_2", "North", None, None, None, Decimal(2), Decimal(0)),
    ]
    error = InsufficientStock(shortages)
    refusal = Refusal(Kind.CONFLICT, error.code, error.detail, tuple(error.errors), error.details)
    entries = sage_errors(refusal)
    assert [e["$message"] for e in entries] == [
        "not enough stock of A-1 at Main: asked 5.0, available 3.0",
        "not enough stock of B-2 at North: asked 2.0, available 0.0",
    ]
    assert {e["$dataCode"] for e in entries} == {"insufficient_stock"}


def test_bad_movements_are_refused_and_change_nothing(api: Api) -> None:
    warehouse(api)
    item = stock_item(api, description="Pin")
    service = body(
        api.post(f"{P}/services", {"service": {"item_code": "SV", "description": "Fitting"}}), 201
    )
    refused(move(api, item["id"], 0), 422, "validation_failed")
    refused(api.post(f"{P}/stock_movements", {"stock_movement": {"quantity": 1}}), 422)
    refused(move(api, "item_missing", 1), 422)
    errors = refused(move(api, service["id"], 1), 422, "item_cannot_move")
    assert errors[0]["$source"] == "stock_item"
    refused(move(api, item["id"], 1, date="07/03/2019"), 422, "validation_failed")
    refused(move(api, item["id"], 1, unknown="x"), 422, "validation_failed")
    refused(api.get(f"{P}/stock_movements/mov_missing"), 404, "stock_movement_not_found")
    refused(api.get(f"{P}/stock_movements/mov_missing.in"), 404, "stock_movement_not_found")
    assert _entries(api) == []
    viewer = api.as_key(api.tenant.viewer_key)
    refused(move(viewer, item["id"], 1), 403)
    clerk = api.as_key(api.tenant.clerk_key)
    assert body(move(clerk, item["id"], 1), 201)["quantity"] == "1.0"


def test_a_movement_without_a_default_warehouse_says_so(api: Api) -> None:
    item = stock_item(api, description="Loose")
    errors = refused(move(api, item["id"], 1), 422)
    assert errors[0]["$source"] == ""
    assert "default warehouse" in errors[0]["$message"]


def test_a_movement_sent_again_with_its_idempotency_key_is_posted_once(api: Api) -> None:
    warehouse(api)
    item = stock_item(api, description="Once")
    key = {"Idempotency-Key": "sage-move-1"}
    sent = {"stock_movement": {"stock_item_id": item["id"], "quantity": 2, "cost_price": 1}}
    first = api.post(f"{P}/stock_movements", sent, headers=key)
    again = api.post(f"{P}/stock_movements", sent, headers=key)
    assert body(again, 201) == body(first, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert [e["quantity"] for e in _entries(api)] == ["2.0"]
    other = {"stock_movement": {"stock_item_id": item["id"], "quantity": 3}}
    refused(api.post(f"{P}/stock_movements", other, headers=key), 422)
