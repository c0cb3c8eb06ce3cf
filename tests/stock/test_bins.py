"""Stock lying in bins is taken by requests that name no bin: unbinned stock first, then the
bins in code order; the movements say which bin each part came from."""

from __future__ import annotations

from typing import Any

from stockkeeper.core.db import Database
from tests.invariants import assert_ledger_consistent
from tests.support import Api, problem, run_together

ADJUSTMENTS = "/api/v1/inventory/adjustments"
ISSUES = "/api/v1/inventory/issues"
RESERVATIONS = "/api/v1/inventory/reservations"


def _bin(api: Api, location: str, code: str) -> str:
    return str(api.create(f"/api/v1/locations/{location}/bins", {"code": code})["id"])


def _put_away(api: Api, location: str, item: str, *bins: tuple[str | None, int]) -> None:
    """Receives stock of an item, some of it into bins."""
    lines = [
        {"itemId": item, "adjustmentQuantity": quantity, "unitCost": 2, "binId": bin_id}
        for bin_id, quantity in bins
    ]
    api.create(ADJUSTMENTS, {"reason": "found", "locationId": location, "items": lines})


def _in_bins(api: Api, item: str) -> dict[str | None, Any]:
    rows = api.data(api.get("/api/v1/inventory/levels", params={"itemId": item}))
    return {row["binCode"]: row["onHand"] for row in rows}


def _taken(api: Api, reference: str) -> list[tuple[Any, Any]]:
    movements = api.data(api.get("/api/v1/inventory/movements", params={"reference": reference}))
    return sorted((m["binId"] or "", m["quantity"]) for m in movements)


def test_putting_a_binned_item_to_a_lower_quantity(api: Api, database: Database) -> None:
    """The new user's try: 10 units in bin A1, then PUT /inventory/stock to 9."""
    main = api.location(name="Main")["id"]
    a1 = _bin(api, main, "A1")
    item = api.item()["id"]
    _put_away(api, main, item, (a1, 10))

    response = api.put(
        "/api/v1/inventory/stock",
        {
            "itemId": item,
            "locationId": main,
            "newQuantity": 9,
            "reason": "stock_count",
            "reference": "SC-1",
        },
    )
    assert response.status_code == 200, response.text
    assert _in_bins(api, item) == {"A1": 9}
    assert _taken(api, "SC-1") == [(a1, -1)]
    [row] = api.stock(itemId=item)
    assert (row["currentStock"], row["binLocation"]) == (9, "A1")
    assert_ledger_consistent(database, api.tenant.company_id)


