"""Review: stock that moves during the count, recounts, the scope of a count, blind counts
and who may do what."""

from __future__ import annotations

from stockkeeper.core.db import Database
from tests.counts.support import (
    COUNTS,
    close,
    count,
    counted,
    lines_by_item,
    move,
    open_count,
    read,
)
from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem, unique


def test_stock_moved_during_the_count_is_accounted_for(api: Api, database: Database) -> None:
    here = api.location()["id"]
    early, late = api.item(), api.item()
    api.adjust(here, (early["id"], 10, 1), (late["id"], 10, 1))
    count_id = open_count(api, here)["id"]
    # the early item is counted before 3 leave; the late one after
    counted(api, count_id, {"itemId": early["id"], "quantity": 10})
    api.adjust(here, (early["id"], -3), (late["id"], -3))
    counted(api, count_id, {"itemId": late["id"], "quantity": 7})
    lines = lines_by_item(read(api, count_id))
    assert (lines[early["itemCode"]]["expected"], lines[early["itemCode"]]["variance"]) == (10, 0)
    assert (lines[late["itemCode"]]["expected"], lines[late["itemCode"]]["variance"]) == (7, 0)
    assert lines[late["itemCode"]]["expectedAtOpening"] == 10
    posted = close(api, count_id)
    assert posted["adjustmentId"] is None  # nothing was lost: the counts explain the movement
    stock = {row["itemId"]: row["currentStock"] for row in api.stock(locationId=here)}
    assert stock == {early["id"]: 7, late["id"]: 7}
    final = lines_by_item(read(api, count_id))
    assert final[late["itemCode"]]["variance"] == 0
    assert_ledger_consistent(database, api.tenant.company_id)


def test_chosen_lines_are_counted_again(api: Api, database: Database) -> None:
    here = api.location()["id"]
    item, other = api.item(), api.item()
    api.adjust(here, (item["id"], 5, 1), (other["id"], 2, 1))
    count_id = open_count(api, here)["id"]
    counted(
        api,
        count_id,
        {"itemId": item["id"], "quantity": 50},
        {"itemId": other["id"], "quantity": 2},
    )
    assert api.data(move(api, count_id, "submit"))["status"] == "submitted"
    assert problem(
        count(api, count_id, {"itemId": item["id"], "add": 1}), 409, "illegal_transition"
    )
    line = lines_by_item(read(api, count_id))[item["itemCode"]]
    again = api.data(move(api, count_id, "recount", {"lineIds": [line["id"]]}))
    assert (again["status"], again["countedLines"]) == ("counting", 1)
    line = lines_by_item(read(api, count_id))[item["itemCode"]]
    assert (line["counted"], line["recount"]) == (None, True)
    refused = problem(move(api, count_id, "recount", {"lineIds": ["cntline_nope"]}), 422)
    assert refused["errors"][0]["field"] == "lineIds.0"
    counted(api, count_id, {"itemId": item["id"], "quantity": 5})
    assert lines_by_item(read(api, count_id))[item["itemCode"]]["recount"] is False
    assert close(api, count_id)["adjustmentId"] is None
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_count_covers_its_scope_only(api: Api, database: Database) -> None:
    here = api.location()["id"]
    shelf = api.create(f"/api/v1/locations/{here}/bins", {"code": "A1"})["id"]
    category = api.category()["id"]
    inside = api.item(categoryId=category)
    outside = api.item()
    listed = api.item()  # named by the scope, with no stock here
    api.adjust(here, (inside["id"], 4, 1), (outside["id"], 6, 1))
    by_category = open_count(api, here, categoryIds=[category])
    assert by_category["scope"] == {"categoryIds": [category], "binIds": None, "itemIds": None}
    assert [line["itemCode"] for line in read(api, by_category["id"])["lines"]] == [
        inside["itemCode"]
    ]
    refused = problem(count(api, by_category["id"], {"itemId": outside["id"], "add": 1}), 422)
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("entries.0.itemId", "out_of_scope")
    ]
    by_items = open_count(api, here, itemIds=[outside["id"], listed["id"]])
    lines = lines_by_item(read(api, by_items["id"]))
    assert sorted((code, line["expected"]) for code, line in lines.items()) == sorted(
        [(outside["itemCode"], 6), (listed["itemCode"], 0)]
    )
    by_bins = open_count(api, here, binIds=[shelf])
    assert by_bins["lineCount"] == 0
    counted(api, by_bins["id"], {"itemId": inside["id"], "binId": shelf, "quantity": 1})
    refused = problem(count(api, by_bins["id"], {"itemId": inside["id"], "add": 1}), 422)
    assert refused["errors"][0]["code"] == "out_of_scope"
    both = api.post(COUNTS, {"locationId": here, "binIds": [shelf], "itemIds": [inside["id"]]})
    assert problem(both, 422)["errors"][0]["code"] == "wrong_kind"
    unknown = api.post(COUNTS, {"locationId": here, "categoryIds": ["cat_nope"]})
    assert problem(unknown, 422, "unknown_category")["errors"][0]["field"] == "categoryIds.0"
    assert problem(api.post(COUNTS, {"locationId": "loc_nope"}), 422, "unknown_location")
    assert_ledger_consistent(database, api.tenant.company_id)


