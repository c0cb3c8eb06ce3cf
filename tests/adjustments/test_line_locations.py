"""A line of its own location (one adjustment over several locations, the adjustment's location
the default) and of its own account (by id or code, checked against the chart of accounts and
shown with its name)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from stockkeeper.adjustments import service
from stockkeeper.adjustments.values import NewAdjustment
from stockkeeper.core import outbox
from stockkeeper.core.db import Database
from stockkeeper.tenancy.service import Actor
from tests.factories import new_item, new_location
from tests.invariants import assert_ledger_consistent
from tests.support import Api, Tenant, as_json, problem

ADJUSTMENTS = "/api/v1/inventory/adjustments"


def _on_hand(api: Api, item: str) -> dict[tuple[str, Any], Any]:
    rows = api.data(api.get("/api/v1/inventory/levels", params={"itemId": item}))
    return {(row["locationName"], row["binCode"]): row["onHand"] for row in rows}


def test_one_adjustment_over_several_locations(api: Api, database: Database) -> None:
    main, shop = api.location(name="Main"), api.location(name="Shop", type="store")
    shelf = api.create(f"/api/v1/locations/{shop['id']}/bins", {"code": "S1"})["id"]
    item = api.item()["id"]
    body = {
        "reason": "found",
        "locationId": main["id"],
        "items": [
            {"itemId": item, "adjustmentQuantity": 4, "unitCost": 3},
            {"itemId": item, "adjustmentQuantity": 2, "unitCost": 3, "locationId": shop["id"]},
            {
                "itemId": item,
                "adjustmentQuantity": 1,
                "unitCost": 3,
                "locationId": shop["id"],
                "bins": [{"binId": shelf, "quantity": 1}],
            },
        ],
    }
    adjustment = api.create(ADJUSTMENTS, body)
    assert adjustment["locationId"] == main["id"]
    lines = adjustment["items"]
    assert [(line["locationId"], line["location"]["name"]) for line in lines] == [
        (main["id"], "Main"),
        (shop["id"], "Shop"),
        (shop["id"], "Shop"),
    ]
    # each line's stock figures are of its own location
    assert [(line["currentStock"], line["adjustedStock"]) for line in lines] == [
        (0, 4),
        (0, 2),
        (2, 3),
    ]
    assert _on_hand(api, item) == {("Main", None): 4, ("Shop", None): 2, ("Shop", "S1"): 1}
    listed = api.data(api.get(ADJUSTMENTS, params={"locationId": shop["id"]}))
    assert [a["id"] for a in listed] == [adjustment["id"]]  # found by a line's location
    assert api.data(api.get(f"{ADJUSTMENTS}/{adjustment['id']}")) == adjustment

    short = problem(
        api.post(
            ADJUSTMENTS,
            {
                "reason": "lost",
                "locationId": main["id"],
                "items": [{"itemId": item, "adjustmentQuantity": -5, "locationId": shop["id"]}],
            },
        ),
        409,
        "insufficient_stock",
    )
    assert [(s["locationName"], s["available"]) for s in short["shortages"]] == [("Shop", 3)]

    api.data(api.post(f"{ADJUSTMENTS}/{adjustment['id']}/reverse"))
    assert _on_hand(api, item) == {}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_draft_keeps_its_lines_locations(api: Api, database: Database) -> None:
    main, other = api.location(), api.location(name="Overflow")
    item = api.item()["id"]
    line = {"itemId": item, "adjustmentQuantity": 3, "unitCost": 1, "locationId": other["id"]}
    draft = api.create(
        ADJUSTMENTS,
        {"reason": "found", "locationId": main["id"], "status": "draft", "items": [line]},
    )
    assert draft["items"][0]["location"] == {"id": other["id"], "name": "Overflow"}
    edited = api.data(
        api.put(
            f"{ADJUSTMENTS}/{draft['id']}",
            {"reason": "found", "locationId": other["id"], "items": [{**line, "locationId": None}]},
        )
    )
    assert edited["items"][0]["locationId"] == other["id"]  # the adjustment's, now
    api.data(api.post(f"{ADJUSTMENTS}/{draft['id']}/post"))
    assert _on_hand(api, item) == {("Overflow", None): 3}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_line_names_a_warehouse_or_store_of_the_company_and_its_bins(api: Api) -> None:
    main, shop = api.location(), api.location(type="store")
    main_bin = api.create(f"/api/v1/locations/{main['id']}/bins", {"code": "M1"})["id"]
    item = api.item()["id"]

    def post(**line: Any) -> dict[str, Any]:
        body = {
            "reason": "found",
            "locationId": main["id"],
            "items": [
                {"itemId": item, "adjustmentQuantity": 1},
                {"itemId": item, "adjustmentQuantity": 1, **line},
            ],
        }
        return problem(api.post(ADJUSTMENTS, body), 422)

    unknown = post(locationId="loc_nope")
    assert unknown["code"] == "unknown_location"
    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [
        ("items.1.locationId", "unknown_reference")
    ]
    wrong_bin = post(locationId=shop["id"], binId=main_bin)
    assert wrong_bin["code"] == "unknown_bin"
    assert [e["field"] for e in wrong_bin["errors"]] == ["items.1.binId"]
    assert api.data(api.get(ADJUSTMENTS, params={"itemId": item})) == []


def test_a_line_names_an_account_by_id_or_code(api: Api) -> None:
    location, item = api.location()["id"], api.item()["id"]
    account = api.create(
        "/api/v1/accounts", {"code": "acc_shrinkage", "name": "Shrinkage", "type": "expense"}
    )

    def line(**fields: Any) -> dict[str, Any]:
        return {"itemId": item, "adjustmentQuantity": 1, "unitCost": 1, **fields}

    body = {
        "reason": "found",
        "locationId": location,
        "items": [line(accountId="acc_shrinkage"), line(accountId=account["id"]), line()],
    }
    by_code, by_id, none = api.create(ADJUSTMENTS, body)["items"]
    named = {"id": account["id"], "code": "acc_shrinkage", "name": "Shrinkage"}
    assert (by_code["accountId"], by_code["account"]) == ("acc_shrinkage", named)
    assert (by_id["accountId"], by_id["account"]) == (account["id"], named)
    assert (none["accountId"], none["account"]) == (None, None)

    api.data(api.put(f"/api/v1/accounts/{account['id']}", {"name": "Stock shrinkage"}))
    listed = api.data(api.get(ADJUSTMENTS, params={"itemId": item}))
    assert listed[0]["items"][0]["account"]["name"] == "Stock shrinkage"  # as it now stands

    unknown = problem(
        api.post(ADJUSTMENTS, {**body, "items": [line(), line(accountId="acc_nope")]}),
        422,
        "unknown_account",
    )
    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [
        ("items.1.accountId", "unknown_reference")
    ]
    api.data(api.put(f"/api/v1/accounts/{account['id']}", {"active": False}))
    problem(
        api.post(ADJUSTMENTS, {**body, "items": [line(accountId="acc_shrinkage")]}),
        422,
        "unknown_account",
    )
    assert len(api.data(api.get(ADJUSTMENTS, params={"itemId": item}))) == 1


def test_the_service_announces_each_line_where_it_moved(session: Session, tenant: Tenant) -> None:
    actor: Actor = tenant.actor
    main, shop = new_location(session, actor), new_location(session, actor, type="store")
    item = new_item(session, actor)
    adjustment = NewAdjustment.model_validate(
        {
            "reason": "found",
            "location_id": main,
            "items": [
                {"item_id": item, "adjustment_quantity": 2, "unit_cost": 1},
                {
                    "item_id": item,
                    "adjustment_quantity": 1,
                    "unit_cost": 1,
                    "location_id": shop,
                    "account_id": "acc_inventory_adjustments",
                },
            ],
        }
    )
    view = service.create_adjustment(session, actor, adjustment=adjustment)
    [event] = [m for m in outbox.pending(session) if m["event"] == "inventory.adjustment"]
    lines = event["data"]["object"]["items"]
    assert [line["locationId"] for line in lines] == [main, shop]
    assert lines[1]["account"]["code"] == "acc_inventory_adjustments"
    assert event["data"]["object"] == as_json(view.data)
    levels = {
        m["data"]["object"]["locationId"]
        for m in outbox.pending(session)
        if m["event"] == "inventory.level"
    }
    assert {main, shop} <= levels