def test_unbinned_first_then_bins_in_code_order(api: Api, database: Database) -> None:
    main = api.location()["id"]
    b2, a1 = _bin(api, main, "B2"), _bin(api, main, "A1")  # made out of code order
    item = api.item()["id"]
    _put_away(api, main, item, (b2, 4), (None, 3), (a1, 5))
    [row] = api.stock(itemId=item)
    assert row["binLocation"] == "A1: 5, B2: 4, no bin: 3"
    [here] = api.data(api.get(f"/api/v1/items/{item}"))["locations"]
    assert here["binLocation"] == row["binLocation"]
    assert here["bins"] == [{"binCode": "A1", "onHand": 5}, {"binCode": "B2", "onHand": 4}]

    issue = {"locationId": main, "reference": "INV-1", "items": [{"itemId": item, "quantity": 10}]}
    issued = api.create(ISSUES, issue)
    assert issued["items"][0]["quantity"] == 10
    assert _taken(api, "INV-1") == sorted([("", -3), (a1, -5), (b2, -2)])
    assert _in_bins(api, item) == {"B2": 2}
    assert [r["binLocation"] for r in api.stock(itemId=item)] == ["B2"]

    short = problem(
        api.post(
            ISSUES, {**issue, "reference": "INV-2", "items": [{"itemId": item, "quantity": 3}]}
        ),
        409,
        "insufficient_stock",
    )
    assert [(s["requested"], s["available"]) for s in short["shortages"]] == [(3, 2)]
    assert _in_bins(api, item) == {"B2": 2}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_reversal_puts_back_into_the_bins_it_took_from(api: Api, database: Database) -> None:
    main = api.location()["id"]
    a1, a2 = _bin(api, main, "A1"), _bin(api, main, "A2")
    item = api.item()["id"]
    _put_away(api, main, item, (a1, 2), (a2, 2))
    written_off = api.create(
        ADJUSTMENTS,
        {
            "reason": "damaged",
            "locationId": main,
            "items": [{"itemId": item, "adjustmentQuantity": -3}],
        },
    )
    assert _in_bins(api, item) == {"A2": 1}
    api.data(api.post(f"{ADJUSTMENTS}/{written_off['id']}/reverse", {"reason": "found again"}))
    assert _in_bins(api, item) == {"A1": 2, "A2": 2}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_transfers_and_reservations_take_binned_stock(api: Api, database: Database) -> None:
    main, shop = api.location()["id"], api.location(type="store")["id"]
    a1 = _bin(api, main, "A1")
    item = api.item()["id"]
    _put_away(api, main, item, (a1, 6))

    api.create(
        "/api/v1/inventory/transfers",
        {
            "fromLocationId": main,
            "toLocationId": shop,
            "reference": "XF-1",
            "items": [{"itemId": item, "quantity": 2}],
        },
    )
    assert _taken(api, "XF-1") == sorted([(a1, -2), ("", 2)])
    held = api.data(
        api.post(RESERVATIONS, {"itemId": item, "locationId": main, "quantity": 3}), 201
    )
    done = api.data(api.post(f"{RESERVATIONS}/{held['id']}/fulfil", {"reference": "INV-7"}))
    assert done["status"] == "fulfilled"
    assert _taken(api, "INV-7") == [(a1, -3)]
    assert _in_bins(api, item) == {"A1": 1, None: 2}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_batch_in_bins_is_taken_and_reserved_without_naming_a_bin(
    api: Api, database: Database
) -> None:
    main = api.location()["id"]
    a1, b1 = _bin(api, main, "A1"), _bin(api, main, "B1")
    item = api.item(inventory={"tracking": "batch"})["id"]
    for bin_id, quantity in ((b1, 3), (a1, 2)):
        line = {
            "itemId": item,
            "adjustmentQuantity": quantity,
            "unitCost": 1,
            "binId": bin_id,
            "batches": [{"batchNumber": "L1", "quantity": quantity}],
        }
        api.create(ADJUSTMENTS, {"reason": "found", "locationId": main, "items": [line]})
    levels = api.data(api.get("/api/v1/inventory/levels", params={"itemId": item}))
    batch = levels[0]["batchId"]
    other = {
        "itemId": item,
        "adjustmentQuantity": 3,
        "unitCost": 1,
        "batches": [{"batchNumber": "L2", "quantity": 3}],
    }
    api.create(ADJUSTMENTS, {"reason": "found", "locationId": main, "items": [other]})

    held = api.data(
        api.post(
            RESERVATIONS, {"itemId": item, "locationId": main, "batchId": batch, "quantity": 4}
        ),
        201,
    )
    # one unit of L1 is free (the location has four), so taking two of L1 is short
    taking = {
        "locationId": main,
        "reference": "INV-B",
        "items": [{"itemId": item, "quantity": 2, "batches": [{"batchId": batch, "quantity": 2}]}],
    }
    short = problem(api.post(ISSUES, taking), 409, "insufficient_stock")
    [(batch_id, requested, available)] = [
        (s["batchId"], s["requested"], s["available"]) for s in short["shortages"]
    ]
    assert (batch_id, requested, available) == (batch, 2, 1)
    api.data(api.post(f"{RESERVATIONS}/{held['id']}/fulfil", {"reference": "INV-R"}))
    assert _taken(api, "INV-R") == sorted([(a1, -2), (b1, -2)])
    assert _in_bins(api, item) == {"B1": 1, None: 3}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_serial_in_a_bin_is_taken_without_naming_the_bin(api: Api, database: Database) -> None:
    main = api.location()["id"]
    a1 = _bin(api, main, "A1")
    item = api.item(inventory={"tracking": "serial"})["id"]
    line = {
        "itemId": item,
        "adjustmentQuantity": 2,
        "unitCost": 100,
        "binId": a1,
        "serialNumbers": ["SN-1", "SN-2"],
    }
    api.create(ADJUSTMENTS, {"reason": "found", "locationId": main, "items": [line]})
    sold = {"itemId": item, "quantity": 1, "serialNumbers": ["SN-2"]}
    api.create(ISSUES, {"locationId": main, "reference": "INV-S", "items": [sold]})
    assert _taken(api, "INV-S") == [(a1, -1)]
    levels = api.data(api.get("/api/v1/inventory/levels", params={"itemId": item}))
    assert [(r["serialNumber"], r["binCode"]) for r in levels] == [("SN-1", "A1")]
    elsewhere = {"itemId": item, "quantity": 1, "serialNumbers": ["SN-2"]}
    gone = api.post(ISSUES, {"locationId": main, "reference": "INV-T", "items": [elsewhere]})
    assert problem(gone, 409)["errors"][0]["field"].endswith("serialNumbers")
    assert_ledger_consistent(database, api.tenant.company_id)