def test_blind_counts_and_roles(api: Api, database: Database) -> None:
    here = api.location()["id"]
    item = api.item()
    api.adjust(here, (item["id"], 5, 2))
    clerk = api.as_key(api.tenant.clerk_key)
    viewer = api.as_key(api.tenant.viewer_key)
    count_id = open_count(clerk, here, blind=True)["id"]
    counted(clerk, count_id, {"itemId": item["id"], "quantity": 4})
    [seen] = read(clerk, count_id)["lines"]
    assert seen["counted"] == 4
    assert [seen[k] for k in ("expected", "expectedAtOpening", "variance", "value")] == [None] * 4
    assert read(clerk, count_id)["varianceQuantity"] is None
    [shown] = read(api, count_id)["lines"]
    assert (shown["expected"], shown["variance"], shown["value"]) == (5, -1, -2)
    problem(count(viewer, count_id, {"itemId": item["id"], "add": 1}), 403)
    problem(viewer.post(COUNTS, {"locationId": here}), 403)
    clerk.data(move(clerk, count_id, "submit"))
    problem(move(clerk, count_id, "approve"), 403)
    api.data(move(api, count_id, "approve"))
    problem(move(clerk, count_id, "post"), 403)
    assert problem(move(api, count_id, "submit"), 409, "illegal_transition")["allowedActions"] == [
        "post",
        "cancel",
    ]
    cancelled = clerk.data(move(clerk, count_id, "cancel"))
    assert (cancelled["status"], cancelled["cancelledBy"]) == ("cancelled", "clerk")
    problem(move(api, count_id, "post"), 409, "illegal_transition")
    assert [row["currentStock"] for row in api.stock(locationId=here)] == [5]
    listed = api.data(api.get(COUNTS, params={"status": "cancelled", "locationId": here}))
    assert [c["id"] for c in listed] == [count_id]
    problem(api.get(f"{COUNTS}/cnt_nope"), 404, "count_not_found")
    assert_ledger_consistent(database, api.tenant.company_id)


def test_variants_are_counted_by_their_own_codes(api: Api, database: Database) -> None:
    here = api.location()["id"]
    shirt = api.item()
    blue = api.create(
        f"/api/v1/items/{shirt['id']}/variants",
        {"name": "Blue", "itemCode": unique("SHIRT-BLU"), "barcode": unique("955")},
    )
    body = {
        "reason": "found",
        "locationId": here,
        "items": [
            {"itemId": shirt["id"], "variantId": blue["id"], "adjustmentQuantity": 4, "unitCost": 3}
        ],
    }
    api.create("/api/v1/inventory/adjustments", body)
    count_id = open_count(api, here)["id"]
    [line] = read(api, count_id)["lines"]
    assert (line["variantId"], line["expected"]) == (blue["id"], 4)
    counted(
        api, count_id, {"code": blue["barcode"], "add": 1}, {"code": blue["itemCode"], "add": 1}
    )
    refused = problem(
        count(api, count_id, {"code": blue["itemCode"], "variantId": blue["id"], "add": 1}), 422
    )
    assert refused["errors"][0]["code"] == "wrong_kind"
    [line] = read(api, count_id)["lines"]
    assert (line["counted"], line["variance"], line["value"]) == (2, -2, -6)
    posted = close(api, count_id)
    adjustment = api.data(api.get(f"/api/v1/inventory/adjustments/{posted['adjustmentId']}"))
    assert [(i["variantId"], i["adjustmentQuantity"]) for i in adjustment["items"]] == [
        (blue["id"], -2)
    ]
    assert_ledger_consistent(database, api.tenant.company_id)