def test_racing_for_binned_stock_oversells_nothing(api: Api, database: Database) -> None:
    main = api.location()["id"]
    a1, a2 = _bin(api, main, "A1"), _bin(api, main, "A2")
    item = api.item()["id"]
    _put_away(api, main, item, (a1, 6), (a2, 4))
    answers: list[int] = []

    def buy(n: int) -> None:
        body = {
            "locationId": main,
            "reference": f"R-{n}",
            "items": [{"itemId": item, "quantity": 2}],
        }
        answers.append(api.post(ISSUES, body).status_code)

    assert run_together(8, buy) == []
    assert sorted(answers) == [201] * 5 + [409] * 3
    assert _in_bins(api, item) == {}
    assert_ledger_consistent(database, api.tenant.company_id)


def test_batches_are_picked_earliest_expiry_first(api: Api, database: Database) -> None:
    main = api.location()["id"]
    a1 = _bin(api, main, "A1")
    item = api.item(inventory={"tracking": "batch"})["id"]
    for number, expiry, quantity, bin_id in (
        ("LATE", "2027-12-31", 5, None),
        ("NONE", None, 4, None),
        ("SOON", "2027-01-31", 3, a1),
    ):
        batch = {"batchNumber": number, "expiryDate": expiry, "quantity": quantity}
        line = {
            "itemId": item,
            "adjustmentQuantity": quantity,
            "unitCost": 1,
            "binId": bin_id,
            "batches": [batch],
        }
        api.create(ADJUSTMENTS, {"reason": "found", "locationId": main, "items": [line]})

    issued = api.create(
        ISSUES,
        {"locationId": main, "reference": "INV-F", "items": [{"itemId": item, "quantity": 6}]},
    )
    assert [(b["batchNumber"], b["quantity"]) for b in issued["items"][0]["batches"]] == [
        ("SOON", 3),
        ("LATE", 3),
    ]
    movements = api.data(api.get("/api/v1/inventory/movements", params={"reference": "INV-F"}))
    assert sorted((m["batchNumber"], m["binId"], m["quantity"]) for m in movements) == [
        ("LATE", None, -3),
        ("SOON", a1, -3),
    ]

    # a draft may name no batch either: they are picked when it posts
    draft = api.create(
        ADJUSTMENTS,
        {
            "reason": "damaged",
            "locationId": main,
            "status": "draft",
            "items": [{"itemId": item, "adjustmentQuantity": -3}],
        },
    )
    posted = api.data(api.post(f"{ADJUSTMENTS}/{draft['id']}/post", {}))
    assert [(b["batchNumber"], b["quantity"]) for b in posted["items"][0]["batches"]] == [
        ("LATE", 2),
        ("NONE", 1),
    ]
    counted = api.put(
        "/api/v1/inventory/stock",
        {"itemId": item, "locationId": main, "newQuantity": 1, "reference": "SC-F"},
    )
    assert counted.status_code == 200, counted.text
    levels = api.data(api.get("/api/v1/inventory/levels", params={"itemId": item}))
    assert [(r["batchNumber"], r["onHand"]) for r in levels] == [("NONE", 1)]
    too_many = {"locationId": main, "items": [{"itemId": item, "quantity": 2}]}
    short = problem(api.post(ISSUES, too_many), 409, "insufficient_stock")
    assert [(s["requested"], s["available"]) for s in short["shortages"]] == [(2, 1)]
    assert_ledger_consistent(database, api.tenant.company_id)


def test_a_line_short_of_stock_keeps_its_place_among_the_results(
    api: Api, database: Database
) -> None:
    """Where negative stock is allowed, a line that finds too little where it takes from still
    answers for itself, in its place: each line of the document shows its own cost."""
    api.data(api.put("/api/v1/settings", {"allowNegativeStock": True}))
    main = api.location()["id"]
    missing = api.item(pricing={"costPrice": 7})["id"]
    lying = api.item()["id"]
    _put_away(api, main, lying, (None, 5))
    issued = api.create(
        ISSUES,
        {
            "locationId": main,
            "reference": "INV-N",
            "items": [{"itemId": missing, "quantity": 2}, {"itemId": lying, "quantity": 1}],
        },
    )
    assert [(line["itemId"], line["unitCost"]) for line in issued["items"]] == [
        (missing, 7),
        (lying, 2),
    ]
    assert _in_bins(api, missing) == {None: -2}
    assert_ledger_consistent(database, api.tenant.company_id)
